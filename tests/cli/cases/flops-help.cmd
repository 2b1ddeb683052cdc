flops --help
