#!/usr/bin/env python3
"""Merges translation tables into src/Closer.Web/Resources/{area}.{lang}.json.

Usage: tools/strings.py AREA table.py [table.py ...]
A table is a Python file defining T = {"English text": ("español", "português", "papiamentu"), ...}.
Existing entries of the area are kept; new ones are added; files are written sorted by key.
"""
import json, sys, runpy, pathlib
res = pathlib.Path(__file__).resolve().parent.parent / "src/Closer.Web/Resources"
langs = ["en", "es", "pt", "pap"]
area = sys.argv[1]
def load(l):
    p = res / f"{area}.{l}.json"
    return json.loads(p.read_text(encoding="utf-8")) if p.exists() else {}
tables = {l: load(l) for l in langs}
for f in sys.argv[2:]:
    for en, (es, pt, pap) in runpy.run_path(f)["T"].items():
        for l, v in zip(langs, (en, es, pt, pap)):
            tables[l][en] = v
for l in langs:
    (res / f"{area}.{l}.json").write_text(json.dumps(dict(sorted(tables[l].items())), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
print(area, {l: len(t) for l, t in tables.items()})
