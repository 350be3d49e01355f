#!/usr/bin/env bash
# HTTP benchmark: the app (Release, production settings, demo data on a fresh SQLite file) on 127.0.0.1,
# each URL under `wrk -t2 -c32 -d10s --latency`, against a baseline measured in the same run: a static
# file served by the same app. Writes bench/results/http.md (machine, date, command, req/s, p50, p99,
# errors, the app's peak RSS). Run by hand on a quiet machine; CI does not run benchmarks.
#
#   bench/http.sh [path ...]        default: / pages of the public site
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 2; }
port=${BENCH_PORT:-5199}
duration=${BENCH_DURATION:-10s}
paths=("$@")
[ ${#paths[@]} -gt 0 ] || paths=(/en/ /es/ /pap/ /api/v1/organisations)

dotnet build src/Closer.Web -c Release -v q -nologo >/dev/null
work=$(mktemp -d)
export ASPNETCORE_ENVIRONMENT=Production DemoData__Enabled=true Site__PublicBaseUrl="http://127.0.0.1:$port"
# As deploy/closer.service runs it.
export MALLOC_ARENA_MAX=2
export ConnectionStrings__Closer="Data Source=$work/bench.db" Email__PickupDirectory="$work/mail"
export ASPNETCORE_URLS="http://127.0.0.1:$port" Logging__LogLevel__Default=Warning
(cd src/Closer.Web && exec dotnet bin/Release/net10.0/Closer.Web.dll) >"$work/app.log" 2>&1 &
app=$!
trap 'kill $app 2>/dev/null || true; rm -rf "$work"' EXIT
for i in $(seq 1 120); do curl -fs "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.5; done

# Baseline: the app's own static file (fingerprinted CSS), found from the home page.
css=$(curl -fs "http://127.0.0.1:$port/en/" | grep -o '/css/site\.[a-z0-9]*\.css' | head -1)
targets=("$css" "${paths[@]}")

results="$work/results.tsv"
for path in "${targets[@]}"; do                                  # warm-up: JIT, caches, connection pools
  wrk -t2 -c32 -d3s "http://127.0.0.1:$port$path" >/dev/null 2>&1 || true
done
for path in "${targets[@]}"; do
  url="http://127.0.0.1:$port$path"
  out=$(wrk -t2 -c32 -d"$duration" --latency "$url")
  bytes=$(curl -fs -H 'Accept-Encoding: gzip, br' -o /dev/null -w '%{size_download}' "$url")
  python3 - "$path" "$bytes" >>"$results" <<PY
import re, sys
out = """$out"""
def lat(label):
    m = re.search(r"^\s*" + label + r"%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
    if not m: return float("nan")
    v, u = float(m.group(1)), m.group(2)
    return v / 1000 if u == "us" else v * 1000 if u == "s" else v
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
errs = 0
m = re.search(r"Non-2xx or 3xx responses: (\d+)", out); errs += int(m.group(1)) if m else 0
m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
errs += sum(int(x) for x in m.groups()) if m else 0
print(f"{sys.argv[1]}\t{rps:.0f}\t{lat('50'):.2f}\t{lat('99'):.2f}\t{errs}\t{sys.argv[2]}")
PY
done
rss_kb=$(awk '/VmHWM/ {print $2}' /proc/$app/status)

mkdir -p bench/results
python3 - "$results" "$rss_kb" "$duration" >bench/results/http.md <<'PY'
import sys, platform, subprocess, datetime, os
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
base = float(rows[0][1])
cpu = subprocess.run(["sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"], capture_output=True, text=True).stdout.strip()
print("# HTTP benchmark\n")
print(f"- date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC")
print(f"- machine: {os.cpu_count()} cores ({cpu}), {platform.system()} {platform.release()}")
print(f"- command: `bench/http.sh` → `wrk -t2 -c32 -d{sys.argv[3]} --latency` per URL, app in Release on SQLite, 127.0.0.1")
print(f"- baseline: `{rows[0][0]}`, a static file served by the same app in the same run")
print(f"- app peak RSS (VmHWM): {int(sys.argv[2]) / 1024:.0f} MB\n")
print("| path | req/s | % of static | p50 ms | p99 ms | errors | bytes served (gzip, br accepted) |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
for p, rps, p50, p99, errs, size in rows:
    print(f"| `{p}` | {float(rps):.0f} | {100 * float(rps) / base:.0f} % | {p50} | {p99} | {errs} | {size} |")
PY
cat bench/results/http.md
