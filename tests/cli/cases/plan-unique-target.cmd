frontier --target-from 2.1 --target-to 1.95 --steps 4 --unique-tokens 3e10
