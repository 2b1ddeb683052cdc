plan --budget 1e22 --path continue
