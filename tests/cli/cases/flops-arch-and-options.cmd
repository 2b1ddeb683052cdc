flops --arch share/arch/llama-2-7b.yaml --seq 8192
