// SPDX-License-Identifier: GPL-2.0
/*
 * wbctl: load, swap and observe wbext writeback policies (wb_ext_ops).
 * See wbctl(8), docs/wbctl.8.rst.  A loaded policy outlives wbctl: its link is pinned
 * at /sys/fs/bpf/wbext/link and its maps at /sys/fs/bpf/wbext/<policy>/.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
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
#include "ino.skel.h"
#include "ag.skel.h"
#include "stream.skel.h"

#define BPF_FS_MAGIC	0xcafe4a11
#define BTRFS_SUPER_MAGIC	0x9123683e
#define OVERLAYFS_SUPER_MAGIC	0x794c7630
#ifndef WBCTL_VERSION
#define WBCTL_VERSION	"unknown"
#endif

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

/*
 * load, swap and unload run one at a time (flock on the bpffs root, held
 * until exit): two at once would each take the other's pins for stale.
 */
static void lock_state(void)
{
	int fd = open("/sys/fs/bpf", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0 && flock(fd, LOCK_EX))
		err("cannot lock /sys/fs/bpf (%s): going on unlocked", strerror(errno));
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
static int pins_state(void)
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
static int clear_stale_pins(bool quiet)
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
	if (!strcmp(name, "ino"))
		return ino_bpf__elf_bytes(sz);
	if (!strcmp(name, "ag"))
		return ag_bpf__elf_bytes(sz);
	if (!strcmp(name, "stream"))
		return stream_bpf__elf_bytes(sz);
	return NULL;
}

/*
 * Sets the .rodata variable @key of @obj (a const volatile integer of 1,
 * 2, 4 or 8 bytes) to @value.  -ENOENT: no such variable, and @known
 * lists those there are; -ERANGE: @value does not fit.
 */
static int set_rodata(struct bpf_object *obj, const char *key,
		      unsigned long long value, char *known, size_t klen)
{
	struct btf *btf = bpf_object__btf(obj);
	const struct btf_var_secinfo *vs;
	const struct btf_type *sec;
	struct bpf_map *map;
	size_t size, used = 0;
	char *data;
	int id, i;

	known[0] = 0;
	map = bpf_object__find_map_by_name(obj, ".rodata");
	if (map) {
		data = bpf_map__initial_value(map, &size);
		id = btf ? btf__find_by_name_kind(btf, ".rodata", BTF_KIND_DATASEC)
			 : -ENOENT;
		if (!data || id < 0)
			return -ENOENT;
		sec = btf__type_by_id(btf, id);
		vs = btf_var_secinfos(sec);
		for (i = 0; i < btf_vlen(sec); i++, vs++) {
			const struct btf_type *var = btf__type_by_id(btf, vs->type);
			const char *name = btf__name_by_offset(btf, var->name_off);
			__u32 sz = vs->size;

			if (strcmp(name, key)) {
				if (used < klen)
					used += snprintf(known + used, klen - used,
							 "%s%s", used ? ", " : "", name);
				continue;
			}
			if ((sz != 1 && sz != 2 && sz != 4 && sz != 8) ||
			    vs->offset + sz > size)
				return -EINVAL;
			if (sz < 8 && value >> (8 * sz))
				return -ERANGE;
			memcpy(data + vs->offset, &value, sz);	/* little endian */
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
	if (bpf_object__btf(po->obj)) {
		const struct btf *b = bpf_object__btf(po->obj);
		const struct btf_type *t =
			btf__type_by_id(b, bpf_map__btf_value_type_id(po->ops));
		const char *tn = t ? btf__name_by_offset(b, t->name_off) : "";

		if (strcmp(tn, "wb_ext_ops")) {
			err("%s: its struct_ops map is a struct %s, not a struct wb_ext_ops",
			    file ?: policy, tn);
			return -EINVAL;
		}
	}
	snprintf(po->name, sizeof(po->name), "%s", bpf_map__name(po->ops));
	for (int i = 0; i < nset; i++) {
		char known[512];

		ret = set_rodata(po->obj, set[i].key, set[i].value, known,
				 sizeof(known));
		if (ret == -ENOENT)
			err("%s declares no const volatile '%s'%s%s", file ?: policy,
			    set[i].key, known[0] ? "; it has: " : "", known);
		else if (ret == -ERANGE)
			err("%s: option %s: %llu does not fit its variable",
			    file ?: policy, set[i].key, set[i].value);
		else if (ret)
			err("%s: option %s is not an integer of 1, 2, 4 or 8 bytes",
			    file ?: policy, set[i].key);
		if (ret)
			return 2;	/* a usage error, as for a built-in policy */
	}
	libbpf_log_len = 0;
	ret = bpf_object__load(po->obj);
	if (ret) {
		if (!libbpf_verbose && strstr(libbpf_log, "BEGIN PROG LOAD LOG"))
			err("the kernel's verifier rejected policy %s (%s); run 'wbctl -d ...' for the verifier log",
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

/*
 * -o KEY=VALUE for a policy wbctl carries (checked against its table) or
 * for -f FILE (any integer const volatile the object declares, checked
 * when it is opened).
 */
static int parse_settings(const struct wbctl_policy *p, int argc,
			  char **argv, struct wbctl_setting *set, int *nset,
			  const char **file)
{
	char msg[256], *eq, *end;
	int c;

	*nset = 0;
	optind = 0;	/* glibc: a full reset after main's scan */
	while ((c = getopt(argc, argv, "+o:f:h")) != -1) {
		switch (c) {
		case 'o':
			if (*nset >= MAX_SETTINGS) {
				err("too many options (at most %d)", MAX_SETTINGS);
				return -1;
			}
			if (p) {
				if (wbctl_parse_opt(p, optarg, &set[*nset], msg,
						    sizeof(msg))) {
					err("%s", msg);
					return -1;
				}
				set[*nset].key = set[*nset].opt->key;
			} else {
				eq = strchr(optarg, '=');
				if (!eq || eq == optarg || !eq[1]) {
					err("-o wants KEY=VALUE, not '%s'", optarg);
					return -1;
				}
				*eq = 0;
				errno = 0;
				set[*nset].key = optarg;
				set[*nset].opt = NULL;
				set[*nset].value = strtoull(eq + 1, &end, 0);
				if (errno || *end || eq[1] == '-') {
					err("option %s: '%s' is not a number", optarg,
					    eq + 1);
					return -1;
				}
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

static bool json_out, pretty;

static int cmd_list(int argc, char **argv)
{
	struct jw w;

	if (argc > 1 && strcmp(argv[1], "-v")) {	/* -v: what list was */
		err("list takes no arguments");
		return 2;
	}
	if (json_out) {
		jw_init(&w, stdout, pretty);
		wbctl_print_list_json(&w);
	} else {
		wbctl_print_list(stdout);
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
	lock_state();
	ret = open_policy(po, name, file, set, nset);
	return ret > 0 ? ret : ret ? 1 : 0;
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
	switch (clear_stale_pins(false)) {
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
	switch (clear_stale_pins(false)) {
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
		err("detaching %s: %s", ops, strerror(errno));
	if (fd >= 0)
		close(fd);
	unlink(WBEXT_LINK_PIN);
	unpin_dirs_except(NULL);
	rmdir(WBEXT_PIN_DIR);
	printf("unloaded %s\n", ops);
	return 0;
}

/*
 * The layout of struct wb_ext_ops in the kernel's BTF: where its members
 * start in the struct_ops map's value (@data_off) and the type itself.
 */
static int ops_layout(const struct btf *vbtf, __u32 *data_off,
		      const struct btf_type **kt)
{
	const struct btf_member *m;
	const struct btf_type *vt;
	int vid, tid;

	vid = btf__find_by_name_kind(vbtf, "bpf_struct_ops_wb_ext_ops",
				     BTF_KIND_STRUCT);
	tid = btf__find_by_name_kind(vbtf, "wb_ext_ops", BTF_KIND_STRUCT);
	if (vid < 0 || tid < 0)
		return -ENOENT;
	vt = btf__type_by_id(vbtf, vid);
	*kt = btf__type_by_id(vbtf, tid);
	*data_off = 0;
	m = btf_members(vt);
	for (int i = 0; i < btf_vlen(vt); i++, m++)
		if (!strcmp(btf__name_by_offset(vbtf, m->name_off), "data"))
			*data_off = m->offset / 8;
	return *data_off ? 0 : -ENOENT;
}

/* What runs behind the pinned link, read back from the kernel. */
struct running {
	__u64 load_time;		/* ns since boot */
	int nopts;
	struct {
		char key[64];
		long long value;
		bool is_signed;
	} opts[MAX_SETTINGS];
};

/* A program's .rodata: the const volatile integers, i.e. the options. */
static void read_options(struct running *r, __u32 map_id)
{
	struct bpf_map_info mi = {};
	__u32 len = sizeof(mi), zero = 0;
	const struct btf_var_secinfo *vs;
	const struct btf_type *sec, *var;
	struct btf *btf = NULL;
	char *val = NULL;
	int fd = bpf_map_get_fd_by_id(map_id);

	if (fd < 0 || bpf_map_get_info_by_fd(fd, &mi, &len) ||
	    !strstr(mi.name, ".rodata") || !mi.btf_id)
		goto out;
	btf = btf__load_from_kernel_by_id(mi.btf_id);
	val = calloc(1, mi.value_size);
	if (!btf || !val || bpf_map_lookup_elem(fd, &zero, val))
		goto out;
	sec = btf__type_by_id(btf, mi.btf_value_type_id);
	if (!sec || !btf_is_datasec(sec))
		goto out;
	vs = btf_var_secinfos(sec);
	for (int i = 0; i < btf_vlen(sec) && r->nopts < MAX_SETTINGS; i++, vs++) {
		const struct btf_type *t;
		unsigned long long v = 0;
		bool sgn;

		var = btf__type_by_id(btf, vs->type);
		t = btf__type_by_id(btf, var->type);
		while (t && (btf_is_mod(t) || btf_is_typedef(t)))
			t = btf__type_by_id(btf, t->type);
		if (!t || !(btf_is_int(t) || btf_is_enum(t)) ||
		    (vs->size != 1 && vs->size != 2 && vs->size != 4 &&
		     vs->size != 8) || vs->offset + vs->size > mi.value_size)
			continue;
		sgn = btf_is_int(t) ? btf_int_encoding(t) & BTF_INT_SIGNED
				    : btf_kflag(t);
		memcpy(&v, val + vs->offset, vs->size);
		if (sgn && vs->size < 8 && v >> (8 * vs->size - 1))
			v |= ~0ULL << (8 * vs->size);	/* sign-extend */
		snprintf(r->opts[r->nopts].key, sizeof(r->opts[0].key), "%s",
			 btf__name_by_offset(btf, var->name_off));
		r->opts[r->nopts].is_signed = sgn;
		r->opts[r->nopts++].value = v;
	}
out:
	free(val);
	btf__free(btf);
	if (fd >= 0)
		close(fd);
}

/*
 * The pinned link -> its struct_ops map -> the value, whose callback
 * members hold the programs' ids -> one program's load time and maps.
 */
static int read_running(struct running *r)
{
	struct bpf_link_info li = {};
	struct bpf_map_info mi = {};
	struct bpf_prog_info pi = {};
	const struct btf_member *m;
	const struct btf_type *kt;
	struct btf *vbtf = NULL;
	__u32 len, zero = 0, data_off, prog_id = 0, ids[16];
	int lfd, mfd = -1, pfd = -1, ret = -ENOENT;
	char *val = NULL;

	memset(r, 0, sizeof(*r));
	lfd = bpf_obj_get(WBEXT_LINK_PIN);
	if (lfd < 0)
		return -errno;
	len = sizeof(li);
	if (bpf_link_get_info_by_fd(lfd, &li, &len) ||
	    li.type != BPF_LINK_TYPE_STRUCT_OPS)
		goto out;
	mfd = bpf_map_get_fd_by_id(li.struct_ops.map_id);
	len = sizeof(mi);
	vbtf = btf__load_vmlinux_btf();
	if (mfd < 0 || bpf_map_get_info_by_fd(mfd, &mi, &len) || !vbtf ||
	    ops_layout(vbtf, &data_off, &kt))
		goto out;
	val = calloc(1, mi.value_size);
	if (!val || bpf_map_lookup_elem(mfd, &zero, val))
		goto out;
	m = btf_members(kt);
	for (int i = 0; i < btf_vlen(kt) && !prog_id; i++, m++) {
		const struct btf_type *t = btf__type_by_id(vbtf, m->type);

		while (t && btf_is_mod(t))
			t = btf__type_by_id(vbtf, t->type);
		if (t && btf_is_ptr(t) &&
		    data_off + m->offset / 8 + 8 <= mi.value_size)
			prog_id = *(__u64 *)(val + data_off + m->offset / 8);
	}
	pfd = prog_id ? bpf_prog_get_fd_by_id(prog_id) : -1;
	pi.nr_map_ids = 16;
	pi.map_ids = (__u64)(unsigned long)ids;
	len = sizeof(pi);
	if (pfd < 0 || bpf_prog_get_info_by_fd(pfd, &pi, &len))
		goto out;
	r->load_time = pi.load_time;
	for (__u32 i = 0; i < pi.nr_map_ids && i < 16; i++)
		read_options(r, ids[i]);
	ret = 0;
out:
	free(val);
	btf__free(vbtf);
	if (pfd >= 0)
		close(pfd);
	if (mfd >= 0)
		close(mfd);
	close(lfd);
	return ret;
}

/* A time since boot (ns, as bpf_prog_info's load_time) as wall time. */
static time_t boot_ns_to_wall(__u64 ns)
{
	struct timespec boot;

	clock_gettime(CLOCK_BOOTTIME, &boot);
	return time(NULL) - (boot.tv_sec - (time_t)(ns / 1000000000ULL));
}

static int cmd_status(int argc, char **argv)
{
	char state[64], ops[64], seq[64], last[256], dir[256];
	char when[64] = "?", opts[2048] = "";
	struct running r = {};
	struct jw w;
	time_t since = 0;
	int pins;
	size_t used = 0;

	if (argc > 1) {
		err("status takes no arguments");
		return 2;
	}
	if (geteuid() != 0) {
		err("must be run as root: wbctl's pins under %s are root's (0700)",
		    WBEXT_PIN_DIR);
		return 1;
	}
	if (access(WBEXT_SYSFS, F_OK)) {
		err("this kernel has no wb_ext_ops (no %s): boot a kernel built from kernel-patches/ with CONFIG_WB_EXT=y",
		    WBEXT_SYSFS);
		return 1;
	}
	kernel_state(state, ops, sizeof(state));
	read_line(WBEXT_SYSFS "/enable_seq", seq, sizeof(seq));
	read_line(WBEXT_SYSFS "/last_exit", last, sizeof(last));
	pinned_policy(dir, sizeof(dir));
	pins = pins_state();
	if (pins == 1 && !read_running(&r)) {
		since = boot_ns_to_wall(r.load_time);
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S",
			 localtime(&since));
		for (int i = 0; i < r.nopts && used < sizeof(opts); i++)
			used += snprintf(opts + used, sizeof(opts) - used,
					 r.opts[i].is_signed ? "%s%s=%lld" : "%s%s=%llu",
					 i ? " " : "", r.opts[i].key,
					 r.opts[i].value);
	}
	if (json_out) {
		jw_init(&w, stdout, pretty);
		jw_open(&w, NULL, '{');
		jw_open(&w, "kernel", '{');
		jw_str(&w, "state", state);
		jw_str(&w, "policy", ops);
		jw_u64(&w, "enable_seq", strtoull(seq, NULL, 10));
		jw_str(&w, "last_exit", last);
		jw_close(&w, '}');
		jw_open(&w, "wbctl", '{');
		jw_str(&w, "state", pins == 1 ? "loaded" : pins == 0 ? "none" :
			   pins == -1 ? "foreign" : "stale");
		jw_str(&w, "policy", pins == 1 || pins == -2 ? dir : "");
		if (pins == 1) {
			jw_u64(&w, "since", since);
			jw_open(&w, "options", '{');
			for (int i = 0; i < r.nopts; i++)
				jw_s64(&w, r.opts[i].key, r.opts[i].value,
				       r.opts[i].is_signed);
			jw_close(&w, '}');
		}
		jw_close(&w, '}');
		jw_close(&w, '}');
		return pins == -2;
	}
	printf("kernel:     %s%s%s\n", state, ops[0] ? ", policy " : "", ops);
	printf("enable_seq: %s\n", seq);
	printf("last exit:  %s\n", last);
	switch (pins) {
	case 1:
		printf("wbctl:      %s loaded since %s (%s)\n", dir, when,
		       WBEXT_LINK_PIN);
		printf("options:    %s\n", opts[0] ? opts : "none");
		return 0;
	case -1:
		printf("wbctl:      %s was not loaded by wbctl\n", ops);
		return 0;
	case 0:
		printf("wbctl:      no policy loaded\n");
		return 0;
	}
	printf("wbctl:      policy '%s' no longer runs: %s (last exit: %s); writeback uses %s.  'wbctl unload' removes its pins under %s; fix the policy (dmesg says why), then 'wbctl load' it again\n",
	       dir[0] ? dir : "?",
	       !strncmp(last, "error", 5) ? "the kernel ejected it" :
	       !strncmp(last, "unreg", 5) ? "it was detached outside wbctl" :
	       "it was replaced or detached", last,
	       ops[0] ? "another policy" : "the kernel's defaults",
	       WBEXT_PIN_DIR);
	return 1;
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
	char dir[256];
	static const struct option lopts[] = {
		{ "per-cpu", no_argument, NULL, 'c' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	char state[64], ops[64], path[512];
	struct wbext_stats *v;
	bool per_cpu = false;
	int c, wait = 0, fd, ncpu;
	__u32 zero = 0;
	struct jw w;

	optind = 0;	/* glibc: a full reset after main's scan */
	while ((c = getopt_long(argc, argv, "jw:h", lopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			per_cpu = true;
			break;
		case 'j':	/* as the global -j */
			json_out = true;
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
	kernel_state(state, ops, sizeof(state));
	switch (pins_state()) {
	case 1:
		break;
	case -1:
		err("policy %s was not loaded by wbctl: its stats are not pinned under %s",
		    ops, WBEXT_PIN_DIR);
		return 1;
	case -2:
		err("the policy wbctl loaded no longer runs: 'wbctl status' says why");
		return 1;
	default:
		err("no policy loaded: 'wbctl load POLICY' first");
		return 1;
	}
	pinned_policy(dir, sizeof(dir));
	pin_path(path, sizeof(path), dir, "stats");
	fd = bpf_obj_get(path);
	if (fd < 0) {
		err("policy %s has no stats map at %s", dir, path);
		return 1;
	}
	ncpu = libbpf_num_possible_cpus();
	v = ncpu > 0 ? calloc(ncpu, sizeof(*v)) : NULL;
	if (!v) {
		err("cannot size the per-CPU stats (%d CPUs)", ncpu);
		close(fd);
		return 1;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	do {
		if (bpf_map_lookup_elem(fd, &zero, v)) {
			err("reading %s: %s", path, strerror(errno));
			free(v);
			close(fd);
			return 1;
		}
		if (json_out) {
			jw_init(&w, stdout, pretty);
			wbctl_print_stats_json(&w, ops, v, ncpu, nr_contexts(),
					       per_cpu);
		} else {
			wbctl_print_stats_table(stdout, ops, v, ncpu,
						nr_contexts(), per_cpu);
		}
		fflush(stdout);
		if (wait && !stop)
			sleep(wait);
		if (wait && !json_out && !stop)
			putchar('\n');
	} while (wait && !stop);
	free(v);
	close(fd);
	return 0;
}

/* Whether @pid is a process (a thread group leader), saying why not. */
static bool is_process(unsigned long pid)
{
	char path[64], line[128];
	unsigned long t = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%lu/status", pid);
	f = fopen(path, "r");
	if (!f) {
		err("no process %lu", pid);
		return false;
	}
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Tgid: %lu", &t) == 1)
			break;
	fclose(f);
	if (t != pid) {
		err("%lu is a thread of process %lu: the policy looks up processes, give %lu",
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
static int cmd_assign(int argc, char **argv)
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
		err("usage: wbctl assign PATH N | assign -p PID N | assign -r [-p] PATH|PID");
		return 2;
	}
	file = argv[i];
	if (!remove) {
		errno = 0;
		n = strtoul(argv[i + 1], &end, 10);
		if (errno || *end || end == argv[i + 1] || argv[i + 1][0] == '-' ||
		    n > UINT_MAX) {
			err("'%s' is not a number in [0, %u]", argv[i + 1], UINT_MAX);
			return 2;
		}
	}
	if (proc) {
		errno = 0;
		pid = strtoul(file, &end, 10);
		if (errno || *end || !pid || pid > INT_MAX) {
			err("'%s' is not a process id", file);
			return 2;
		}
		if (!remove && !is_process(pid))
			return 1;
	} else {
		if (stat(file, &st)) {
			err("%s: %s", file, strerror(errno));
			return 1;
		}
		if (statfs(file, &sfs) == 0 &&
		    (sfs.f_type == BTRFS_SUPER_MAGIC || sfs.f_type == OVERLAYFS_SUPER_MAGIC)) {
			err("%s: on btrfs and overlayfs stat() reports another device than the kernel's superblock, which the policy looks up: assign does not work there",
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
		err("%s: %s", path, strerror(errno));
		return 1;
	}
	if (fd < 0) {
		err("assign%s needs the %s policy: 'wbctl load %s' (or swap to it) first",
		    proc ? " -p" : "", proc ? "stream" : "affinity or stream",
		    proc ? "stream" : "affinity");
		return 1;
	}
	if (shards && n >= WBEXT_MAX_CTX) {
		err("shard '%s' is not a number in [0, %d]", argv[i + 1],
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
		err("%s %s%s: %s", remove ? "unassigning" : "assigning",
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

static int cmd_tune(int argc, char **argv)
{
	return wbctl_tune(argc, argv, json_out, pretty);
}

/* wbctl -V: what runs here */
static int print_version(void)
{
	char state[64], ops[64];
	struct utsname u;
	bool wbx = !access(WBEXT_SYSFS, F_OK);
	char libbpf[32];
	struct jw w;

	uname(&u);
	kernel_state(state, ops, sizeof(state));
	snprintf(libbpf, sizeof(libbpf), "%u.%u", libbpf_major_version(),
		 libbpf_minor_version());
	if (json_out) {
		jw_init(&w, stdout, pretty);
		jw_open(&w, NULL, '{');
		jw_str(&w, "version", WBCTL_VERSION);
		jw_str(&w, "libbpf", libbpf);
		jw_str(&w, "kernel", u.release);
		jw_bool(&w, "wb_ext", wbx);
		jw_str(&w, "state", wbx ? state : "");
		jw_str(&w, "policy", wbx ? ops : "");
		jw_close(&w, '}');
		return 0;
	}
	printf("wbctl %s\nlibbpf %s\n", WBCTL_VERSION, libbpf);
	if (wbx)
		printf("kernel %s: wb_ext %s%s%s\n", u.release, state,
		       ops[0] ? ", policy " : "", ops);
	else
		printf("kernel %s: no wb_ext_ops (no %s)\n", u.release,
		       WBEXT_SYSFS);
	return 0;
}

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *usage;
	const char *help;
} cmds[] = {
	{ "list", cmd_list, "list",
	  "The policies wbctl carries and their -o options, with bounds and defaults." },
	{ "load", cmd_load, "load POLICY [-o KEY=VALUE]... | load -f FILE.bpf.o [-o KEY=VALUE]...",
	  "Load and attach a policy, and pin it under " WBEXT_PIN_DIR " so that it\n"
	  "stays after wbctl exits.  -f loads your own object with one wb_ext_ops map;\n"
	  "its -o keys are the integer const volatile variables it declares." },
	{ "swap", cmd_swap, "swap POLICY [-o KEY=VALUE]... | swap -f FILE.bpf.o [-o KEY=VALUE]...",
	  "Replace the loaded policy atomically (bpf_link_update on the pinned link):\n"
	  "every decision is made by the old or the new policy, never by none.\n"
	  "Inodes already placed stay on their shard." },
	{ "unload", cmd_unload, "unload",
	  "Detach the loaded policy and remove its pins; the kernel default decides again." },
	{ "status", cmd_status, "status",
	  "The kernel's state and policy, since when wbctl's policy runs and with which\n"
	  "options, the last exit reason (e.g. why a policy was ejected).  Exits 1 if\n"
	  "the policy wbctl loaded no longer runs.  Changes nothing." },
	{ "stats", cmd_stats, "stats [--per-cpu] [-w SECONDS]",
	  "Per-shard statistics of the loaded policy, summed over CPUs; --per-cpu adds\n"
	  "a column per CPU; -w refreshes every SECONDS until interrupted.  Changes nothing." },
	{ "tune", cmd_tune, "tune [-i MS] [-t PCT] [-r ROUNDS] [-m MAX] [-n] DEVICE",
	  "While writeback to DEVICE is busy, measure its write bandwidth with 1, 2, 4...\n"
	  "MAX shards (default min(CPUs, 8)), up then down, ROUNDS times (2), MS each\n"
	  "(2000), and keep the fewest shards within PCT % (5) of the best.  A\n"
	  "rotational device gets 1 shard, an idle one keeps its count; -n measures,\n"
	  "then puts the old count back." },
	{ "assign", cmd_assign, "assign PATH N | assign -p PID N | assign -r [-p] PATH|PID",
	  "With affinity: write back PATH (a file, or every file below a directory)\n"
	  "on shard N.  With stream: PATH, or process PID (-p, not its children),\n"
	  "is stream N; a stream's files share one shard.  -r: the policy's choice." },
	{ "pin", cmd_assign, NULL, NULL },	/* the old name of assign */
};
#define NR_CMDS (sizeof(cmds) / sizeof(cmds[0]))

static void usage(FILE *f)
{
	fprintf(f, "usage: wbctl [OPTIONS] COMMAND [ARGS]   (wbctl COMMAND --help)\n");
	for (size_t i = 0; i < NR_CMDS; i++)
		if (cmds[i].usage)
			fprintf(f, "  wbctl %s\n", cmds[i].usage);
	fprintf(f, "OPTIONS: -j|--json  -p|--pretty (indented JSON)  -d|--debug (libbpf's log\n"
		   "         and the verifier's; -dd: libbpf's debug messages)  -V|--version\n");
}

int main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "pretty", no_argument, NULL, 'p' },
		{ "debug", no_argument, NULL, 'd' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	bool version = false;
	int c;

	while ((c = getopt_long(argc, argv, "+jpdVh", lopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json_out = true;
			break;
		case 'p':
			json_out = pretty = true;
			break;
		case 'd':
			libbpf_verbose++;
			break;
		case 'V':
			version = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	argc -= optind - 1;
	argv += optind - 1;
	libbpf_set_print(libbpf_log_print);
	if (version)
		return print_version();
	if (argc < 2 || !strcmp(argv[1], "help")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	for (size_t i = 0; i < NR_CMDS; i++) {
		const char *u = cmds[i].usage ?: cmds[i - 1].usage;

		if (strcmp(argv[1], cmds[i].name))
			continue;
		for (int a = 2; a < argc; a++)
			if (!strcmp(argv[a], "--help") || !strcmp(argv[a], "-h")) {
				printf("usage: wbctl %s\n%s\n", u,
				       cmds[i].help ?: cmds[i - 1].help);
				return 0;
			}
		return cmds[i].fn(argc - 1, argv + 1);
	}
	err("unknown command '%s'", argv[1]);
	usage(stderr);
	return 2;
}
