frontier --from 1e20 --to 1e22 --laws chinchilla,epoch2024
