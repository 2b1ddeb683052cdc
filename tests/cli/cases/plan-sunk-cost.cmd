plan --budget '$170k' --hardware h100-sxm --devices 256 --checkpoint N1=7e9,D1=2e12
