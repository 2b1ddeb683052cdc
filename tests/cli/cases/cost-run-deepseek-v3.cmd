cost --hardware h800 --arch deepseek-v3 --train-tokens 14.8e12 --devices 2048 --dtype fp8
