plan --budget 1e21 --laws ludziejewski2025 --path upcycle
