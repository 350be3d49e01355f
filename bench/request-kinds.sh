#!/usr/bin/env bash
# Each kind of request of the mixed load alone: the app (Release, production settings, demo data, SQLite) on
# 127.0.0.1 under `wrk -t2 -c32` for KIND_DURATION (default 8s) per kind — the eight reads of bench/mixed.lua one URL
# at a time, then pledges (the form, each with its own token) alone, then forum replies (API) alone, then imports of a 50-row export (API) alone. Where bench/mixed-load.sh
# says the whole mix is slower, this says which kind is. With a BASE commit, the same run on a worktree of BASE first,
# and a ratio column. Writes bench/results/request-kinds.md.
#
#   bench/request-kinds.sh [BASE]        e.g. bench/request-kinds.sh c7b0d85
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 2; }
head_root=$(pwd)
base=${1:-}
duration=${KIND_DURATION:-8s}
work=$(mktemp -d)
trap '[ -z "$base" ] || git -C "$head_root" worktree remove --force "$work/base" 2>/dev/null || true; rm -rf "$work"' EXIT

run_side() { # root port out
  local root=$1 port=$2 out=$3 url="http://127.0.0.1:$2" side="$work/side-$2"
  mkdir -p "$side"
  (cd "$root" && dotnet build src/Closer.Web -c Release -v q -nologo >/dev/null)
  (
    export ASPNETCORE_ENVIRONMENT=Production DemoData__Enabled=true Site__PublicBaseUrl="$url" MALLOC_ARENA_MAX=2
    export ConnectionStrings__Closer="Data Source=$side/bench.db" Email__PickupDirectory="$side/mail"
    export ASPNETCORE_URLS="$url" Logging__LogLevel__Default=Warning
    export RateLimits__PledgesPerHour=100000000 RateLimits__ImportsPerMinute=100000000 RateLimits__SignInPerMinute=1000
    export Forum__PostsPerHour=100000000 Forum__NewAccountDays=0 Forum__DigestEnabled=false
    cd "$root/src/Closer.Web"
    dll=bin/Release/net10.0/Closer.Web.dll
    echo "request kinds passphrase" | dotnet $dll users add --email bench@bench.invalid --role PlatformAdmin --password-stdin >/dev/null
    token=$(dotnet $dll tokens create --email bench@bench.invalid --name "request kinds" | tail -1)
    dotnet $dll >"$side/app.log" 2>&1 &
    app=$!
    trap 'kill $app 2>/dev/null || true' EXIT
    for _ in $(seq 1 240); do curl -fs "$url/readyz" >/dev/null && break; kill -0 $app || exit 1; sleep 0.5; done
    echo "rss-ready $(awk '/VmRSS/ {print int($2/1024)}' /proc/$app/status)" >"$out"
    space=$(curl -fs "$url/api/v1/forum/spaces" | python3 -c 'import json,sys; d=json.load(sys.stdin); d=d.get("items",d) if isinstance(d,dict) else d; print(next(s["id"] for s in d if s.get("visibility","Public")=="Public"))')
    thread=$(curl -fs -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d '{"title":"Load test thread","body":"Replies written by bench/request-kinds.sh."}' \
      "$url/api/v1/forum/spaces/$space/threads" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
    curl -fs -H "Authorization: Bearer $token" "$url/api/v1/reports?format=csv&pageSize=50&status=Draft" -o "$side/export.csv"
    python3 - "$side/export.csv" "$side/import.body" <<'PY'
import sys
csv = open(sys.argv[1], "rb").read()
open(sys.argv[2], "wb").write(b"--closerbench\r\nContent-Disposition: form-data; name=\"file\"; filename=\"reports.csv\"\r\n"
                              b"Content-Type: text/csv\r\n\r\n" + csv + b"\r\n--closerbench--\r\n")
PY
    cat >"$side/post.lua" <<LUA
request = function() return wrk.format("POST", "/api/v1/forum/threads/$thread/posts", {["Content-Type"]="application/json", ["Authorization"]="Bearer $token"}, '{"body":"Load test reply '..math.random(1,1e9)..' about shelter coordination in the border towns."}') end
LUA
    cat >"$side/import.lua" <<LUA
local f = io.open("$side/import.body", "rb"); local body = f:read("*a"); f:close()
request = function() return wrk.format("POST", "/api/v1/reports/import", {["Content-Type"]="multipart/form-data; boundary=closerbench", ["Authorization"]="Bearer $token"}, body) end
LUA
    measure() { # label, wrk args...
      local label=$1; shift
      wrk -t2 -c32 -d"$duration" --latency "$@" | awk -v l="$label" '/Requests\/sec/ {r=$2} / 99%/ {p=$2} /Non-2xx/ {e=$5} END {print l "\t" r "\t" p "\t" (e==""?0:e)}' >>"$out"
    }
    for u in /en/ /es/stories /pap/ /pt/facts /es/documents /api/v1/organisations /api/v1/pledges/summary /en/forum; do curl -fs -o /dev/null "$url$u"; done
    wrk -t2 -c32 -d3s "$url/en/" >/dev/null
    for u in /en/ /es/stories /pap/ /pt/facts /es/documents /api/v1/organisations /api/v1/pledges/summary /en/forum; do measure "GET $u" "$url$u"; done
    # A pledge form's token counts once: a pool fetched first (4,000 per 8 s is more than a 2-core machine takes).
    python3 - "$url" "$duration" "$side/formtokens" <<'PY'
import concurrent.futures, html, http.client, re, sys, urllib.parse
url, duration, path = sys.argv[1:]
seconds = int(duration[:-1]) * {"s": 1, "m": 60}[duration[-1]] if duration[-1] in "sm" else int(duration)
wanted, host = seconds * 500, urllib.parse.urlsplit(url).netloc
def fetch(count):
    conn, found = http.client.HTTPConnection(host, timeout=30), []
    for _ in range(count):
        conn.request("GET", "/en/pledge")
        page = conn.getresponse().read().decode()
        found.append(urllib.parse.quote(html.unescape(re.search(r'name="__PledgeToken" value="([^"]*)"', page).group(1)), safe=""))
    return found
with concurrent.futures.ThreadPoolExecutor(4) as pool:
    tokens = [t for part in pool.map(fetch, [wanted // 4 + 1] * 4) for t in part]
open(path, "w").write("\n".join(tokens) + "\n")
PY
    country=$(curl -fs "$url/api/v1/countries" | python3 -c 'import json,sys; d=json.load(sys.stdin); d=d.get("items",d) if isinstance(d,dict) else d; print(d[0]["iso3"])')
    cat >"$side/pledge.lua" <<LUA
local threads = {}
function setup(thread) table.insert(threads, thread); thread:set("index", #threads) end
function init(args)
  tokens = {}
  local n = 0
  for line in io.lines("$side/formtokens") do
    n = n + 1
    if line ~= "" and n % 2 == (index - 1) % 2 then table.insert(tokens, line) end
  end
end
request = function()
  local token = table.remove(tokens)
  if token == nil then return wrk.format("GET", "/api/v1/pledges/summary") end
  return wrk.format("POST", "/en/pledge", {["Content-Type"]="application/x-www-form-urlencoded"}, "__PledgeToken=" .. token .. "&Country=$country&FirstName=Bench&Website=")
end
LUA
    measure "POST pledge (form)" -s "$side/pledge.lua" "$url"
    measure "POST forum reply (API)" -s "$side/post.lua" "$url"
    measure "POST import, 50-row export (API)" -s "$side/import.lua" "$url"
    echo "rss-peak $(awk '/VmHWM/ {print int($2/1024)}' /proc/$app/status)" >>"$out"
  )
}

if [ -n "$base" ]; then
  git worktree add -q --detach "$work/base" "$base"
  run_side "$work/base" 5197 "$work/base.tsv"
fi
run_side "$head_root" 5196 "$work/head.tsv"

mkdir -p bench/results
python3 - "$work/head.tsv" "$work/base.tsv" "$base" "$(git rev-parse --short HEAD)" "$duration" >bench/results/request-kinds.md <<'PY'
import datetime, os, sys
head_f, base_f, base, head, duration = sys.argv[1:]
def read(path):
    rows, meta = {}, {}
    if not os.path.exists(path):
        return rows, meta
    for line in open(path):
        parts = line.rstrip("\n").split("\t")
        if len(parts) == 1:
            k, v = parts[0].split(" ", 1); meta[k] = v
        else:
            rows[parts[0]] = parts[1:]
    return rows, meta
h, hm = read(head_f)
b, bm = read(base_f)
load = open("/proc/loadavg").read().split()[:3]
print("# Each kind of request alone\n")
print(f"- date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC; machine: {os.cpu_count()} cores; load average at the end: {' '.join(load)}")
print(f"- command: `bench/request-kinds.sh{' ' + base if base else ''}` → `wrk -t2 -c32 -d{duration} --latency` per kind, app in Release on SQLite (demo data), 127.0.0.1")
print("- the reads of `bench/mixed.lua` one URL at a time, then pledges alone (a run out of form tokens turns into summary reads: see non-2xx and the mixed-load counts), forum replies alone (one thread that grows), imports of a 50-row export alone (all rows unchanged)\n")
if b:
    print(f"| request | {base} req/s | {head} req/s | {head}/{base} | {base} p99 | {head} p99 | non-2xx |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for k, v in h.items():
        bv = b.get(k, ["", "", ""])
        ratio = f"{float(v[0]) / float(bv[0]):.2f}" if bv[0] else ""
        print(f"| {k} | {float(bv[0]):,.0f} | {float(v[0]):,.0f} | {ratio} | {bv[1]} | {v[1]} | {int(bv[2] or 0) + int(v[2] or 0)} |")
    print(f"\nRSS when ready: {bm.get('rss-ready')} MB ({base}) against {hm.get('rss-ready')} MB; peak {bm.get('rss-peak')} against {hm.get('rss-peak')} MB.")
else:
    print(f"| request | req/s | p99 | non-2xx |")
    print("| --- | ---: | ---: | ---: |")
    for k, v in h.items():
        print(f"| {k} | {float(v[0]):,.0f} | {v[1]} | {v[2]} |")
    print(f"\nRSS when ready: {hm.get('rss-ready')} MB; peak {hm.get('rss-peak')} MB.")
PY
cat bench/results/request-kinds.md
