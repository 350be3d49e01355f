#!/usr/bin/env bash
# Mixed load with writes: the app (Release, production settings, demo data, SQLite) on 127.0.0.1 under
# `wrk -t2 -c32` for BENCH_DURATION (default 5 minutes) with bench/mixed.lua — 80 % reads of public pages and
# API, 10 % pledges, 8 % forum replies, 2 % spreadsheet imports (an export of 50 reports, imported back).
# Afterwards every pledge and post sent is counted in the database (nothing lost, nothing doubled), the
# activity reports are unchanged (imports are all or nothing; identical rows change nothing), SQLite's
# integrity check passes, and the app's peak RSS is read from /proc. Writes bench/results/mixed-load.md.
# Rate limits are raised for the run (it is one client hammering); everything else is production.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 2; }
port=${BENCH_PORT:-5198}
duration=${BENCH_DURATION:-300s}
base="http://127.0.0.1:$port"

dotnet build src/Closer.Web -c Release -v q -nologo >/dev/null
work=$(mktemp -d)
export ASPNETCORE_ENVIRONMENT=Production DemoData__Enabled=true Site__PublicBaseUrl="http://127.0.0.1:$port"
# As deploy/closer.service runs it.
export MALLOC_ARENA_MAX=2
export ConnectionStrings__Closer="Data Source=$work/bench.db" Email__PickupDirectory="$work/mail"
export ASPNETCORE_URLS="$base" Logging__LogLevel__Default=Warning
export RateLimits__PledgesPerHour=100000000 RateLimits__ImportsPerMinute=100000000 RateLimits__SignInPerMinute=1000
export Forum__PostsPerHour=100000000 Forum__NewAccountDays=0 Forum__DigestEnabled=false
app_dll=bin/Release/net10.0/Closer.Web.dll
(cd src/Closer.Web && echo "mixed load passphrase" | dotnet $app_dll users add --email bench@bench.invalid --role PlatformAdmin --password-stdin >/dev/null)
token=$(cd src/Closer.Web && dotnet $app_dll tokens create --email bench@bench.invalid --name "mixed load" | tail -1)
(cd src/Closer.Web && exec dotnet $app_dll) >"$work/app.log" 2>&1 &
app=$!
trap 'kill $app 2>/dev/null || true; rm -rf "$work"' EXIT
for i in $(seq 1 120); do curl -fs "$base/readyz" >/dev/null && break; sleep 0.5; done

auth=(-H "Authorization: Bearer $token")
space=$(curl -fs "$base/api/v1/forum/spaces" | python3 -c 'import json,sys; d=json.load(sys.stdin); d=d.get("items",d) if isinstance(d,dict) else d; print(next(s["id"] for s in d if s.get("visibility","Public")=="Public"))')
thread=$(curl -fs "${auth[@]}" -H 'Content-Type: application/json' -d '{"title":"Load test thread","body":"Replies written by bench/mixed-load.sh."}' \
  "$base/api/v1/forum/spaces/$space/threads" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
# A pledge form's token counts once (a second post of it is a 409), so every pledge of the run gets its own:
# a pool fetched before the run, 12,000 per minute of load (a quiet 2-core machine sends ~7,500 a minute; one that runs
# out turns the rest of its pledge slots into reads, which the results show as fewer pledges sent).
python3 - "$base" "$duration" "$work/formtokens" <<'PY'
import concurrent.futures, html, http.client, re, sys, urllib.parse
base, duration, path = sys.argv[1], sys.argv[2], sys.argv[3]
seconds = int(duration[:-1]) * {"s": 1, "m": 60, "h": 3600}[duration[-1]] if duration[-1] in "smh" else int(duration)
wanted, host = max(500, seconds * 200), urllib.parse.urlsplit(base).netloc
def fetch(count):
    conn, found = http.client.HTTPConnection(host, timeout=30), []
    for _ in range(count):
        conn.request("GET", "/en/pledge")
        page = conn.getresponse().read().decode()
        token = re.search(r'name="__PledgeToken" value="([^"]*)"', page).group(1)
        found.append(urllib.parse.quote(html.unescape(token), safe=""))
    return found
with concurrent.futures.ThreadPoolExecutor(4) as pool:
    tokens = [t for part in pool.map(fetch, [wanted // 4 + 1] * 4) for t in part]
open(path, "w").write("\n".join(tokens) + "\n")
PY
countries=$(curl -fs "$base/api/v1/countries" | python3 -c 'import json,sys; d=json.load(sys.stdin); d=d.get("items",d) if isinstance(d,dict) else d; print(",".join(c["iso3"] for c in d))')
curl -fs "${auth[@]}" "$base/api/v1/reports?format=csv&pageSize=50&status=Draft" -o "$work/export.csv"
python3 - "$work/export.csv" "$work/import.body" <<'PY'
import sys
csv = open(sys.argv[1], "rb").read()
body = (b"--closerbench\r\nContent-Disposition: form-data; name=\"file\"; filename=\"reports.csv\"\r\n"
        b"Content-Type: text/csv\r\n\r\n" + csv + b"\r\n--closerbench--\r\n")
open(sys.argv[2], "wb").write(body)
PY
# The import is accepted before the run starts (a wrong file would make every import a 422).
curl -sS "${auth[@]}" -H "Content-Type: multipart/form-data; boundary=closerbench" --data-binary "@$work/import.body" "$base/api/v1/reports/import" | tee "$work/first-import.json" | grep -q "\"imported\"" || { echo "the import is refused:"; head -c 2000 "$work/first-import.json"; exit 1; }

count() {
  python3 - "$work/bench.db" "$thread" <<'PY'
import hashlib, sqlite3, sys
db = sqlite3.connect(sys.argv[1], timeout=30)
q = lambda sql, *a: db.execute(sql, a).fetchone()[0]
print(q('SELECT count(*) FROM "CampaignPledges"'), q('SELECT count(*) FROM "ForumPosts" WHERE "ThreadId" = ?', int(sys.argv[2])),
      q('SELECT count(*) FROM "ActivityReports"'),
      hashlib.sha256(q('SELECT group_concat("Id" || ":" || "Status" || ":" || "Total" || ":" || "Version" || ":" || "UpdatedAt") FROM (SELECT * FROM "ActivityReports" ORDER BY "Id")').encode()).hexdigest()[:16])
PY
}
read -r pledges0 posts0 reports0 hash0 < <(count)

out=$(MIX_TOKEN="$token" MIX_THREAD="$thread" MIX_FORMTOKENS="$work/formtokens" MIX_COUNTRIES="$countries" MIX_IMPORT="$work/import.body" \
  wrk -t2 -c32 -d"$duration" --timeout 10s --latency -s bench/mixed.lua "$base/")
sleep 2
read -r pledges1 posts1 reports1 hash1 < <(count)
rss_kb=$(awk '/VmHWM/ {print $2}' /proc/$app/status)
integrity=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('PRAGMA integrity_check').fetchone()[0])" "$work/bench.db")
echo "$out"

mkdir -p bench/results
python3 - "$duration" "$rss_kb" "$pledges0" "$pledges1" "$posts0" "$posts1" "$reports0" "$reports1" "$hash0" "$hash1" "$integrity" >bench/results/mixed-load.md <<PY
import re, sys, os, platform, subprocess, datetime
out = """$out"""
duration, rss, p0, p1, f0, f1, r0, r1, h0, h1, integrity = sys.argv[1:]
def lat(label):
    m = re.search(r"^\s*" + label + r"%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
    v, u = float(m.group(1)), m.group(2)
    return v / 1000 if u == "us" else v * 1000 if u == "s" else v
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
total = int(re.search(r"(\d+) requests in", out).group(1))
non2xx = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0
sock = sum(int(x) for x in m.groups()) if (m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)) else 0
sent = dict(re.findall(r"MIX sent pledges=(\d+) posts=(\d+) imports=(\d+)", out)[0] and zip(["pledges", "posts", "imports"], re.findall(r"MIX sent pledges=(\d+) posts=(\d+) imports=(\d+)", out)[0]))
statuses = ", ".join(f"{c}: {n}" for c, n in sorted(re.findall(r"MIX status (\d+)=(\d+)", out)))
cpu = subprocess.run(["sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"], capture_output=True, text=True).stdout.strip()
ok = lambda b: "yes" if b else "**NO**"
print("# Mixed load with writes\n")
print(f"- date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC")
print(f"- machine: {os.cpu_count()} cores ({cpu}), {platform.system()} {platform.release()}")
print(f"- command: \`bench/mixed-load.sh\` → \`wrk -t2 -c32 -d{duration} --timeout 10s --latency -s bench/mixed.lua\`, app in Release on SQLite, 127.0.0.1")
print("- mix: 80 % reads (home in 3 languages, stories, facts, documents, forum, organisations API, pledge summary), 10 % pledges, 8 % forum replies (API), 2 % imports of a 50-row export (API)\n")
print("| requests | req/s | p50 ms | p99 ms | non-2xx/3xx | socket errors | app peak RSS (VmHWM) |")
print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
print(f"| {total} | {rps:.0f} | {lat('50'):.2f} | {lat('99'):.2f} | {non2xx} | {sock} | {int(rss) / 1024:.0f} MB |\n")
print(f"Statuses seen: {statuses}\n")
# Only pledges answer 302 (post/redirect/get) and only forum replies answer 201, so those counts are what the
# app acknowledged. Nothing lost: stored >= acknowledged; nothing doubled: stored <= sent (a request wrk had
# begun when the run ended may or may not have arrived).
st = dict((int(c), int(n)) for c, n in re.findall(r"MIX status (\d+)=(\d+)", out))
def verdict(sent_n, acked, stored):
    return ok(acked <= stored <= sent_n)
print("| write | sent | acknowledged | stored afterwards | nothing lost, nothing doubled |")
print("| --- | ---: | ---: | ---: | --- |")
print(f"| pledges | {sent['pledges']} | {st.get(302, 0)} | {int(p1) - int(p0)} | {verdict(int(sent['pledges']), st.get(302, 0), int(p1) - int(p0))} |")
print(f"| forum replies | {sent['posts']} | {st.get(201, 0)} | {int(f1) - int(f0)} | {verdict(int(sent['posts']), st.get(201, 0), int(f1) - int(f0))} |")
print(f"| imports (50 identical rows each) | {sent['imports']} | | reports {r0} → {r1}, content {'unchanged' if h0 == h1 else 'CHANGED'} | {ok(r0 == r1 and h0 == h1)} |\n")
print(f"SQLite integrity check afterwards: {integrity}. Targets: errors 0, peak RSS ≤ 300 MB: {ok(non2xx == 0 and sock == 0)} / {ok(int(rss) / 1024 <= 300)}.")
PY
cat bench/results/mixed-load.md
