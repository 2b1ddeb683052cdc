flops --layers
