plan --budget 1e22 --path moe --laws ludziejewski2025
