plan --budget 1e22 --laws liew2025,chinchilla --variant log10
