plan --laws epoch2024 --budget 1e22 --uncertainty 10 --shard 1/0
