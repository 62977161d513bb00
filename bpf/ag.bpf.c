// SPDX-License-Identifier: GPL-2.0
/*
 * ag: the shard follows where the filesystem put the inode: the XFS
 * allocation group (the inode number's high bits, XFS_INO_TO_AGNO), or
 * the ext4 block group (flex group when the filesystem has them), modulo
 * the shards.  Files in different AGs then take different workers, and
 * one AG's files one worker, so that one AG's allocation (AGF lock,
 * xfs_end_io's unwritten extent conversion) is not contended by several
 * writeback workers.  An inode's AG is only a hint of where its data goes
 * on an aged filesystem, and more AGs than shards share workers.  Other
 * filesystems get the kernel's choice, counted as fallbacks.
 */
#include "common.bpf.h"
#include "throttle.bpf.h"
#include <bpf/bpf_core_read.h>

#define XFS_SB_MAGIC		0x58465342
#define EXT4_SUPER_MAGIC	0xEF53

/*
 * Local flavours of the fields read: where XFS or ext4 is a module (as in
 * Debian's kernel) the types are in that module's BTF, present only while
 * it is loaded, and libbpf matches "xfs_mount___wbx" to "xfs_mount" there;
 * bpf_core_type_exists() turns the branch of an absent module into dead
 * code instead of a relocation the verifier refuses.
 */
struct xfs_sb___wbx {
	__u8 sb_inopblog;
	__u8 sb_agblklog;
} __attribute__((preserve_access_index));

struct xfs_mount___wbx {
	struct xfs_sb___wbx m_sb;
} __attribute__((preserve_access_index));

struct ext4_sb_info___wbx {
	unsigned long s_inodes_per_group;
	unsigned int s_log_groups_per_flex;
} __attribute__((preserve_access_index));

/* the inode's allocation or block (flex) group, or -1 */
static __always_inline s64 group_of(struct inode *inode)
{
	struct super_block *sb = inode->i_sb;
	unsigned long magic = BPF_CORE_READ(sb, s_magic);
	void *fs = BPF_CORE_READ(sb, s_fs_info);
	__u64 ino = inode->i_ino;

	if (magic == XFS_SB_MAGIC && bpf_core_type_exists(struct xfs_mount___wbx)) {
		struct xfs_mount___wbx *mp = fs;
		__u32 agino_log = BPF_CORE_READ(mp, m_sb.sb_inopblog) +
				  BPF_CORE_READ(mp, m_sb.sb_agblklog);

		return agino_log < 64 ? ino >> agino_log : -1;
	}
	if (magic == EXT4_SUPER_MAGIC &&
	    bpf_core_type_exists(struct ext4_sb_info___wbx)) {
		struct ext4_sb_info___wbx *sbi = fs;
		__u64 per_group = BPF_CORE_READ(sbi, s_inodes_per_group);
		__u32 flex_log = BPF_CORE_READ(sbi, s_log_groups_per_flex);

		if (!per_group || !ino || flex_log >= 32)
			return -1;
		return ((ino - 1) / per_group) >> flex_log;
	}
	return -1;
}

SEC("struct_ops/select_shard")
s32 BPF_PROG(ag_select_shard, struct inode *inode, const struct wb_ext_wb *wb,
	     s32 cpu, s32 prev)
{
	s64 g = group_of(inode);

	return chosen(g < 0 ? -1 : (__u64)g % wb->nr_shards);
}

WBEXT_THROTTLE_POLICY(ag,
		      "the XFS allocation group / ext4 block group, modulo the shards");
