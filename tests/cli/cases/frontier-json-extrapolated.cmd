frontier --from 1e20 --to 1e22 --steps 3 --path dense --format json
