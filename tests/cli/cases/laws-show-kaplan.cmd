laws show kaplan2020
