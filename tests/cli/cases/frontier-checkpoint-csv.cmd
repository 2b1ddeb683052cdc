frontier --from 1e20 --to 1e24 --steps 5 --checkpoint N1=7e9,D1=2e12 --path dense,moe,continue --format csv
