laws check no-values.yaml
