frontier --laws epoch2024 --from 1e20 --to 1e24 --steps 5 --uncertainty 40
