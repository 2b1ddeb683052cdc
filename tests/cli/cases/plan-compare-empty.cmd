plan --budget 1e22 --laws chinchilla,,liew2025
