flops --arch tests/cli/cases/flops-bad-heads.yaml
