cost --hardware h100-sxm --arch llama-2-7b --train-tokens 1e12 --devices 512 --mfu 0.4 --price 2 --format csv
