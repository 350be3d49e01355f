#!/usr/bin/env bash
# Dashboard benchmark (issue 5): 1,000,000 generated 5W rows in a SQLite file, the aggregates built, the response
# dashboard query timed warm on the aggregates and as a plain GROUP BY over the raw rows (bench/Closer.Bench.Dashboards),
# then the public page /en/data of the app on that same file under `wrk -t2 -c32 -d10s --latency`.
# Writes bench/results/dashboard.md. Run by hand on a quiet machine; CI does not run benchmarks.
#
#   bench/dashboard.sh [rows]        default 1000000; BENCH_PORT (default 5300)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 2; }
rows=${1:-1000000}
port=${BENCH_PORT:-5300}
work=$(mktemp -d)
results=bench/results/dashboard.md

source bench/dashboard-app.sh
export BENCH_RESULTS="$PWD/$results"
generate_dashboard_file
unset BENCH_RESULTS
serve_dashboard_file

url="http://127.0.0.1:$port/en/data"
wrk -t2 -c32 -d3s "$url" >/dev/null 2>&1 || true           # warm-up: JIT, output cache, connection pool
out=$(wrk -t2 -c32 -d10s --latency "$url")
cold=$(curl -fs -o /dev/null -w '%{time_total}' "http://127.0.0.1:$port/en/data?year=$(date -u +%Y)&c=COL&c=PER&c=BRA")
{
  echo "## \`/en/data\` under wrk (app in Release, Production settings, on the same 1,000,000-row file)"
  echo
  echo "Command: \`wrk -t2 -c32 -d10s --latency $url\` after a 3 s warm-up; the app bound to 127.0.0.1:$port."
  echo
  echo "| path | requests/s | p50 | p99 | errors (non-2xx, socket) |"
  echo "| --- | ---: | ---: | ---: | --- |"
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $5}' <<<"$out"); non2xx=${non2xx:-0}
  sock=$(awk '/Socket errors/ {print $0}' <<<"$out" | sed 's/^ *//'); sock=${sock:-none}
  echo "| /en/data | $rps | $p50 | $p99 | $non2xx, $sock |"
  echo
  echo "A first (uncached) render of the page with another query (year and three countries): ${cold} s."
  echo "The page is output-cached for anonymous readers under the data-stamp tags of reports, plan, figures, organisations,"
  echo "countries and funding; a commit that changes any of them evicts the tag, so the page changes the moment a report is"
  echo "validated, edited or returned (no database read on a cached request)."
  echo
  echo '```'
  echo "$out"
  echo '```'
} >>"$results"
echo "Wrote $results"
