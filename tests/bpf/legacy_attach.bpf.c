// SPDX-License-Identifier: GPL-2.0
/*
 * A wb_ext_ops map in SEC(".struct_ops"): the legacy attach through a map
 * update, without a BPF link.  The kernel refuses it (-EOPNOTSUPP): such a
 * policy would outlive its loader and could not be swapped.  Loaded by
 * tests/guest/53-wbext-busy.sh with "bpftool struct_ops register".
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

SEC("struct_ops/select_shard")
s32 BPF_PROG(legacy_select_shard, struct inode *inode,
	     const struct wb_ext_wb *wb, s32 cpu)
{
	return 0;
}

SEC(".struct_ops")
struct wb_ext_ops legacy = {
	.select_shard = (void *)legacy_select_shard,
	.name = "legacy",
};
