#!/usr/bin/env python3
"""Summarize a bench/run.sh run: RESULTS/bench.md and the PNG plots.

    summarize-bench.py RESULTS_DIR CPUS SIZE_MB MACHINE

MACHINE says where it ran, e.g. "QEMU TCG on 2 cores (...), XFS on brd".

Reads RESULTS_DIR/bench.csv and series.csv (and RESULTS_DIR/seed, the
order's seed, if there).  Every figure is taken per run: fill (fio's
time), sync (the final sync), fill + sync, throughput (bytes over fill +
sync; drain: over the sync alone), extents per file, writeback CPU
seconds per GiB written.  A ratio is taken inside one repetition and
reported as the median over the repetitions, with min..max, beside its
noise floor, the same ratio between two runs of one configuration:
  - in one boot: nr1b / nr1 (nr_wb_shards=1 twice), for a configuration
    against nr1: only wbext can change the shard count in a boot;
  - across boots: stock2 / stock (the stock kernel booted twice), for a
    configuration against stock.
A ratio is a gain or a loss (a cost: more, less) only when its whole
range clears the floor's, and only with at least MIN_REPS repetitions.
"""
import csv
import datetime
import os
import statistics
import subprocess
import tempfile
import sys

ORDER = ["stock", "stock2", "direct", "direct-wbext", "nr1", "nr1b", "default"]
NOT_POLICIES = ("stock", "stock2", "direct", "direct-wbext", "nr1", "nr1b")
WORKLOADS = ["rand4k", "v3", "seq1m", "smallfiles", "mixed", "drain", "cgrand4k",
             "cgdrain"]
MIN_REPS = 5
# the figures: key, what, which way is better ("hi" or "lo")
FIGURES = [
    ("tput", "throughput (MiB/s; drain: over the sync alone)", "hi"),
    ("secs", "fill + sync (s)", "lo"),
    ("fill", "fill (s, fio's run)", "lo"),
    ("sync", "sync (s, the final sync)", "lo"),
    ("epf", "extents per file", "lo"),
    ("cpu_gib", "writeback CPU s per GiB written", "lo"),
]
# base: its A/A partner, and how the pair is labelled
FLOORS = {"nr1": ("nr1b", "in one boot: nr1b / nr1"),
          "stock": ("stock2", "across boots: stock2 / stock")}


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
    except (TypeError, ValueError):
        return None


def verdict(xs, floor, better):
    """What a range of ratios says against its floor's range."""
    if not xs:
        return ""
    if not floor:
        return "no floor"
    if len(xs) < MIN_REPS or len(floor) < MIN_REPS:
        return "n=%d < %d" % (min(len(xs), len(floor)), MIN_REPS)
    lo, hi = min(floor), max(floor)
    if min(xs) > hi:
        return "**gain**" if better == "hi" else "**more**"
    if max(xs) < lo:
        return "**loss**" if better == "hi" else "**less**"
    return "noise"


def load(out):
    runs = list(csv.DictReader(open(os.path.join(out, "bench.csv"))))
    if not runs:
        sys.exit("summarize-bench: no runs in %s/bench.csv" % out)
    by = {}
    for r in runs:
        rep, c, w = int(r["rep"]), r["config"], r["workload"]
        fio_s, sync_s = float(r["fio_s"]), float(r["sync_s"])
        mib = (float(r["read_kib"]) + float(r["write_kib"])) / 1024
        files, ext = int(r["files"]), int(r["extents"])
        cpu, wgib = num(r["wb_cpu_s"]), float(r["write_kib"]) / 2**20
        timed = sync_s if w.endswith("drain") else fio_s + sync_s
        by[(rep, c, w)] = {
            # /proc/uptime counts in 10 ms: a sync can read 0 s
            "tput": mib / timed if timed else None,
            "secs": fio_s + sync_s, "fill": fio_s, "sync": sync_s,
            "cpu": cpu, "pauses": num(r["pauses"]),
            "pause_s": num(r["pause_s"]),
            "epf": ext / files if files else None,
            # what a page of writeback costs; none where nothing was
            # written back (direct I/O)
            "cpu_gib": cpu / wgib if cpu and wgib else None,
            "shards": num(r.get("shards") or "na"),
            "top": num(r.get("top_shard_pct") or "na"),
        }
    return by


def main():
    out, cpus, size, machine = sys.argv[1:5]
    by = load(out)
    seed = None
    if os.path.exists(os.path.join(out, "seed")):
        seed = open(os.path.join(out, "seed")).read().strip()
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
                and by[(r, c, w)][f] is not None and by[(r, base, w)][f]]

    def floor(base, w, f):
        return ratios(FLOORS[base][0], base, w, f)

    def cell(c, base, w, f, better):
        xs = ratios(c, base, w, f)
        if not xs:
            return ""
        return "%s %s" % (spread(xs, "%.2fx"), verdict(xs, floor(base, w, f),
                                                        better))

    L = []
    L.append("# wbext benchmark: %s" % datetime.date.today().isoformat())
    L.append("")
    L.append("%s CPUs, %s; %s MiB per run, %d repetition(s)%s; median "
             "(min..max) over repetitions, every ratio taken inside one "
             "repetition.  Data: `bench.csv` (one line per run), "
             "`series.csv` (bandwidth over time)." %
             (cpus, machine, size, len(reps),
              ", order shuffled per repetition (seed %s)" % seed if seed
              else ""))
    L.append("")
    L.append("A ratio is called a gain or a loss (for costs: more or less) "
             "only when its whole range clears its noise floor, the same "
             "ratio between two runs of one configuration, and only with "
             "at least %d repetitions; otherwise `noise` (or why there is "
             "no verdict).  Against `nr1` the ratios are taken in one boot "
             "(floor: `nr1b / nr1`); against `stock` across boots (floor: "
             "`stock2 / stock`, the stock kernel booted twice)." % MIN_REPS)
    L.append("")

    for base in ("nr1", "stock"):
        partner, label = FLOORS[base]
        if base not in configs:
            continue
        others = [c for c in configs if c not in
                  (base, partner, "stock", "stock2", "direct", "nr1b",
                   "direct-wbext")]
        if not others:
            continue
        for f, what, better in FIGURES:
            L.append("## %s, against %s (%s)" % (what, base, label))
            L.append("")
            L.append("| config | " + " | ".join(workloads) + " |")
            L.append("| --- |" + " --- |" * len(workloads))
            L.append("| *floor* | %s |" % " | ".join(
                spread(floor(base, w, f), "%.2fx") for w in workloads))
            for c in others:
                L.append("| %s | %s |" % (c, " | ".join(
                    cell(c, base, w, f, better) for w in workloads)))
            L.append("")

    # The stock kernel's boots against the patched one's: direct I/O,
    # which writeback does not touch, tells whether one ran slower.
    if "direct-wbext" in configs and "direct" in configs:
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

    # Per workload: the absolute figures
    for w in workloads:
        drain = w.endswith("drain")
        L.append("## %s" % w)
        L.append("")
        L.append("| config | %s | fill s | sync s | fill + sync s | "
                 "writeback CPU s | CPU s per GiB | throttle pauses "
                 "(count / s) | extents per file | shards used (busiest %%) |" %
                 ("drain MiB/s" if drain else "end-to-end MiB/s"))
        L.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- "
                 "| --- |")
        for c in configs:
            t = vals(c, w, "tput")
            if not t:
                continue
            sh = vals(c, w, "shards")
            L.append("| %s | %s | %s | %s | %s | %s | %s | %s / %s | %s "
                     "| %s |" % (
                c, spread(t, "%.0f"),
                spread(vals(c, w, "fill"), "%.2f"),
                spread(vals(c, w, "sync"), "%.2f"),
                spread(vals(c, w, "secs"), "%.2f"),
                spread(vals(c, w, "cpu"), "%.2f"),
                spread(vals(c, w, "cpu_gib"), "%.2f"),
                spread(vals(c, w, "pauses"), "%.0f"),
                spread(vals(c, w, "pause_s"), "%.1f"),
                spread(vals(c, w, "epf"), "%.2f"),
                "%s (%s)" % (spread(sh, "%g"),
                             spread(vals(c, w, "top"), "%g"))
                if sh else "n/a"))
        L.append("")
    L.append("Plots: `throughput.png` (median per configuration and "
             "workload), `extents.png`, `cpu.png` (writeback CPU per GiB), "
             "`bw-WORKLOAD.png` (bandwidth over time, repetition %d)." %
             reps[0])
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
    # throughput, extents, CPU: clustered histograms, workloads x configs,
    # the median with the min..max of the repetitions as error bars
    for fig, field, ylabel in (("throughput", "tput", "MiB/s"),
                               ("extents", "epf", "extents per file"),
                               ("cpu", "cpu_gib",
                                "writeback CPU s per GiB written")):
        path = os.path.join(tmp, fig + ".csv")
        with open(path, "w") as f:
            f.write("workload," + ",".join("%s,lo,hi" % c for c in configs)
                    + "\n")
            for w in workloads:
                row = []
                for c in configs:
                    xs = [by[(r, c, w)][field] for r in reps if (r, c, w) in by
                          and by[(r, c, w)][field] is not None]
                    row.append("%.3f,%.3f,%.3f" % (med(xs), min(xs), max(xs))
                               if xs else ",,")
                f.write(w + "," + ",".join(row) + "\n")
        title = "%s (median, min..max over %d repetitions)" % (ylabel, len(reps))
        gp += ['set output "%s"' % os.path.join(out, fig + ".png"),
               'set title "%s"' % title, 'set ylabel "%s"' % ylabel,
               'set style data histogram',
               'set style histogram errorbars gap 1 lw 1',
               'set style fill solid 0.8 border -1', 'set xtics nomirror',
               'set yrange [0:*]',
               'plot for [i=0:%d] "%s" using 2+3*i:3+3*i:4+3*i:xtic(1) '
               'title columnhead(2+3*i)' % (len(configs) - 1, path)]
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
            t0 = by[(reps[0], c, w)]["fill"] if w.endswith("drain") and \
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
