plan --budget 1e22 --path dense,moe --format csv
