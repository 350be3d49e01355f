#!/usr/bin/env bash
# Maps benchmark (issue 20): the dashboard bench's generated file (default 1,000,000 rows) and aggregates, then the server
# render of the region map and of country maps timed warm (bench/Closer.Bench.Dashboards/MapsBench.cs), then the bytes
# of /en/data with its maps as served by the app on that file: raw and gzip level 5 (deploy/nginx.conf compresses HTML).
# Writes bench/results/maps.md. Run by hand; CI does not run benchmarks.
#
#   bench/maps.sh [rows]        default 1000000; BENCH_PORT (default 5301)
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
port=${BENCH_PORT:-5301}
work=$(mktemp -d)
results=bench/results/maps.md

source bench/dashboard-app.sh
export BENCH_MAPS="$PWD/$results"
generate_dashboard_file
unset BENCH_MAPS
serve_dashboard_file
{
  echo
  echo "## \`/{lang}/data\` with its maps: bytes sent (app in Release, Production settings, on the same file)"
  echo
  echo "Transferred = gzip level 5, as \`deploy/nginx.conf\` compresses HTML for the app. Budget ≤ 100 KB (102,400 bytes) transferred."
  echo
  echo "| page | raw bytes | gzip -5 bytes | budget |"
  echo "| --- | ---: | ---: | --- |"
  for path in "/en/data" "/en/data?country=COL" "/pap/data?country=BRA" "/es/data?country=MEX"; do
    curl -fs "http://127.0.0.1:$port$path" -o "$work/page.html"
    raw=$(wc -c <"$work/page.html"); gz=$(gzip -5 -c "$work/page.html" | wc -c)
    verdict=$([ "$gz" -le 102400 ] && echo met || echo "NOT met")
    echo "| \`$path\` | $raw | $gz | $verdict |"
  done
  echo
  echo "The maps' script (\`/js/maps.js\`, hover and focus boxes) is a fingerprinted static asset of $(wc -c <src/Closer.Web/wwwroot/js/maps.js) bytes before compression, cached for a year."
} >>"$results"
echo "Wrote $results"
