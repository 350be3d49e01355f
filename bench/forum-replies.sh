#!/usr/bin/env bash
# Forum replies in one long thread (issue 15's mixed-load regression): the app in Release on SQLite, one client posting
# N replies (default 1,500) to one thread through the API, one after the other. A reply must cost the same whatever the
# thread's length: the ratio of the last 100 replies' median to the first 100's is the figure (the baseline is the
# same run's first block, so a busy machine moves both). Writes bench/results/forum-replies.md.
#
#   bench/forum-replies.sh [replies]     BENCH_PORT (default 5301)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1500}
port=${BENCH_PORT:-5301}
root=$(pwd)
dotnet build src/Closer.Web -c Release -v q -nologo >/dev/null
work=$(mktemp -d)
export ASPNETCORE_ENVIRONMENT=Production DemoData__Enabled=true Site__PublicBaseUrl="http://127.0.0.1:$port" MALLOC_ARENA_MAX=2
export ConnectionStrings__Closer="Data Source=$work/bench.db" Email__PickupDirectory="$work/mail" ASPNETCORE_URLS="http://127.0.0.1:$port"
export Logging__LogLevel__Default=Warning Forum__PostsPerHour=100000000 Forum__NewAccountDays=0 Forum__DigestEnabled=false
dll=bin/Release/net10.0/Closer.Web.dll
cd src/Closer.Web
echo "forum replies passphrase" | dotnet $dll users add --email replies@bench.invalid --role PlatformAdmin --password-stdin >/dev/null
token=$(dotnet $dll tokens create --email replies@bench.invalid --name "forum replies" | tail -1)
dotnet $dll >"$work/app.log" 2>&1 &
app=$!
trap 'kill $app 2>/dev/null || true; rm -rf "$work"' EXIT
for i in $(seq 1 900); do curl -fs "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.5; done
cd "$root"
mkdir -p bench/results
python3 - "$port" "$token" "$n" "$(git rev-parse --short HEAD)" >bench/results/forum-replies.md <<'PY'
import datetime, http.client, json, os, sys, time
port, token, n, commit = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4]
c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
h = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}
c.request("GET", "/api/v1/forum/spaces"); d = json.loads(c.getresponse().read()); d = d.get("items", d) if isinstance(d, dict) else d
space = next(s["id"] for s in d if s.get("visibility", "Public") == "Public")
c.request("POST", f"/api/v1/forum/spaces/{space}/threads", json.dumps({"title": "Long thread", "body": "Replies written by bench/forum-replies.sh."}), h)
thread = json.loads(c.getresponse().read())["id"]
blocks, block = [], []
for i in range(n):
    t = time.perf_counter()
    c.request("POST", f"/api/v1/forum/threads/{thread}/posts", json.dumps({"body": f"Reply {i} about shelter coordination in the border towns."}), h)
    r = c.getresponse(); r.read()
    if r.status != 201:
        sys.exit(f"reply {i}: HTTP {r.status}")
    block.append((time.perf_counter() - t) * 1000)
    if len(block) == 100:
        block.sort(); blocks.append(block[50]); block = []
print("# Forum replies in one long thread\n")
print(f"- date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC, commit {commit}, {os.cpu_count()} cores, load average at the end {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
print(f"- command: `bench/forum-replies.sh {n}`: {n} replies to one thread through the API, one at a time, app in Release on SQLite")
print("- target: the last 100 replies cost no more than 1.5x the first 100 (a reply costs the same in a long thread)\n")
print("| replies | median ms |\n| ---: | ---: |")
for k, m in enumerate(blocks):
    print(f"| {k * 100 + 1}-{(k + 1) * 100} | {m:.1f} |")
ratio = blocks[-1] / blocks[0]
print(f"\nLast block / first block: **{ratio:.2f}** ({'met' if ratio <= 1.5 else 'NOT met'}).")
PY
cat bench/results/forum-replies.md
