/* SPDX-License-Identifier: GPL-2.0 */
/*
 * For BPF programs that implement struct wb_ext_ops (include after
 * vmlinux.h and bpf/bpf_helpers.h): the kfuncs of mm/wb_ext.c.  The
 * verifier lets only wb_ext_ops programs call them, and those programs no
 * other kfunc of the struct_ops hook.  A shard index is
 * 0 .. bpf_wb_ext_nr_ctx(inode) - 1 for the wb of @inode.
 */
#ifndef WBEXT_BPF_H
#define WBEXT_BPF_H

/* Number of writeback shards in use of @inode's wb. */
extern u32 bpf_wb_ext_nr_ctx(struct inode *inode) __ksym;
/* Home CPU of shard @idx's worker (a placement hint), or -ENOENT. */
extern s32 bpf_wb_ext_ctx_cpu(struct inode *inode, u32 idx) __ksym;
/* NUMA node of that CPU, or -ENOENT. */
extern s32 bpf_wb_ext_ctx_node(struct inode *inode, u32 idx) __ksym;
/* Inodes on shard @idx's lists, read without its lock, or -ENOENT. */
extern s64 bpf_wb_ext_ctx_load(struct inode *inode, u32 idx) __ksym;

#endif /* WBEXT_BPF_H */
