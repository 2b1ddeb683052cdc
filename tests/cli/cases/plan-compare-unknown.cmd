plan --budget 1e22 --laws chinchilla,nosuch,liew2025 --path dense --models-dir models
