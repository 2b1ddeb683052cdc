plan --budget 1e22
