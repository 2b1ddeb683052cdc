plan --hardware h100-sxm --budget 2000h --devices 8
