laws check no-laws.yaml
