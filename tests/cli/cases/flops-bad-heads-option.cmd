flops --layers 2 --d-model 256 --heads 3
