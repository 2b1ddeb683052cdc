flops --arch share/arch/llama-2-7b.yaml
