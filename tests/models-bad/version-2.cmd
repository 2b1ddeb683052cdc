laws check version-2.yaml
