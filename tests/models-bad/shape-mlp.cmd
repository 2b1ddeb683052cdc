laws check shape-mlp.yaml
