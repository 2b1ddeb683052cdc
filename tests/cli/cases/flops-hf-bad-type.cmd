flops --arch tests/cli/cases/flops-hf-bad-type.json
