cost --hardware a100-80gb --arch llama-2-7b --train-tokens 2e12 --devices 2048
