cost --hardware h100-sxm --arch llama-2-7b --train-tokens 1e12 --devices 8 --layout tp=3
