#!/bin/sh
# make bench: the planner's speed and memory (see bench_plan.c).
exec "${top_builddir:-.}/tests/perf/bench_plan"
