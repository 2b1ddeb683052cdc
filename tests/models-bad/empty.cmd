laws check empty.yaml
