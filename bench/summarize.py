#!/usr/bin/env python3
"""Summarize bench/results/contexts.csv: median, spread, ratio to stock."""
import csv, statistics, sys

path, cpus, size = sys.argv[1], sys.argv[2], sys.argv[3]
rows = list(csv.DictReader(open(path)))
figs = {}
for r in rows:
    figs.setdefault(r["figure"], {}).setdefault(r["config"], []).append(float(r["seconds"]))
print(f"# Writeback contexts: {cpus} vCPUs, XFS on brd, {size} MiB of 4k random buffered writes\n")
print("| figure | config | runs | median s | min..max s | speed vs stock |")
print("| --- | --- | --- | --- | --- | --- |")
for fig, confs in figs.items():
    base = statistics.median(confs["stock"]) if "stock" in confs else None
    for conf, v in confs.items():
        med = statistics.median(v)
        ratio = f"{base / med:.2f}x" if base else "-"
        print(f"| {fig} | {conf} | {len(v)} | {med:.2f} | {min(v):.2f}..{max(v):.2f} | {ratio} |")
print("\nspeed vs stock = stock median time / config median time (higher is better).")
