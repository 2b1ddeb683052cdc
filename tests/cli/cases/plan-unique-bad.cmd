plan --budget 1e22 --unique-tokens 0
