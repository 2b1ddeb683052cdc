laws check alias.yaml
