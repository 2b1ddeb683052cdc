fit --data tests/cli/cases/fit-few.csv
