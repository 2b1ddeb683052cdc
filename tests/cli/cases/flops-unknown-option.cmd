flops --layers 2 --d-model 256 --bogus 3
