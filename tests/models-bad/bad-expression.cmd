laws check bad-expression.yaml
