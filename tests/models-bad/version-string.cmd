laws check version-string.yaml
