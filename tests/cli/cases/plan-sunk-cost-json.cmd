plan --budget '$170k' --hardware h100-sxm --checkpoint N1=7e9,D1=2e12 --path upcycle --format json
