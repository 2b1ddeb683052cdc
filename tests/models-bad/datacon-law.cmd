laws check datacon-law.yaml
