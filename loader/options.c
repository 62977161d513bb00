// SPDX-License-Identifier: GPL-2.0
/*
 * A policy's options, the same way for the policies wbctl carries and for
 * -f objects: declared in the object's BTF (WBEXT_OPTION's decl tag: the
 * bounds and help of a const volatile), parsed from -o KEY=VALUE,
 * bounded, written to .rodata before the load, and read back from the
 * running program for wbctl status.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include "wbctl.h"

int wbctl_opt_from_tag(const char *tag, struct wbctl_opt *o)
{
	static const char prefix[] = "wbext_opt:";
	char *end;

	if (strncmp(tag, prefix, sizeof(prefix) - 1))
		return -1;
	tag += sizeof(prefix) - 1;
	errno = 0;
	o->min = strtoul(tag, &end, 10);
	if (errno || end == tag || *end != ':' || *tag == '-')
		return -1;
	tag = end + 1;
	o->max = strtoul(tag, &end, 10);
	if (errno || end == tag || *end != ':' || *tag == '-' || o->max < o->min)
		return -1;
	snprintf(o->help, sizeof(o->help), "%s", end + 1);
	return 0;
}

/*
 * The size of type @id if it is an integer (or enum) of 1, 2, 4 or 8
 * bytes under its modifiers and typedefs, else 0; its signedness in
 * @is_signed.
 */
static int btf_int_size(const struct btf *btf, __u32 id, bool *is_signed)
{
	const struct btf_type *t = btf__type_by_id(btf, id);

	while (t && (btf_is_mod(t) || btf_is_typedef(t)))
		t = btf__type_by_id(btf, t->type);
	if (!t || !(btf_is_int(t) || btf_is_enum(t)) ||
	    (t->size != 1 && t->size != 2 && t->size != 4 && t->size != 8))
		return 0;
	*is_signed = btf_is_int(t) ? btf_int_encoding(t) & BTF_INT_SIGNED
				   : btf_kflag(t);
	return t->size;
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

/* @obj's .rodata: its initial value and DATASEC; false if it has none */
static bool rodata_of(struct bpf_object *obj, char **data, size_t *size,
		      const struct btf_type **sec)
{
	const struct btf *btf = bpf_object__btf(obj);
	struct bpf_map *map = bpf_object__find_map_by_name(obj, ".rodata");
	int id = btf ? btf__find_by_name_kind(btf, ".rodata", BTF_KIND_DATASEC)
		     : -ENOENT;

	*data = map && id > 0 ? bpf_map__initial_value(map, size) : NULL;
	*sec = *data ? btf__type_by_id(btf, id) : NULL;
	return *data && *sec;
}

/* The WBEXT_OPTION of decl tag @t (@tag) into the next slot of @p */
static int describe_opt(struct bpf_object *obj, struct wbctl_policy *p,
			const struct btf_type *t, const char *tag,
			char *msg, size_t len)
{
	const struct btf *btf = bpf_object__btf(obj);
	const struct btf_type *var = btf__type_by_id(btf, t->type), *sec;
	struct wbctl_opt *o = &p->opts[p->nopts];
	const struct btf_var_secinfo *vs = NULL;
	unsigned long long v = 0;
	bool sgn = true;
	size_t size;
	char *data;
	int sz = 0;

	if (p->nopts >= MAX_OPTS) {
		snprintf(msg, len, "%s: more than %d options", p->name, MAX_OPTS);
		return -1;
	}
	snprintf(o->key, sizeof(o->key), "%s",
		 var ? btf__name_by_offset(btf, var->name_off) : "?");
	if (var && btf_is_var(var) && rodata_of(obj, &data, &size, &sec)) {
		vs = rodata_var(btf, sec, t->type);
		sz = btf_int_size(btf, var->type, &sgn);
	}
	if (wbctl_opt_from_tag(tag, o) || !vs || !sz || sgn ||
	    (sz < 8 && o->max >> (8 * sz)) || vs->offset + vs->size > size) {
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
	return 0;
}

int wbctl_describe(struct bpf_object *obj, struct wbctl_policy *p,
		   char *msg, size_t len)
{
	static const char sum[] = "wbext_summary:";
	const struct btf *btf = bpf_object__btf(obj);
	int n = btf ? btf__type_cnt(btf) : 0;

	p->nopts = 0;
	p->summary[0] = 0;
	for (int id = 1; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		const char *tag = btf__name_by_offset(btf, t->name_off);

		if (!btf_is_decl_tag(t) || btf_decl_tag(t)->component_idx != -1)
			continue;
		if (!strncmp(tag, sum, sizeof(sum) - 1))
			snprintf(p->summary, sizeof(p->summary), "%s",
				 tag + sizeof(sum) - 1);
		else if (!strncmp(tag, "wbext_opt:", 10) &&
			 describe_opt(obj, p, t, tag, msg, len))
			return -1;
	}
	return 0;
}

/* The one message for a value outside its declared bounds */
static int bounds_err(const struct wbctl_opt *o, const char *text,
		      const char *what, char *err, size_t errlen)
{
	snprintf(err, errlen, "%s%soption %s: '%s' is not a number in [%lu, %lu]",
		 what ?: "", what ? ": " : "", o->key, text, o->min, o->max);
	return -1;
}

int wbctl_parse_opt(const struct wbctl_policy *p, const char *kv,
		    struct wbctl_setting *out, char *err, size_t errlen)
{
	const char *eq = strchr(kv, '=');
	size_t klen = eq ? (size_t)(eq - kv) : strlen(kv);
	const struct wbctl_opt *o = NULL;
	char *end;
	bool bad;

	for (int i = 0; p && i < p->nopts && !o; i++)
		if (strlen(p->opts[i].key) == klen &&
		    !strncmp(p->opts[i].key, kv, klen))
			o = &p->opts[i];
	if (p && !o) {
		snprintf(err, errlen, "policy %s has no option '%.*s' (see 'wbctl list')",
			 p->name, (int)klen, kv);
		return -1;
	}
	if (o && (!eq || !eq[1])) {
		snprintf(err, errlen, "option %s needs a value: -o %s=N",
			 o->key, o->key);
		return -1;
	}
	if (!eq || !klen || !eq[1] || klen >= sizeof(out->key)) {
		snprintf(err, errlen, "-o wants KEY=VALUE, not '%s'", kv);
		return -1;
	}
	snprintf(out->key, sizeof(out->key), "%.*s", (int)klen, kv);
	out->opt = o;
	errno = 0;
	out->value = strtoull(eq + 1, &end, 0);
	bad = errno || *end || eq[1] == '-';
	if (o && (bad || out->value < o->min || out->value > o->max))
		return bounds_err(o, eq + 1, NULL, err, errlen);
	if (bad) {
		snprintf(err, errlen, "option %s: '%s' is not a number",
			 out->key, eq + 1);
		return -1;
	}
	return 0;
}

int set_rodata(struct bpf_object *obj, const char *key,
	       unsigned long long value, char *known, size_t klen)
{
	const struct btf *btf = bpf_object__btf(obj);
	const struct btf_var_secinfo *vs;
	const struct btf_type *sec;
	size_t size, used = 0;
	bool sgn;
	char *data;
	int sz;

	known[0] = 0;
	if (!rodata_of(obj, &data, &size, &sec))
		return -ENOENT;
	vs = btf_var_secinfos(sec);
	for (int i = 0; i < btf_vlen(sec); i++, vs++) {
		const struct btf_type *var = btf__type_by_id(btf, vs->type);
		const char *name = btf__name_by_offset(btf, var->name_off);

		if (strcmp(name, key)) {
			if (used < klen)
				used += snprintf(known + used, klen - used,
						 "%s%s", used ? ", " : "", name);
			continue;
		}
		sz = btf_int_size(btf, var->type, &sgn);
		if (!sz || sz != (int)vs->size || vs->offset + sz > size)
			return -EINVAL;
		if (sz < 8 && value >> (8 * sz))
			return -ERANGE;
		memcpy(data + vs->offset, &value, sz);	/* little endian */
		return 0;
	}
	return -ENOENT;
}

int apply_settings(struct bpf_object *obj, const char *what,
		   struct wbctl_setting *set, int nset)
{
	struct wbctl_policy d = {};
	char msg[512], known[512], text[32];
	int ret;

	snprintf(d.name, sizeof(d.name), "%s", what);
	if (wbctl_describe(obj, &d, msg, sizeof(msg))) {
		wbctl_err("%s", msg);
		return -1;
	}
	for (int i = 0; i < nset; i++) {
		for (int j = 0; j < d.nopts && !set[i].opt; j++) {
			const struct wbctl_opt *o = &d.opts[j];

			if (strcmp(set[i].key, o->key) ||
			    (set[i].value >= o->min && set[i].value <= o->max))
				continue;
			snprintf(text, sizeof(text), "%llu", set[i].value);
			bounds_err(o, text, what, msg, sizeof(msg));
			wbctl_err("%s", msg);
			return -1;
		}
		ret = set_rodata(obj, set[i].key, set[i].value, known,
				 sizeof(known));
		if (ret == -ENOENT)
			wbctl_err("%s declares no const volatile '%s'%s%s", what,
			    set[i].key, known[0] ? "; it has: " : "", known);
		else if (ret == -ERANGE)
			wbctl_err("%s: option %s: %llu does not fit its variable",
			    what, set[i].key, set[i].value);
		else if (ret)
			wbctl_err("%s: option %s is not an integer of 1, 2, 4 or 8 bytes",
			    what, set[i].key);
		if (ret)
			return -1;
	}
	return 0;
}

int read_values(__u32 map_id, struct wbctl_value *out, int max)
{
	struct bpf_map_info mi = {};
	__u32 len = sizeof(mi), zero = 0;
	const struct btf_var_secinfo *vs;
	const struct btf_type *sec = NULL;
	struct btf *btf = NULL;
	char *val = NULL;
	int n = 0, fd = bpf_map_get_fd_by_id(map_id);

	if (fd >= 0 && !bpf_map_get_info_by_fd(fd, &mi, &len) &&
	    strstr(mi.name, ".rodata") && mi.btf_id) {
		btf = btf__load_from_kernel_by_id(mi.btf_id);
		val = calloc(1, mi.value_size);
		if (btf && val && !bpf_map_lookup_elem(fd, &zero, val))
			sec = btf__type_by_id(btf, mi.btf_value_type_id);
	}
	vs = sec && btf_is_datasec(sec) ? btf_var_secinfos(sec) : NULL;
	for (int i = 0; vs && i < btf_vlen(sec) && n < max; i++, vs++) {
		const struct btf_type *var = btf__type_by_id(btf, vs->type);
		unsigned long long v = 0;
		bool sgn;
		int sz = btf_int_size(btf, var->type, &sgn);

		if (!sz || sz != (int)vs->size || vs->offset + sz > mi.value_size)
			continue;
		memcpy(&v, val + vs->offset, sz);
		if (sgn && sz < 8 && v >> (8 * sz - 1))
			v |= ~0ULL << (8 * sz);	/* sign-extend */
		snprintf(out[n].key, sizeof(out[n].key), "%s",
			 btf__name_by_offset(btf, var->name_off));
		out[n].is_signed = sgn;
		out[n++].value = v;
	}
	free(val);
	btf__free(btf);
	if (fd >= 0)
		close(fd);
	return n;
}
