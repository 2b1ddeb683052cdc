plan --budget 1e22 --inference-tokens 1e12 --prefill-share 2
