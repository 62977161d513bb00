// SPDX-License-Identifier: GPL-2.0
/*
 * wbctl output: a small JSON writer (compact, or indented with -p, as
 * bpftool's), the policy list and the stats, as text or JSON.
 */
#include <inttypes.h>
#include "wbctl.h"

void jw_init(struct jw *w, FILE *f, bool pretty)
{
	w->f = f;
	w->pretty = pretty;
	w->depth = 0;
	w->first = true;
}

static void jw_quote(struct jw *w, const char *s)
{
	fputc('"', w->f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(w->f, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(w->f, "\\u%04x", *s);
		else
			fputc(*s, w->f);
	}
	fputc('"', w->f);
}

/* the comma, newline and indent before a value, and its key */
static void jw_sep(struct jw *w, const char *key)
{
	if (!w->first)
		fputc(',', w->f);
	if (w->pretty && w->depth)
		fprintf(w->f, "\n%*s", 2 * w->depth, "");
	w->first = false;
	if (key) {
		jw_quote(w, key);
		fputs(w->pretty ? ": " : ":", w->f);
	}
}

void jw_open(struct jw *w, const char *key, char bracket)
{
	jw_sep(w, key);
	fputc(bracket, w->f);
	w->depth++;
	w->first = true;
}

void jw_close(struct jw *w, char bracket)
{
	w->depth--;
	if (w->pretty && !w->first)
		fprintf(w->f, "\n%*s", 2 * w->depth, "");
	fputc(bracket, w->f);
	w->first = false;
	if (!w->depth)
		fputc('\n', w->f);
}

void jw_u64(struct jw *w, const char *key, uint64_t v)
{
	jw_sep(w, key);
	fprintf(w->f, "%" PRIu64, v);
}

/* an integer that is signed if @is_signed, else unsigned */
void jw_s64(struct jw *w, const char *key, int64_t v, bool is_signed)
{
	jw_sep(w, key);
	if (is_signed)
		fprintf(w->f, "%" PRId64, v);
	else
		fprintf(w->f, "%" PRIu64, (uint64_t)v);
}

void jw_str(struct jw *w, const char *key, const char *s)
{
	jw_sep(w, key);
	jw_quote(w, s);
}

void jw_bool(struct jw *w, const char *key, bool v)
{
	jw_sep(w, key);
	fputs(v ? "true" : "false", w->f);
}

void wbctl_print_list(FILE *f)
{
	for (int i = 0; i < wbctl_nr_policies; i++) {
		const struct wbctl_policy *p = &wbctl_policies[i];

		fprintf(f, "%-10s %s\n", p->name, p->summary);
		for (int j = 0; j < p->nopts; j++)
			fprintf(f, "    -o %s=N  %s [%lu..%lu, default %lu]\n",
				p->opts[j].key, p->opts[j].help,
				p->opts[j].min, p->opts[j].max,
				p->opts[j].def);
	}
}

void wbctl_print_list_json(struct jw *w)
{
	jw_open(w, NULL, '[');
	for (int i = 0; i < wbctl_nr_policies; i++) {
		const struct wbctl_policy *p = &wbctl_policies[i];

		jw_open(w, NULL, '{');
		jw_str(w, "name", p->name);
		jw_str(w, "summary", p->summary);
		jw_open(w, "options", '[');
		for (int j = 0; j < p->nopts; j++) {
			jw_open(w, NULL, '{');
			jw_str(w, "key", p->opts[j].key);
			jw_u64(w, "min", p->opts[j].min);
			jw_u64(w, "max", p->opts[j].max);
			jw_u64(w, "default", p->opts[j].def);
			jw_str(w, "help", p->opts[j].help);
			jw_close(w, '}');
		}
		jw_close(w, ']');
		jw_close(w, '}');
	}
	jw_close(w, ']');
}

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
	{ "pinned", offsetof(struct wbext_stats, pinned) },
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
			     const struct wbext_stats *v, int ncpu, int nctx,
			     bool per_cpu)
{
	char name[16];

	if (nctx > WBEXT_MAX_CTX)
		nctx = WBEXT_MAX_CTX;
	fprintf(f, "policy %s: inodes chosen per shard%s\n", policy,
		per_cpu ? " (rows) and CPU (columns)" : ", summed over CPUs");
	fprintf(f, "%-14s %10s", "shard", "total");
	for (int c = 0; per_cpu && c < ncpu; c++) {
		snprintf(name, sizeof(name), "cpu%d", c);
		fprintf(f, " %10s", name);
	}
	fputc('\n', f);
	for (int x = 0; x < nctx; x++) {
		snprintf(name, sizeof(name), "%d", x);
		row(f, name, v, ncpu, CHOSEN(x), per_cpu);
	}
	for (size_t i = 0; i < NR_COUNTERS; i++)
		row(f, counters[i].name, v, ncpu, counters[i].off, per_cpu);
}

/* "chosen": [...] and the counters, of one CPU or summed over all */
static void stats_fields(struct jw *w, const struct wbext_stats *v, int ncpu,
			 int nctx)
{
	jw_open(w, "chosen", '[');
	for (int x = 0; x < nctx; x++)
		jw_u64(w, NULL, sum(v, ncpu, CHOSEN(x)));
	jw_close(w, ']');
	for (size_t i = 0; i < NR_COUNTERS; i++)
		jw_u64(w, counters[i].name, sum(v, ncpu, counters[i].off));
}

void wbctl_print_stats_json(struct jw *w, const char *policy,
			    const struct wbext_stats *v, int ncpu, int nctx,
			    bool per_cpu)
{
	if (nctx > WBEXT_MAX_CTX)
		nctx = WBEXT_MAX_CTX;
	jw_open(w, NULL, '{');
	jw_str(w, "policy", policy);
	stats_fields(w, v, ncpu, nctx);
	if (per_cpu) {
		jw_open(w, "per_cpu", '[');
		for (int c = 0; c < ncpu; c++) {
			jw_open(w, NULL, '{');
			jw_u64(w, "cpu", c);
			stats_fields(w, &v[c], 1, nctx);
			jw_close(w, '}');
		}
		jw_close(w, ']');
	}
	jw_close(w, '}');
}
