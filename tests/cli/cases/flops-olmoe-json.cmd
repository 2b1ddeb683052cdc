flops --arch share/arch/olmoe-1b-7b.yaml --format json
