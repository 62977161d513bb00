// SPDX-License-Identifier: GPL-2.0
/*
 * wbctl: load, swap and observe wbext writeback policies (wb_ext_ops).
 * See docs/wbctl.md.  A loaded policy outlives wbctl: its link is pinned
 * at /sys/fs/bpf/wbext/link and its maps at /sys/fs/bpf/wbext/<policy>/.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "libbpf_log.h"
#include "wbctl.h"
#include "rr.skel.h"
#include "affinity.skel.h"
#include "numa.skel.h"
#include "lb.skel.h"

#define BPF_FS_MAGIC	0xcafe4a11

static void __attribute__((format(printf, 1, 2))) err(const char *fmt, ...)
{
	va_list ap;

	fputs("wbctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* ---- what the kernel and bpffs say ---- */

static int read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");

	buf[0] = 0;
	if (!f)
		return -errno;
	if (!fgets(buf, len, f))
		buf[0] = 0;
	fclose(f);
	buf[strcspn(buf, "\n")] = 0;
	return 0;
}

static void kernel_state(char *state, char *ops, size_t len)
{
	read_line(WBEXT_SYSFS "/state", state, len);
	read_line(WBEXT_SYSFS "/ops", ops, len);
}

/* The checks every command that touches the kernel makes first. */
static int preflight(void)
{
	struct statfs sfs;

	if (geteuid() != 0) {
		err("must be run as root: loading and pinning BPF policies needs CAP_BPF and CAP_SYS_ADMIN");
		return -1;
	}
	if (access(WBEXT_SYSFS, F_OK)) {
		err("this kernel has no wb_ext_ops (no %s): boot a kernel built from kernel-patches/ with CONFIG_WB_EXT=y",
		    WBEXT_SYSFS);
		return -1;
	}
	if (statfs("/sys/fs/bpf", &sfs) || sfs.f_type != BPF_FS_MAGIC) {
		err("no BPF filesystem at /sys/fs/bpf: mount -t bpf bpf /sys/fs/bpf");
		return -1;
	}
	return 0;
}

static void pin_path(char *buf, size_t len, const char *policy,
		     const char *map)
{
	if (map)
		snprintf(buf, len, WBEXT_PIN_DIR "/%s/%s", policy, map);
	else
		snprintf(buf, len, WBEXT_PIN_DIR "/%s", policy);
}

/* Removes /sys/fs/bpf/wbext/<dir>/ and the maps pinned in it. */
static void unpin_dir(const char *dir)
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
static void unpin_dirs_except(const char *keep)
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
static void pinned_policy(char *buf, size_t len)
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
 * A pinned link whose policy no longer runs (ejected, detached with
 * bpftool, or a wbctl killed half-way) is dead weight: remove it.
 * Returns 1 if a live wbctl policy is pinned, 0 if none, -1 if the kernel
 * runs a policy that wbctl did not pin.
 */
static int check_pins(bool quiet)
{
	char state[64], ops[64], dir[256], last[256];
	bool link = !access(WBEXT_LINK_PIN, F_OK);

	kernel_state(state, ops, sizeof(state));
	pinned_policy(dir, sizeof(dir));
	if (link && !strcmp(state, "enabled") && !strcmp(ops, dir))
		return 1;
	if (link || dir[0]) {
		read_line(WBEXT_SYSFS "/last_exit", last, sizeof(last));
		if (!quiet)
			fprintf(stderr,
				"wbctl: removing stale pins left under %s (link %s, maps of '%s'; kernel: %s%s%s; last exit: %s)\n",
				WBEXT_PIN_DIR, link ? "pinned" : "absent",
				dir[0] ? dir : "none", state,
				ops[0] ? ", runs " : "", ops, last);
		unlink(WBEXT_LINK_PIN);
		unpin_dirs_except(NULL);
	}
	if (!strcmp(state, "enabled") || !strcmp(state, "disabling"))
		return -1;
	return 0;
}

static void foreign_policy_error(void)
{
	char state[64], ops[64];

	kernel_state(state, ops, sizeof(state));
	err("the kernel runs policy '%s', attached by another program (nothing pinned at %s); stop that program or detach it: bpftool link show; bpftool link detach id ID",
	    ops, WBEXT_LINK_PIN);
}

/* ---- opening and configuring a policy object ---- */

struct policy_obj {
	struct bpf_object *obj;
	struct bpf_map *ops;	/* the struct_ops map */
	char name[64];
};

static const void *policy_elf(const char *name, size_t *sz)
{
	if (!strcmp(name, "rr"))
		return rr_bpf__elf_bytes(sz);
	if (!strcmp(name, "affinity"))
		return affinity_bpf__elf_bytes(sz);
	if (!strcmp(name, "numa"))
		return numa_bpf__elf_bytes(sz);
	if (!strcmp(name, "lb"))
		return lb_bpf__elf_bytes(sz);
	return NULL;
}

/* Sets the .rodata variable @key of @obj to @value (all options are u32). */
static int set_rodata(struct bpf_object *obj, const char *key,
		      unsigned long value)
{
	struct btf *btf = bpf_object__btf(obj);
	const struct btf_var_secinfo *vs;
	const struct btf_type *sec;
	struct bpf_map *map;
	size_t size;
	char *data;
	int id, i;

	bpf_object__for_each_map(map, obj) {
		if (!strstr(bpf_map__name(map), ".rodata"))
			continue;
		data = bpf_map__initial_value(map, &size);
		id = btf__find_by_name_kind(btf, ".rodata", BTF_KIND_DATASEC);
		if (!data || id < 0)
			break;
		sec = btf__type_by_id(btf, id);
		vs = btf_var_secinfos(sec);
		for (i = 0; i < btf_vlen(sec); i++, vs++) {
			const struct btf_type *var = btf__type_by_id(btf, vs->type);

			if (strcmp(btf__name_by_offset(btf, var->name_off), key))
				continue;
			if (vs->size != sizeof(__u32) || vs->offset + 4 > size)
				return -EINVAL;
			*(__u32 *)(data + vs->offset) = value;
			return 0;
		}
	}
	return -ENOENT;
}

static int open_policy(struct policy_obj *po, const char *policy,
		       const char *file, struct wbctl_setting *set, int nset)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts);
	const void *elf;
	struct bpf_map *map;
	size_t sz = 0;
	int ret;

	memset(po, 0, sizeof(*po));
	if (file) {
		po->obj = bpf_object__open_file(file, &opts);
	} else {
		elf = policy_elf(policy, &sz);
		opts.object_name = policy;
		po->obj = bpf_object__open_mem(elf, sz, &opts);
	}
	if (!po->obj) {
		ret = -errno;
		err("cannot open %s: %s", file ?: policy, strerror(-ret));
		return ret;
	}
	bpf_object__for_each_map(map, po->obj) {
		if (bpf_map__type(map) != BPF_MAP_TYPE_STRUCT_OPS)
			continue;
		if (po->ops) {
			err("%s has more than one struct_ops map", file ?: policy);
			return -EINVAL;
		}
		po->ops = map;
	}
	if (!po->ops) {
		err("%s has no struct wb_ext_ops map (SEC(\".struct_ops.link\"))",
		    file ?: policy);
		return -EINVAL;
	}
	snprintf(po->name, sizeof(po->name), "%s", bpf_map__name(po->ops));
	for (int i = 0; i < nset; i++) {
		ret = set_rodata(po->obj, set[i].opt->key, set[i].value);
		if (ret) {
			err("policy %s: cannot set option %s: %s", policy,
			    set[i].opt->key, strerror(-ret));
			return ret;
		}
	}
	libbpf_log_len = 0;
	ret = bpf_object__load(po->obj);
	if (ret) {
		if (!libbpf_verbose && strstr(libbpf_log, "BEGIN PROG LOAD LOG"))
			err("the kernel's verifier rejected policy %s (%s); run 'wbctl -v ...' for the verifier log",
			    po->name, strerror(-ret));
		else if (!libbpf_verbose)
			err("cannot load policy %s: %s\n%s", po->name,
			    strerror(-ret), libbpf_log);
		else
			err("cannot load policy %s: %s", po->name,
			    strerror(-ret));
		return ret;
	}
	return 0;
}

static int pin_maps(struct policy_obj *po)
{
	char path[512];
	struct bpf_map *map;
	int ret;

	mkdir(WBEXT_PIN_DIR, 0700);
	pin_path(path, sizeof(path), po->name, NULL);
	mkdir(path, 0700);
	bpf_object__for_each_map(map, po->obj) {
		if (bpf_map__type(map) == BPF_MAP_TYPE_STRUCT_OPS ||
		    bpf_map__is_internal(map))
			continue;
		pin_path(path, sizeof(path), po->name, bpf_map__name(map));
		ret = bpf_map__pin(map, path);
		if (ret) {
			err("cannot pin map %s at %s: %s", bpf_map__name(map),
			    path, strerror(-ret));
			return ret;
		}
	}
	return 0;
}

/*
 * The kernel value of a wb_ext_ops map, for a swap (bpf_link_update()).
 * libbpf 1.5 translates the object's struct wb_ext_ops into the kernel's
 * at load time, but writes that value to the map only inside
 * bpf_map__attach_struct_ops(), which also creates a link (refused with
 * EBUSY while a policy runs); it has no call that writes the value alone.
 * So translate here as libbpf does: member by member, by name, between the
 * object's BTF and the kernel's.  A program's expected_attach_type is the
 * index of its member in the kernel's type (libbpf sets it at load).  A
 * data member that the kernel lacks or sizes differently is refused.
 */
static int fill_struct_ops_value(struct policy_obj *po)
{
	struct btf *vbtf = btf__load_vmlinux_btf();
	const struct btf *obtf = bpf_object__btf(po->obj);
	const struct btf_type *vt, *kt, *ut, *mt;
	const struct btf_member *km, *um;
	struct bpf_program *prog;
	__u32 data_off = 0, zero = 0;
	char *val = NULL, *kdata;
	int vid, tid, ret = -ENOENT, i, j, idx;
	const char *mname, *udata;
	size_t usz;

	if (!vbtf)
		return -errno;
	vid = btf__find_by_name_kind(vbtf, "bpf_struct_ops_wb_ext_ops",
				     BTF_KIND_STRUCT);
	tid = btf__find_by_name_kind(vbtf, "wb_ext_ops", BTF_KIND_STRUCT);
	ut = obtf ? btf__type_by_id(obtf, bpf_map__btf_value_type_id(po->ops))
		  : NULL;
	udata = bpf_map__initial_value(po->ops, &usz);
	if (vid < 0 || tid < 0 || !ut || !btf_is_struct(ut) || !udata)
		goto out;
	vt = btf__type_by_id(vbtf, vid);
	kt = btf__type_by_id(vbtf, tid);
	km = btf_members(vt);
	for (i = 0; i < btf_vlen(vt); i++, km++)
		if (!strcmp(btf__name_by_offset(vbtf, km->name_off), "data"))
			data_off = km->offset / 8;
	val = calloc(1, vt->size);
	if (!val || !data_off) {
		ret = -ENOMEM;
		goto out;
	}
	kdata = val + data_off;

	um = btf_members(ut);
	for (i = 0; i < btf_vlen(ut); i++, um++) {
		__s64 usize, ksize;

		mname = btf__name_by_offset(obtf, um->name_off);
		mt = btf__type_by_id(obtf, um->type);
		while (mt && btf_is_mod(mt))
			mt = btf__type_by_id(obtf, mt->type);
		if (mt && btf_is_ptr(mt))
			continue;	/* a callback: its program, below */
		km = btf_members(kt);
		for (j = 0; j < btf_vlen(kt); j++, km++)
			if (!strcmp(btf__name_by_offset(vbtf, km->name_off),
				    mname))
				break;
		usize = btf__resolve_size(obtf, um->type);
		ksize = j < btf_vlen(kt) ? btf__resolve_size(vbtf, km->type)
					 : -1;
		if (usize < 0 || usize != ksize ||
		    (size_t)(um->offset / 8 + usize) > usz) {
			err("policy %s: member '%s' of its struct wb_ext_ops is not in the running kernel's, or has another size: rebuild the policy against this kernel's vmlinux.h",
			    po->name, mname);
			ret = -EINVAL;
			goto out;
		}
		memcpy(kdata + km->offset / 8, udata + um->offset / 8, usize);
	}

	km = btf_members(kt);
	bpf_object__for_each_program(prog, po->obj) {
		if (bpf_program__type(prog) != BPF_PROG_TYPE_STRUCT_OPS ||
		    bpf_program__fd(prog) < 0)
			continue;
		idx = bpf_program__expected_attach_type(prog);
		if (idx < 0 || idx >= btf_vlen(kt))
			continue;
		*(__u64 *)(kdata + km[idx].offset / 8) = bpf_program__fd(prog);
	}
	ret = bpf_map_update_elem(bpf_map__fd(po->ops), &zero, val, 0);
	if (ret == -EBUSY)
		ret = 0;
out:
	free(val);
	btf__free(vbtf);
	return ret;
}

/* ---- commands ---- */

static int parse_settings(const struct wbctl_policy *p, int argc,
			  char **argv, struct wbctl_setting *set, int *nset,
			  const char **file)
{
	char msg[256];
	int c;

	*nset = 0;
	optind = 1;
	while ((c = getopt(argc, argv, "+o:f:h")) != -1) {
		switch (c) {
		case 'o':
			if (!p) {
				err("-o needs a policy wbctl carries, not -f FILE");
				return -1;
			}
			if (*nset >= 16 ||
			    wbctl_parse_opt(p, optarg, &set[*nset], msg,
					    sizeof(msg))) {
				err("%s", *nset >= 16 ? "too many options" : msg);
				return -1;
			}
			(*nset)++;
			break;
		case 'f':
			*file = optarg;
			break;
		default:
			return -1;
		}
	}
	return 0;
}

static int cmd_list(int argc, char **argv)
{
	wbctl_print_list(stdout, argc > 1 && !strcmp(argv[1], "-v"));
	return 0;
}

static int prepare(int argc, char **argv, const char *cmd,
		   struct policy_obj *po)
{
	struct wbctl_setting set[16];
	const struct wbctl_policy *p = NULL;
	const char *file = NULL, *name = NULL;
	int nset;

	if (argc >= 2 && argv[1][0] != '-') {
		name = argv[1];
		p = wbctl_find_policy(name);
		if (!p) {
			err("unknown policy '%s'; 'wbctl list' shows the policies", name);
			return 2;
		}
		argc--, argv++;
	}
	if (parse_settings(p, argc, argv, set, &nset, &file))
		return 2;
	if (optind < argc) {
		err("%s: unexpected argument '%s'", cmd, argv[optind]);
		return 2;
	}
	if (!name && !file) {
		err("%s: which policy? 'wbctl list' shows them (or -f FILE.bpf.o)",
		    cmd);
		return 2;
	}
	if (name && file) {
		err("%s: give a policy name or -f FILE, not both", cmd);
		return 2;
	}
	if (preflight())
		return 1;
	return open_policy(po, name, file, set, nset) ? 1 : 0;
}

static int cmd_load(int argc, char **argv)
{
	struct policy_obj po = {};
	struct bpf_link *link;
	char state[64], ops[64];
	int ret;

	ret = prepare(argc, argv, "load", &po);
	if (ret)
		goto out;
	ret = 1;
	switch (check_pins(false)) {
	case 1:
		kernel_state(state, ops, sizeof(state));
		err("policy %s is already loaded; use 'wbctl swap %s' or 'wbctl unload'",
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
			err("cannot attach %s: the kernel already runs policy '%s' (EBUSY)",
			    po.name, ops);
		} else {
			err("cannot attach %s: %s (see dmesg)", po.name,
			    strerror(-ret));
		}
		ret = 1;
		goto out;
	}
	/* maps first, link last: a half-done load leaves no live link */
	if (pin_maps(&po) || bpf_link__pin(link, WBEXT_LINK_PIN)) {
		err("cannot pin %s under %s: detaching it again", po.name,
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

static int cmd_swap(int argc, char **argv)
{
	struct policy_obj po = {};
	char state[64], ops[64];
	int ret, fd = -1;

	ret = prepare(argc, argv, "swap", &po);
	if (ret)
		goto out;
	ret = 1;
	switch (check_pins(false)) {
	case 0:
		err("no policy is loaded: use 'wbctl load %s'", po.name);
		goto out;
	case -1:
		foreign_policy_error();
		goto out;
	}
	kernel_state(state, ops, sizeof(state));
	fd = bpf_obj_get(WBEXT_LINK_PIN);
	if (fd < 0) {
		err("cannot open the pinned link %s: %s", WBEXT_LINK_PIN,
		    strerror(errno));
		goto out;
	}
	ret = fill_struct_ops_value(&po);
	if (!ret)
		ret = bpf_link_update(fd, bpf_map__fd(po.ops), NULL);
	if (ret) {
		err("cannot swap %s for %s: %s (the old policy still runs; see dmesg)",
		    ops, po.name, strerror(-ret));
		ret = 1;
		goto out;
	}
	/* the new maps replace the old ones; the link pin stays */
	unpin_dirs_except(NULL);
	if (pin_maps(&po))
		err("swapped to %s, but its maps are not pinned: 'wbctl stats' will not see them",
		    po.name);
	printf("swapped %s -> %s\n", ops, po.name);
	ret = 0;
out:
	if (fd >= 0)
		close(fd);
	bpf_object__close(po.obj);
	return ret;
}

static int cmd_unload(int argc, char **argv)
{
	char state[64], ops[64];
	int fd;

	if (argc > 1) {
		err("unload takes no arguments");
		return 2;
	}
	if (preflight())
		return 1;
	switch (check_pins(true)) {
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
		err("detaching %s: %s", ops, strerror(errno));
	if (fd >= 0)
		close(fd);
	unlink(WBEXT_LINK_PIN);
	unpin_dirs_except(NULL);
	rmdir(WBEXT_PIN_DIR);
	printf("unloaded %s\n", ops);
	return 0;
}

static int cmd_status(int argc, char **argv)
{
	char state[64], ops[64], seq[64], last[256], dir[256], path[512];
	char when[64] = "?";
	struct stat st;
	bool link;

	if (argc > 1) {
		err("status takes no arguments");
		return 2;
	}
	if (access(WBEXT_SYSFS, F_OK)) {
		err("this kernel has no wb_ext_ops (no %s): boot a kernel built from kernel-patches/ with CONFIG_WB_EXT=y",
		    WBEXT_SYSFS);
		return 1;
	}
	kernel_state(state, ops, sizeof(state));
	read_line(WBEXT_SYSFS "/enable_seq", seq, sizeof(seq));
	read_line(WBEXT_SYSFS "/last_exit", last, sizeof(last));
	link = !access(WBEXT_LINK_PIN, F_OK);
	pinned_policy(dir, sizeof(dir));
	pin_path(path, sizeof(path), dir, NULL);
	if (dir[0] && !stat(path, &st))
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S",
			 localtime(&st.st_mtime));
	printf("kernel:     %s%s%s\n", state, ops[0] ? ", policy " : "", ops);
	printf("enable_seq: %s\n", seq);
	printf("last exit:  %s\n", last);
	if (link && !strcmp(state, "enabled") && !strcmp(ops, dir))
		printf("wbctl:      %s loaded since %s (%s)\n", dir, when,
		       WBEXT_LINK_PIN);
	else if (link || dir[0])
		printf("wbctl:      stale pins under %s (link %s, maps of '%s'): 'wbctl unload' or 'wbctl load' removes them\n",
		       WBEXT_PIN_DIR, link ? "pinned" : "absent",
		       dir[0] ? dir : "none");
	else if (ops[0])
		printf("wbctl:      %s was not loaded by wbctl\n", ops);
	else
		printf("wbctl:      no policy loaded\n");
	return 0;
}

static int nr_contexts(void)
{
	char line[64], path[512];
	struct dirent *de;
	int n = 1, v;
	DIR *d = opendir("/sys/class/bdi");

	while (d && (de = readdir(d))) {
		snprintf(path, sizeof(path), "/sys/class/bdi/%s/nr_wb_ctx",
			 de->d_name);
		if (!read_line(path, line, sizeof(line)) &&
		    (v = atoi(line)) > n)
			n = v;
	}
	if (d)
		closedir(d);
	return n;
}

static volatile sig_atomic_t stop;
static void on_signal(int sig) { stop = 1; }

static int cmd_stats(int argc, char **argv)
{
	char state[64], ops[64], path[512];
	struct wbext_stats *v;
	int c, json = 0, wait = 0, fd, ncpu;
	__u32 zero = 0;

	optind = 1;
	while ((c = getopt(argc, argv, "jw:h")) != -1) {
		switch (c) {
		case 'j':
			json = 1;
			break;
		case 'w':
			wait = atoi(optarg);
			if (wait <= 0) {
				err("-w wants a number of seconds > 0, not '%s'", optarg);
				return 2;
			}
			break;
		default:
			return 2;
		}
	}
	if (optind < argc) {
		err("stats: unexpected argument '%s'", argv[optind]);
		return 2;
	}
	if (preflight())
		return 1;
	if (check_pins(true) != 1) {
		kernel_state(state, ops, sizeof(state));
		if (ops[0])
			err("policy %s was not loaded by wbctl: its stats are not pinned under %s",
			    ops, WBEXT_PIN_DIR);
		else
			err("no policy loaded: 'wbctl load POLICY' first");
		return 1;
	}
	kernel_state(state, ops, sizeof(state));
	pin_path(path, sizeof(path), ops, "stats");
	fd = bpf_obj_get(path);
	if (fd < 0) {
		err("policy %s has no stats map at %s", ops, path);
		return 1;
	}
	ncpu = libbpf_num_possible_cpus();
	v = calloc(ncpu, sizeof(*v));
	if (!v || ncpu <= 0)
		return 1;
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	do {
		if (bpf_map_lookup_elem(fd, &zero, v)) {
			err("reading %s: %s", path, strerror(errno));
			return 1;
		}
		if (json)
			wbctl_print_stats_json(stdout, ops, v, ncpu,
					       nr_contexts());
		else
			wbctl_print_stats_table(stdout, ops, v, ncpu,
						nr_contexts());
		fflush(stdout);
		if (wait && !stop)
			sleep(wait);
		if (wait && !json && !stop)
			putchar('\n');
	} while (wait && !stop);
	free(v);
	close(fd);
	return 0;
}

static int cmd_pin(int argc, char **argv)
{
	char path[512];
	struct wbext_pin_key key = {};
	struct stat st;
	unsigned long ctx = 0;
	bool remove = argc == 3 && !strcmp(argv[1], "-r");
	const char *file = remove ? argv[2] : argv[1];
	char *end;
	__u32 v;
	int fd;

	if (argc != 3) {
		err("usage: wbctl pin PATH CTX | wbctl pin -r PATH");
		return 2;
	}
	if (!remove) {
		errno = 0;
		ctx = strtoul(argv[2], &end, 0);
		if (errno || *end || argv[2][0] == '-' || ctx >= WBEXT_MAX_CTX) {
			err("shard '%s' is not a number in [0, %d]", argv[2],
			    WBEXT_MAX_CTX - 1);
			return 2;
		}
	}
	if (stat(file, &st)) {
		err("%s: %s", file, strerror(errno));
		return 1;
	}
	if (preflight())
		return 1;
	pin_path(path, sizeof(path), "affinity", "pins");
	fd = bpf_obj_get(path);
	if (fd < 0) {
		err("pins need the affinity policy: 'wbctl load affinity' (or swap to it) first");
		return 1;
	}
	/* the kernel's dev_t: MKDEV(major, minor) */
	key.dev = ((__u64)major(st.st_dev) << 20) | minor(st.st_dev);
	key.ino = st.st_ino;
	v = ctx;
	if (remove ? bpf_map_delete_elem(fd, &key) :
		     bpf_map_update_elem(fd, &key, &v, BPF_ANY)) {
		err("%s %s: %s", remove ? "unpinning" : "pinning", file,
		    strerror(errno));
		close(fd);
		return 1;
	}
	close(fd);
	if (remove)
		printf("unpinned %s\n", file);
	else
		printf("pinned %s%s to context %lu\n", file,
		       S_ISDIR(st.st_mode) ? " (and the tree below it)" : "",
		       ctx);
	return 0;
}

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *usage;
	const char *help;
} cmds[] = {
	{ "list", cmd_list, "list [-v]",
	  "The policies wbctl carries, one line each; -v adds their options." },
	{ "load", cmd_load, "load POLICY [-o KEY=VALUE]... | load -f FILE.bpf.o",
	  "Load and attach a policy, and pin it under " WBEXT_PIN_DIR " so that it\n"
	  "stays after wbctl exits.  -f loads your own object with one wb_ext_ops map." },
	{ "swap", cmd_swap, "swap POLICY [-o KEY=VALUE]... | swap -f FILE.bpf.o",
	  "Replace the loaded policy atomically (bpf_link_update on the pinned link):\n"
	  "every decision is made by the old or the new policy, never by none.\n"
	  "Inodes already placed stay on their context." },
	{ "unload", cmd_unload, "unload",
	  "Detach the loaded policy and remove its pins; the kernel default decides again." },
	{ "status", cmd_status, "status",
	  "The kernel's state and policy, since when wbctl's policy runs, the last exit\n"
	  "reason (e.g. why a policy was ejected)." },
	{ "stats", cmd_stats, "stats [-j] [-w SECONDS]",
	  "Per-context and per-CPU statistics of the loaded policy; -j prints JSON,\n"
	  "-w refreshes every SECONDS until interrupted." },
	{ "pin", cmd_pin, "pin PATH CTX | pin -r PATH",
	  "With the affinity policy: write back PATH (a file, or every file below a\n"
	  "directory) on context CTX; -r removes the pin." },
};
#define NR_CMDS (sizeof(cmds) / sizeof(cmds[0]))

static void usage(FILE *f)
{
	fprintf(f, "usage: wbctl [-v] COMMAND [ARGS]   (wbctl COMMAND --help)\n");
	for (size_t i = 0; i < NR_CMDS; i++)
		fprintf(f, "  wbctl %s\n", cmds[i].usage);
	fprintf(f, "-v: libbpf messages and verifier logs (-vv: debug)\n");
}

int main(int argc, char **argv)
{
	while (argc > 1 && (!strcmp(argv[1], "-v") || !strcmp(argv[1], "-vv"))) {
		libbpf_verbose += strlen(argv[1]) - 1;
		argc--, argv++;
	}
	libbpf_set_print(libbpf_log_print);
	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "help")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	for (size_t i = 0; i < NR_CMDS; i++) {
		if (strcmp(argv[1], cmds[i].name))
			continue;
		for (int a = 2; a < argc; a++)
			if (!strcmp(argv[a], "--help") || !strcmp(argv[a], "-h")) {
				printf("usage: wbctl %s\n%s\n", cmds[i].usage,
				       cmds[i].help);
				return 0;
			}
		return cmds[i].fn(argc - 1, argv + 1);
	}
	err("unknown command '%s'", argv[1]);
	usage(stderr);
	return 2;
}
