/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the policies in bpf/ share: the per-CPU "stats" map that wbctl
 * stats and bpftool read, chosen() and kept() to count a select_shard answer,
 * for_each_shard() over the shards of an inode's wb, and the assignment
 * maps' lookup.  A policy includes this file and defines its
 * select_shard; throttle.bpf.h adds the throttle callbacks.
 */
#ifndef WBEXT_COMMON_BPF_H
#define WBEXT_COMMON_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "wbext_bpf.h"
#include "wbext_stats.h"
#include "wbext_assign.h"

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct wbext_stats);
} stats SEC(".maps");

static __always_inline struct wbext_stats *my_stats(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&stats, &zero);
}

/*
 * Scratch for bpf_wb_ext_shards(): too large for the stack, per CPU since
 * callbacks run with preemption off and do not nest.
 */
struct shard_view {
	struct wb_ext_shard sh[WBEXT_SHARDS_PER_CALL];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct shard_view);
} shard_views SEC(".maps");

/*
 * Fills this CPU's view with the shards of @inode's wb from @first on
 * (wrapping around), at most WBEXT_SHARDS_PER_CALL of them; returns how
 * many, 0 on failure.
 */
static __always_inline int view_shards(struct inode *inode, __u32 first,
				       struct wb_ext_shard **view)
{
	__u32 zero = 0;
	struct shard_view *v = bpf_map_lookup_elem(&shard_views, &zero);
	int n;

	*view = NULL;
	if (!v)
		return 0;
	*view = v->sh;
	n = bpf_wb_ext_shards(inode, first, v->sh, sizeof(v->sh));
	return n < 0 ? 0 : n;
}

/* &@view[@j], or NULL past the view: the bound the verifier needs */
static __always_inline struct wb_ext_shard *view_at(struct wb_ext_shard *view,
						    int j)
{
	__u32 k = j;

	return view && k < WBEXT_SHARDS_PER_CALL ? &view[k] : NULL;
}

/*
 * for_each_shard(sh, view, j, inode, first) { ... }: the body runs with
 * @sh at each shard of @inode's wb that one view_shards() call returns
 * from @first on; @view (struct wb_ext_shard *) and @j (int) are the
 * caller's.  bpf_for() tests its end on every iteration, hence the count
 * taken once in the outer loop, which runs once.  The shards' loads are
 * read without their locks: a hint, not a count.
 */
#define for_each_shard(sh, view, j, inode, first)			\
	for (int __nr_viewed = view_shards(inode, first, &(view)),	\
	     __once = 1; __once; __once = 0)				\
		bpf_for(j, 0, __nr_viewed)				\
			if (!((sh) = view_at(view, j)))			\
				break;					\
			else

#define ASSIGN_DEPTH	16

/* One of include/wbext_assign.h's maps, NAME one of its WBEXT_ASSIGN_* */
#define WBEXT_ASSIGN_MAP(name, key_type)			\
	struct {						\
		__uint(type, BPF_MAP_TYPE_HASH);		\
		__uint(max_entries, WBEXT_ASSIGN_MAX);		\
		__type(key, key_type);				\
		__type(value, __u32);				\
	} name SEC(".maps")

/*
 * What "wbctl assign" put in @map (key struct wbext_assign_key) for @inode,
 * else for the nearest of its ASSIGN_DEPTH ancestor directories, walking
 * up from the inode's first dentry; NULL if none.
 */
static __always_inline __u32 *assignment_of(void *map, struct inode *inode)
{
	struct wbext_assign_key key = {
		.dev = BPF_CORE_READ(inode, i_sb, s_dev),
		.ino = inode->i_ino,
	};
	struct hlist_node *alias;
	struct dentry *d, *parent;
	__u32 *v;
	int i;

	v = bpf_map_lookup_elem(map, &key);
	if (v)
		return v;
	alias = BPF_CORE_READ(inode, i_dentry.first);
	if (!alias)
		return NULL;
	d = container_of(alias, struct dentry, d_u.d_alias);
	for (i = 0; i < ASSIGN_DEPTH; i++) {
		parent = BPF_CORE_READ(d, d_parent);
		if (!parent || parent == d)
			break;
		d = parent;
		key.ino = BPF_CORE_READ(d, d_inode, i_ino);
		v = bpf_map_lookup_elem(map, &key);
		if (v)
			return v;
	}
	return NULL;
}

/* Count an answer that came from "wbctl assign". */
static __always_inline void count_assigned(void)
{
	struct wbext_stats *st = my_stats();

	if (st)
		st->assigned++;
}

/* Count a select_shard answer and return it. */
static __always_inline s32 chosen(s32 shard)
{
	struct wbext_stats *st = my_stats();

	if (st) {
		if (shard < 0)
			st->fallbacks++;
		else
			st->chosen[(__u32)shard & (WBEXT_MAX_SHARDS - 1)]++;
	}
	return shard;
}

/* Count an answer that left the inode on @prev, its shard, and return it. */
static __always_inline s32 kept(s32 prev)
{
	struct wbext_stats *st = my_stats();

	if (st)
		st->kept++;
	return chosen(prev);
}

#endif /* WBEXT_COMMON_BPF_H */
