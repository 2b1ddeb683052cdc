flops --layers 4 --d-model 512 --experts 8 --top-k 2 --d-expert 1000 --granularity 3
