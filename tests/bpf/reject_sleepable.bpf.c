// SPDX-License-Identifier: GPL-2.0
/*
 * Must not load: no wb_ext_ops callback may sleep (they run under
 * spinlocks), so the verifier refuses a sleepable select_shard.
 * Loaded by wbext_reject (guest test 55).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

SEC("struct_ops.s/select_shard")
s32 BPF_PROG(sleepy_select_shard, struct inode *inode,
	     const struct wb_ext_wb *wb, s32 cpu)
{
	return -1;
}

SEC(".struct_ops.link")
struct wb_ext_ops reject_sleepable = {
	.select_shard = (void *)sleepy_select_shard,
	.name = "reject_sleepable",
};

char LICENSE[] SEC("license") = "GPL";
