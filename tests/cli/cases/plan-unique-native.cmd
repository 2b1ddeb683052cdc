plan --budget 1e21 --laws muennighoff2023 --unique-tokens 1e10
