plan --budget 1e22 --laws chinchilla,epoch2024,liew2025 --path dense
