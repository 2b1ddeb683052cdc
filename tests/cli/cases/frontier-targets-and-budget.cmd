frontier --target-from 2.2 --target-to 2 --from 1e20 --to 1e22
