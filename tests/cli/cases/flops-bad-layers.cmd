flops --layers 0 --d-model 256
