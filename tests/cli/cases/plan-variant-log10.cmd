plan --budget 1e22 --path moe,upcycle --variant log10
