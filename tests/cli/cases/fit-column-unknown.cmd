fit epoch2024:dense --data tests/cli/cases/fit-few.csv --column Q=x
