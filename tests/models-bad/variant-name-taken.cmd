laws check variant-name-taken.yaml
