flops --arch share/arch/mixtral-8x7b.yaml
