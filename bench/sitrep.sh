#!/usr/bin/env bash
# Situation report benchmark (issue 20): the dashboard bench's generated file (default 1,000,000 rows) served by the app in
# Release with Production settings, a few reports marked published in it, then each report page requested once on a cold
# output cache (every URL is a cache miss: the server builds the page from the database), with the same for /en/data with a
# country map (its cache missed by a query string) as the baseline of the same run. Writes bench/results/sitrep.md.
# Run by hand; CI does not run benchmarks. Budget: a situation report page ≤ 200 ms cold.
#
#   bench/sitrep.sh [rows]      default 1000000; BENCH_PORT (default 5302)
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
port=${BENCH_PORT:-5302}
work=$(mktemp -d)
results=bench/results/sitrep.md

source bench/dashboard-app.sh
export BENCH_FILE_ONLY=1
start=$(date +%s)
generate_dashboard_file
unset BENCH_FILE_ONLY
dotnet build src/Closer.Web -c Release -v q -nologo >/dev/null
year=$(date -u +%Y)
export Site__PublicBaseUrl="http://127.0.0.1:$port"
serve_dashboard_file
curl -fs "http://127.0.0.1:$port/readyz" >/dev/null || { echo "the app did not start; see $work/app.log"; cat "$work/app.log"; exit 1; }

# Published reports: the region and three countries (COL and BRA with admin1 outlines, CUW without), months 5 to 11.
ticks=$(( ($(date -u +%s) + 62135596800) * 10000000 ))
for scope in region COL BRA CUW PER; do
  for m in 05 06 07 08 09 10 11; do
    sqlite3 "$work/dashboard.db" "INSERT INTO SituationReports (Scope, Month, HighlightsEn, HighlightsEs, HighlightsPt, HighlightsPap, Revision, UpdatedAt, PublishedAt, ArchivedAt)
      VALUES ('$scope', '$year-$m', 'Bench highlights.', 'Lo destacado.', 'Destaques.', 'Puntonan resaltante.', 1, $ticks, $ticks, NULL);"
  done
done

get() { curl -s -o "$work/page.html" -w '%{http_code} %{time_total}' "http://127.0.0.1:$port$1"; }
ms() { awk -v t="$1" 'BEGIN { printf "%.0f", t * 1000 }'; }

# The first request of the process pays JIT and the first queries: reported apart.
read -r code first < <(get "/en/data/situation/PER/$year-05")
rows_out=()
cold=()
for path in "/en/data/situation/COL/$year-11" "/es/data/situation/COL/$year-10" "/pap/data/situation/COL/$year-09" \
            "/en/data/situation/BRA/$year-11" "/pt/data/situation/BRA/$year-08" "/en/data/situation/CUW/$year-11" \
            "/en/data/situation/region/$year-11" "/es/data/situation/region/$year-07" "/pap/data/situation/region/$year-06"; do
  read -r code t < <(get "$path")
  bytes=$(wc -c <"$work/page.html")
  read -r code2 t2 < <(get "$path")
  rows_out+=("| \`$path\` | $code | $(ms "$t") | $(ms "$t2") | $bytes | $([ "$(ms "$t")" -le 200 ] && echo met || echo "NOT met") |")
  cold+=("$(ms "$t")")
done
base=()
for path in "/en/data?country=COL&b=1" "/es/data?country=BRA&b=2" "/en/data?b=3"; do
  read -r code t < <(get "$path")
  base+=("| \`$path\` | $code | $(ms "$t") |")
done
read -r code pdf < <(get "/en/data/situation/COL/$year-11/pdf")
pdfbytes=$(wc -c <"$work/page.html")
median=$(printf '%s\n' "${cold[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
{
  echo "# Situation report benchmark"
  echo
  echo "$(date -u '+%Y-%m-%d %H:%M UTC') · $(nproc) cores · .NET $(dotnet --version) SDK · SQLite · load average (1 min) when written: $(cut -d' ' -f1 /proc/loadavg)"
  echo
  echo "Ran once on a shared 2-core machine with other helpers' builds and tests running at the same time: read the times against"
  echo "the baseline of the same run (the data page with a country map, also built from the database) rather than as absolutes."
  echo
  echo "Command: \`bench/sitrep.sh\` ($rows generated 5W rows of plan year $year, the dashboard bench's file; app in Release,"
  echo "Production settings, on 127.0.0.1; every page requested once on a cold output cache, then once more from the cache)."
  echo "Whole script: $(( $(date +%s) - start )) s."
  echo
  echo "Budget: a situation report page ≤ 200 ms cold. Median of the cold requests below: **$median ms**."
  echo
  echo "| page | status | cold (ms) | cached (ms) | bytes | budget |"
  echo "| --- | ---: | ---: | ---: | ---: | --- |"
  printf '%s\n' "${rows_out[@]}"
  echo
  echo "First request of the process (JIT, first queries), \`/en/data/situation/PER/$year-05\`: $(ms "$first") ms."
  echo
  echo "Baseline, same run, cold output cache:"
  echo
  echo "| page | status | cold (ms) |"
  echo "| --- | ---: | ---: |"
  printf '%s\n' "${base[@]}"
  echo
  echo "The PDF of \`/en/data/situation/COL/$year-11/pdf\` (SkiaSharp, made on request): $(ms "$pdf") ms, $pdfbytes bytes."
  echo
  echo "A country's report reads its admin1 map from the raw report rows (as \`/data?country=\` does: the aggregates sum"
  echo "admin1 out), which is most of its time on this file; the region's report reads only the aggregates."
} >"$results"
echo "Wrote $results"
