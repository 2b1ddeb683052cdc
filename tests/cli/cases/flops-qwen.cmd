flops --arch share/arch/qwen1.5-moe-a2.7b.yaml
