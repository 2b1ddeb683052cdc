laws check fit-zero.yaml
