fit epoch2024:dense --data tests/cli/cases/fit-bad-number.csv
