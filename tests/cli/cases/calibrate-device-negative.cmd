calibrate --backend cuda --device -1
