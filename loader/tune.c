// SPDX-License-Identifier: GPL-2.0
/*
 * wbctl tune DEVICE: how many writeback shards does this device want?
 * Reviewers' first objection to sharding is that the number of CPUs says
 * nothing about the concurrency a device takes.  This measures it: while
 * writeback is busy, set nr_wb_ctx to 1, 2, 4, ... (up in one round,
 * down in the next), measure the device's write bandwidth at each count, and keep the
 * fewest shards within a few percent of the best.  One shard is always a
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

static int read_ull(const char *path, unsigned long long *v)
{
	FILE *f = fopen(path, "r");
	int ok;

	if (!f)
		return -errno;
	ok = fscanf(f, "%llu", v) == 1;
	fclose(f);
	return ok ? 0 : -EINVAL;
}

static int write_ull(const char *path, unsigned long long v)
{
	FILE *f = fopen(path, "w");
	int ret;

	if (!f)
		return -errno;
	ret = fprintf(f, "%llu\n", v) < 0 ? -EIO : 0;
	if (fclose(f) && !ret)
		ret = -errno;
	return ret;
}

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

/* nr_wb_ctx = @n, saying so if the kernel refuses */
static int set_count(const char *knob, unsigned long long n)
{
	int ret = write_ull(knob, n);

	if (ret)
		fprintf(stderr, "wbctl: writing %llu to %s: %s\n", n, knob,
			strerror(-ret));
	return ret;
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

/* one line, or a JSON object, for the answers that measure nothing */
static void say(bool json, bool pretty, const char *dev,
		unsigned long long was, unsigned long long now, const char *why)
{
	struct jw w;

	if (!json) {
		printf("%s: %s\n", dev, why);
		return;
	}
	jw_init(&w, stdout, pretty);
	jw_open(&w, NULL, '{');
	jw_str(&w, "device", dev);
	jw_u64(&w, "was", was);
	jw_u64(&w, "chosen", now);
	jw_str(&w, "reason", why);
	jw_close(&w, '}');
}

int wbctl_tune(int argc, char **argv, bool json, bool pretty)
{
	char knob[PATH_MAX], rot[PATH_MAX], iostats[PATH_MAX], *end, why[256];
	const char *dev = NULL;
	unsigned long long orig, v;
	int interval_ms = 2000, tol = 5, rounds = 2, max = 0, c, nc = 0;
	int cand[MAX_CANDIDATES], best_i = 0, pick;
	double bw[MAX_CANDIDATES] = {};
	bool dry = false;
	struct meter m = {};
	struct sigaction sa = { .sa_handler = on_interrupt };
	struct jw w;

	optind = 0;	/* glibc: a full reset after main's scan */
	while ((c = getopt(argc, argv, "i:t:r:m:nh")) != -1) {
		long x;

		errno = 0;
		x = c == 'n' ? 0 : strtol(optarg, &end, 10);
		if (c != 'n' && (errno || *end ||
				 x < (c == 't' ? 0 : c == 'i' ? 100 : 1) ||
				 x > (c == 'm' ? 1024 : c == 't' ? 50 :
				      c == 'r' ? 20 : 600000))) {
			fprintf(stderr, "wbctl: tune -%c: '%s' is out of range (see wbctl tune --help)\n",
				c, optarg);
			return 2;
		}
		switch (c) {
		case 'i': interval_ms = x; break;
		case 't': tol = x; break;
		case 'r': rounds = x; break;
		case 'm': max = x; break;
		case 'n': dry = true; break;
		default: return 2;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "wbctl: usage: wbctl tune [-i MS] [-t PCT] [-r ROUNDS] [-m MAX] [-n] DEVICE\n");
		return 2;
	}
	dev = argv[optind];
	if (!strncmp(dev, "/dev/", 5))
		dev += 5;
	snprintf(knob, sizeof(knob), "/sys/block/%s/bdi/nr_wb_ctx", dev);
	snprintf(rot, sizeof(rot), "/sys/block/%s/queue/rotational", dev);
	snprintf(iostats, sizeof(iostats), "/sys/block/%s/queue/iostats", dev);
	snprintf(m.stat, sizeof(m.stat), "/sys/block/%s/stat", dev);
	if (read_ull(knob, &orig)) {
		fprintf(stderr, "wbctl: %s: %s (a whole disk as /sys/block names it, e.g. nvme0n1 or dm-0, on a kernel with writeback shards)\n",
			knob, access(knob, F_OK) ? "no such file" : strerror(errno));
		return 1;
	}
	if (geteuid() != 0) {
		fprintf(stderr, "wbctl: must be run as root: tune writes %s\n", knob);
		return 1;
	}
	if (!read_ull(rot, &v) && v) {
		if (!dry && set_count(knob, 1))
			return 1;
		snprintf(why, sizeof(why), "rotational: 1 shard (was %llu); writeback is seek-bound there and more workers only reorder its I/O",
			 orig);
		say(json, pretty, dev, orig, dry ? orig : 1, why);
		return 0;
	}
	if (!max) {
		long cpus = sysconf(_SC_NPROCESSORS_ONLN);

		max = cpus < 1 ? 1 : cpus < 8 ? cpus : 8;	/* the kernel's default */
	}
	for (int n = 1; n <= max && nc < MAX_CANDIDATES; n *= 2)
		cand[nc++] = n;
	if (cand[nc - 1] != max && nc < MAX_CANDIDATES)
		cand[nc++] = max;
	/* a device that accounts nothing: all writeback, nr_written */
	m.global = (!read_ull(iostats, &v) && !v) || written(&m) == 0;

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	for (int r = 0; r < rounds && !interrupted; r++) {
		for (int k = 0; k < nc && !interrupted; k++) {
			int i = r % 2 ? nc - 1 - k : k;	/* up, then down */
			double b;

			if (set_count(knob, cand[i])) {
				write_ull(knob, orig);
				return 1;
			}
			b = measure(&m, interval_ms);
			if (b < 0.1 && meminfo_kb("Dirty") < 1024) {
				write_ull(knob, orig);
				snprintf(why, sizeof(why), "idle (nothing written, under 1 MiB dirty in the system): nothing to measure, %llu shards kept",
					 orig);
				say(json, pretty, dev, orig, orig, why);
				return 0;
			}
			bw[i] += b / rounds;
		}
	}
	if (interrupted) {
		write_ull(knob, orig);
		fprintf(stderr, "wbctl: tune interrupted: %s back to %llu shards\n", dev, orig);
		return 1;
	}
	pick = wbctl_tune_pick(bw, nc, tol);
	if (pick < 0) {
		write_ull(knob, orig);
		fprintf(stderr, "wbctl: %s: no write bandwidth measured (%s): %llu shards kept; run tune while the device's writeback is busy\n",
			dev, m.global ? "/proc/vmstat nr_written" : m.stat, orig);
		return 1;
	}
	for (int i = 0; i < nc; i++)
		if (bw[i] > bw[best_i])
			best_i = i;
	if (set_count(knob, dry ? orig : (unsigned long long)cand[pick]))
		return 1;

	if (json) {
		jw_init(&w, stdout, pretty);
		jw_open(&w, NULL, '{');
		jw_str(&w, "device", dev);
		jw_u64(&w, "was", orig);
		jw_u64(&w, "chosen", cand[pick]);
		jw_bool(&w, "applied", !dry);
		jw_open(&w, "mibps", '{');
		for (int i = 0; i < nc; i++) {
			char key[16];

			snprintf(key, sizeof(key), "%d", cand[i]);
			jw_u64(&w, key, (uint64_t)(bw[i] + 0.5));
		}
		jw_close(&w, '}');
		jw_close(&w, '}');
		return 0;
	}
	printf("%s: write bandwidth per shard count (%d round%s of %d ms each%s)\n",
	       dev, rounds, rounds > 1 ? "s" : "", interval_ms,
	       m.global ? "; no I/O accounting, so all writeback: nr_written" : "");
	printf("  shards     MiB/s\n");
	for (int i = 0; i < nc; i++)
		printf("  %6d %9.1f%s%s\n", cand[i], bw[i],
		       i == best_i ? "  best" : "", i == pick ? "  chosen" : "");
	printf("%s: %s %d shard%s (was %llu): the fewest within %d%% of the best, %.1f MiB/s\n",
	       dev, dry ? "would choose" : "chose", cand[pick],
	       cand[pick] > 1 ? "s" : "", orig, tol, bw[best_i]);
	return 0;
}
