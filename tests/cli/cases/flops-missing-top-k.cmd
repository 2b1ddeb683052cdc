flops --layers 2 --d-model 256 --experts 8
