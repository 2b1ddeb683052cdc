laws check fitting-space.yaml
