plan --budget 1e22 --unique-tokens 1e10 --data-law chinchilla
