laws check datacon-missing.yaml
