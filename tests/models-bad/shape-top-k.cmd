laws check shape-top-k.yaml
