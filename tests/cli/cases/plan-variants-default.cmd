plan --budget 1e20 --path moe,upcycle
