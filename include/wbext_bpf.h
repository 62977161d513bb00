/* SPDX-License-Identifier: GPL-2.0 */
/*
 * For BPF programs that implement struct wb_ext_ops (include after
 * vmlinux.h and bpf/bpf_helpers.h): the kfunc of mm/wb_ext.c.  The
 * verifier lets only wb_ext_ops programs call it, and those programs no
 * other kfunc of the struct_ops hook.
 *
 * Callbacks get a struct wb_ext_wb, filled by the kernel for the call:
 * which bdi and cgroup the wb is (bdi_id, major:minor, cgroup_id), its
 * shards in use (nr_shards, what select_shard() answers below), dirty and
 * writeback pages, write bandwidth and dirty rate limit, and where the
 * kernel computed them for the call (dirty_pause, over_bg_thresh) the
 * wb's thresholds.
 */
#ifndef WBEXT_BPF_H
#define WBEXT_BPF_H

/* The most shards one bpf_wb_ext_shards() call describes (the kernel's
 * WB_EXT_SHARDS_PER_CALL): size arrays and bound loops with it. */
#define WBEXT_SHARDS_PER_CALL	64

/*
 * Fills @shards with the shards of @inode's wb: index, home CPU, NUMA node
 * and inodes on the lists, from shard @first (modulo the shards in use) on,
 * wrapping around, as many as fit in @shards__sz bytes, are in use, and
 * at most WBEXT_SHARDS_PER_CALL.  Returns the number filled, -EINVAL if
 * none fits.  The array must be the policy's memory (a map value or the
 * stack), not a kernel pointer.
 */
extern int bpf_wb_ext_shards(struct inode *inode, __u32 first,
			     struct wb_ext_shard *shards,
			     __u32 shards__sz) __ksym;

/*
 * What wbctl says of a policy and checks of its options, read from the
 * object's BTF (decl tags), so that a policy is its one file.
 * WBEXT_OPTION declares an integer option, -o NAME=VALUE: a const volatile
 * whose initial value is the default, with its bounds (decimal literals,
 * or macros that expand to one) and a line of help.  WBEXT_SUMMARY goes
 * on the struct wb_ext_ops variable, the line "wbctl list" shows:
 *
 *	WBEXT_OPTION(__u32, max_shards, 0, 0, 1024, "shards to use");
 *	SEC(".struct_ops.link")
 *	struct wb_ext_ops lb WBEXT_SUMMARY("least-loaded shard") = { ... };
 */
#define __wbext_str(x)	#x
#define __wbext_xstr(x)	__wbext_str(x)
#define WBEXT_OPTION(type, name, def, min, max, help)			\
	_Static_assert((min) <= (def) && (def) <= (max),			\
		       #name ": the default is outside [min, max]");	\
	const volatile type name __attribute__((btf_decl_tag(		\
		"wbext_opt:" __wbext_xstr(min) ":" __wbext_xstr(max) ":" help))) = def
#define WBEXT_SUMMARY(text)	__attribute__((btf_decl_tag("wbext_summary:" text)))

#endif /* WBEXT_BPF_H */
