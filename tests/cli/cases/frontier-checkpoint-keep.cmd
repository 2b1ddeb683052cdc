frontier --from 1e21 --to 1e23 --steps 3 --checkpoint N1=7e9,D1=2e12 --path moe,upcycle
