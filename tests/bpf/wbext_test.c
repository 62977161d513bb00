// SPDX-License-Identifier: GPL-2.0
/*
 * wbext_test: load the test policy (wbext_test.bpf.c) and install it.
 *
 *   wbext_test [-v] [-m MODE] [-c SHARD] [-n NAME] [-p PIN | -u PIN]
 *              [-w SECONDS] [-H] [-- CMD [ARGS...]]
 *
 *   -m MODE  good (default), bad-shard, bad-pause, bad-chunk, bad-bg,
 *            init-fail: which callback misbehaves (see the BPF side);
 *            rr: round robin in BPF, the same choices as the kernel;
 *            greedy: valid answers that never throttle nor write early;
 *            quarter: dirty_pause answers a quarter of the kernel's pause
 *   -c SHARD the shard select_shard returns in good mode (-1, the default:
 *            the kernel's choice)
 *   -C PAGES writeback_chunk answers PAGES in good mode (default: the
 *            kernel's chunk)
 *   -B 0|1   over_bg_thresh answers this in good mode (default: the
 *            kernel's answer)
 *   -n NAME  the policy's name (default wbext_test)
 *   -p PIN   attach, pin the link at PIN and exit: the policy stays
 *   -u PIN   do not attach: swap the policy of the link pinned at PIN
 *            for this one (bpf_link__update_map); exits at once unless
 *            -w or CMD is given
 *   -w SECS  stay attached SECS seconds (or until SIGINT/SIGTERM)
 *   CMD      run CMD while attached, exit 0 if it succeeded, else 1;
 *            CMD finds the link's id in WBEXT_LINK_ID
 *   -H       after CMD, wait up to 5 s for the kernel to detach the link
 *   -v       libbpf's messages on stderr (-vv: debug messages too)
 * With neither -p, -w nor CMD: stay attached until SIGINT/SIGTERM.
 *
 * Prints "attached NAME" / "updated NAME" / "pinned PIN" once done;
 * after CMD, "link_hup=1" if the kernel detached the link (POLLHUP on its
 * fd), else "link_hup=0"; after the detach (or, with -u, when done) the policy's counters:
 *   stats select=N pause=N chunk=N bg=N init=N exit=N exit_kind=K
 *         wb_nr_shards=N kfunc_shard0_cpu=C hits=H0,H1,...   (one line)
 *   exit_reason=REASON
 *   kfunc n=N shard0_idx=I shard0_node=N shard0_load=N wrap_n=N wrap_idx=I small=E
 *   wb cgroup=ID dev=MAJ:MIN bdi_id=N pause_memcg=ID pause_thresh=N
 *      pause_bg_thresh=N bg_thresh=N   (one line)
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "libbpf_log.h"
/* the skeleton's .bss has an array of these: include/linux/wb_ext.h */
struct wb_ext_shard {
	__u32 idx, cpu, node, nr_inodes;
};
#include "wbext_test.skel.h"

#define WB_EXT_NAME_LEN		32
#define NR_HITS			64

static const char *const modes[] = {
	"good", "bad-shard", "bad-pause", "bad-chunk", "bad-bg", "init-fail",
	"rr", "greedy", "quarter",
};

static volatile sig_atomic_t stop;
static int hup_wait_ms;
static volatile pid_t child;

static void on_signal(int sig)
{
	stop = 1;
	if (child > 0)
		kill(child, sig);
}

static const char *errno_name(int err)
{
	static char buf[24];

	switch (err) {
	case EPERM: return "EPERM";
	case ENOENT: return "ENOENT";
	case ESRCH: return "ESRCH";
	case EINTR: return "EINTR";
	case E2BIG: return "E2BIG";
	case EBADF: return "EBADF";
	case EAGAIN: return "EAGAIN";
	case ENOMEM: return "ENOMEM";
	case EACCES: return "EACCES";
	case EFAULT: return "EFAULT";
	case EBUSY: return "EBUSY";
	case EEXIST: return "EEXIST";
	case ENODEV: return "ENODEV";
	case EINVAL: return "EINVAL";
	case ENOSPC: return "ENOSPC";
	case ERANGE: return "ERANGE";
	case ENOSYS: return "ENOSYS";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case 524: return "ENOTSUPP";	/* kernel-internal */
	}
	snprintf(buf, sizeof(buf), "errno %d", err);
	return buf;
}

/* err: a negative errno, as libbpf returns them */
static int failed(const char *what, int err)
{
	if (err >= 0)
		err = -EINVAL;
	fprintf(stderr, "wbext_test: %s failed: %s (%s)\n", what,
		strerror(-err), errno_name(-err));
	libbpf_log_show(stderr);
	return 1;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: wbext_test [-v] [-m good|bad-shard|bad-pause|bad-chunk|bad-bg|init-fail|rr|greedy|quarter]\n"
		"                  [-c SHARD] [-C PAGES] [-B 0|1] [-n NAME] [-p PINPATH | -u PINPATH]\n"
		"                  [-w SECONDS] [-H] [-- CMD [ARGS...]]\n");
	exit(2);
}

/*
 * The struct_ops map's name member.  The skeleton's shadow type shows
 * only scalar and function-pointer members (an array is an opaque
 * "__unsupported_N"), so find it in the object's BTF.
 */
static int set_ops_name(struct wbext_test_bpf *skel, const char *name)
{
	struct bpf_map *map = skel->maps.wbext_test;
	struct btf *btf = bpf_object__btf(skel->obj);
	const struct btf_member *m;
	const struct btf_type *t;
	size_t size, len;
	char *data;
	int i;

	data = bpf_map__initial_value(map, &size);
	t = btf ? btf__type_by_id(btf, bpf_map__btf_value_type_id(map)) : NULL;
	if (!data || !t || !btf_is_struct(t))
		return -EINVAL;
	for (i = 0, m = btf_members(t); i < btf_vlen(t); i++, m++) {
		size_t off = btf_member_bit_offset(t, i) / 8;
		long msize;

		if (strcmp(btf__name_by_offset(btf, m->name_off), "name"))
			continue;
		msize = btf__resolve_size(btf, m->type);
		if (msize <= 0 || off + msize > size)
			return -EINVAL;
		len = strlen(name);
		if (len > (size_t)msize - 1)
			len = msize - 1;
		memset(data + off, 0, msize);
		memcpy(data + off, name, len);
		return 0;
	}
	return -ENOENT;
}

static int run_cmd(char **argv)
{
	int status;
	pid_t pid, r;

	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		perror("wbext_test: fork");
		return 1;
	}
	if (pid == 0) {
		execvp(argv[0], argv);
		fprintf(stderr, "wbext_test: %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	child = pid;
	while ((r = waitpid(pid, &status, 0)) < 0 && errno == EINTR)
		;
	child = 0;
	if (r < 0) {
		perror("wbext_test: waitpid");
		return 1;
	}
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}

/* The link's id in WBEXT_LINK_ID, for CMD (bpftool link show id ...). */
static void export_link_id(struct bpf_link *link)
{
	struct bpf_link_info info = {};
	__u32 len = sizeof(info);
	char id[16];

	if (bpf_link_get_info_by_fd(bpf_link__fd(link), &info, &len))
		return;
	snprintf(id, sizeof(id), "%u", info.id);
	setenv("WBEXT_LINK_ID", id, 1);
}

/*
 * link_hup=1: the kernel detached the link (an ejection does), which the
 * holder of its fd sees as POLLHUP; with -H waits up to 5 s for it.
 */
static void print_hup(struct bpf_link *link)
{
	struct pollfd pfd = { .fd = bpf_link__fd(link), .events = POLLIN };
	int n;

	do
		n = poll(&pfd, 1, hup_wait_ms);
	while (n < 0 && errno == EINTR && !stop);
	printf("link_hup=%d\n", n == 1 && (pfd.revents & POLLHUP));
}

static void print_stats(struct wbext_test_bpf *skel)
{
	const struct wbext_test_bpf__bss *b = skel->bss;
	int i, last = -1;

	for (i = 0; i < NR_HITS; i++)
		if (b->shard_hits[i])
			last = i;
	printf("stats select=%llu pause=%llu chunk=%llu bg=%llu init=%llu exit=%llu exit_kind=%d wb_nr_shards=%u kfunc_shard0_cpu=%d prev=%llu prev_target=%llu hits=",
	       (unsigned long long)b->nr_select,
	       (unsigned long long)b->nr_pause,
	       (unsigned long long)b->nr_chunk, (unsigned long long)b->nr_bg,
	       (unsigned long long)b->nr_init, (unsigned long long)b->nr_exit,
	       b->exit_kind, b->wb_nr_shards,
	       b->kf_n > 0 ? (int)b->kf_shards[0].cpu : -1,
	       (unsigned long long)b->nr_prev,
	       (unsigned long long)b->nr_prev_target);
	for (i = 0; i <= last; i++)
		printf("%s%llu", i ? "," : "",
		       (unsigned long long)b->shard_hits[i]);
	printf("\nexit_reason=%.*s\n", (int)sizeof(b->exit_reason),
	       b->exit_reason);
	printf("kfunc n=%d shard0_idx=%u shard0_node=%u shard0_load=%u wrap_n=%d wrap_idx=%u small=%d\n",
	       b->kf_n, b->kf_shards[0].idx, b->kf_shards[0].node,
	       b->kf_shards[0].nr_inodes, b->kf_wrap_n, b->kf_wrap_idx,
	       b->kf_small);
	printf("wb cgroup=%llu dev=%u:%u bdi_id=%llu pause_memcg=%llu pause_thresh=%llu pause_bg_thresh=%llu bg_thresh=%llu\n",
	       (unsigned long long)b->wb_cgroup, b->wb_major, b->wb_minor,
	       (unsigned long long)b->wb_bdi_id,
	       (unsigned long long)b->pause_memcg,
	       (unsigned long long)b->pause_thresh,
	       (unsigned long long)b->pause_bg_thresh,
	       (unsigned long long)b->bg_thresh_seen);
}

int main(int argc, char **argv)
{
	const char *name = "wbext_test", *pin = NULL, *upd = NULL;
	int mode = 0, target = -1, wait_s = -1, err, rc = 0, opt, i;
	long long chunk = 0, bg = -1;
	int upd_fd = -1;
	struct wbext_test_bpf *skel;
	struct bpf_link *link;
	struct sigaction sa;
	char **cmd = NULL;
	char *end;

	while ((opt = getopt(argc, argv, "+m:c:C:B:n:p:u:w:Hvh")) != -1) {
		switch (opt) {
		case 'm':
			for (mode = 0; mode < (int)(sizeof(modes) / sizeof(modes[0])); mode++)
				if (!strcmp(optarg, modes[mode]))
					break;
			if (mode == (int)(sizeof(modes) / sizeof(modes[0]))) {
				fprintf(stderr, "wbext_test: unknown mode '%s'\n", optarg);
				usage();
			}
			break;
		case 'c':
			target = strtol(optarg, &end, 0);
			if (*end || !*optarg)
				usage();
			break;
		case 'C':
			chunk = strtoll(optarg, &end, 0);
			if (*end || !*optarg || chunk < 1)
				usage();
			break;
		case 'B':
			bg = strtoll(optarg, &end, 0);
			if (*end || !*optarg || (bg != 0 && bg != 1))
				usage();
			break;
		case 'n':
			name = optarg;
			break;
		case 'p':
			pin = optarg;
			break;
		case 'u':
			upd = optarg;
			break;
		case 'w':
			wait_s = strtol(optarg, &end, 0);
			if (*end || !*optarg || wait_s < 0)
				usage();
			break;
		case 'H':
			hup_wait_ms = 5000;
			break;
		case 'v':
			libbpf_verbose++;
			break;
		default:
			usage();
		}
	}
	if (optind < argc)
		cmd = argv + optind;
	if (pin && (upd || cmd || wait_s >= 0)) {
		fprintf(stderr, "wbext_test: -p goes with neither -u, -w nor CMD\n");
		usage();
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	libbpf_set_print(libbpf_log_print);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: wake sleep/waitpid */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	skel = wbext_test_bpf__open();
	if (!skel)
		return failed("open", -errno);
	skel->rodata->mode = mode;
	skel->rodata->target_shard = target;
	skel->rodata->chunk_pages = chunk;
	skel->rodata->bg_answer = bg;
	err = set_ops_name(skel, name);
	if (err)
		return failed("setting the policy name", err);
	err = wbext_test_bpf__load(skel);
	if (err)
		return failed("load", err);

	if (upd) {
		/*
		 * Not bpf_link__open() + bpf_link__update_map(): libbpf's
		 * update reads struct_ops fields past the plain struct
		 * bpf_link that bpf_link__open() allocates.  The kernel needs
		 * the map's value written, then bpf_link_update() on the
		 * link's fd.  libbpf 1.5 writes the value (translated to the
		 * kernel's layout) only in bpf_map__attach_struct_ops(),
		 * whose link the kernel then refuses with EBUSY, as the
		 * policy to replace is attached: that is the write we want.
		 */
		LIBBPF_OPTS(bpf_link_update_opts, uopts);
		struct bpf_link *extra;
		int lfd = bpf_obj_get(upd);

		if (lfd < 0) {
			rc = failed("update", -errno);
			goto out;
		}
		extra = bpf_map__attach_struct_ops(skel->maps.wbext_test);
		if (extra || errno != EBUSY) {
			bpf_link__destroy(extra);
			close(lfd);
			rc = failed("update (writing the map's value)",
				    extra ? -EEXIST : -errno);
			goto out;
		}
		err = bpf_link_update(lfd, bpf_map__fd(skel->maps.wbext_test),
				      &uopts);
		if (err) {
			close(lfd);
			rc = failed("update", err);
			goto out;
		}
		printf("updated %s\n", name);
		if (!cmd && wait_s < 0) {
			close(lfd);	/* our fd only: the pin keeps the link */
			goto out;
		}
		link = NULL;
		upd_fd = lfd;
	} else {
		link = bpf_map__attach_struct_ops(skel->maps.wbext_test);
		if (!link) {
			rc = failed("attach", -errno);
			goto out;
		}
		printf("attached %s\n", name);
		export_link_id(link);
		if (pin) {
			err = bpf_link__pin(link, pin);
			if (err) {
				bpf_link__destroy(link);
				rc = failed("pin", err);
				goto out;
			}
			printf("pinned %s\n", pin);
			/* the pin keeps the policy: do not detach on exit */
			bpf_link__disconnect(link);
			bpf_link__destroy(link);
			goto out;
		}
	}

	if (cmd) {
		rc = run_cmd(cmd);
		if (!upd)
			print_hup(link);
	} else {
		time_t deadline = time(NULL) + (wait_s >= 0 ? wait_s : 0);

		while (!stop && (wait_s < 0 || time(NULL) < deadline))
			sleep(1);
	}

	/*
	 * Detach (close the link: the kernel calls exit with kind UNREG) and
	 * give a late exit a moment; with -u this closes our fd only.
	 */
	bpf_link__destroy(link);
	if (upd_fd >= 0)
		close(upd_fd);
	for (i = 0; !upd && !skel->bss->nr_exit && i < 50; i++)
		usleep(100 * 1000);
	print_stats(skel);
out:
	wbext_test_bpf__destroy(skel);
	return rc;
}
