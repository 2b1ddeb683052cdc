laws check units.yaml
