eval liew2025:dense N=1e9 D=1e11 D2=5
