laws check variant-bad-expression.yaml
