laws check baseline-unknown.yaml
