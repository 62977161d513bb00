/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wbctl internals.  policies.c and format.c do no I/O on BPF objects, so
 * that the host unit tests (tests/unit/) link them without a kernel.
 */
#ifndef WBCTL_H
#define WBCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <linux/types.h>
#include "wbext_stats.h"

#define WBEXT_PIN_DIR	"/sys/fs/bpf/wbext"
#define WBEXT_LINK_PIN	WBEXT_PIN_DIR "/link"
#define WBEXT_SYSFS	"/sys/kernel/wb_ext"
#define MAX_OPTS	8

struct wbctl_opt {
	const char *key;	/* -o key=value, and the .rodata variable */
	unsigned long min, max;
	unsigned long def;
	const char *help;
};

struct wbctl_policy {
	const char *name;	/* also the struct_ops map and pin directory */
	const char *summary;
	const struct wbctl_opt *opts[MAX_OPTS];	/* NULL-terminated */
};

struct wbctl_setting {
	const struct wbctl_opt *opt;
	unsigned long value;
};

extern const struct wbctl_policy wbctl_policies[];
extern const int wbctl_nr_policies;

const struct wbctl_policy *wbctl_find_policy(const char *name);
/* Parses "key=value" for @p; on error returns -1 with a message in @err. */
int wbctl_parse_opt(const struct wbctl_policy *p, const char *kv,
		    struct wbctl_setting *out, char *err, size_t errlen);
void wbctl_print_list(FILE *f, bool verbose);

/* Per-CPU stats: @v holds @ncpu values, @nctx contexts are shown. */
void wbctl_print_stats_table(FILE *f, const char *policy,
			     const struct wbext_stats *v, int ncpu, int nctx);
void wbctl_print_stats_json(FILE *f, const char *policy,
			    const struct wbext_stats *v, int ncpu, int nctx);

#endif /* WBCTL_H */
