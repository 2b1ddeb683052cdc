plan --laws epoch2024 --budget 1e22 --from-draws tests/cli/cases/plan-draws-short.csv
