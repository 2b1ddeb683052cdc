laws check duplicate-coefficient.yaml
