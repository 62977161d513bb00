// SPDX-License-Identifier: GPL-2.0
/* wbctl stats output: a per-context x per-CPU table, or JSON. */
#include <inttypes.h>
#include "wbctl.h"

static __u64 sum(const struct wbext_stats *v, int ncpu, size_t off)
{
	__u64 s = 0;

	for (int c = 0; c < ncpu; c++)
		s += *(const __u64 *)((const char *)&v[c] + off);
	return s;
}

#define SUM(field) sum(v, ncpu, offsetof(struct wbext_stats, field))

static const struct {
	const char *name;
	size_t off;
} counters[] = {
	{ "fallbacks", offsetof(struct wbext_stats, fallbacks) },
	{ "pinned", offsetof(struct wbext_stats, pinned) },
	{ "pause_calls", offsetof(struct wbext_stats, pause_calls) },
	{ "pause_changed", offsetof(struct wbext_stats, pause_changed) },
	{ "chunk_calls", offsetof(struct wbext_stats, chunk_calls) },
	{ "chunk_changed", offsetof(struct wbext_stats, chunk_changed) },
	{ "bg_calls", offsetof(struct wbext_stats, bg_calls) },
	{ "bg_changed", offsetof(struct wbext_stats, bg_changed) },
};
#define NR_COUNTERS (sizeof(counters) / sizeof(counters[0]))

void wbctl_print_stats_table(FILE *f, const char *policy,
			     const struct wbext_stats *v, int ncpu, int nctx)
{
	fprintf(f, "policy %s: inodes chosen per context (rows) and CPU (columns)\n",
		policy);
	fprintf(f, "%-14s %10s", "ctx", "total");
	for (int c = 0; c < ncpu; c++) {
		char col[16];

		snprintf(col, sizeof(col), "cpu%d", c);
		fprintf(f, " %10s", col);
	}
	fputc('\n', f);
	for (int x = 0; x < nctx && x < WBEXT_MAX_CTX; x++) {
		fprintf(f, "%-14d %10" PRIu64, x, (uint64_t)SUM(chosen[x]));
		for (int c = 0; c < ncpu; c++)
			fprintf(f, " %10" PRIu64, (uint64_t)v[c].chosen[x]);
		fputc('\n', f);
	}
	for (size_t i = 0; i < NR_COUNTERS; i++) {
		fprintf(f, "%-14s %10" PRIu64, counters[i].name,
			(uint64_t)sum(v, ncpu, counters[i].off));
		for (int c = 0; c < ncpu; c++)
			fprintf(f, " %10" PRIu64, (uint64_t)*(const __u64 *)
				((const char *)&v[c] + counters[i].off));
		fputc('\n', f);
	}
}

void wbctl_print_stats_json(FILE *f, const char *policy,
			    const struct wbext_stats *v, int ncpu, int nctx)
{
	fprintf(f, "{\"policy\":\"%s\",\"chosen\":[", policy);
	for (int x = 0; x < nctx && x < WBEXT_MAX_CTX; x++)
		fprintf(f, "%s%" PRIu64, x ? "," : "", (uint64_t)SUM(chosen[x]));
	fprintf(f, "]");
	for (size_t i = 0; i < NR_COUNTERS; i++)
		fprintf(f, ",\"%s\":%" PRIu64, counters[i].name,
			(uint64_t)sum(v, ncpu, counters[i].off));
	fprintf(f, ",\"per_cpu\":[");
	for (int c = 0; c < ncpu; c++) {
		fprintf(f, "%s{\"cpu\":%d,\"chosen\":[", c ? "," : "", c);
		for (int x = 0; x < nctx && x < WBEXT_MAX_CTX; x++)
			fprintf(f, "%s%" PRIu64, x ? "," : "",
				(uint64_t)v[c].chosen[x]);
		fprintf(f, "]");
		for (size_t i = 0; i < NR_COUNTERS; i++)
			fprintf(f, ",\"%s\":%" PRIu64, counters[i].name,
				(uint64_t)*(const __u64 *)((const char *)&v[c] +
							   counters[i].off));
		fprintf(f, "}");
	}
	fprintf(f, "]}\n");
}
