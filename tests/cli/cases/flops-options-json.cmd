flops --layers 8 --d-model 1024 --experts 8 --top-k 2 --moe-every 2 --format json
