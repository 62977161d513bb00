// SPDX-License-Identifier: GPL-2.0
/*
 * wbctl assign: a file's, a tree's or a process's entry in the loaded
 * policy's maps (affinity: "pins", a shard; stream: "ids" and "procs", a
 * stream id), keyed as bpf/common.bpf.h's assigned() looks them up.
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
#include "wbctl_bpf.h"

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

/*
 * "wbctl assign": with affinity (map "pins"), the shard of a file or tree;
 * with stream (maps "ids" and "procs"), the stream id of a file, a tree or
 * a process.  Any loaded policy with those maps takes them the same way.
 */
int cmd_assign(int argc, char **argv)
{
	char policy[256], path[512];
	struct wbext_pin_key key = {};
	bool remove = false, proc = false, shards;
	unsigned long n = 0, pid = 0;
	struct statfs sfs;
	struct stat st;
	const char *file;
	void *k = &key;
	__u32 v, tgid;
	char *end;
	int fd, i;

	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (!strcmp(argv[i], "-r"))
			remove = true;
		else if (!strcmp(argv[i], "-p"))
			proc = true;
		else
			break;
	}
	if (argc - i != (remove ? 1 : 2)) {
		wbctl_err("usage: wbctl assign PATH N | assign -p PID N | assign -r [-p] PATH|PID");
		return 2;
	}
	file = argv[i];
	if (!remove) {
		errno = 0;
		n = strtoul(argv[i + 1], &end, 10);
		if (errno || *end || end == argv[i + 1] || argv[i + 1][0] == '-' ||
		    n > UINT_MAX) {
			wbctl_err("'%s' is not a number in [0, %u]", argv[i + 1], UINT_MAX);
			return 2;
		}
	}
	if (proc) {
		errno = 0;
		pid = strtoul(file, &end, 10);
		if (errno || *end || !pid || pid > INT_MAX) {
			wbctl_err("'%s' is not a process id", file);
			return 2;
		}
		if (!remove && !is_process(pid))
			return 1;
	} else {
		if (stat(file, &st)) {
			wbctl_err("%s: %s", file, strerror(errno));
			return 1;
		}
		if (statfs(file, &sfs) == 0 &&
		    (sfs.f_type == BTRFS_SUPER_MAGIC || sfs.f_type == OVERLAYFS_SUPER_MAGIC)) {
			wbctl_err("%s: on btrfs and overlayfs stat() reports another device than the kernel's superblock, which the policy looks up: assign does not work there",
			    file);
			return 1;
		}
	}
	if (preflight())
		return 1;
	pinned_policy(policy, sizeof(policy));
	pin_path(path, sizeof(path), policy, proc ? "procs" : "pins");
	shards = !proc && !access(path, F_OK);
	if (!shards && !proc)
		pin_path(path, sizeof(path), policy, "ids");
	errno = ENOENT;
	fd = policy[0] ? bpf_obj_get(path) : -1;
	if (fd < 0 && errno != ENOENT) {
		wbctl_err("%s: %s", path, strerror(errno));
		return 1;
	}
	if (fd < 0) {
		wbctl_err("assign%s needs the %s policy: 'wbctl load %s' (or swap to it) first",
		    proc ? " -p" : "", proc ? "stream" : "affinity or stream",
		    proc ? "stream" : "affinity");
		return 1;
	}
	if (shards && n >= WBEXT_MAX_CTX) {
		wbctl_err("shard '%s' is not a number in [0, %d]", argv[i + 1],
		    WBEXT_MAX_CTX - 1);
		close(fd);
		return 2;
	}
	if (proc) {
		tgid = pid;
		k = &tgid;
	} else {
		/* the kernel's dev_t: MKDEV(major, minor) */
		key.dev = ((__u64)major(st.st_dev) << 20) | minor(st.st_dev);
		key.ino = st.st_ino;
	}
	v = n;
	if (remove ? bpf_map_delete_elem(fd, k) : bpf_map_update_elem(fd, k, &v, BPF_ANY)) {
		wbctl_err("%s %s%s: %s", remove ? "unassigning" : "assigning",
		    proc ? "process " : "", file,
		    errno == ENOENT ? "not assigned" : errno == E2BIG ?
		    "the policy's map is full (4096 entries): 'wbctl assign -r' some" :
		    strerror(errno));
		close(fd);
		return 1;
	}
	close(fd);
	if (remove)
		printf("%s%s: back to the policy's choice\n", proc ? "process " : "", file);
	else
		printf("%s%s%s: %s %lu\n", proc ? "process " : "", file,
		       !proc && S_ISDIR(st.st_mode) ? " (and the tree below it)" : "",
		       shards ? "written back on shard" : "stream", n);
	return 0;
}
