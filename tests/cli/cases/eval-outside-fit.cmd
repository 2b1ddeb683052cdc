eval liew2025:upcycled N1=1.3B D1=100B D2=1B
