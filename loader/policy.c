// SPDX-License-Identifier: GPL-2.0
/*
 * Policy objects: the ones wbctl embeds (build/loader/policies.gen.h,
 * generated from bpf/NAME.bpf.c) and -f files; the table of embedded
 * policies, opening and loading an object (its options: options.c),
 * pinning its maps, and the kernel value of its struct_ops map that a
 * swap needs.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "libbpf_log.h"
#include "wbctl.h"
#include "policies.gen.h"

struct wbctl_policy wbctl_policies[MAX_POLICIES];
int wbctl_nr_policies;

void wbctl_libbpf_log(int verbose)
{
	libbpf_verbose = verbose;
	libbpf_set_print(libbpf_log_print);
}

/* The embedded object of the policy @name, or NULL */
static const void *policy_elf(const char *name, size_t *sz)
{
	for (size_t i = 0; i < NR_EMBEDDED; i++)
		if (!strcmp(embedded[i].name, name))
			return embedded[i].elf_bytes(sz);
	return NULL;
}

_Static_assert(NR_EMBEDDED <= MAX_POLICIES, "raise MAX_POLICIES in wbctl.h");

/* The name of @obj's struct_ops map, which load reports and pins under */
static const char *ops_name(struct bpf_object *obj)
{
	struct bpf_map *map;

	bpf_object__for_each_map(map, obj)
		if (bpf_map__type(map) == BPF_MAP_TYPE_STRUCT_OPS)
			return bpf_map__name(map);
	return "";
}

int wbctl_read_policies(void)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts);
	struct wbctl_policy *p;
	struct bpf_object *obj;
	const void *elf;
	char msg[256];
	size_t sz;
	int ret;

	if (wbctl_nr_policies)
		return 0;
	for (size_t i = 0; i < NR_EMBEDDED; i++) {
		p = &wbctl_policies[wbctl_nr_policies];
		snprintf(p->name, sizeof(p->name), "%s", embedded[i].name);
		elf = embedded[i].elf_bytes(&sz);
		opts.object_name = p->name;
		obj = bpf_object__open_mem(elf, sz, &opts);
		if (!obj) {
			wbctl_err("cannot open the embedded policy %s: %s", p->name,
			    strerror(errno));
			return -1;
		}
		ret = wbctl_describe(obj, p, msg, sizeof(msg));
		if (!ret && strcmp(ops_name(obj), p->name)) {
			snprintf(msg, sizeof(msg), "bpf/%s.bpf.c: its struct wb_ext_ops is named '%s': name it as the file",
				 p->name, ops_name(obj));
			ret = -1;
		}
		bpf_object__close(obj);
		if (ret) {
			wbctl_err("%s", msg);
			wbctl_nr_policies = 0;
			return -1;
		}
		wbctl_nr_policies++;
	}
	return 0;
}

const struct wbctl_policy *wbctl_find_policy(const char *name)
{
	for (int i = 0; i < wbctl_nr_policies; i++)
		if (!strcmp(wbctl_policies[i].name, name))
			return &wbctl_policies[i];
	return NULL;
}

/* @po's one struct_ops map, which must be a struct wb_ext_ops */
static int find_ops_map(struct policy_obj *po, const char *what)
{
	const struct btf *b = bpf_object__btf(po->obj);
	const struct btf_type *t;
	struct bpf_map *map;
	const char *tn;

	bpf_object__for_each_map(map, po->obj) {
		if (bpf_map__type(map) != BPF_MAP_TYPE_STRUCT_OPS)
			continue;
		if (po->ops) {
			wbctl_err("%s has more than one struct_ops map", what);
			return -EINVAL;
		}
		po->ops = map;
	}
	if (!po->ops) {
		wbctl_err("%s has no struct wb_ext_ops map (SEC(\".struct_ops.link\"))",
		    what);
		return -EINVAL;
	}
	t = b ? btf__type_by_id(b, bpf_map__btf_value_type_id(po->ops)) : NULL;
	tn = t ? btf__name_by_offset(b, t->name_off) : "wb_ext_ops";
	if (strcmp(tn, "wb_ext_ops")) {
		wbctl_err("%s: its struct_ops map is a struct %s, not a struct wb_ext_ops",
		    what, tn);
		return -EINVAL;
	}
	snprintf(po->name, sizeof(po->name), "%s", bpf_map__name(po->ops));
	return 0;
}

/* Loads @po into the kernel, saying why the kernel refused it */
static int load_object(struct policy_obj *po)
{
	int ret;

	libbpf_log_len = 0;
	ret = bpf_object__load(po->obj);
	if (!ret)
		return 0;
	if (strstr(libbpf_log, "func 'select_shard' doesn't have 4-th argument"))
		wbctl_err("policy %s reads select_shard()'s prev argument, which this kernel does not pass: install a kernel with the whole wbext series (0020 added prev), or build the policy for three arguments",
		    po->name);
	else if (!libbpf_verbose && strstr(libbpf_log, "BEGIN PROG LOAD LOG"))
		wbctl_err("the kernel's verifier rejected policy %s (%s); run 'wbctl -d ...' for the verifier log",
		    po->name, strerror(-ret));
	else if (!libbpf_verbose)
		wbctl_err("cannot load policy %s: %s\n%s", po->name,
		    strerror(-ret), libbpf_log);
	else
		wbctl_err("cannot load policy %s: %s", po->name, strerror(-ret));
	return ret;
}

/*
 * Opens the policy wbctl carries named @policy, or the object @file, sets
 * its options and loads it: 0, 2 for the user's mistake in @set, or a
 * negative errno, each said.
 */
int open_policy(struct policy_obj *po, const char *policy,
		const char *file, struct wbctl_setting *set, int nset)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts);
	const char *what = file ?: policy;
	const void *elf;
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
		wbctl_err("cannot open %s: %s", what, strerror(-ret));
		return ret;
	}
	ret = find_ops_map(po, what);
	if (ret)
		return ret;
	if (apply_settings(po->obj, what, set, nset))
		return 2;
	return load_object(po);
}

int pin_maps(struct policy_obj *po)
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
			wbctl_err("cannot pin map %s at %s: %s", bpf_map__name(map),
			    path, strerror(-ret));
			return ret;
		}
	}
	return 0;
}

int ops_layout(const struct btf *vbtf, __u32 *data_off, __u32 *value_size,
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
	*value_size = vt->size;
	*kt = btf__type_by_id(vbtf, tid);
	*data_off = 0;
	m = btf_members(vt);
	for (int i = 0; i < btf_vlen(vt); i++, m++)
		if (!strcmp(btf__name_by_offset(vbtf, m->name_off), "data"))
			*data_off = m->offset / 8;
	return *data_off ? 0 : -ENOENT;
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
int fill_struct_ops_value(struct policy_obj *po)
{
	struct btf *vbtf = btf__load_vmlinux_btf();
	const struct btf *obtf = bpf_object__btf(po->obj);
	const struct btf_type *kt, *ut, *mt;
	const struct btf_member *km, *um;
	struct bpf_program *prog;
	__u32 data_off, vsize, zero = 0;
	char *val = NULL, *kdata;
	int ret = -ENOENT, i, j, idx;
	const char *mname, *udata;
	size_t usz;

	if (!vbtf)
		return -errno;
	ut = obtf ? btf__type_by_id(obtf, bpf_map__btf_value_type_id(po->ops))
		  : NULL;
	udata = bpf_map__initial_value(po->ops, &usz);
	if (ops_layout(vbtf, &data_off, &vsize, &kt) || !ut ||
	    !btf_is_struct(ut) || !udata)
		goto out;
	val = calloc(1, vsize);
	if (!val) {
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
			wbctl_err("policy %s: member '%s' of its struct wb_ext_ops is not in the running kernel's, or has another size: rebuild the policy against this kernel's vmlinux.h",
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
