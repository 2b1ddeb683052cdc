cost --hardware h100-sxm --arch llama-2-7b --devices 8
