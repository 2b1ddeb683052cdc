plan --budget 1e22 --path dense,moe --uncertainty 10
