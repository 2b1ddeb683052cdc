laws check out-of-range.yaml
