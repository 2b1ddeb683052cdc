flops --arch tests/cli/cases/flops-bad-value.yaml
