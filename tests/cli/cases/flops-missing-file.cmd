flops --arch tests/cli/cases/flops-no-such-file.yaml
