/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wbctl's internals, one header for its files in loader/ and the host
 * unit tests (tests/unit/), which link all of them but main (wbctl.c).
 */
#ifndef WBCTL_H
#define WBCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <linux/types.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "wbext_stats.h"

#define WBEXT_PIN_DIR	"/sys/fs/bpf/wbext"
#define WBEXT_LINK_PIN	WBEXT_PIN_DIR "/link"
#define WBEXT_SYSFS	"/sys/kernel/wb_ext"
#define MAX_OPTS	16
#define MAX_POLICIES	32
#define MAX_SETTINGS	16

/* common.c: what every command uses */
extern bool wbctl_json, wbctl_pretty;	/* -j, -p */
/* An error: "wbctl: ..." on stderr, or {"error": ...} on stdout with -j */
void __attribute__((format(printf, 1, 2))) wbctl_err(const char *fmt, ...);
int read_line(const char *path, char *buf, size_t len);
int read_ull(const char *path, unsigned long long *v);
int write_ull(const char *path, unsigned long long v);
/* The shard count file of the bdi directory @dir (sysfs), into @buf */
void shards_knob(char *buf, size_t len, const char *dir);

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

/*
 * options.c: a policy's options, the const volatile integers of its
 * .rodata.  Declared with WBEXT_OPTION (include/wbext_bpf.h: a BTF decl
 * tag with bounds and help), parsed from -o KEY=VALUE, bounded, written
 * to .rodata before the load, and read back from the running program.
 */
struct wbctl_opt {
	char key[64];		/* -o key=value, and the .rodata variable */
	unsigned long min, max;
	unsigned long def;	/* the variable's initial value */
	char help[160];
};

/* A policy, as its object describes itself */
struct wbctl_policy {
	char name[64];		/* also the struct_ops map and pin directory */
	char summary[160];	/* its WBEXT_SUMMARY */
	int nopts;
	struct wbctl_opt opts[MAX_OPTS];
};

/* -o KEY=VALUE; @opt: its declaration, where parsing knew it */
struct wbctl_setting {
	const struct wbctl_opt *opt;
	char key[64];
	unsigned long long value;
};

/* An option of the running program, read back (wbctl status) */
struct wbctl_value {
	char key[64];
	long long value;
	bool is_signed;
};

/*
 * A decl tag of WBEXT_OPTION ("wbext_opt:MIN:MAX:HELP") into @o's bounds
 * and help; -1 if @tag is not one or is malformed.
 */
int wbctl_opt_from_tag(const char *tag, struct wbctl_opt *o);
/* What @obj says of itself: its summary and WBEXT_OPTIONs, into @p. */
int wbctl_describe(struct bpf_object *obj, struct wbctl_policy *p,
		   char *msg, size_t len);
/*
 * Parses "key=value" into @out: against @p's options when @p is known
 * (a policy wbctl carries), else any key (a -f object, bounded when it
 * is opened).  On error returns -1 with a message in @err.
 */
int wbctl_parse_opt(const struct wbctl_policy *p, const char *kv,
		    struct wbctl_setting *out, char *err, size_t errlen);
/*
 * Sets the .rodata variable @key of @obj (a const volatile integer of 1,
 * 2, 4 or 8 bytes) to @value.  -ENOENT: no such variable, and @known
 * lists those there are; -ERANGE: @value does not fit; -EINVAL: not an
 * integer.
 */
int set_rodata(struct bpf_object *obj, const char *key,
	       unsigned long long value, char *known, size_t klen);
/* Bounds @set against @obj's declarations and writes it to .rodata. */
int apply_settings(struct bpf_object *obj, const char *what,
		   struct wbctl_setting *set, int nset);
/* The integers of the .rodata map @map_id of a loaded program. */
int read_values(__u32 map_id, struct wbctl_value *v, int max);

/* policy.c: policy objects, embedded or -f files */
struct policy_obj {
	struct bpf_object *obj;
	struct bpf_map *ops;	/* the struct_ops map */
	char name[64];
};

/* filled from the embedded objects by wbctl_read_policies() */
extern struct wbctl_policy wbctl_policies[];
extern int wbctl_nr_policies;

/*
 * libbpf's messages: kept for a failure's report, or with -d (@verbose 1)
 * on stderr, with -dd its debug messages too (include/libbpf_log.h).
 */
void wbctl_libbpf_log(int verbose);
/* Fills wbctl_policies[] from the embedded objects; -1 said why. */
int wbctl_read_policies(void);
const struct wbctl_policy *wbctl_find_policy(const char *name);
int open_policy(struct policy_obj *po, const char *policy, const char *file,
		struct wbctl_setting *set, int nset);
int pin_maps(struct policy_obj *po);
/*
 * The layout of struct wb_ext_ops in the kernel's BTF: where its members
 * start in the struct_ops map's value (@data_off), the value's size and
 * the type itself.
 */
int ops_layout(const struct btf *vbtf, __u32 *data_off, __u32 *value_size,
	       const struct btf_type **kt);
int fill_struct_ops_value(struct policy_obj *po);

/* pins.c: wb_ext's state in sysfs, and wbctl's pins in bpffs */
void kernel_state(char *state, char *ops, size_t len);
int preflight(void);
void lock_state(void);
void pin_path(char *buf, size_t len, const char *policy, const char *map);
void unpin_dir(const char *dir);
void unpin_dirs_except(const char *keep);
void pinned_policy(char *buf, size_t len);
int pins_state(void);
int clear_stale_pins(bool quiet);
void foreign_policy_error(void);

/* list.c */
void wbctl_print_list(FILE *f);
void wbctl_print_list_json(struct jw *w);

/*
 * stats.c: per-CPU stats: @v holds @ncpu values, @nshards shards are
 * shown, summed over the CPUs, and with @per_cpu each CPU's too.
 */
void wbctl_print_stats_table(FILE *f, const char *policy,
			     const struct wbext_stats *v, int ncpu, int nshards,
			     bool per_cpu);
void wbctl_print_stats_json(struct jw *w, const char *policy,
			    const struct wbext_stats *v, int ncpu, int nshards,
			    bool per_cpu);

/* tune.c: the decision, apart so that it is unit-tested */
int wbctl_tune_pick(const double *bw, int n, int tol);

/* the commands, one file each (load.c has load, swap and unload) */
int cmd_list(int argc, char **argv);
int cmd_load(int argc, char **argv);
int cmd_swap(int argc, char **argv);
int cmd_unload(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_tune(int argc, char **argv);
int cmd_assign(int argc, char **argv);

#endif /* WBCTL_H */
