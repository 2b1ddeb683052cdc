laws check coefficient-is-variable.yaml
