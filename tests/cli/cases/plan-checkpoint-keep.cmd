plan --budget 1e21 --checkpoint N1=7e9,D1=2e12 --path dense,moe,upcycle
