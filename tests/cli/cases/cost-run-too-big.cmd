cost --hardware h100-sxm --arch llama-3.1-405b --train-tokens 15e12 --devices 8
