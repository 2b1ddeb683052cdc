plan --target-loss -1
