#!/usr/bin/env bash
# Campaign benchmark: a story page (output-cached Razor page) against a static file of similar size served by
# the same app, with wrk -t2 -c32 -d10s. Writes bench/results/campaign-story.md.
# Target (issue 3): the story page reaches >= 80 % of the static file's throughput, p99 <= 25 ms.
# Usage: bench/campaign-story.sh [port]   (needs wrk: apt-get install wrk)
set -euo pipefail
port="${1:-5310}"
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
base="http://127.0.0.1:${port}"

dotnet publish "$root/src/Closer.Web" -c Release -o "$work/app" --nologo -v q >/dev/null
(cd "$work/app" && ASPNETCORE_ENVIRONMENT=Production DemoData__Enabled=true Site__PublicBaseUrl="$base" \
  ConnectionStrings__Closer="Data Source=$work/bench.db" ASPNETCORE_URLS="$base" \
  exec dotnet Closer.Web.dll >"$work/app.log" 2>&1) &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 60); do curl -fs "$base/readyz" >/dev/null && break; sleep 1; done

story="/es/stories/la-panaderia-de-ana-en-cucuta"
static="$(curl -fs "$base$story" | grep -o '/css/site\.[a-z0-9]*\.css' | head -1)"
story_bytes="$(curl -fs "$base$story" | wc -c)"
static_bytes="$(curl -fs "$base$static" | wc -c)"

wrk -t2 -c32 -d3s "$base$story" >/dev/null   # warm-up (JIT, output cache)
wrk -t2 -c32 -d3s "$base$static" >/dev/null
wrk -t2 -c32 -d10s --latency "$base$story" >"$work/story.txt"
wrk -t2 -c32 -d10s --latency "$base$static" >"$work/static.txt"

rps() { awk '/Requests\/sec/ {print $2}' "$1"; }
p99() { awk '$1=="99%" {print $2}' "$1"; }
s_rps="$(rps "$work/story.txt")"; f_rps="$(rps "$work/static.txt")"
ratio="$(awk -v a="$s_rps" -v b="$f_rps" 'BEGIN { printf "%.0f", 100 * a / b }')"

mkdir -p "$root/bench/results"
{
  echo "# Campaign: story page vs static file (wrk -t2 -c32 -d10s)"
  echo
  echo "Run $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores ($(uname -m)), Release build, SQLite, demo data."
  echo "The machine is shared with other work, so absolute figures are indicative; the ratio is what the target is about."
  echo
  echo "| target | bytes | requests/s | p99 latency |"
  echo "| --- | ---: | ---: | ---: |"
  echo "| story page \`$story\` | $story_bytes | $s_rps | $(p99 "$work/story.txt") |"
  echo "| static file \`$static\` | $static_bytes | $f_rps | $(p99 "$work/static.txt") |"
  echo
  echo "Story page throughput: **${ratio} %** of the static file (target >= 80 %, p99 <= 25 ms)."
  echo
  echo '## wrk output'
  echo
  echo '```'
  cat "$work/story.txt"
  echo
  cat "$work/static.txt"
  echo '```'
} >"$root/bench/results/campaign-story.md"
cat "$root/bench/results/campaign-story.md"
