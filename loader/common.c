// SPDX-License-Identifier: GPL-2.0
/*
 * What every wbctl command uses: errors (text, or JSON under -j as
 * bpftool's p_err), sysfs files, and a small JSON writer (compact, or
 * indented with -p, as bpftool's).
 */
#define _GNU_SOURCE	/* vasprintf */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "wbctl.h"

bool wbctl_json, wbctl_pretty;

void wbctl_err(const char *fmt, ...)
{
	char *msg = NULL;
	va_list ap;
	struct jw w;

	va_start(ap, fmt);
	if (!wbctl_json) {
		fputs("wbctl: ", stderr);
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
	} else if (vasprintf(&msg, fmt, ap) >= 0) {
		fflush(stdout);
		jw_init(&w, stdout, wbctl_pretty);
		jw_open(&w, NULL, '{');
		jw_str(&w, "error", msg);
		jw_close(&w, '}');
		free(msg);
	}
	va_end(ap);
}

int read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");

	buf[0] = 0;
	if (!f)
		return -errno;
	if (!fgets(buf, len, f))
		buf[0] = 0;
	fclose(f);
	buf[strcspn(buf, "\n")] = 0;
	return 0;
}

int read_ull(const char *path, unsigned long long *v)
{
	FILE *f = fopen(path, "r");
	int ok;

	if (!f)
		return -errno;
	ok = fscanf(f, "%llu", v) == 1;
	fclose(f);
	return ok ? 0 : -EINVAL;
}

int write_ull(const char *path, unsigned long long v)
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

/*
 * A kernel built from a series older than the name nr_wb_shards has
 * nr_wb_ctx: use it when nr_wb_shards is absent, and say so once.
 */
void shards_knob(char *buf, size_t len, const char *dir)
{
	static bool told;

	snprintf(buf, len, "%s/nr_wb_shards", dir);
	if (!access(buf, F_OK))
		return;
	snprintf(buf, len, "%s/nr_wb_ctx", dir);
	if (access(buf, F_OK)) {
		snprintf(buf, len, "%s/nr_wb_shards", dir);
		return;
	}
	if (!told)
		fprintf(stderr, "wbctl: %s: a kernel with an older wbext series (nr_wb_shards was nr_wb_ctx); using it\n",
			buf);
	told = true;
}

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
