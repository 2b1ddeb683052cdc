plan --laws epoch2024 --budget 5.88e23 --uncertainty 40 --seed 3
