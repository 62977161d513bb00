// SPDX-License-Identifier: GPL-2.0
/*
 * wbctl tune DEVICE: how many writeback shards does this device want?
 * The number of CPUs says nothing about the concurrency a device takes;
 * this measures it: while writeback is busy, set nr_wb_shards to 1, 2,
 * 4, ... (up in one round, down in the next), measure the device's write
 * bandwidth at each count, and keep the fewest shards within a few
 * percent of the best.  One shard is always a
 * candidate, so the device never ends worse than with one; an idle device
 * (nothing dirty, nothing written) keeps its count; a rotational one gets
 * one shard without measuring.  No BPF: sysfs and /proc only.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "wbctl.h"

#define MAX_CANDIDATES	12	/* 1, 2, 4, ... 2048 > WB_MAX_SHARDS */

/* a "Key:   N kB" line of /proc/meminfo, in kB */
static unsigned long long meminfo_kb(const char *key)
{
	unsigned long long v = 0;
	char line[256];
	size_t n = strlen(key);
	FILE *f = fopen("/proc/meminfo", "r");

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, key, n) && line[n] == ':')
			sscanf(line + n + 1, "%llu", &v);
	if (f)
		fclose(f);
	return v;
}

/*
 * Bytes the device has written: its sectors in /sys/block/DEV/stat; a
 * device without I/O accounting (brd) counts nothing there, and then the
 * pages whose writeback completed system-wide (/proc/vmstat nr_written).
 */
struct meter {
	char stat[PATH_MAX];
	bool global;
};

static unsigned long long written(const struct meter *m)
{
	unsigned long long v[7] = {}, pages = 0;
	char line[256];
	FILE *f;

	if (!m->global) {
		f = fopen(m->stat, "r");
		if (f && fscanf(f, "%llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1],
				&v[2], &v[3], &v[4], &v[5], &v[6]) == 7) {
			fclose(f);
			return v[6] * 512;
		}
		if (f)
			fclose(f);
		return 0;	/* never switch meters in the middle of a run */
	}
	f = fopen("/proc/vmstat", "r");
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "nr_written ", 11))
			pages = strtoull(line + 11, NULL, 10);
	if (f)
		fclose(f);
	return pages * (unsigned long long)sysconf(_SC_PAGESIZE);
}

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* MiB/s written during @ms after a settling period at the new count */
static double measure(const struct meter *m, int ms)
{
	unsigned long long w0, w1;
	double t0, t1;

	sleep_ms(ms / 2);
	w0 = written(m);
	t0 = now_s();
	sleep_ms(ms);
	w1 = written(m);
	t1 = now_s();
	return (w1 - w0) / (t1 - t0) / (1 << 20);
}

/*
 * The decision, apart so that it is unit-tested: the first (fewest
 * shards) of @n measurements within @tol percent of the best, or -1 when
 * nothing was written (below 0.5 MiB/s: no measurement to act on).
 * Counts are measured from one shard up, so the first is one shard's and
 * the answer is never below it.
 */
int wbctl_tune_pick(const double *bw, int n, int tol)
{
	double best = 0;

	for (int i = 0; i < n; i++)
		if (bw[i] > best)
			best = bw[i];
	if (best < 0.5)
		return -1;
	for (int i = 0; i < n; i++)
		if (bw[i] >= best * (100 - tol) / 100)
			return i;
	return -1;
}

static volatile sig_atomic_t interrupted;
static void on_interrupt(int sig) { interrupted = 1; }

/* What tune measures, and how */
struct tune {
	const char *dev;
	char knob[PATH_MAX];		/* nr_wb_shards */
	unsigned long long orig;	/* its count before */
	int interval_ms, tol, rounds, max;
	bool dry;
	struct meter m;
	int nc, cand[MAX_CANDIDATES];	/* shard counts to measure */
	double bw[MAX_CANDIDATES];	/* MiB/s at each */
};

/* -i MS -t PCT -r ROUNDS -m MAX -n DEVICE */
static int parse_args(int argc, char **argv, struct tune *t)
{
	char path[PATH_MAX], *end;
	int c;

	t->interval_ms = 2000, t->tol = 5, t->rounds = 2;
	optind = 0;	/* glibc: a full reset after main's scan */
	opterr = 0;	/* said below, as JSON under -j */
	while ((c = getopt(argc, argv, "i:t:r:m:nh")) != -1) {
		long x;

		if (c == '?' || c == ':') {
			wbctl_err("tune: unknown option or missing value: -%c (see wbctl tune --help)",
			    optopt);
			return -1;
		}
		errno = 0;
		x = c == 'n' ? 0 : strtol(optarg, &end, 10);
		if (c != 'n' && (errno || *end ||
				 x < (c == 't' ? 0 : c == 'i' ? 100 : 1) ||
				 x > (c == 'm' ? 1024 : c == 't' ? 50 :
				      c == 'r' ? 20 : 600000))) {
			wbctl_err("tune -%c: '%s' is out of range (see wbctl tune --help)",
			    c, optarg);
			return -1;
		}
		switch (c) {
		case 'i': t->interval_ms = x; break;
		case 't': t->tol = x; break;
		case 'r': t->rounds = x; break;
		case 'm': t->max = x; break;
		case 'n': t->dry = true; break;
		default: return -1;
		}
	}
	if (optind != argc - 1) {
		wbctl_err("usage: wbctl tune [-i MS] [-t PCT] [-r ROUNDS] [-m MAX] [-n] DEVICE");
		return -1;
	}
	t->dev = argv[optind];
	if (!strncmp(t->dev, "/dev/", 5))
		t->dev += 5;
	snprintf(path, sizeof(path), "/sys/block/%s/bdi", t->dev);
	shards_knob(t->knob, sizeof(t->knob), path);
	snprintf(t->m.stat, sizeof(t->m.stat), "/sys/block/%s/stat", t->dev);
	return 0;
}

/* nr_wb_shards = @n, saying so if the kernel refuses */
static int set_count(const struct tune *t, unsigned long long n)
{
	int ret = write_ull(t->knob, n);

	if (ret)
		wbctl_err("writing %llu to %s: %s", n, t->knob, strerror(-ret));
	return ret;
}

/* The candidates 1, 2, 4, ... MAX (default the kernel's min(CPUs, 8)) */
static void candidates(struct tune *t)
{
	char iostats[PATH_MAX];
	unsigned long long v;

	if (!t->max) {
		long cpus = sysconf(_SC_NPROCESSORS_ONLN);

		t->max = cpus < 1 ? 1 : cpus < 8 ? cpus : 8;
	}
	for (int n = 1; n <= t->max && t->nc < MAX_CANDIDATES; n *= 2)
		t->cand[t->nc++] = n;
	if (t->cand[t->nc - 1] != t->max && t->nc < MAX_CANDIDATES)
		t->cand[t->nc++] = t->max;
	/* a device that accounts nothing: all writeback, nr_written */
	snprintf(iostats, sizeof(iostats), "/sys/block/%s/queue/iostats", t->dev);
	t->m.global = (!read_ull(iostats, &v) && !v) || written(&t->m) == 0;
}

/*
 * Measures every candidate, @t->rounds times alternately up and down:
 * 0, or 1 for an idle device (nothing to measure), -1 on an error or an
 * interruption, said.  The count is always the original one again on
 * return; the caller applies the choice.
 */
static int measure_all(struct tune *t)
{
	struct sigaction sa = { .sa_handler = on_interrupt };
	int ret = 0, ret2;

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	for (int r = 0; r < t->rounds && !ret; r++) {
		for (int k = 0; k < t->nc && !ret; k++) {
			int i = r % 2 ? t->nc - 1 - k : k;	/* up, then down */
			double b;

			if (interrupted || set_count(t, t->cand[i])) {
				ret = -1;
				break;
			}
			b = measure(&t->m, t->interval_ms);
			if (b < 0.1 && meminfo_kb("Dirty") < 1024)
				ret = 1;
			t->bw[i] += b / t->rounds;
		}
	}
	ret2 = write_ull(t->knob, t->orig);
	if (ret2)
		wbctl_err("could not put %s back to %llu shards: %s", t->knob,
		    t->orig, strerror(-ret2));
	if (interrupted)
		wbctl_err("tune interrupted: %s back to %llu shards", t->dev,
		    t->orig);
	return interrupted ? -1 : ret;
}

/* one line, or a JSON object, for the answers that measure nothing */
static void say(const struct tune *t, unsigned long long now, const char *why)
{
	struct jw w;

	if (!wbctl_json) {
		printf("%s: %s\n", t->dev, why);
		return;
	}
	jw_init(&w, stdout, wbctl_pretty);
	jw_open(&w, NULL, '{');
	jw_str(&w, "device", t->dev);
	jw_u64(&w, "was", t->orig);
	jw_u64(&w, "chosen", now);
	jw_str(&w, "reason", why);
	jw_close(&w, '}');
}

static void report(const struct tune *t, int pick)
{
	int best_i = 0;
	struct jw w;

	for (int i = 0; i < t->nc; i++)
		if (t->bw[i] > t->bw[best_i])
			best_i = i;
	if (wbctl_json) {
		jw_init(&w, stdout, wbctl_pretty);
		jw_open(&w, NULL, '{');
		jw_str(&w, "device", t->dev);
		jw_u64(&w, "was", t->orig);
		jw_u64(&w, "chosen", t->cand[pick]);
		jw_bool(&w, "applied", !t->dry);
		jw_open(&w, "mibps", '{');
		for (int i = 0; i < t->nc; i++) {
			char key[16];

			snprintf(key, sizeof(key), "%d", t->cand[i]);
			jw_u64(&w, key, (uint64_t)(t->bw[i] + 0.5));
		}
		jw_close(&w, '}');
		jw_close(&w, '}');
		return;
	}
	printf("%s: write bandwidth per shard count (%d round%s of %d ms each%s)\n",
	       t->dev, t->rounds, t->rounds > 1 ? "s" : "", t->interval_ms,
	       t->m.global ? "; no I/O accounting, so all writeback: nr_written" : "");
	printf("  shards     MiB/s\n");
	for (int i = 0; i < t->nc; i++)
		printf("  %6d %9.1f%s%s\n", t->cand[i], t->bw[i],
		       i == best_i ? "  best" : "", i == pick ? "  chosen" : "");
	printf("%s: %s %d shard%s (was %llu): the fewest within %d%% of the best, %.1f MiB/s\n",
	       t->dev, t->dry ? "would choose" : "chose", t->cand[pick],
	       t->cand[pick] > 1 ? "s" : "", t->orig, t->tol, t->bw[best_i]);
}

int cmd_tune(int argc, char **argv)
{
	static struct tune t;
	char rot[PATH_MAX], why[256];
	unsigned long long v;
	int pick, ret;

	if (parse_args(argc, argv, &t))
		return 2;
	if (read_ull(t.knob, &t.orig)) {
		wbctl_err("%s: %s (a whole disk as /sys/block names it, e.g. nvme0n1 or dm-0, on a kernel with writeback shards)",
		    t.knob, access(t.knob, F_OK) ? "no such file" : strerror(errno));
		return 1;
	}
	if (geteuid() != 0) {
		wbctl_err("must be run as root: tune writes %s", t.knob);
		return 1;
	}
	snprintf(rot, sizeof(rot), "/sys/block/%s/queue/rotational", t.dev);
	if (!read_ull(rot, &v) && v) {
		if (!t.dry && set_count(&t, 1))
			return 1;
		snprintf(why, sizeof(why), "rotational: 1 shard (was %llu); writeback is seek-bound there and more workers only reorder its I/O",
			 t.orig);
		say(&t, t.dry ? t.orig : 1, why);
		return 0;
	}
	candidates(&t);
	ret = measure_all(&t);
	if (ret < 0)
		return 1;
	if (ret > 0) {
		snprintf(why, sizeof(why), "idle (nothing written, under 1 MiB dirty in the system): nothing to measure, %llu shards kept",
			 t.orig);
		say(&t, t.orig, why);
		return 0;
	}
	pick = wbctl_tune_pick(t.bw, t.nc, t.tol);
	if (pick < 0) {
		wbctl_err("%s: no write bandwidth measured (%s): %llu shards kept; run tune while the device's writeback is busy",
		    t.dev, t.m.global ? "/proc/vmstat nr_written" : t.m.stat, t.orig);
		return 1;
	}
	if (!t.dry && set_count(&t, t.cand[pick]))
		return 1;
	report(&t, pick);
	return 0;
}
