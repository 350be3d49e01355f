#!/usr/bin/env python3
"""Merges translation tables into src/Closer.Web/Resources/{area}.{lang}.json.

Usage: tools/strings.py AREA table.py [table.py ...] [--drop "English key" ...]
A table is a Python file defining T = {"English text": ("español", "português", "papiamentu"), ...}.
A counted phrase (t.Plural(n, one, other)) is keyed by its English "other" form and gives four dicts of
CLDR plural forms, English first: T = {"{0} replies": ({"one": "{0} reply"},
  {"one": "{0} respuesta", "other": "{0} respuestas"}, {"one": "{0} resposta", "other": "{0} respostas"},
  {"one": "{0} kontesta", "other": "{0} kontesta"})}; English "other" defaults to the key. Forms are
written in CLDR order (zero, one, two, few, many, other); Spanish and Portuguese may add "many".
Existing entries of the area are kept; new ones are added (or replace the old); --drop removes keys no
longer used; files are written sorted by key.
"""
import json, sys, runpy, pathlib
res = pathlib.Path(__file__).resolve().parent.parent / "src/Closer.Web/Resources"
langs = ["en", "es", "pt", "pap"]
categories = ["zero", "one", "two", "few", "many", "other"]
args = sys.argv[1:]
drop = [args[i + 1] for i, a in enumerate(args) if a == "--drop"]
args = [a for i, a in enumerate(args) if a != "--drop" and (i == 0 or args[i - 1] != "--drop")]
area = args[0]
def load(l):
    p = res / f"{area}.{l}.json"
    return json.loads(p.read_text(encoding="utf-8")) if p.exists() else {}
def forms(d, key):
    unknown = set(d) - set(categories)
    if unknown or "other" not in d:
        sys.exit(f"{key}: plural forms must be CLDR categories with 'other' ({sorted(d)})")
    return {c: d[c] for c in categories if c in d}
tables = {l: load(l) for l in langs}
for f in args[1:]:
    for en, entry in runpy.run_path(f)["T"].items():
        if len(entry) == 4 and all(isinstance(e, dict) for e in entry):
            values = [forms({"other": en, **entry[0]}, en)] + [forms(e, en) for e in entry[1:]]
        elif len(entry) == 3 and all(isinstance(e, str) for e in entry):
            values = [en, *entry]
        else:
            sys.exit(f"{en}: give three translations, or four dicts of plural forms")
        for l, v in zip(langs, values):
            tables[l][en] = v
for key in drop:
    for l in langs:
        tables[l].pop(key, None)
for l in langs:
    (res / f"{area}.{l}.json").write_text(json.dumps(dict(sorted(tables[l].items())), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
print(area, {l: len(t) for l, t in tables.items()})
