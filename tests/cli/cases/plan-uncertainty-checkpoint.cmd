plan --laws epoch2024 --budget 1e21 --checkpoint N1=2e9,D1=4e10 --uncertainty 40
