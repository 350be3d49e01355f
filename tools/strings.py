#!/usr/bin/env python3
"""Merges translation tables (python files defining T = {english: (es, pt, pap)}) into Resources/strings.*.json.
Usage: tools/strings.py table.py [table.py ...]   (existing entries are kept; new ones added, sorted by key)."""
import json, sys, runpy, pathlib
res = pathlib.Path(__file__).resolve().parent.parent / "src/Closer.Web/Resources"
langs = ["en", "es", "pt", "pap"]
tables = {l: json.loads((res / f"strings.{l}.json").read_text(encoding="utf-8")) for l in langs}
for f in sys.argv[1:]:
    for en, (es, pt, pap) in runpy.run_path(f)["T"].items():
        for l, v in zip(langs, (en, es, pt, pap)):
            tables[l][en] = v
for l in langs:
    (res / f"strings.{l}.json").write_text(json.dumps(dict(sorted(tables[l].items())), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
print({l: len(t) for l, t in tables.items()})
