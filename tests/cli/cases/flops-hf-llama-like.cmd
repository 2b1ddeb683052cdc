flops --arch tests/cli/cases/flops-hf-llama-like.json --format csv
