plan --target-loss 2.0 --laws chinchilla --unit hours --hardware a100-80gb --devices 64
