laws check datacon-negative.yaml
