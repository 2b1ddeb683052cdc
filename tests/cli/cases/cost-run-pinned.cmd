cost --hardware h100-sxm --arch mixtral-8x7b --train-tokens 1e12 --devices 64 --layout tp=2,ep=8,zero=3 --skew 1
