plan --target-loss 1.9
