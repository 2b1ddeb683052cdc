flops --arch qwen1.5-moe-a2.7b-chat --format json
