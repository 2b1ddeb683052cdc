flops --layers 2 --d 256
