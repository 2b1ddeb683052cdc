frontier --from 1e18 --to 1e24 --steps 7
