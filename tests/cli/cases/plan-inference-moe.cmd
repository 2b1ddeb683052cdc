plan --budget 1e22 --inference-tokens 5e12
