plan --budget 1e22 --hparams tests/no-such-hparams.yaml
