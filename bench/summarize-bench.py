#!/usr/bin/env python3
"""Summarize a bench/run.sh run: RESULTS/bench.md and the PNG plots.

    summarize-bench.py RESULTS_DIR CPUS SIZE_MB MACHINE

MACHINE says where it ran, e.g. "QEMU TCG on 2 cores (...), XFS on brd".

Reads RESULTS_DIR/bench.csv and series.csv.  Throughput is end to end:
bytes fio read and wrote over fio's time plus the final sync.  The drain
figure is the final sync alone (the page cache filled above the limits).
Every ratio is taken inside one repetition (the configurations of a
repetition ran back to back) and then reported as the median over the
repetitions, with min..max.
"""
import csv
import datetime
import os
import statistics
import subprocess
import tempfile
import sys
from collections import defaultdict

ORDER = ["stock", "direct", "direct-wbext", "nr1", "default"]
NOT_POLICIES = ("stock", "direct", "direct-wbext", "nr1")
WORKLOADS = ["rand4k", "v3", "seq1m", "smallfiles", "mixed", "drain", "cgrand4k",
             "cgdrain"]


def med(xs):
    return statistics.median(xs) if xs else float("nan")


def spread(xs, fmt):
    if not xs:
        return "n/a"
    if len(xs) == 1:
        return fmt % xs[0]
    return (fmt + " (" + fmt + ".." + fmt + ")") % (med(xs), min(xs), max(xs))


def num(s):
    try:
        return float(s)
    except ValueError:
        return None


def main():
    out, cpus, size, machine = sys.argv[1:5]
    runs = list(csv.DictReader(open(os.path.join(out, "bench.csv"))))
    if not runs:
        sys.exit("summarize-bench: no runs in %s/bench.csv" % out)
    by = {}
    for r in runs:
        rep, c, w = int(r["rep"]), r["config"], r["workload"]
        fio_s, sync_s = float(r["fio_s"]), float(r["sync_s"])
        mib = (float(r["read_kib"]) + float(r["write_kib"])) / 1024
        files, ext = int(r["files"]), int(r["extents"])
        by[(rep, c, w)] = {
            "tput": mib / (sync_s if w.endswith("drain") else fio_s + sync_s),
            "secs": sync_s if w.endswith("drain") else fio_s + sync_s,
            "fio": fio_s, "sync": sync_s,
            "cpu": num(r["wb_cpu_s"]), "pauses": num(r["pauses"]),
            "pause_s": num(r["pause_s"]),
            "epf": ext / files if files else None,
            # writeback CPU per GiB written: what a page of writeback costs
            "cpu_gib": (num(r["wb_cpu_s"]) / (float(r["write_kib"]) / 2**20)
                        if num(r["wb_cpu_s"]) is not None
                        and float(r["write_kib"]) else None),
            "shards": num(r.get("shards") or "na"),
            "top": num(r.get("top_shard_pct") or "na"),
        }
    reps = sorted({k[0] for k in by})
    configs = sorted({k[1] for k in by},
                     key=lambda c: (ORDER.index(c) if c in ORDER else 9, c))
    workloads = [w for w in WORKLOADS if any(k[2] == w for k in by)]

    def vals(c, w, f):
        return [by[(r, c, w)][f] for r in reps
                if (r, c, w) in by and by[(r, c, w)][f] is not None]

    def ratios(c, base, w, f="tput"):
        return [by[(r, c, w)][f] / by[(r, base, w)][f] for r in reps
                if (r, c, w) in by and (r, base, w) in by
                and by[(r, base, w)][f]]

    L = []
    L.append("# wbext benchmark: %s" % datetime.date.today().isoformat())
    L.append("")
    L.append("%s CPUs, %s; %s MiB per run, %d repetition(s); median "
             "(min..max) over repetitions, every ratio taken inside one "
             "repetition.  Data: `bench.csv` (one line per run), "
             "`series.csv` (bandwidth over time)." %
             (cpus, machine, size, len(reps)))
    L.append("")

    # Goals
    def goal(name, xs, target, ok):
        if not xs:
            return "| %s | %s | not measured | |" % (name, target)
        m = med(xs)
        return "| %s | %s | %s | %s |" % (name, target, spread(xs, "%.2fx"),
                                          "met" if ok(m) else "**not met**")
    L.append("## Goals")
    L.append("")
    L.append("| goal | target | measured (median, min..max) | |")
    L.append("| --- | --- | --- | --- |")
    L.append(goal("drain, default vs stock", ratios("default", "stock", "drain"),
                  ">= 1.9x", lambda m: m >= 1.9))
    L.append(goal("drain from a child cgroup, default vs stock",
                  ratios("default", "stock", "cgdrain"), ">= 1.9x",
                  lambda m: m >= 1.9))
    L.append(goal("rand4k end to end, default vs stock",
                  ratios("default", "stock", "rand4k"), ">= 1.10x",
                  lambda m: m >= 1.10))
    L.append(goal("nr_wb_ctx=1 vs stock, rand4k end to end (noise)",
                  ratios("nr1", "stock", "rand4k"), "0.9x..1.1x",
                  lambda m: 0.9 <= m <= 1.1))
    seq = [(med(ratios(c, "stock", "seq1m")), c) for c in configs
           if c not in NOT_POLICIES and ratios(c, "stock", "seq1m")]
    if seq:
        best = max(seq)[1]
        L.append(goal("seq1m, best of default and the policies (%s) vs stock" % best,
                      ratios(best, "stock", "seq1m"), ">= 0.95x",
                      lambda m: m >= 0.95))
    for w in workloads:
        e = ratios("default", "stock", w, "epf")
        if e:
            L.append(goal("extents per file, %s, default vs stock" % w, e,
                          "<= 1.10x", lambda m: m <= 1.10))
    L.append("")
    L.append("What a loaded policy itself costs is below this machine's noise; "
             "`make bench-overhead` measures it (`overhead.md`: the programs' "
             "own run time).")
    L.append("")

    # Every configuration, all workloads at once, against stock (the ratio
    # carries the two boots' speed difference, see the boot speed check)
    # and against nr1, the patched kernel's one-shard path in the same boot.
    for base, title in (("stock", "Throughput vs stock, every workload"),
                        ("nr1", "Throughput vs nr_wb_ctx=1 in the same boot")):
        if base not in configs:
            continue
        L.append("## " + title)
        L.append("")
        L.append("| config | " + " | ".join(workloads) + " |")
        L.append("| --- |" + " --- |" * len(workloads))
        for c in configs:
            if c == base or (base == "nr1" and c in ("stock", "direct")):
                continue
            L.append("| %s | %s |" % (c, " | ".join(
                spread(ratios(c, base, w), "%.2fx") if ratios(c, base, w)
                else "" for w in workloads)))
        L.append("")

    # The two kernels boot separately: direct I/O, which writeback does not
    # touch, tells whether one boot of a repetition ran slower than the other.
    if "direct-wbext" in configs:
        L.append("## Boot speed check")
        L.append("")
        L.append("Direct I/O time on the patched kernel's boot / on the stock "
                 "kernel's boot, per repetition: writeback is not involved, so "
                 "a value away from 1.00 is the machine (TCG, the host) "
                 "running one boot slower, and every cross-kernel ratio of "
                 "that repetition carries it.")
        L.append("")
        L.append("| workload | " + " | ".join("rep %d" % r for r in reps) + " |")
        L.append("| --- |" + " --- |" * len(reps))
        for w in workloads:
            if w.endswith("drain"):
                continue
            row = []
            for r in reps:
                a, b = by.get((r, "direct-wbext", w)), by.get((r, "direct", w))
                row.append("%.2f" % (a["secs"] / b["secs"]) if a and b else "")
            L.append("| %s | %s |" % (w, " | ".join(row)))
        L.append("")

    # Per workload
    for w in workloads:
        drain = w.endswith("drain")
        L.append("## %s" % w)
        L.append("")
        L.append("| config | %s | vs stock | vs direct | fio s | sync s "
                 "(writeback completion) | writeback CPU s | CPU s per GiB "
                 "| throttle pauses (count / s) | extents per file | shards "
                 "used (busiest %%) |" %
                 ("drain MiB/s" if drain else "end-to-end MiB/s"))
        L.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- "
                 "| --- |")
        for c in configs:
            t = vals(c, w, "tput")
            if not t:
                continue
            # direct I/O of the same boot: immune to the boots' speed
            same = "direct-wbext" if c not in ("stock", "direct") and \
                "direct-wbext" in configs else "direct"
            vd = ratios(c, same, w) if not drain else []
            sh = vals(c, w, "shards")
            L.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s / %s | %s "
                     "| %s |" % (
                c, spread(t, "%.0f"), spread(ratios(c, "stock", w), "%.2fx"),
                spread(vd, "%.2fx") if vd else "",
                spread(vals(c, w, "fio"), "%.2f"),
                spread(vals(c, w, "sync"), "%.2f"),
                spread(vals(c, w, "cpu"), "%.2f"),
                spread(vals(c, w, "cpu_gib"), "%.2f"),
                spread(vals(c, w, "pauses"), "%.0f"),
                spread(vals(c, w, "pause_s"), "%.1f"),
                spread(vals(c, w, "epf"), "%.2f"),
                "%s (%s)" % (spread(sh, "%g"),
                             spread(vals(c, w, "top"), "%g"))
                if sh else "n/a"))
        L.append("")
    L.append("vs direct: against direct I/O on the same kernel's boot "
             "(`direct` for the stock kernel, `direct-wbext` for the patched "
             "one), so that it does not carry the boots' speed difference.")
    L.append("")
    L.append("Plots: `throughput.png` (median per configuration and "
             "workload), `extents.png`, `bw-WORKLOAD.png` (bandwidth over time, "
             "repetition %d)." % reps[0])
    open(os.path.join(out, "bench.md"), "w").write("\n".join(L) + "\n")
    print("\n".join(L))
    plots(out, by, reps, configs, workloads)


def plots(out, by, reps, configs, workloads):
    with tempfile.TemporaryDirectory() as tmp:
        plot_in(tmp, out, by, reps, configs, workloads)


def plot_in(tmp, out, by, reps, configs, workloads):
    gp = ['set terminal pngcairo size 1000,560 font ",10"',
          'set datafile separator ","', 'set grid ytics',
          'set key outside right top']
    # twelve distinguishable colours: gnuplot's default cycle repeats after 8
    for i, c in enumerate(["#000000", "#2ca02c", "#98df8a", "#ff7f0e",
                           "#1f77b4", "#d62728", "#9467bd", "#8c564b",
                           "#e377c2", "#17becf", "#bcbd22", "#7f7f7f"]):
        gp.append('set linetype %d lc rgb "%s" lw 2' % (i + 1, c))
    # throughput and extents: clustered histograms, workloads x configs
    for fig, field, ylabel in (("throughput", "tput", "MiB/s (median)"),
                               ("extents", "epf", "extents per file (median)")):
        path = os.path.join(tmp, fig + ".csv")
        with open(path, "w") as f:
            f.write("workload," + ",".join(configs) + "\n")
            for w in workloads:
                row = []
                for c in configs:
                    xs = [by[(r, c, w)][field] for r in reps if (r, c, w) in by
                          and by[(r, c, w)][field] is not None]
                    row.append("%.3f" % med(xs) if xs else "")
                f.write(w + "," + ",".join(row) + "\n")
        gp += ['set output "%s"' % os.path.join(out, fig + ".png"),
               'set title "%s"' % ylabel, 'set ylabel "%s"' % ylabel,
               'set style data histogram', 'set style histogram cluster gap 1',
               'set style fill solid 0.8 border -1', 'set xtics nomirror',
               'set yrange [0:*]',
               'plot for [i=2:%d] "%s" using i:xtic(1) title columnhead(i)'
               % (len(configs) + 1, path)]
    # bandwidth over time, first repetition, one line per configuration
    series = list(csv.DictReader(open(os.path.join(out, "series.csv"))))
    col = "dev_mibps" if any(float(s["dev_mibps"]) > 0 for s in series) \
        else "wb_done_mibps"
    src = ("/proc/diskstats sectors written" if col == "dev_mibps" else
           "pages whose writeback completed (/proc/vmstat nr_written; "
           "brd has no I/O accounting)")
    gp += ['set style data lines', 'unset style', 'set yrange [0:*]']
    for w in workloads:
        files = []
        for c in configs:
            if c.startswith("direct") and col == "wb_done_mibps":
                continue	# no writeback, and brd counts no device I/O
            pts = [s for s in series if s["workload"] == w and s["config"] == c
                   and int(s["rep"]) == reps[0]]
            if not pts:
                continue
            # drain: the figure is the sync, so its start is time zero
            t0 = by[(reps[0], c, w)]["fio"] if w.endswith("drain") and \
                (reps[0], c, w) in by else 0
            path = os.path.join(tmp, "bw-%s-%s.csv" % (w, c))
            with open(path, "w") as f:
                for s in pts:
                    if float(s["t_s"]) >= t0 - 1:
                        f.write("%.3f,%s\n" % (float(s["t_s"]) - t0, s[col]))
            files.append((c, path))
        if not files:
            continue
        gp += ['set xlabel "seconds since %s"' % (
                   "the final sync started" if w.endswith("drain") else
                   "the workload started"),
               'set output "%s"' % os.path.join(out, "bw-%s.png" % w),
               'set title "%s: write bandwidth over time (%s)" noenhanced' % (w, src),
               'set ylabel "MiB/s"',
               'plot ' + ", ".join('"%s" using 1:2 with lines lt %d title "%s"'
                                   % (p, configs.index(c) + 1, c)
                                   for c, p in files)]
    try:
        subprocess.run(["gnuplot"], input="\n".join(gp) + "\n", text=True,
                       check=True)
    except (OSError, subprocess.CalledProcessError) as e:
        print("summarize-bench: gnuplot failed (%s); no plots (make deps "
              "installs gnuplot-nox)" % e, file=sys.stderr)


if __name__ == "__main__":
    main()
