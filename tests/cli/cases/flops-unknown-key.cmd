flops --arch tests/cli/cases/flops-unknown-key.yaml
