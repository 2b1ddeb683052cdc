laws check not-a-mapping.yaml
