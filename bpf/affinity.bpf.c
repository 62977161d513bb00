// SPDX-License-Identifier: GPL-2.0
/*
 * affinity: the same inode always goes to the same shard.  By default
 * the shard is a hash of the inode number and device, so a file that is
 * evicted and rewritten is written back by the same worker again, and
 * files spread evenly.  A user assigns a file, or a directory tree, to a
 * shard with "wbctl assign PATH SHARD": the map "pins" is looked up for
 * the inode and then for up to PIN_DEPTH of its ancestor directories.  An
 * assignment to a shard the device does not have falls back to the hash.
 */
#include "common.bpf.h"
#include <bpf/bpf_core_read.h>

#define PIN_DEPTH	16

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, struct wbext_pin_key);
	__type(value, __u32);
} pins SEC(".maps");

static __always_inline int pinned_ctx(struct inode *inode, __u64 dev,
				      u32 nr_ctx)
{
	struct wbext_pin_key key = { .dev = dev, .ino = inode->i_ino };
	struct hlist_node *alias;
	struct dentry *d, *parent;
	__u32 *ctx;
	int i;

	ctx = bpf_map_lookup_elem(&pins, &key);
	if (ctx)
		return *ctx < nr_ctx ? *ctx : -1;
	/* walk up from the inode's (first) dentry */
	alias = BPF_CORE_READ(inode, i_dentry.first);
	if (!alias)
		return -1;
	d = container_of(alias, struct dentry, d_u.d_alias);
	for (i = 0; i < PIN_DEPTH; i++) {
		parent = BPF_CORE_READ(d, d_parent);
		if (!parent || parent == d)
			break;
		d = parent;
		key.ino = BPF_CORE_READ(d, d_inode, i_ino);
		ctx = bpf_map_lookup_elem(&pins, &key);
		if (ctx)
			return *ctx < nr_ctx ? *ctx : -1;
	}
	return -1;
}

SEC("struct_ops/select_ctx")
s32 BPF_PROG(affinity_select_ctx, struct inode *inode,
	     const struct wb_ext_wb *wb, s32 cpu)
{
	u32 nr_ctx = wb->nr_ctx;
	__u64 dev = BPF_CORE_READ(inode, i_sb, s_dev);
	struct wbext_stats *st;
	__u64 h;
	int pin;

	pin = pinned_ctx(inode, dev, nr_ctx);
	if (pin >= 0) {
		st = my_stats();
		if (st)
			st->pinned++;
		return chosen(pin);
	}
	h = (inode->i_ino ^ (dev << 32)) * 0x9e3779b97f4a7c15ULL;
	return chosen((h >> 32) % nr_ctx);
}

SEC(".struct_ops.link")
struct wb_ext_ops affinity = {
	.select_ctx = (void *)affinity_select_ctx,
	WBEXT_THROTTLE_OPS,
	.name = "affinity",
};
