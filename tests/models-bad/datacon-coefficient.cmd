laws check datacon-coefficient.yaml
