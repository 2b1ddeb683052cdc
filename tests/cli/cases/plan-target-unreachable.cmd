plan --target-loss 1.5 --laws chinchilla
