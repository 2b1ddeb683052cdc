laws check variant-derived.yaml
