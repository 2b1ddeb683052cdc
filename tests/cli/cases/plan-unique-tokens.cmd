plan --budget 1e22 --unique-tokens 2e10
