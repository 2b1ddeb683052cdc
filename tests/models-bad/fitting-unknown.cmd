laws check fitting-unknown.yaml
