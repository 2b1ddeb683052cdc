cost --hardware h100-sxm --arch llama-2-7b --train-tokens 1e15 --devices 8 --layout pipeline=2
