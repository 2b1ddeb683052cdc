laws check missing-title.yaml
