plan --budget 1e22 --within-fit
