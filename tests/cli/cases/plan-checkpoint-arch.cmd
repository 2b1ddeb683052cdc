plan --budget 1e22 --checkpoint-arch llama-2-7b --checkpoint D1=2e12
