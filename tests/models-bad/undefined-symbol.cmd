laws check undefined-symbol.yaml
