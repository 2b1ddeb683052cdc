laws check law-not-mapping.yaml
