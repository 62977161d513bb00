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
#include "wbctl.h"

/* What runs behind the pinned link, read back from the kernel. */
struct running {
	__u64 load_time;		/* ns since boot */
	int nopts;
	struct wbctl_value opts[MAX_SETTINGS];
};

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
		r->nopts += read_values(ids[i], r->opts + r->nopts,
					MAX_SETTINGS - r->nopts);
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

/* Everything status reports, gathered once */
struct status {
	char state[64], ops[64], seq[64], last[256], dir[256];
	int pins;		/* pins_state() */
	time_t since;
	struct running r;
};

static void print_json(const struct status *st)
{
	struct jw w;

	jw_init(&w, stdout, wbctl_pretty);
	jw_open(&w, NULL, '{');
	jw_open(&w, "kernel", '{');
	jw_str(&w, "state", st->state);
	jw_str(&w, "policy", st->ops);
	jw_u64(&w, "enable_seq", strtoull(st->seq, NULL, 10));
	jw_str(&w, "last_exit", st->last);
	jw_close(&w, '}');
	jw_open(&w, "wbctl", '{');
	jw_str(&w, "state", st->pins == 1 ? "loaded" : st->pins == 0 ? "none" :
		   st->pins == -1 ? "foreign" : "stale");
	jw_str(&w, "policy", st->pins == 1 || st->pins == -2 ? st->dir : "");
	if (st->pins == 1) {
		jw_u64(&w, "since", st->since);
		jw_open(&w, "options", '{');
		for (int i = 0; i < st->r.nopts; i++)
			jw_s64(&w, st->r.opts[i].key, st->r.opts[i].value,
			       st->r.opts[i].is_signed);
		jw_close(&w, '}');
	}
	jw_close(&w, '}');
	jw_close(&w, '}');
}

static void print_text(const struct status *st)
{
	char when[64] = "?", opts[2048] = "";
	size_t used = 0;

	printf("kernel:     %s%s%s\n", st->state, st->ops[0] ? ", policy " : "",
	       st->ops);
	printf("enable_seq: %s\n", st->seq);
	printf("last exit:  %s\n", st->last);
	switch (st->pins) {
	case 1:
		if (st->since)
			strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S",
				 localtime(&st->since));
		for (int i = 0; i < st->r.nopts && used < sizeof(opts); i++)
			used += snprintf(opts + used, sizeof(opts) - used,
					 st->r.opts[i].is_signed ? "%s%s=%lld" : "%s%s=%llu",
					 i ? " " : "", st->r.opts[i].key,
					 st->r.opts[i].value);
		printf("wbctl:      %s loaded since %s (%s)\n", st->dir, when,
		       WBEXT_LINK_PIN);
		printf("options:    %s\n", opts[0] ? opts : "none");
		return;
	case -1:
		printf("wbctl:      %s was not loaded by wbctl\n", st->ops);
		return;
	case 0:
		printf("wbctl:      no policy loaded\n");
		return;
	}
	printf("wbctl:      policy '%s' no longer runs: %s (last exit: %s); writeback uses %s.  'wbctl unload' removes its pins under %s; fix the policy (dmesg says why), then 'wbctl load' it again\n",
	       st->dir[0] ? st->dir : "?",
	       !strncmp(st->last, "error", 5) ? "the kernel ejected it" :
	       !strncmp(st->last, "unreg", 5) ? "it was detached outside wbctl" :
	       "it was replaced or detached", st->last,
	       st->ops[0] ? "another policy" : "the kernel's defaults",
	       WBEXT_PIN_DIR);
}

int cmd_status(int argc, char **argv)
{
	static struct status st;

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
	kernel_state(st.state, st.ops, sizeof(st.state));
	read_line(WBEXT_SYSFS "/enable_seq", st.seq, sizeof(st.seq));
	read_line(WBEXT_SYSFS "/last_exit", st.last, sizeof(st.last));
	pinned_policy(st.dir, sizeof(st.dir));
	st.pins = pins_state();
	if (st.pins == 1 && !read_running(&st.r))
		st.since = boot_ns_to_wall(st.r.load_time);
	if (wbctl_json)
		print_json(&st);
	else
		print_text(&st);
	/* 1: the policy wbctl loaded no longer runs (it said why) */
	return st.pins == -2;
}
