laws check law-name.yaml
