plan --budget 1e22 --laws liew2025,liew2025:moe --variant log10
