laws check fit-length.yaml
