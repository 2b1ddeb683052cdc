plan --budget 5e4 --unit hours --hardware h100-sxm --devices 64 --laws chinchilla --inference-tokens 1e12 --prefill-share 0.5
