#!/usr/bin/env bash
# OData and paged-API read benchmark (issue 21): a generated SQLite file (bench/Closer.Bench.Dashboards: raw 5W rows,
# aggregates built), the app in Release on it, then 100,000 rows read page by page
#   - through the OData feed (/odata/ReportCells, following @odata.nextLink, server page size 5,000),
#   - through /api/v1/activities?pageSize=5000&page=N (JSON, X-Total-Count, Link),
# and, as the baseline of the same run, the same 100,000 rows read straight from the file with sqlite3.
# Rows/s = rows ÷ wall time of all the HTTP requests (curl's time_total summed). Writes bench/results/odata.md.
# One command, about 5 minutes on a quiet 2-core machine (Release build, 450,000 generated rows, the reads):
#
#   bench/odata.sh [raw-rows]       default 450000 raw 5W rows; BENCH_PORT (default 5310)
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-450000}
port=${BENCH_PORT:-5310}
want=100000
work=$(mktemp -d)
results=bench/results/odata.md

# Progress on stderr, so a run stopped early still says how far it got.
step() { echo "odata.sh $(date -u +%T): $*" >&2; }
step "build"
dotnet build bench/Closer.Bench.Dashboards -c Release -v q -nologo >/dev/null
step "generate $rows rows"
BENCH_FILE_ONLY=1 BENCH_RESULTS="$work/generator.md" dotnet bench/Closer.Bench.Dashboards/bin/Release/net10.0/Closer.Bench.Dashboards.dll "$rows" "$work/odata.db" >"$work/gen.log"
db="$work/odata.db"

export ASPNETCORE_ENVIRONMENT=Production DemoData__Enabled=false Site__PublicBaseUrl="http://127.0.0.1:$port"
export ConnectionStrings__Closer="Data Source=$db" Email__PickupDirectory="$work/mail" RateLimits__ODataPerMinute=100000
export ASPNETCORE_URLS="http://127.0.0.1:$port" Logging__LogLevel__Default=Warning
(cd src/Closer.Web && exec dotnet bin/Release/net10.0/Closer.Web.dll) >"$work/app.log" 2>&1 &
app=$!
trap 'kill $app 2>/dev/null || true; rm -rf "$work"' EXIT
step "start the app"
for i in $(seq 1 240); do curl -fs "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.5; done
base="http://127.0.0.1:$port"

cells=$(sqlite3 "$db" "SELECT count(*) FROM ResponseMonths WHERE Status='Validated'")
reports=$(sqlite3 "$db" "SELECT count(*) FROM ActivityReports WHERE Status='Validated' AND DeletedAt IS NULL")

# Warm-up: JIT and connection pools (one small page each, not counted). The first activities request after a data
# change builds the public table (every validated report through disclosure control, kept per data version): timed
# here on its own, since it is paid once per change of the data, not per page.
step "warm-up and cold table"
curl -fs "$base/odata/ReportCells?\$top=10" >/dev/null
cold=$(curl -fs -o /dev/null -w '%{time_total}' "$base/api/v1/activities?pageSize=10")
# A committed change of the reports (the stamp the app's interceptor writes with every saved report; ChangedAt in UTC
# ticks): the first request after it is answered from the previous table while the new one is built (stale while
# revalidating, Last-Modified = the previous table's data time), and the rebuilt table is served once ready.
step "change and refresh"
stamp=$(( ($(date +%s) + 62135596800) * 10000000 ))
sqlite3 "$db" ".timeout 5000" "INSERT INTO DataStamps (Dataset, ChangedAt) VALUES ('reports', $stamp)"
changed_at=$(date +%s.%N)
# pageSize=11: the warm-up's answer is in the output cache, which a stamp written from outside the app does not evict.
after=$(curl -fs -o /dev/null -D "$work/after.h" -w '%{time_total}' "$base/api/v1/activities?pageSize=11")
after_lm=$(grep -i '^last-modified:' "$work/after.h" | cut -d' ' -f2- | tr -d '\r')
rebuilt=""
for i in $(seq 1 300); do
  curl -fs -o /dev/null -D "$work/poll.h" "$base/api/v1/activities?pageSize=11" || true
  if [ "$(grep -i '^last-modified:' "$work/poll.h" | cut -d' ' -f2- | tr -d '\r')" != "$after_lm" ]; then
    rebuilt=$(echo "$(date +%s.%N) - $changed_at" | bc -l); break
  fi
  sleep 0.2
done

odata() {
  local url="$base/odata/ReportCells" n=0 t=0 pages=0
  while [ -n "$url" ] && [ "$n" -lt "$want" ]; do
    local tt; tt=$(curl -fs -o "$work/page.json" -w '%{time_total}' "$url")
    t=$(echo "$t + $tt" | bc -l); pages=$((pages + 1))
    n=$((n + $(jq '.value | length' "$work/page.json")))
    url=$(jq -r '.["@odata.nextLink"] // empty' "$work/page.json")
  done
  echo "$n $t $pages"
}
activities() {
  local n=0 t=0 page=1
  while [ "$n" -lt "$want" ]; do
    local tt; tt=$(curl -fs -o "$work/page.json" -w '%{time_total}' "$base/api/v1/activities?pageSize=5000&page=$page")
    t=$(echo "$t + $tt" | bc -l)
    local got; got=$(jq 'length' "$work/page.json"); [ "$got" -eq 0 ] && break
    n=$((n + got)); page=$((page + 1))
  done
  echo "$n $t $((page - 1))"
}
raw() {
  local s e
  s=$(date +%s.%N)
  sqlite3 "$db" "SELECT m.*, o.Acronym FROM ResponseMonths m JOIN Organisations o ON o.Id = m.OrganisationId WHERE m.Status='Validated' ORDER BY m.Year, m.CountryIso3, m.IndicatorCode, m.Month, m.PopulationGroup, m.OrganisationId LIMIT $want" >/dev/null
  sqlite3 "$db" "SELECT r.*, o.Acronym FROM ActivityReports r JOIN Organisations o ON o.Id = r.OrganisationId WHERE r.Status='Validated' AND r.DeletedAt IS NULL ORDER BY r.Id LIMIT $want" >/dev/null
  e=$(date +%s.%N)
  echo "$(echo "$e - $s" | bc -l)"
}
step "paged reads"
load=$(cut -d' ' -f1-3 /proc/loadavg)
read -r on ot op < <(odata)
read -r an at ap < <(activities)
rt=$(raw)
kill $app 2>/dev/null || true
# The build of the public table in process, against the reference build (the path it took before), same file, same run.
step "in-process build measure"
inproc=$(timeout 120 dotnet bench/Closer.Bench.Dashboards/bin/Release/net10.0/Closer.Bench.Dashboards.dll activities "$db" 2>/dev/null | grep -E '^(run|median)' || true)
rate() { printf '%.0f' "$(echo "$1 / $2" | bc -l)"; }
{
  echo "# OData feed and paged activities API: 100,000 rows in pages"
  echo
  echo "Run: $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores ($(uname -m))"
  echo "(load average at the start of the reads: $load; at the end: $(cut -d' ' -f1-3 /proc/loadavg));"
  echo "command \`bench/odata.sh $rows\` (app in Release, Production settings, SQLite). Data: $rows generated raw 5W rows"
  echo "(bench/Closer.Bench.Dashboards), of which $reports validated reports and $cells validated aggregate cells."
  echo
  echo "| read | rows | pages | time (s) | rows/s | budget |"
  echo "| --- | ---: | ---: | ---: | ---: | --- |"
  echo "| OData \`/odata/ReportCells\` (server paging, 5,000 per page, nextLink followed) | $on | $op | $(printf '%.2f' "$ot") | $(rate "$on" "$ot") | ≥ 20,000 |"
  echo "| \`/api/v1/activities?pageSize=5000&page=N\` (JSON) | $an | $ap | $(printf '%.2f' "$at") | $(rate "$an" "$at") | ≥ 20,000 |"
  echo "| baseline: sqlite3 reading both row sets straight from the file (same orders, no HTTP) | $((2 * want)) | 1+1 | $(printf '%.2f' "$rt") | $(rate $((2 * want)) "$rt") | — |"
  echo
  echo "The first activities request after a change of the data (building the public table of $reports reports, disclosure"
  echo "control included, kept per data version) took $(printf '%.2f' "$cold") s in this run (the warm-up, not counted above)."
  echo
  echo "In process (\`Closer.Bench.Dashboards.dll activities FILE\`, same file; the reference build is ActivitiesDataset.RowsAsync,"
  echo "the EF path the public table was built by before, which also names every row; first run is the warm-up):"
  echo
  echo "$inproc" | sed 's/^/    /'
  echo
  echo "After a committed change of the reports, the first request took $(printf '%.2f' "$after") s (answered from the previous"
  echo "table, Last-Modified $after_lm, while the new one was built); the rebuilt table was served $(printf '%.1f' "${rebuilt:-0}") s after the change"
  [ -n "${rebuilt:-}" ] || echo "(not within a minute of polling)."
  echo
  echo "Times are curl's time_total per request, summed (one request at a time, keep-alive not used: each page is a new"
  echo "connection, as a spreadsheet connector's refresh does). The baseline is the floor: the rows with no serialisation"
  echo "and no HTTP. Ratios (rates against the baseline's rate): OData $(printf '%.1f' "$(echo "100 * ($on / $ot) / ((2 * $want) / $rt)" | bc -l)") %,"
  echo "activities $(printf '%.1f' "$(echo "100 * ($an / $at) / ((2 * $want) / $rt)" | bc -l)") %."
  echo
  orate=$(rate "$on" "$ot"); arate=$(rate "$an" "$at")
  if [ "$orate" -ge 20000 ] && [ "$arate" -ge 20000 ] && [ "$on" -ge "$want" ] && [ "$an" -ge "$want" ]; then
    echo "**Budget met in this run**: both reads return $want rows in pages at 20,000 rows/s or more."
  else
    echo "**Budget not met in this run** (see the table)."
  fi
  echo
  echo "Before (2026-12-06 18:44 UTC, same script, 300,000 raw rows, same shared machine): OData 4,895 rows/s, activities"
  echo "9,467 rows/s, baseline 139,861 rows/s. Since then: activities pages are slices of the public table kept per data version"
  echo "(PublicActivities) written as JSON records; OData writes whole-row pages straight to JSON (FeedPageSerializer) after"
  echo "Microsoft.AspNetCore.OData has applied the query, paging and next link. Session 10: the public table's build reads the"
  echo "reports straight into counts with repeated strings kept once, a change is rebuilt in the background while the previous"
  echo "table answers (stale while revalidating, its own Last-Modified), and hashed answers are buffered in pooled 64 KB chunks"
  echo "(no large-object-heap arrays per page). In process, on the same file: \`dotnet bench/Closer.Bench.Dashboards/bin/Release/net10.0/Closer.Bench.Dashboards.dll activities FILE\`."
} >"$results"
cat "$results"
