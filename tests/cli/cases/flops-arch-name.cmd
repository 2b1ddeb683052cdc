flops --arch olmoe-1b-7b
