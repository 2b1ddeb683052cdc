fit epoch2024:dense --data share/data/chinchilla-figure4-epoch.csv
