#!/bin/sh
# make bench: keypress to redraw in the interactive planner (bench_tui.c).
exec "${top_builddir:-.}/tests/perf/bench_tui"
