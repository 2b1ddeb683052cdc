laws check variant-unknown-law.yaml
