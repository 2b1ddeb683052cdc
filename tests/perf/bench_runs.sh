#!/bin/sh
# make bench: predicted against published device-hours of training runs
# (see bench_runs.c and published-runs.csv).
exec "${top_builddir:-.}/tests/perf/bench_runs"
