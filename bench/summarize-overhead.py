#!/usr/bin/env python3
"""Summarize bench/results/overhead.csv: per-pair ratios policy/default."""
import csv, statistics, sys

path, cpus, size = sys.argv[1], sys.argv[2], sys.argv[3]
progs = sys.argv[4] if len(sys.argv) > 4 else None
nr_shards = sys.argv[5] if len(sys.argv) > 5 and sys.argv[5] != "0" else "the default number of"
# data each workload writes (overhead-guest.sh): rand4k SIZE_MB, files a
# quarter of it (SIZE_MB * 64 / 4 files of 16 KiB)
gib = {"rand4k": float(size) / 1024, "files": float(size) / 4 / 1024}
runs = {}
for r in csv.DictReader(open(path)):
    runs.setdefault(r["workload"], {}).setdefault((r["boot"], r["pair"]), {})[r["config"]] = float(r["seconds"])
print(f"# Overhead of a loaded wb_ext_ops policy: {cpus} vCPUs, {nr_shards} shards, XFS on brd, {size} MiB\n")
print("default: no policy (kernel round robin). policy: `wbext_test -m rr`, the same")
print("round robin in BPF, every throttle callback returning the kernel's value.\n")
print("| workload | pairs | default median s | policy median s | policy/default per pair: median (min..max) |")
print("| --- | --- | --- | --- | --- |")
for w, pairs in runs.items():
    pairs = [p for p in pairs.values() if "default" in p and "policy" in p]
    d = [p["default"] for p in pairs]
    o = [p["policy"] for p in pairs]
    ratios = [p["policy"] / p["default"] for p in pairs]
    print(f"| {w} | {len(pairs)} | {statistics.median(d):.2f} | {statistics.median(o):.2f} | "
          f"{statistics.median(ratios):.3f} ({min(ratios):.3f}..{max(ratios):.3f}) |")
print("\nA ratio above 1 means the policy was slower; pairs ran back to back in one boot, ABBA order.")

if progs:
    per = {}
    for r in csv.DictReader(open(progs)):
        per.setdefault((r["boot"], r["workload"]), []).append(r)
    print("\nThe policy's programs' own run time (kernel.bpf_stats_enabled=1), one run per workload:\n")
    print("| workload | run s | program | calls | ns per call | share of the run |")
    print("| --- | --- | --- | --- | --- | --- |")
    for (b, w), rows in per.items():
        wall = sum(float(r["run_time_ns"]) for r in rows if r["prog"] == "run")
        total = 0
        for r in rows:
            if r["prog"] == "run":
                continue
            t, c = float(r["run_time_ns"]), int(float(r["run_cnt"]))
            total += t
            share = f"{100 * t / wall:.4f} %" if wall else "-"
            print(f"| {w} | {wall / 1e9:.2f} | {r['prog']} | {c} | {t / c if c else 0:.0f} | {share} |")
        if wall:
            print(f"| {w} | {wall / 1e9:.2f} | all | | | {100 * total / wall:.4f} % |")
            print(f"| {w} | {wall / 1e9:.2f} | all, per GiB written | | {total / gib.get(w, float(size) / 1024):.0f} ns | |")
    print("\nRun time of the BPF programs only (not the trampoline or the hook's checks);")
    print("under TCG every instruction is emulated, so on hardware it is smaller still.")
