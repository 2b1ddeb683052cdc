calibrate --backend cuda --dtype fp9
