tui --budget 1e20 --hardware h100-sxm --layout recompute=some
