laws check datacon-quoted.yaml
