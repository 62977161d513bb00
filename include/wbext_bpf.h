/* SPDX-License-Identifier: GPL-2.0 */
/*
 * For BPF programs that implement struct wb_ext_ops (include after
 * vmlinux.h and bpf/bpf_helpers.h): the kfuncs of mm/wb_ext.c.  The
 * verifier lets only wb_ext_ops programs call them.  A context index is
 * 0 .. bpf_wb_ext_nr_ctx(inode) - 1 for the bdi of @inode.
 */
#ifndef WBEXT_BPF_H
#define WBEXT_BPF_H

/* Number of writeback contexts of @inode's bdi. */
extern u32 bpf_wb_ext_nr_ctx(struct inode *inode) __ksym;
/* CPU the worker of context @idx is bound to, or -ENOENT. */
extern s32 bpf_wb_ext_ctx_cpu(struct inode *inode, u32 idx) __ksym;
/* NUMA node of that CPU, or -ENOENT. */
extern s32 bpf_wb_ext_ctx_node(struct inode *inode, u32 idx) __ksym;
/* Dirty + under-writeback pages of context @idx, or -ENOENT. */
extern s64 bpf_wb_ext_ctx_load(struct inode *inode, u32 idx) __ksym;

#endif /* WBEXT_BPF_H */
