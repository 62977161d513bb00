/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wbctl internals that use libbpf or the kernel: the pins and the
 * kernel's state (pins.c), policy objects (policy.c), the commands in
 * their own files (status.c, assign.c).
 */
#ifndef WBCTL_BPF_H
#define WBCTL_BPF_H

#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "wbctl.h"

/* the global options -j and -p (wbctl.c) */
extern bool wbctl_json, wbctl_pretty;

void __attribute__((format(printf, 1, 2))) wbctl_err(const char *fmt, ...);

/* pins.c */
int read_line(const char *path, char *buf, size_t len);
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

/* policy.c */
struct policy_obj {
	struct bpf_object *obj;
	struct bpf_map *ops;	/* the struct_ops map */
	char name[64];
};

/*
 * libbpf's messages: kept for a failure's report, or with -d (@verbose 1)
 * on stderr, with -dd its debug messages too (include/libbpf_log.h).
 */
void wbctl_libbpf_log(int verbose);
/* Fills wbctl_policies[] from the embedded objects; -1 said why. */
int wbctl_read_policies(void);
/* What @obj says of itself: its summary and WBEXT_OPTIONs, into @p. */
int wbctl_describe(struct bpf_object *obj, struct wbctl_policy *p,
		   char *msg, size_t len);
/*
 * Sets the .rodata variable @key of @obj (a const volatile integer of 1,
 * 2, 4 or 8 bytes) to @value.  -ENOENT: no such variable, and @known
 * lists those there are; -ERANGE: @value does not fit.
 */
int set_rodata(struct bpf_object *obj, const char *key,
	       unsigned long long value, char *known, size_t klen);
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

/* the commands outside wbctl.c */
int cmd_status(int argc, char **argv);
int cmd_assign(int argc, char **argv);

#endif /* WBCTL_BPF_H */
