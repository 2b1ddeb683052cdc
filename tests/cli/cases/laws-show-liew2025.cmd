laws show liew2025
