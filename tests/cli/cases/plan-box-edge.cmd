plan --budget 5e32 --path dense
