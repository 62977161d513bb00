// SPDX-License-Identifier: GPL-2.0
/*
 * wbctl stats: the loaded policy's per-CPU "stats" map
 * (include/wbext_stats.h), per shard and counter, summed over CPUs or
 * per CPU, as a table or JSON, once or every few seconds.  Changes
 * nothing.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "wbctl.h"

static uint64_t field(const struct wbext_stats *s, size_t off)
{
	return *(const __u64 *)((const char *)s + off);
}

static uint64_t sum(const struct wbext_stats *v, int ncpu, size_t off)
{
	uint64_t s = 0;

	for (int c = 0; c < ncpu; c++)
		s += field(&v[c], off);
	return s;
}

#define CHOSEN(x)	offsetof(struct wbext_stats, chosen[x])

static const struct {
	const char *name;
	size_t off;
} counters[] = {
	{ "fallbacks", offsetof(struct wbext_stats, fallbacks) },
	{ "assigned", offsetof(struct wbext_stats, assigned) },
	{ "kept", offsetof(struct wbext_stats, kept) },
	{ "pause_calls", offsetof(struct wbext_stats, pause_calls) },
	{ "pause_changed", offsetof(struct wbext_stats, pause_changed) },
	{ "chunk_calls", offsetof(struct wbext_stats, chunk_calls) },
	{ "chunk_changed", offsetof(struct wbext_stats, chunk_changed) },
	{ "bg_calls", offsetof(struct wbext_stats, bg_calls) },
	{ "bg_changed", offsetof(struct wbext_stats, bg_changed) },
};
#define NR_COUNTERS (sizeof(counters) / sizeof(counters[0]))

/* one row: a name, the total, and with @per_cpu each CPU's value */
static void row(FILE *f, const char *name, const struct wbext_stats *v,
		int ncpu, size_t off, bool per_cpu)
{
	fprintf(f, "%-14s %10" PRIu64, name, sum(v, ncpu, off));
	for (int c = 0; per_cpu && c < ncpu; c++)
		fprintf(f, " %10" PRIu64, field(&v[c], off));
	fputc('\n', f);
}

void wbctl_print_stats_table(FILE *f, const char *policy,
			     const struct wbext_stats *v, int ncpu, int nshards,
			     bool per_cpu)
{
	char name[16];

	if (nshards > WBEXT_MAX_SHARDS)
		nshards = WBEXT_MAX_SHARDS;
	fprintf(f, "policy %s: inodes chosen per shard%s\n", policy,
		per_cpu ? " (rows) and CPU (columns)" : ", summed over CPUs");
	fprintf(f, "%-14s %10s", "shard", "total");
	for (int c = 0; per_cpu && c < ncpu; c++) {
		snprintf(name, sizeof(name), "cpu%d", c);
		fprintf(f, " %10s", name);
	}
	fputc('\n', f);
	for (int x = 0; x < nshards; x++) {
		snprintf(name, sizeof(name), "%d", x);
		row(f, name, v, ncpu, CHOSEN(x), per_cpu);
	}
	for (size_t i = 0; i < NR_COUNTERS; i++)
		row(f, counters[i].name, v, ncpu, counters[i].off, per_cpu);
}

/* "chosen": [...] and the counters, of one CPU or summed over all */
static void stats_fields(struct jw *w, const struct wbext_stats *v, int ncpu,
			 int nshards)
{
	jw_open(w, "chosen", '[');
	for (int x = 0; x < nshards; x++)
		jw_u64(w, NULL, sum(v, ncpu, CHOSEN(x)));
	jw_close(w, ']');
	for (size_t i = 0; i < NR_COUNTERS; i++)
		jw_u64(w, counters[i].name, sum(v, ncpu, counters[i].off));
}

void wbctl_print_stats_json(struct jw *w, const char *policy,
			    const struct wbext_stats *v, int ncpu, int nshards,
			    bool per_cpu)
{
	if (nshards > WBEXT_MAX_SHARDS)
		nshards = WBEXT_MAX_SHARDS;
	jw_open(w, NULL, '{');
	jw_str(w, "policy", policy);
	stats_fields(w, v, ncpu, nshards);
	if (per_cpu) {
		jw_open(w, "per_cpu", '[');
		for (int c = 0; c < ncpu; c++) {
			jw_open(w, NULL, '{');
			jw_u64(w, "cpu", c);
			stats_fields(w, &v[c], 1, nshards);
			jw_close(w, '}');
		}
		jw_close(w, ']');
	}
	jw_close(w, '}');
}

/* The most shards of any bdi: the rows worth showing */
static int max_bdi_shards(void)
{
	char line[64], dir[300], path[512];
	struct dirent *de;
	int n = 1, v;
	DIR *d = opendir("/sys/class/bdi");

	while (d && (de = readdir(d))) {
		snprintf(dir, sizeof(dir), "/sys/class/bdi/%s", de->d_name);
		shards_knob(path, sizeof(path), dir);
		if (!read_line(path, line, sizeof(line)) &&
		    (v = atoi(line)) > n)
			n = v;
	}
	if (d)
		closedir(d);
	return n;
}

/* --per-cpu, -j, -w SECONDS */
static int parse_args(int argc, char **argv, bool *per_cpu, int *wait)
{
	static const struct option lopts[] = {
		{ "per-cpu", no_argument, NULL, 'c' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	int c;

	optind = 0;	/* glibc: a full reset after main's scan */
	opterr = 0;	/* said below, as JSON under -j */
	while ((c = getopt_long(argc, argv, "jw:h", lopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			*per_cpu = true;
			break;
		case 'j':	/* as the global -j */
			wbctl_json = true;
			break;
		case 'w':
			*wait = atoi(optarg);
			if (*wait <= 0) {
				wbctl_err("-w wants a number of seconds > 0, not '%s'", optarg);
				return -1;
			}
			break;
		default:
			wbctl_err("stats: unknown option or missing value: %s (see wbctl stats --help)",
			    argv[optind - 1]);
			return -1;
		}
	}
	if (optind < argc) {
		wbctl_err("stats: unexpected argument '%s'", argv[optind]);
		return -1;
	}
	return 0;
}

/* The pinned stats map of the policy wbctl loaded, or -1 said why */
static int stats_map(char *ops, size_t len, char *path, size_t plen)
{
	char state[64], dir[256];
	int fd;

	kernel_state(state, ops, len);
	switch (pins_state()) {
	case 1:
		break;
	case -1:
		wbctl_err("policy %s was not loaded by wbctl: its stats are not pinned under %s",
		    ops, WBEXT_PIN_DIR);
		return -1;
	case -2:
		wbctl_err("the policy wbctl loaded no longer runs: 'wbctl status' says why");
		return -1;
	default:
		wbctl_err("no policy loaded: 'wbctl load POLICY' first");
		return -1;
	}
	pinned_policy(dir, sizeof(dir));
	pin_path(path, plen, dir, "stats");
	fd = bpf_obj_get(path);
	if (fd < 0)
		wbctl_err("policy %s has no stats map at %s", dir, path);
	return fd;
}

static volatile sig_atomic_t stop;
static void on_signal(int sig) { stop = 1; }

int cmd_stats(int argc, char **argv)
{
	char ops[64], path[512];
	struct wbext_stats *v = NULL;
	bool per_cpu = false;
	int wait = 0, fd, ncpu, ret = 1;
	__u32 zero = 0;
	struct jw w;

	if (parse_args(argc, argv, &per_cpu, &wait))
		return 2;
	if (preflight())
		return 1;
	fd = stats_map(ops, sizeof(ops), path, sizeof(path));
	if (fd < 0)
		return 1;
	ncpu = libbpf_num_possible_cpus();
	v = ncpu > 0 ? calloc(ncpu, sizeof(*v)) : NULL;
	if (!v) {
		wbctl_err("cannot size the per-CPU stats (%d CPUs)", ncpu);
		goto out;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	do {
		if (bpf_map_lookup_elem(fd, &zero, v)) {
			wbctl_err("reading %s: %s", path, strerror(errno));
			goto out;
		}
		if (wbctl_json) {
			jw_init(&w, stdout, wbctl_pretty);
			wbctl_print_stats_json(&w, ops, v, ncpu, max_bdi_shards(),
					       per_cpu);
		} else {
			wbctl_print_stats_table(stdout, ops, v, ncpu,
						max_bdi_shards(), per_cpu);
		}
		fflush(stdout);
		if (wait && !stop)
			sleep(wait);
		if (wait && !wbctl_json && !stop)
			putchar('\n');
	} while (wait && !stop);
	ret = 0;
out:
	free(v);
	close(fd);
	return ret;
}
