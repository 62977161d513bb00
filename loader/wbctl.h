/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wbctl internals that do no I/O on BPF objects (policies.c, format.c,
 * tune.c), so that the host unit tests call them directly; the parts that
 * use libbpf are declared in wbctl_bpf.h.
 */
#ifndef WBCTL_H
#define WBCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <linux/types.h>
#include "wbext_stats.h"

#define WBEXT_PIN_DIR	"/sys/fs/bpf/wbext"
#define WBEXT_LINK_PIN	WBEXT_PIN_DIR "/link"
#define WBEXT_SYSFS	"/sys/kernel/wb_ext"
#define MAX_OPTS	16
#define MAX_POLICIES	32

/* A policy's option, from its WBEXT_OPTION (include/wbext_bpf.h) */
struct wbctl_opt {
	char key[64];		/* -o key=value, and the .rodata variable */
	unsigned long min, max;
	unsigned long def;	/* the variable's initial value */
	char help[160];
};

/* A policy wbctl carries, as its object describes it */
struct wbctl_policy {
	char name[64];		/* also the struct_ops map and pin directory */
	char summary[160];	/* its WBEXT_SUMMARY */
	int nopts;
	struct wbctl_opt opts[MAX_OPTS];
};

/* -o KEY=VALUE: @opt is NULL for a -f object (any .rodata integer) */
struct wbctl_setting {
	const struct wbctl_opt *opt;
	const char *key;
	unsigned long long value;
};
#define MAX_SETTINGS	16

/* filled from the embedded objects by wbctl_read_policies() */
extern struct wbctl_policy wbctl_policies[];
extern int wbctl_nr_policies;

const struct wbctl_policy *wbctl_find_policy(const char *name);
/*
 * A decl tag of WBEXT_OPTION ("wbext_opt:MIN:MAX:HELP") into @o's bounds
 * and help; -1 if @tag is not one or is malformed.
 */
int wbctl_opt_from_tag(const char *tag, struct wbctl_opt *o);
/* Parses "key=value" for @p; on error returns -1 with a message in @err. */
int wbctl_parse_opt(const struct wbctl_policy *p, const char *kv,
		    struct wbctl_setting *out, char *err, size_t errlen);
/* JSON output, compact or indented (-p), as bpftool writes it */
struct jw {
	FILE *f;
	bool pretty;
	int depth;
	bool first;	/* no value yet at this depth: no comma */
};
void jw_init(struct jw *w, FILE *f, bool pretty);
/* @key: NULL inside an array; @bracket '{' or '[' */
void jw_open(struct jw *w, const char *key, char bracket);
void jw_close(struct jw *w, char bracket);
void jw_u64(struct jw *w, const char *key, uint64_t v);
void jw_s64(struct jw *w, const char *key, int64_t v, bool is_signed);
void jw_str(struct jw *w, const char *key, const char *s);
void jw_bool(struct jw *w, const char *key, bool v);

/* The policies and their options. */
void wbctl_print_list(FILE *f);
void wbctl_print_list_json(struct jw *w);

/*
 * Per-CPU stats: @v holds @ncpu values, @nctx shards are shown, summed
 * over the CPUs, and with @per_cpu each CPU's too.
 */
void wbctl_print_stats_table(FILE *f, const char *policy,
			     const struct wbext_stats *v, int ncpu, int nctx,
			     bool per_cpu);
void wbctl_print_stats_json(struct jw *w, const char *policy,
			    const struct wbext_stats *v, int ncpu, int nctx,
			    bool per_cpu);

/* wbctl tune (tune.c) */
int wbctl_tune(int argc, char **argv, bool json, bool pretty);
int wbctl_tune_pick(const double *bw, int n, int tol);

#endif /* WBCTL_H */
