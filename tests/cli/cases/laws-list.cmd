laws list
