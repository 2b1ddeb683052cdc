plan --target-loss 2.0238720155 --laws chinchilla --inference-tokens 2e12
