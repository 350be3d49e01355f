#!/usr/bin/env bash
# Before/after: every benchmark that existed at BASE (a commit) run on BASE and on this tree, one after the other
# in the same run on the same machine, so the comparison does not depend on how busy the machine was on another
# day. Each side runs its own scripts against its own code (a detached worktree of BASE in a temp folder). Writes
# bench/results/compare-BASE.md (compare-BASE-BENCH-….md when benches are named, so a partial run does not overwrite the
# full comparison): the ratio head/base of every figure both sides report, then both sides' tables.
# This tree's own results files (bench/results/<bench>.md) are rewritten by its runs, as a plain rerun would.
#
#   bench/compare.sh [BASE] [bench ...]    default BASE c7b0d85 (before issue 15's move); benches default:
#                                          http campaign-story import dashboard mixed-load kill-import
# Sizes for a bounded run (defaults): MIXED_DURATION=60s, KILLS=5, DASHBOARD_ROWS=1000000, IMPORT_ROWS=100000.
# On a shared machine, run it as root with `nice -n -20` so the benchmarks get the CPU ahead of everything else.
set -euo pipefail
cd "$(dirname "$0")/.."
head_root=$(pwd)
base=${1:-c7b0d85}
shift || true
benches=("$@")
suffix=""
[ ${#benches[@]} -eq 0 ] || suffix="-$(IFS=-; echo "${benches[*]}")"
[ ${#benches[@]} -gt 0 ] || benches=(http campaign-story import dashboard mixed-load kill-import)
base_sha=$(git rev-parse --short "$base")
head_sha=$(git rev-parse --short HEAD)
dirty=$(git status --porcelain --untracked-files=no | grep -v '^ M bench/results/' || true)

work=$(mktemp -d)
base_root="$work/base"
git worktree add -q --detach "$base_root" "$base"
trap 'git -C "$head_root" worktree remove --force "$base_root" 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir -p "$work/out"

run_one() { # side root bench
  local side=$1 root=$2 bench=$3 started log
  log="$work/out/$bench.$side.log"
  started=$(date +%s)
  echo "== $bench on $side ($(date -u +%H:%M:%S))" >&2
  # A run that fails leaves the committed results file as it was: mark it so stale figures are never compared.
  touch -d '2000-01-01' "$root/bench/results/$bench.md" 2>/dev/null || true
  case $bench in
    import) (cd "$root" && timeout 1200 env -u CLOSER_BENCH_POSTGRES dotnet run -c Release --project bench/Closer.Bench -- "${IMPORT_ROWS:-100000}") >"$log" 2>&1 ;;
    dashboard) (cd "$root" && timeout 1200 bench/dashboard.sh "${DASHBOARD_ROWS:-1000000}") >"$log" 2>&1 ;;
    mixed-load) (cd "$root" && BENCH_DURATION=${MIXED_DURATION:-60s} timeout 1200 bench/mixed-load.sh) >"$log" 2>&1 ;;
    kill-import) (cd "$root" && KILLS=${KILLS:-5} timeout 1200 bench/kill-import.sh) >"$log" 2>&1 ;;
    *) (cd "$root" && timeout 1200 "bench/$bench.sh") >"$log" 2>&1 ;;
  esac || echo "   $bench on $side exited $? (log kept in the results)" >&2
  if [ -e "$root/bench/results/$bench.md" ] && [ "$(stat -c %Y "$root/bench/results/$bench.md")" -ge "$started" ]; then
    cp "$root/bench/results/$bench.md" "$work/out/$bench.$side.md"
  else
    { echo "(no new results: the run failed; the end of its output follows)"; echo '```'; tail -20 "$log"; echo '```'; } >"$work/out/$bench.$side.md"
  fi
  echo "$(( $(date +%s) - started ))" >"$work/out/$bench.$side.seconds"
}

for bench in "${benches[@]}"; do
  [ -e "$base_root/bench/$bench.sh" ] || [ "$bench" = import ] || { echo "skip $bench: not in $base_sha" >&2; continue; }
  run_one base "$base_root" "$bench"
  run_one head "$head_root" "$bench"
done

out="bench/results/compare-$base_sha$suffix.md"
python3 - "$work/out" "$base_sha" "$head_sha" "${dirty:+(with uncommitted changes)}" "${benches[@]}" >"$out" <<'PY'
import os, re, sys, subprocess, datetime
folder, base, head, dirty, *benches = sys.argv[1:]
def tables(text):
    """Markdown tables as {first cell: [cells]} plus the header, in order."""
    found, current = [], None
    for line in text.splitlines():
        if line.startswith("|") and line.rstrip().endswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if current is None:
                current = {"header": cells, "rows": {}}
                found.append(current)
            elif not all(re.fullmatch(r":?-+:?", c) for c in cells if c):
                current["rows"].setdefault(cells[0], cells)
        else:
            current = None
    return found
number = re.compile(r"^\*{0,2}(-?[\d,]*\.?\d+)\s*(ms|s|%|MB|MiB|KB|kB|×|x)?\*{0,2}$")
def value(cell):
    m = number.match(cell.replace("\u202f", "").replace(" ", " "))
    return float(m.group(1).replace(",", "")) if m else None
load = os.getloadavg()
cpu = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
print(f"# Before and after: {base} against {head} {dirty}".rstrip())
print()
print(f"- date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC; machine: {cpu} cores; load average at the end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
print(f"- command: `bench/compare.sh {base} {' '.join(benches)}` (each benchmark on {base} then on {head}, back to back)")
print("- ratio = head / base for every numeric figure both sides report in the same row of the same table. Whether")
print("  higher is better depends on the column: req/s, rows/s and % of baseline are better higher; ms, s, MB lower.")
print()
for bench in benches:
    b_path, h_path = (os.path.join(folder, f"{bench}.{side}.md") for side in ("base", "head"))
    if not os.path.exists(b_path):
        continue
    b_text, h_text = open(b_path).read(), open(h_path).read()
    secs = [open(os.path.join(folder, f"{bench}.{s}.seconds")).read().strip() for s in ("base", "head")]
    print(f"## {bench}")
    print()
    print(f"Wall time of the whole benchmark: base {secs[0]} s, head {secs[1]} s.")
    print()
    rows = []
    for bt in tables(b_text):
        for ht in tables(h_text):
            if ht["header"] != bt["header"]:
                continue
            for key, bcells in bt["rows"].items():
                hcells = ht["rows"].get(key)
                if not hcells:
                    continue
                for col, (bc, hc) in enumerate(zip(bcells, hcells)):
                    bv, hv = value(bc), value(hc)
                    if col == 0 or bv is None or hv is None or bv == 0:
                        continue
                    name = bt["header"][col] if col < len(bt["header"]) else str(col)
                    rows.append(f"| {key} | {name} | {bc} | {hc} | {hv / bv:.2f} |")
            break
    if rows:
        print("| row | figure | base | head | head / base |")
        print("| --- | --- | ---: | ---: | ---: |")
        print("\n".join(dict.fromkeys(rows)))
    else:
        print("(no figure in common: the tables differ; both are below)")
    for side, text in (("base", b_text), ("head", h_text)):
        print()
        print(f"<details><summary>{bench} on {base if side == 'base' else head}</summary>")
        print()
        print(text.strip())
        print()
        print("</details>")
    print()
PY
echo "Wrote $out" >&2
