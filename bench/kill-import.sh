#!/usr/bin/env bash
# Fault test: kill -9 the app during a large spreadsheet import, KILLS times (default 20), restarting it each
# time. Every import rewrites the same BENCH_ROWS reports (default 20,000) with a new value, so after each
# restart all of them must carry either the previous value (the import was rolled back) or the new one (it
# committed before the kill) — never a mix — and SQLite's integrity check must pass. Writes
# bench/results/kill-import.md with one line per kill. Run by hand; CI does not run benchmarks.
set -euo pipefail
cd "$(dirname "$0")/.."
port=${BENCH_PORT:-5197}
kills=${KILLS:-20}
rows=${BENCH_ROWS:-20000}
base="http://127.0.0.1:$port"

dotnet build src/Closer.Web -c Release -v q -nologo >/dev/null
work=$(mktemp -d)
export ASPNETCORE_ENVIRONMENT=Production DemoData__Enabled=true Site__PublicBaseUrl="http://127.0.0.1:$port"
export ConnectionStrings__Closer="Data Source=$work/kill.db" Email__PickupDirectory="$work/mail"
export ASPNETCORE_URLS="$base" Logging__LogLevel__Default=Warning RateLimits__ImportsPerMinute=1000
app_dll=bin/Release/net10.0/Closer.Web.dll
(cd src/Closer.Web && echo "kill import passphrase" | dotnet $app_dll users add --email kill@bench.invalid --role PlatformAdmin --password-stdin >/dev/null)
token=$(cd src/Closer.Web && dotnet $app_dll tokens create --email kill@bench.invalid --name "kill test" | tail -1)
app=""
start_app() {
  (cd src/Closer.Web && exec dotnet $app_dll) >>"$work/app.log" 2>&1 &
  app=$!
  for i in $(seq 1 240); do curl -fs "$base/readyz" >/dev/null && return 0; sleep 0.25; done
  echo "the app did not become ready" >&2; tail -50 "$work/app.log" >&2; exit 1
}
trap '[ -n "$app" ] && kill -9 $app 2>/dev/null; rm -rf "$work"' EXIT
start_app

# The file: one organisation's reports across its country's admin1 areas, the plan's indicators, the months of
# the year so far and the population groups — BENCH_ROWS distinct rows (months locked in the demo are dropped).
curl -fs -H "Authorization: Bearer $token" "$base/api/v1/reports/template?format=csv" -o "$work/template.csv"
year=$(sed -n 3p "$work/template.csv" | cut -d, -f7 | cut -d- -f1)
country=$(sed -n 3p "$work/template.csv" | cut -d, -f3)
curl -fs "$base/api/v1/plans/$year" -o "$work/plan.json"
curl -fs "$base/api/v1/countries/$country" -o "$work/country.json"

generate() { # value → $work/import.body
  python3 - "$work" "$rows" "$1" <<'PY'
import csv, io, json, sys
work, rows, value = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
lines = open(f"{work}/template.csv", encoding="utf-8-sig").read().splitlines()
header, hxl, example = lines[0], lines[1], next(csv.reader([lines[2]]))
plan, country = json.load(open(f"{work}/plan.json")), json.load(open(f"{work}/country.json"))
skip = set(open(f"{work}/skip.txt").read().split()) if __import__("os").path.exists(f"{work}/skip.txt") else set()
last_month = int(example[6].split("-")[1]); year = example[6].split("-")[0]
out = io.StringIO(); w = csv.writer(out, lineterminator="\n")
out.write(header + "\n" + hxl + "\n")
n = 0
for month in [f"{year}-{m:02d}" for m in range(last_month, 0, -1)]:
    if month in skip: continue
    for ind in plan["indicators"]:
        for a in country["admin1"]:
            for group in ["destination", "transit", "pendular", "returnees", "host"]:
                if n == rows: break
                girls, boys, women, men = value, 3, 5, 7
                w.writerow([example[0], "", example[2], a["pCode"], ind["sector"], ind["code"], month, group,
                            girls, boys, women, men, 0, girls + boys + women + men, "", "no", ""])
                n += 1
body = (b"--closerkill\r\nContent-Disposition: form-data; name=\"file\"; filename=\"reports.csv\"\r\n"
        b"Content-Type: text/csv\r\n\r\n" + out.getvalue().encode() + b"\r\n--closerkill--\r\n")
open(f"{work}/import.body", "wb").write(body)
open(f"{work}/keys.json", "w").write(json.dumps({"org": example[0], "country": example[2], "rows": n}))
PY
}
import() { # → prints HTTP status; body in $work/response.json
  curl -s -o "$work/response.json" -w '%{http_code}' -H "Authorization: Bearer $token" \
    -H 'Content-Type: multipart/form-data; boundary=closerkill' --data-binary "@$work/import.body" "$base/api/v1/reports/import" || true
}

# Months the demo locked for this country refuse imports: find them once and leave them out.
generate 1
status=$(import)
if [ "$status" = 422 ]; then
  python3 - "$work" <<'PY'
import json, sys, csv
work = sys.argv[1]
errors = json.load(open(f"{work}/response.json"))["errors"]
lines = open(f"{work}/import.body", encoding="utf-8", errors="replace").read().split("\r\n\r\n", 1)[1].splitlines()
months = {next(csv.reader([lines[e["row"] - 1]]))[6] for e in errors if e["column"] == "month"}
open(f"{work}/skip.txt", "w").write("\n".join(sorted(months)))
print("left out locked months:", ", ".join(sorted(months)) or "none", file=sys.stderr)
PY
  generate 1
  status=$(import)
fi
[ "$status" = 200 ] || { echo "the first import failed ($status):"; head -c 1500 "$work/response.json"; exit 1; }
count=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["rows"])' "$work/keys.json")

# How long a full rewrite takes when nobody kills it: the kills land at random moments inside that span.
generate 2
t0=$(date +%s.%N); status=$(import); t1=$(date +%s.%N)
[ "$status" = 200 ] || { echo "the timing import failed ($status)"; exit 1; }
full=$(python3 -c "print(round($t1 - $t0, 2))")

check() { # prints "<integrity> <value or MIXED:...>"
  python3 - "$work/kill.db" "$work/keys.json" <<'PY'
import json, sqlite3, sys
keys = json.load(open(sys.argv[2]))
db = sqlite3.connect(sys.argv[1], timeout=60)
integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
values = db.execute('''SELECT r."Girls", count(*) FROM "ActivityReports" r JOIN "Organisations" o ON o."Id" = r."OrganisationId"
                       WHERE o."Acronym" = ? AND r."CountryIso3" = ? AND r."Boys" = 3 AND r."Women" = 5 AND r."Men" = 7
                       GROUP BY r."Girls"''', (keys["org"], keys["country"])).fetchall()
total = sum(c for _, c in values)
state = str(values[0][0]) if len(values) == 1 and total == keys["rows"] else "MIXED:" + ";".join(f"{v}x{c}" for v, c in values)
print(integrity.replace(" ", "_"), state)
PY
}

results="$work/kills.tsv"
value=2
for k in $(seq 1 "$kills"); do
  next=$((value + 1))
  generate "$next"
  delay=$(python3 -c "import random; print(round(random.uniform(0.05, max(0.1, $full * 0.95)), 2))")
  (import >/dev/null) &
  uploader=$!
  sleep "$delay"
  kill -9 "$app"; wait "$app" 2>/dev/null || true
  wait "$uploader" 2>/dev/null || true
  start_app
  read -r integrity state < <(check)
  outcome=$([ "$state" = "$value" ] && echo "rolled back" || ([ "$state" = "$next" ] && echo "committed" || echo "PARTIAL"))
  [ "$state" = "$next" ] && value=$next
  # A rolled-back import is simply sent again, as a partner would; it must now go through whole.
  if [ "$outcome" = "rolled back" ]; then
    status=$(import); [ "$status" = 200 ] && value=$next
  fi
  printf '%s\t%s\t%s\t%s\n' "$k" "$delay" "$integrity" "$outcome" | tee -a "$results"
done

mkdir -p bench/results
python3 - "$results" "$count" "$full" "$kills" >bench/results/kill-import.md <<'PY'
import sys, os, platform, subprocess, datetime
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
count, full, kills = sys.argv[2], sys.argv[3], sys.argv[4]
cpu = subprocess.run(["sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"], capture_output=True, text=True).stdout.strip()
partial = sum(1 for r in rows if r[3] == "PARTIAL"); bad = sum(1 for r in rows if r[2] != "ok")
print("# kill -9 during a large import\n")
print(f"- date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC")
print(f"- machine: {os.cpu_count()} cores ({cpu}), {platform.system()} {platform.release()}")
print(f"- command: `KILLS={kills} bench/kill-import.sh` — app in Release on SQLite; each round imports {count} rows (CSV, API) that rewrite the same reports, kills the app with SIGKILL at a random moment within the time an uninterrupted import takes ({full} s), restarts it and checks the database")
print(f"- result: **{partial} partial imports, {bad} failed integrity checks in {len(rows)} kills** "
      f"({sum(1 for r in rows if r[3] == 'rolled back')} rolled back, {sum(1 for r in rows if r[3] == 'committed')} committed before the kill)\n")
print("| kill | after (s) | PRAGMA integrity_check | the import |")
print("| ---: | ---: | --- | --- |")
for k, delay, integrity, outcome in rows:
    print(f"| {k} | {delay} | {integrity} | {outcome} |")
PY
cat bench/results/kill-import.md
