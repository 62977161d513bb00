// SPDX-License-Identifier: GPL-2.0
/*
 * Must not load: a wb_ext_ops policy may not call sched_ext's kfuncs,
 * which share the struct_ops kfunc hook with ours (scx_bpf_error() from a
 * writeback policy would eject the running scheduler).  The wb_ext kfunc
 * filter refuses the call.  Needs a kernel with CONFIG_SCHED_CLASS_EXT
 * (the test kernel).  Loaded by wbext_reject (guest test 55).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

extern u32 scx_bpf_nr_cpu_ids(void) __ksym;

SEC("struct_ops/select_shard")
s32 BPF_PROG(scx_select_shard, struct inode *inode,
	     const struct wb_ext_wb *wb, s32 cpu)
{
	return scx_bpf_nr_cpu_ids() % wb->nr_shards;
}

SEC(".struct_ops.link")
struct wb_ext_ops reject_scx = {
	.select_shard = (void *)scx_select_shard,
	.name = "reject_scx",
};

char LICENSE[] SEC("license") = "GPL";
