laws check missing-loss.yaml
