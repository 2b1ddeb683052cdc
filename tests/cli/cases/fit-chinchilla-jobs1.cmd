fit epoch2024:dense --data share/data/chinchilla-figure4-epoch.csv --column N='Model Size' --compute 'Training FLOP' --exclude-top-loss 5 --refine 20 --bootstrap 20 --jobs 1
