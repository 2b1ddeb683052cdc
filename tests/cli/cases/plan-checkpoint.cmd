plan --budget 1e21 --checkpoint N1=1e9,D1=1e11
