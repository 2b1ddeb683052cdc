cost --hardware generic-cpu --arch llama-2-7b --train-tokens 1e9
