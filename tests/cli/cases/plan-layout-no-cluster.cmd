plan --budget 1e20 --hardware generic-cpu --layout tp=2,zero=1
