laws check not-a-number.yaml
