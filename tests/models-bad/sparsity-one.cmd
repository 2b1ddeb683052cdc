laws check sparsity-one.yaml
