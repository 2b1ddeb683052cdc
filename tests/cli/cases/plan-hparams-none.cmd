plan --budget 1e22 --hparams none --path dense
