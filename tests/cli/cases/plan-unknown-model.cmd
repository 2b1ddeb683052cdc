plan --budget 1e22 --laws nosuchmodel --models-dir models
