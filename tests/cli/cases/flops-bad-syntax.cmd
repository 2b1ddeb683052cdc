flops --arch tests/cli/cases/flops-bad-syntax.yaml
