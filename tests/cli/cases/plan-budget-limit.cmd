plan --budget 1e99
