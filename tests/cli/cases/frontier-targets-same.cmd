frontier --target-from 2 --target-to 2
