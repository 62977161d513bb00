// SPDX-License-Identifier: GPL-2.0
/*
 * Must not load: a policy may read the inode it is given, never write it.
 * Loaded by wbext_reject (guest test 55).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

SEC("struct_ops/select_shard")
s32 BPF_PROG(write_select_shard, struct inode *inode,
	     const struct wb_ext_wb *wb, s32 cpu)
{
	inode->i_size = 0;	/* a plain store through the pointer */
	return -1;
}

SEC(".struct_ops.link")
struct wb_ext_ops reject_write = {
	.select_shard = (void *)write_select_shard,
	.name = "reject_write",
};

char LICENSE[] SEC("license") = "GPL";
