laws check non-finite.yaml
