// SPDX-License-Identifier: GPL-2.0
/*
 * What the kernel and bpffs say: wb_ext's state in sysfs, and the pins
 * wbctl leaves under /sys/fs/bpf/wbext (the link, and each policy's maps
 * in a directory named after it), read, judged and removed.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/statfs.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include "wbctl.h"

#define BPF_FS_MAGIC	0xcafe4a11

void kernel_state(char *state, char *ops, size_t len)
{
	read_line(WBEXT_SYSFS "/state", state, len);
	read_line(WBEXT_SYSFS "/ops", ops, len);
}

/* The checks every command that touches the kernel makes first. */
int preflight(void)
{
	struct statfs sfs;

	if (geteuid() != 0) {
		wbctl_err("must be run as root: loading and pinning BPF policies needs CAP_BPF and CAP_SYS_ADMIN");
		return -1;
	}
	if (access(WBEXT_SYSFS, F_OK)) {
		wbctl_err("this kernel has no wb_ext_ops (no %s): boot a kernel built from kernel-patches/ with CONFIG_WB_EXT=y",
		    WBEXT_SYSFS);
		return -1;
	}
	if (statfs("/sys/fs/bpf", &sfs) || sfs.f_type != BPF_FS_MAGIC) {
		wbctl_err("no BPF filesystem at /sys/fs/bpf: mount -t bpf bpf /sys/fs/bpf");
		return -1;
	}
	return 0;
}

/*
 * load, swap and unload run one at a time (flock on the bpffs root, held
 * until exit): two at once would each take the other's pins for stale.
 */
void lock_state(void)
{
	int fd = open("/sys/fs/bpf", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0 && flock(fd, LOCK_EX))
		wbctl_err("cannot lock /sys/fs/bpf (%s): going on unlocked", strerror(errno));
}

void pin_path(char *buf, size_t len, const char *policy,
		     const char *map)
{
	if (map)
		snprintf(buf, len, WBEXT_PIN_DIR "/%s/%s", policy, map);
	else
		snprintf(buf, len, WBEXT_PIN_DIR "/%s", policy);
}

/* Removes /sys/fs/bpf/wbext/<dir>/ and the maps pinned in it. */
void unpin_dir(const char *dir)
{
	char path[512], file[768];
	struct dirent *de;
	DIR *d;

	pin_path(path, sizeof(path), dir, NULL);
	d = opendir(path);
	if (!d)
		return;
	while ((de = readdir(d)))
		if (de->d_name[0] != '.') {
			snprintf(file, sizeof(file), "%s/%s", path, de->d_name);
			unlink(file);
		}
	closedir(d);
	rmdir(path);
}

/* Every policy directory under /sys/fs/bpf/wbext except @keep. */
void unpin_dirs_except(const char *keep)
{
	struct dirent *de;
	DIR *d = opendir(WBEXT_PIN_DIR);

	if (!d)
		return;
	while ((de = readdir(d)))
		if (de->d_type == DT_DIR && de->d_name[0] != '.' &&
		    (!keep || strcmp(de->d_name, keep)))
			unpin_dir(de->d_name);
	closedir(d);
}

/* The policy directory wbctl pinned, or "" */
void pinned_policy(char *buf, size_t len)
{
	struct dirent *de;
	DIR *d = opendir(WBEXT_PIN_DIR);

	buf[0] = 0;
	if (!d)
		return;
	while ((de = readdir(d)))
		if (de->d_type == DT_DIR && de->d_name[0] != '.')
			snprintf(buf, len, "%s", de->d_name);
	closedir(d);
}

/*
 * Whether the pinned link still holds a policy: detach and ejection clear
 * its struct_ops map.  Names are no evidence: a -f object's map and its
 * .name may differ, and a swap renames the policy before its maps move.
 */
static bool link_attached(void)
{
	struct bpf_link_info li = {};
	__u32 len = sizeof(li);
	int fd = bpf_obj_get(WBEXT_LINK_PIN);
	bool ok;

	if (fd < 0)
		return false;
	ok = !bpf_link_get_info_by_fd(fd, &li, &len) &&
	     li.type == BPF_LINK_TYPE_STRUCT_OPS && li.struct_ops.map_id;
	close(fd);
	return ok;
}

/*
 * What wbctl's pins say, without changing anything: 1 if wbctl's policy
 * is pinned and runs, 0 if nothing is pinned and the kernel runs no
 * policy, -1 if the kernel runs a policy wbctl did not pin, -2 if pins
 * are left whose policy no longer runs (ejected by the kernel, detached
 * with bpftool, or a wbctl killed half-way).
 */
int pins_state(void)
{
	char state[64], ops[64], dir[256];
	bool link = !access(WBEXT_LINK_PIN, F_OK);

	kernel_state(state, ops, sizeof(state));
	pinned_policy(dir, sizeof(dir));
	if (link && !strcmp(state, "enabled") && link_attached())
		return 1;
	if (link || dir[0])
		return -2;
	if (!strcmp(state, "enabled") || !strcmp(state, "disabling"))
		return -1;
	return 0;
}

/*
 * For the commands that change state: stale pins are dead weight, remove
 * them (saying so unless @quiet) and report what remains as pins_state().
 */
int clear_stale_pins(bool quiet)
{
	char state[64], ops[64], dir[256], last[256];
	int ret = pins_state();

	if (ret != -2)
		return ret;
	kernel_state(state, ops, sizeof(state));
	pinned_policy(dir, sizeof(dir));
	read_line(WBEXT_SYSFS "/last_exit", last, sizeof(last));
	if (!quiet)
		fprintf(stderr,
			"wbctl: removing stale pins left under %s (link %s, maps of '%s'; kernel: %s%s%s; last exit: %s)\n",
			WBEXT_PIN_DIR,
			access(WBEXT_LINK_PIN, F_OK) ? "absent" : "pinned",
			dir[0] ? dir : "none", state, ops[0] ? ", runs " : "",
			ops, last);
	unlink(WBEXT_LINK_PIN);
	unpin_dirs_except(NULL);
	return pins_state();
}

void foreign_policy_error(void)
{
	char state[64], ops[64];

	kernel_state(state, ops, sizeof(state));
	wbctl_err("the kernel runs policy '%s', attached by another program (nothing pinned at %s); stop that program or detach it: bpftool link show; bpftool link detach id ID",
	    ops, WBEXT_LINK_PIN);
}
