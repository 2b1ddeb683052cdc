laws check syntax.yaml
