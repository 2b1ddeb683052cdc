laws check variant-range.yaml
