eval liew2025 N1=1e9 D=1e11
