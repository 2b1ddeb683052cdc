flops --arch share/arch/deepseek-v3.json
