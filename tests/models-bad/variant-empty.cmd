laws check variant-empty.yaml
