// SPDX-License-Identifier: GPL-2.0
/*
 * wbctl load, swap and unload: the commands that change which policy
 * runs.  A loaded policy outlives wbctl: its link is pinned at
 * /sys/fs/bpf/wbext/link and its maps at /sys/fs/bpf/wbext/<policy>/.
 */
#include <errno.h>
#include <getopt.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "wbctl.h"

/* -o KEY=VALUE... and -f FILE of load and swap, for policy @p or a file */
static int parse_settings(const struct wbctl_policy *p, int argc,
			  char **argv, struct wbctl_setting *set, int *nset,
			  const char **file)
{
	char msg[256];
	int c;

	*nset = 0;
	optind = 0;	/* glibc: a full reset after main's scan */
	opterr = 0;	/* said below, as JSON under -j */
	while ((c = getopt(argc, argv, "+o:f:h")) != -1) {
		switch (c) {
		case 'o':
			if (*nset >= MAX_SETTINGS) {
				wbctl_err("too many options (at most %d)", MAX_SETTINGS);
				return -1;
			}
			if (wbctl_parse_opt(p, optarg, &set[(*nset)++], msg,
					    sizeof(msg))) {
				wbctl_err("%s", msg);
				return -1;
			}
			break;
		case 'f':
			*file = optarg;
			break;
		default:
			wbctl_err("unknown option or missing value: -%c (see wbctl load --help)",
			    optopt);
			return -1;
		}
	}
	return 0;
}

static int prepare(int argc, char **argv, const char *cmd,
		   struct policy_obj *po)
{
	struct wbctl_setting set[MAX_SETTINGS];
	const struct wbctl_policy *p = NULL;
	const char *file = NULL, *name = NULL;
	int nset, ret;

	if (argc >= 2 && argv[1][0] != '-') {
		name = argv[1];
		if (wbctl_read_policies())
			return 1;
		p = wbctl_find_policy(name);
		if (!p) {
			wbctl_err("unknown policy '%s'; 'wbctl list' shows the policies", name);
			return 2;
		}
		argc--, argv++;
	}
	if (parse_settings(p, argc, argv, set, &nset, &file))
		return 2;
	if (optind < argc) {
		wbctl_err("%s: unexpected argument '%s'", cmd, argv[optind]);
		return 2;
	}
	if (!name && !file) {
		wbctl_err("%s: which policy? 'wbctl list' shows them (or -f FILE.bpf.o)",
		    cmd);
		return 2;
	}
	if (name && file) {
		wbctl_err("%s: give a policy name or -f FILE, not both", cmd);
		return 2;
	}
	if (preflight())
		return 1;
	lock_state();
	ret = open_policy(po, name, file, set, nset);
	return ret > 0 ? ret : ret ? 1 : 0;
}

int cmd_load(int argc, char **argv)
{
	struct policy_obj po = {};
	struct bpf_link *link;
	char state[64], ops[64];
	int ret;

	ret = prepare(argc, argv, "load", &po);
	if (ret)
		goto out;
	ret = 1;
	switch (clear_stale_pins(false)) {
	case 1:
		kernel_state(state, ops, sizeof(state));
		wbctl_err("policy %s is already loaded; use 'wbctl swap %s' or 'wbctl unload'",
		    ops, po.name);
		goto out;
	case -1:
		foreign_policy_error();
		goto out;
	}
	/* EAGAIN: the kernel is still ejecting a policy, for microseconds */
	for (int tries = 0; tries < 100; tries++) {
		link = bpf_map__attach_struct_ops(po.ops);
		if (link || errno != EAGAIN)
			break;
		usleep(10 * 1000);
	}
	if (!link) {
		ret = -errno;
		if (ret == -EBUSY) {
			kernel_state(state, ops, sizeof(state));
			wbctl_err("cannot attach %s: the kernel already runs policy '%s' (EBUSY)",
			    po.name, ops);
		} else {
			wbctl_err("cannot attach %s: %s (see dmesg)", po.name,
			    strerror(-ret));
		}
		ret = 1;
		goto out;
	}
	/* maps first, link last: a half-done load leaves no live link */
	if (pin_maps(&po) || bpf_link__pin(link, WBEXT_LINK_PIN)) {
		wbctl_err("cannot pin %s under %s: detaching it again", po.name,
		    WBEXT_PIN_DIR);
		bpf_link__destroy(link);
		unpin_dir(po.name);
		goto out;
	}
	bpf_link__disconnect(link);
	bpf_link__destroy(link);
	printf("loaded %s\n", po.name);
	ret = 0;
out:
	bpf_object__close(po.obj);
	return ret;
}

int cmd_swap(int argc, char **argv)
{
	struct policy_obj po = {};
	char state[64], ops[64];
	int ret, fd = -1;

	ret = prepare(argc, argv, "swap", &po);
	if (ret)
		goto out;
	ret = 1;
	switch (clear_stale_pins(false)) {
	case 0:
		wbctl_err("no policy is loaded: use 'wbctl load %s'", po.name);
		goto out;
	case -1:
		foreign_policy_error();
		goto out;
	}
	kernel_state(state, ops, sizeof(state));
	fd = bpf_obj_get(WBEXT_LINK_PIN);
	if (fd < 0) {
		wbctl_err("cannot open the pinned link %s: %s", WBEXT_LINK_PIN,
		    strerror(errno));
		goto out;
	}
	ret = fill_struct_ops_value(&po);
	if (!ret)
		ret = bpf_link_update(fd, bpf_map__fd(po.ops), NULL);
	if (ret) {
		wbctl_err("cannot swap %s for %s: %s (the old policy still runs; see dmesg)",
		    ops, po.name, strerror(-ret));
		ret = 1;
		goto out;
	}
	/* the new maps replace the old ones; the link pin stays */
	unpin_dirs_except(NULL);
	if (pin_maps(&po))
		wbctl_err("swapped to %s, but its maps are not pinned: 'wbctl stats' will not see them",
		    po.name);
	printf("swapped %s -> %s\n", ops, po.name);
	ret = 0;
out:
	if (fd >= 0)
		close(fd);
	bpf_object__close(po.obj);
	return ret;
}

int cmd_unload(int argc, char **argv)
{
	char state[64], ops[64];
	int fd;

	if (argc > 1) {
		wbctl_err("unload takes no arguments");
		return 2;
	}
	if (preflight())
		return 1;
	lock_state();
	switch (clear_stale_pins(true)) {
	case 0:
		printf("no policy loaded\n");
		return 0;
	case -1:
		foreign_policy_error();
		return 1;
	}
	kernel_state(state, ops, sizeof(state));
	fd = bpf_obj_get(WBEXT_LINK_PIN);
	/* detach even if someone else holds the link open */
	if (fd >= 0 && bpf_link_detach(fd))
		wbctl_err("detaching %s: %s", ops, strerror(errno));
	if (fd >= 0)
		close(fd);
	unlink(WBEXT_LINK_PIN);
	unpin_dirs_except(NULL);
	rmdir(WBEXT_PIN_DIR);
	printf("unloaded %s\n", ops);
	return 0;
}
