frontier --from 1e20 --to 1e40
