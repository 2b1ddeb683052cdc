plan --budget 1e20 --layout tp=8
