frontier --target-from 2.3 --target-to 1.8 --steps 6
