plan --budget 1e22 --checkpoint N1=7e9,D1=2e12 --path dense,moe,continue --format csv
