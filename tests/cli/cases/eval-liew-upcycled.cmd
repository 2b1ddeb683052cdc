eval liew2025:upcycled N1=1e9 D1=1e11 D2=1e11
