eval ludziejewski2025:dense Na=1.7e9 D=9.7e9
