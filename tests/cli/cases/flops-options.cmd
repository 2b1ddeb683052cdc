flops --layers 8 --d-model 1024 --heads 8 --kv-heads 2 --d-ff 4096 --mlp gelu --vocab 50257 --seq 1024 --tied --experts 8 --top-k 1 --granularity 4 --shared-experts 1 --moe-every 2
