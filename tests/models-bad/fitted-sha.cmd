laws check fitted-sha.yaml
