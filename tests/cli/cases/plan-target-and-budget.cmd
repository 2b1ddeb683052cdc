plan --budget 1e22 --target-loss 2
