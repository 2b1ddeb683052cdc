laws check missing-fit.yaml
