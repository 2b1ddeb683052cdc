calibrate --backend cuda --dtype fp32
