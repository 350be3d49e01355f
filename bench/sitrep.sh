#!/usr/bin/env bash
# Situation report benchmark (issue 20): the dashboard bench's 1,000,000 generated rows and aggregates, then the situation
# report pages cold and again, the country maps' admin1 figures now and from the raw rows as before
# (bench/results/sitrep.md), all in one process (bench/Closer.Bench.Dashboards, BENCH_SITREP=1: SitrepBench).
# Budget: a situation report page ≤ 200 ms cold. Run by hand; CI does not run benchmarks. Under 5 minutes after the build.
#
#   bench/sitrep.sh
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build bench/Closer.Bench.Dashboards -c Release -v q -nologo >/dev/null
BENCH_SITREP=1 timeout 300 dotnet bench/Closer.Bench.Dashboards/bin/Release/net10.0/Closer.Bench.Dashboards.dll
