eval kaplan2020 N=1e9 D=2.29e10
