eval abnar2025 N=1e9 D=1e10 S=0.75
