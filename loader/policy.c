// SPDX-License-Identifier: GPL-2.0
/*
 * Policy objects: the ones wbctl embeds (build/loader/policies.gen.h,
 * generated from bpf/NAME.bpf.c) and -f files; what an object says of itself
 * (WBEXT_SUMMARY, WBEXT_OPTION), setting its options in .rodata, loading
 * it, pinning its maps, and the kernel value of its struct_ops map that a
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
#include "wbctl_bpf.h"
#include "policies.gen.h"

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

/* The .rodata variable of @btf's DATASEC @sec with BTF id @var_id */
static const struct btf_var_secinfo *rodata_var(const struct btf *btf,
						const struct btf_type *sec,
						__u32 var_id)
{
	const struct btf_var_secinfo *vs = btf_var_secinfos(sec);

	for (int i = 0; i < btf_vlen(sec); i++, vs++)
		if (vs->type == var_id)
			return vs;
	return NULL;
}

/* Whether type @id is an unsigned integer (or enum) that holds @max */
static bool unsigned_fits(const struct btf *btf, __u32 id, unsigned long max)
{
	const struct btf_type *t = btf__type_by_id(btf, id);

	while (t && (btf_is_mod(t) || btf_is_typedef(t)))
		t = btf__type_by_id(btf, t->type);
	if (!t || !(btf_is_int(t) || btf_is_enum(t)) || t->size > 8 ||
	    (btf_is_int(t) && (btf_int_encoding(t) & BTF_INT_SIGNED)) ||
	    (btf_is_enum(t) && btf_kflag(t)))
		return false;
	return t->size == 8 || max >> (8 * t->size) == 0;
}

int wbctl_describe(struct bpf_object *obj, struct wbctl_policy *p,
		   char *msg, size_t len)
{
	static const char sum[] = "wbext_summary:";
	const struct btf *btf = bpf_object__btf(obj);
	struct bpf_map *map = bpf_object__find_map_by_name(obj, ".rodata");
	const struct btf_type *sec = NULL;
	const char *data = NULL;
	size_t size = 0;
	int id, n;

	p->nopts = 0;
	p->summary[0] = 0;
	if (!btf)
		return 0;
	id = btf__find_by_name_kind(btf, ".rodata", BTF_KIND_DATASEC);
	if (map && id > 0) {
		data = bpf_map__initial_value(map, &size);
		sec = btf__type_by_id(btf, id);
	}
	n = btf__type_cnt(btf);
	for (id = 1; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		const char *tag = btf__name_by_offset(btf, t->name_off);
		const struct btf_var_secinfo *vs;
		const struct btf_type *var;
		struct wbctl_opt *o;
		unsigned long long v = 0;

		if (!btf_is_decl_tag(t) || btf_decl_tag(t)->component_idx != -1)
			continue;
		if (!strncmp(tag, sum, sizeof(sum) - 1)) {
			snprintf(p->summary, sizeof(p->summary), "%s",
				 tag + sizeof(sum) - 1);
			continue;
		}
		if (strncmp(tag, "wbext_opt:", 10))
			continue;
		if (p->nopts >= MAX_OPTS) {
			snprintf(msg, len, "%s: more than %d options", p->name,
				 MAX_OPTS);
			return -1;
		}
		var = btf__type_by_id(btf, t->type);
		o = &p->opts[p->nopts];
		snprintf(o->key, sizeof(o->key), "%s",
			 var ? btf__name_by_offset(btf, var->name_off) : "?");
		vs = sec && var && btf_is_var(var) ? rodata_var(btf, sec, t->type)
						   : NULL;
		if (wbctl_opt_from_tag(tag, o) || !vs || !data ||
		    !unsigned_fits(btf, var->type, o->max) ||
		    vs->offset + vs->size > size) {
			snprintf(msg, len, "%s: option %s is not an unsigned WBEXT_OPTION integer with decimal bounds that fit it (\"%s\")",
				 p->name, o->key, tag);
			return -1;
		}
		memcpy(&v, data + vs->offset, vs->size);	/* little endian */
		o->def = v;
		if (o->def < o->min || o->def > o->max) {
			snprintf(msg, len, "%s: option %s's default %lu is outside [%lu, %lu]",
				 p->name, o->key, o->def, o->min, o->max);
			return -1;
		}
		p->nopts++;
	}
	return 0;
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

int set_rodata(struct bpf_object *obj, const char *key,
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

/*
 * -o for a -f object was parsed without bounds: those of its
 * WBEXT_OPTIONs apply now (wbctl's own policies were checked on parsing).
 */
static int check_file_settings(struct bpf_object *obj, const char *file,
			       const struct wbctl_setting *set, int nset)
{
	struct wbctl_policy d = {};
	char msg[256];

	snprintf(d.name, sizeof(d.name), "%s", file);
	if (wbctl_describe(obj, &d, msg, sizeof(msg))) {
		wbctl_err("%s", msg);
		return -1;
	}
	for (int i = 0; i < nset; i++)
		for (int j = 0; j < d.nopts; j++)
			if (!strcmp(set[i].key, d.opts[j].key) &&
			    (set[i].value < d.opts[j].min ||
			     set[i].value > d.opts[j].max)) {
				wbctl_err("%s: option %s: %llu is not in [%lu, %lu]",
				    file, set[i].key, set[i].value,
				    d.opts[j].min, d.opts[j].max);
				return -1;
			}
	return 0;
}

int open_policy(struct policy_obj *po, const char *policy,
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
		wbctl_err("cannot open %s: %s", file ?: policy, strerror(-ret));
		return ret;
	}
	bpf_object__for_each_map(map, po->obj) {
		if (bpf_map__type(map) != BPF_MAP_TYPE_STRUCT_OPS)
			continue;
		if (po->ops) {
			wbctl_err("%s has more than one struct_ops map", file ?: policy);
			return -EINVAL;
		}
		po->ops = map;
	}
	if (!po->ops) {
		wbctl_err("%s has no struct wb_ext_ops map (SEC(\".struct_ops.link\"))",
		    file ?: policy);
		return -EINVAL;
	}
	if (bpf_object__btf(po->obj)) {
		const struct btf *b = bpf_object__btf(po->obj);
		const struct btf_type *t =
			btf__type_by_id(b, bpf_map__btf_value_type_id(po->ops));
		const char *tn = t ? btf__name_by_offset(b, t->name_off) : "";

		if (strcmp(tn, "wb_ext_ops")) {
			wbctl_err("%s: its struct_ops map is a struct %s, not a struct wb_ext_ops",
			    file ?: policy, tn);
			return -EINVAL;
		}
	}
	snprintf(po->name, sizeof(po->name), "%s", bpf_map__name(po->ops));
	if (file && check_file_settings(po->obj, file, set, nset))
		return 2;
	for (int i = 0; i < nset; i++) {
		char known[512];

		ret = set_rodata(po->obj, set[i].key, set[i].value, known,
				 sizeof(known));
		if (ret == -ENOENT)
			wbctl_err("%s declares no const volatile '%s'%s%s", file ?: policy,
			    set[i].key, known[0] ? "; it has: " : "", known);
		else if (ret == -ERANGE)
			wbctl_err("%s: option %s: %llu does not fit its variable",
			    file ?: policy, set[i].key, set[i].value);
		else if (ret)
			wbctl_err("%s: option %s is not an integer of 1, 2, 4 or 8 bytes",
			    file ?: policy, set[i].key);
		if (ret)
			return 2;	/* a usage error, as for a built-in policy */
	}
	libbpf_log_len = 0;
	ret = bpf_object__load(po->obj);
	if (ret) {
		if (!libbpf_verbose && strstr(libbpf_log, "BEGIN PROG LOAD LOG"))
			wbctl_err("the kernel's verifier rejected policy %s (%s); run 'wbctl -d ...' for the verifier log",
			    po->name, strerror(-ret));
		else if (!libbpf_verbose)
			wbctl_err("cannot load policy %s: %s\n%s", po->name,
			    strerror(-ret), libbpf_log);
		else
			wbctl_err("cannot load policy %s: %s", po->name,
			    strerror(-ret));
		return ret;
	}
	return 0;
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
