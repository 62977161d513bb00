// SPDX-License-Identifier: GPL-2.0
/*
 * wbctl assign: a file's, a tree's or a process's entry in the loaded
 * policy's assignment maps (include/wbext_assign.h: affinity's a shard,
 * stream's a stream id), keyed as bpf/common.bpf.h's assignment_of()
 * looks them up.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include "wbctl.h"
#include "wbext_assign.h"

#define BTRFS_SUPER_MAGIC	0x9123683e
#define OVERLAYFS_SUPER_MAGIC	0x794c7630

/* Whether @pid is a process (a thread group leader), saying why not. */
static bool is_process(unsigned long pid)
{
	char path[64], line[128];
	unsigned long t = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%lu/status", pid);
	f = fopen(path, "r");
	if (!f) {
		wbctl_err("no process %lu", pid);
		return false;
	}
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Tgid: %lu", &t) == 1)
			break;
	fclose(f);
	if (t != pid) {
		wbctl_err("%lu is a thread of process %lu: the policy looks up processes, give %lu",
		    pid, t, t);
		return false;
	}
	return true;
}

/* wbctl assign's arguments */
struct assign {
	bool remove, proc;
	const char *target;	/* PATH or PID */
	const char *ntext;	/* N, as given */
	unsigned long n, pid;
	struct stat st;		/* of PATH */
	__u32 key_tgid;
	struct wbext_assign_key key;
};

static int parse_args(int argc, char **argv, struct assign *a)
{
	char *end;
	int i;

	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (!strcmp(argv[i], "-r"))
			a->remove = true;
		else if (!strcmp(argv[i], "-p"))
			a->proc = true;
		else
			break;
	}
	if (argc - i != (a->remove ? 1 : 2)) {
		wbctl_err("usage: wbctl assign PATH N | assign -p PID N | assign -r [-p] PATH|PID");
		return 2;
	}
	a->target = argv[i];
	a->ntext = a->remove ? NULL : argv[i + 1];
	if (!a->remove) {
		errno = 0;
		a->n = strtoul(a->ntext, &end, 10);
		if (errno || *end || end == a->ntext || a->ntext[0] == '-' ||
		    a->n > UINT_MAX) {
			wbctl_err("'%s' is not a number in [0, %u]", a->ntext, UINT_MAX);
			return 2;
		}
	}
	if (!a->proc)
		return 0;
	errno = 0;
	a->pid = strtoul(a->target, &end, 10);
	if (errno || *end || !a->pid || a->pid > INT_MAX) {
		wbctl_err("'%s' is not a process id", a->target);
		return 2;
	}
	return 0;
}

/* The process or file to assign, as the policy will look it up */
static int resolve_target(struct assign *a)
{
	struct statfs sfs;

	if (a->proc) {
		if (!a->remove && !is_process(a->pid))
			return 1;
		a->key_tgid = a->pid;
		return 0;
	}
	if (stat(a->target, &a->st)) {
		wbctl_err("%s: %s", a->target, strerror(errno));
		return 1;
	}
	if (statfs(a->target, &sfs) == 0 &&
	    (sfs.f_type == BTRFS_SUPER_MAGIC || sfs.f_type == OVERLAYFS_SUPER_MAGIC)) {
		wbctl_err("%s: on btrfs and overlayfs stat() reports another device than the kernel's superblock, which the policy looks up: assign does not work there",
		    a->target);
		return 1;
	}
	/* the kernel's dev_t: MKDEV(major, minor) */
	a->key.dev = ((__u64)major(a->st.st_dev) << 20) | minor(a->st.st_dev);
	a->key.ino = a->st.st_ino;
	return 0;
}

/* Whether @policy has the assignment map of an older wbctl, "pins" */
static bool legacy_map(const char *policy)
{
	char path[512];

	pin_path(path, sizeof(path), policy, "pins");
	return !access(path, F_OK);
}

/*
 * The loaded policy's map for @a: WBEXT_ASSIGN_SHARDS (*@shards set:
 * N is a shard) or WBEXT_ASSIGN_STREAMS for a file or tree,
 * WBEXT_ASSIGN_PROCS for a process; -1 said why.
 */
static int assign_map(const struct assign *a, bool *shards)
{
	char policy[256], path[512];
	int fd;

	pinned_policy(policy, sizeof(policy));
	pin_path(path, sizeof(path), policy, a->proc ?
		 WBEXT_STR(WBEXT_ASSIGN_PROCS) : WBEXT_STR(WBEXT_ASSIGN_SHARDS));
	*shards = !a->proc && !access(path, F_OK);
	if (!*shards && !a->proc)
		pin_path(path, sizeof(path), policy, WBEXT_STR(WBEXT_ASSIGN_STREAMS));
	errno = ENOENT;
	fd = policy[0] ? bpf_obj_get(path) : -1;
	if (fd < 0 && errno != ENOENT)
		wbctl_err("%s: %s", path, strerror(errno));
	else if (fd < 0 && !a->proc && legacy_map(policy))
		wbctl_err("policy %s was loaded by an older wbctl (its map 'pins' is now '%s'): 'wbctl swap %s' loads it again",
		    policy, WBEXT_STR(WBEXT_ASSIGN_SHARDS), policy);
	else if (fd < 0)
		wbctl_err("assign%s needs the %s policy: 'wbctl load %s' (or swap to it) first",
		    a->proc ? " -p" : "", a->proc ? "stream" : "affinity or stream",
		    a->proc ? "stream" : "affinity");
	return fd;
}

/* Writes or removes the entry; 0, or 1 said why */
static int update(int fd, const struct assign *a)
{
	const void *k = a->proc ? (const void *)&a->key_tgid : &a->key;
	const char *what = a->proc ? "process " : "";
	struct bpf_map_info info = {};
	__u32 v = a->n, len = sizeof(info);
	int err;

	if (!(a->remove ? bpf_map_delete_elem(fd, k) :
			  bpf_map_update_elem(fd, k, &v, BPF_ANY)))
		return 0;
	err = errno;
	if (err == E2BIG && bpf_map_get_info_by_fd(fd, &info, &len))
		wbctl_err("assigning %s%s: the policy's map is full: 'wbctl assign -r' some",
		    what, a->target);
	else if (err == E2BIG)
		wbctl_err("assigning %s%s: the policy's map is full (%u entries): 'wbctl assign -r' some",
		    what, a->target, info.max_entries);
	else
		wbctl_err("%s %s%s: %s", a->remove ? "unassigning" : "assigning",
		    what, a->target, err == ENOENT ? "not assigned" : strerror(err));
	return 1;
}

/*
 * "wbctl assign": the shard of a file or tree where the loaded policy has
 * the map WBEXT_ASSIGN_SHARDS (affinity), else its stream id in
 * WBEXT_ASSIGN_STREAMS, or a process's in WBEXT_ASSIGN_PROCS (stream).
 */
int cmd_assign(int argc, char **argv)
{
	struct assign a = {};
	bool shards;
	int fd, ret;

	ret = parse_args(argc, argv, &a);
	if (!ret)
		ret = resolve_target(&a);
	if (!ret && preflight())
		ret = 1;
	if (ret)
		return ret;
	fd = assign_map(&a, &shards);
	if (fd < 0)
		return 1;
	if (shards && a.n >= WBEXT_MAX_SHARDS) {
		wbctl_err("shard '%s' is not a number in [0, %d]", a.ntext,
		    WBEXT_MAX_SHARDS - 1);
		close(fd);
		return 2;
	}
	ret = update(fd, &a);
	close(fd);
	if (ret)
		return ret;
	if (a.remove)
		printf("%s%s: back to the policy's choice\n",
		       a.proc ? "process " : "", a.target);
	else
		printf("%s%s%s: %s %lu\n", a.proc ? "process " : "", a.target,
		       !a.proc && S_ISDIR(a.st.st_mode) ? " (and the tree below it)" : "",
		       shards ? "written back on shard" : "stream", a.n);
	return 0;
}
