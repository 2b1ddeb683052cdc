laws check fit-range.yaml
