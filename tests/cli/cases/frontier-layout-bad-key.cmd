frontier --from 1e20 --to 1e21 --hardware h100-sxm --layout tp=8,pipeline=2
