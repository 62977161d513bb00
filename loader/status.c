// SPDX-License-Identifier: GPL-2.0
/*
 * wbctl status: what runs behind the pinned link, read back from the
 * kernel (link, struct_ops map, one program, its .rodata with BTF), and
 * what wbctl's pins say of it.  Changes nothing.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "wbctl_bpf.h"

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
	__u32 len, zero = 0, data_off, vsize, prog_id = 0, ids[16];
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
	    ops_layout(vbtf, &data_off, &vsize, &kt))
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

int cmd_status(int argc, char **argv)
{
	char state[64], ops[64], seq[64], last[256], dir[256];
	char when[64] = "?", opts[2048] = "";
	struct running r = {};
	struct jw w;
	time_t since = 0;
	int pins;
	size_t used = 0;

	if (argc > 1) {
		wbctl_err("status takes no arguments");
		return 2;
	}
	if (geteuid() != 0) {
		wbctl_err("must be run as root: wbctl's pins under %s are root's (0700)",
		    WBEXT_PIN_DIR);
		return 1;
	}
	if (access(WBEXT_SYSFS, F_OK)) {
		wbctl_err("this kernel has no wb_ext_ops (no %s): boot a kernel built from kernel-patches/ with CONFIG_WB_EXT=y",
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
	if (wbctl_json) {
		jw_init(&w, stdout, wbctl_pretty);
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
