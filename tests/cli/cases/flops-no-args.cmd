flops
