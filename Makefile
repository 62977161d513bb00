# wbext: the one entry point.  See README.md.
#
#   make check           everything from a fresh clone, then the tests
#   make demo            boot the VM: one shard against the default, side by
#                        side, then a policy loaded and swapped live
#   make try POLICY=F    compile a policy, boot, load it, write, verify, report
#   make kernel          patched test kernel (lockdep, list debugging)
#   make kernel-bench    patched kernel without debugging, for measuring
#   make kernel-stock    unpatched kernel, same config, for baselines
#   make deb             kernel packages for a real machine (Debian's config)
#   make install         wbctl, wbstat, man pages, completion, wbext.service
#   make export-patches  build/linux commits -> kernel-patches/
#   make check-series    each patch of the series compiles on its own
#   make rebase          move the series to a newer linux-source-6.12
#   make shell           boot the test kernel with a shell on the console
#   make bench           the benchmark: stock, nr_wb_shards=1, default, the
#                        rr, affinity, numa and lb policies, direct I/O;
#                        results in bench/results/; DEV=nvme0n1 on the
#                        VM's emulated NVMe drive; noise floors beside
#                        every ratio, 5 repetitions in a seeded order
#   make bench-quick     the in-boot noise floor and drain, a few minutes
#   make bench-models    every sharding model as a policy, one run, on the
#                        v1 (rand4k) and v3 jobs and more (DEV=nvme0n1 too)
#   make bench-overhead  kernel default vs a BPF policy making the same choices
#   make bench-frag      extents per file with 1, 2 and 4 shards in one boot,
#                        the writeback during the fill traced (test kernel)
#   make fstests         writeback-relevant fstests, XFS and ext4, patched and
#                        stock kernels (tests/fstests/README.md)

SHELL := /bin/bash
BUILD := $(CURDIR)/build
KSRC := $(BUILD)/linux
TOOLS := $(BUILD)/tools
CLANG := clang-19
LLVM_STRIP := llvm-strip-19
BPFTOOL := $(TOOLS)/sbin/bpftool
LIBBPF_A := $(TOOLS)/lib64/libbpf.a
# BTF for vmlinux.h, the first of: VMLINUX_BTF=, the test kernel's, the
# bench kernel's, any other wbext kernel built here, the running kernel's
# (a machine booted into the wbext kernel package).  It must know struct
# wb_ext_ops; CO-RE makes the programs run on every wbext kernel.
VMLINUX := $(firstword $(VMLINUX_BTF) $(wildcard $(BUILD)/out/test/vmlinux \
	$(BUILD)/out/bench/vmlinux) $(filter-out $(BUILD)/out/stock/vmlinux,\
	$(wildcard $(BUILD)/out/*/vmlinux)) $(wildcard /sys/kernel/btf/vmlinux) \
	$(BUILD)/out/test/vmlinux)
VMLINUX_H := $(BUILD)/include/vmlinux.h
DEPS_STAMP := $(BUILD)/.deps-done

CFLAGS := -O2 -g -Wall -Wextra -Wno-unused-parameter
BPF_CFLAGS := -g -O2 -target bpf -mcpu=v3 -D__TARGET_ARCH_x86 -Wall \
	-I$(BUILD)/include -I$(TOOLS)/include -I$(CURDIR)/include
USER_CFLAGS := $(CFLAGS) -I$(BUILD)/include -I$(TOOLS)/include -I$(CURDIR)/include
USER_LIBS := $(LIBBPF_A) -lelf -lz

export BUILD

.PHONY: all deps tree kernel kernel-bench kernel-stock tools progs check demo try \
	shell export-patches clean distclean bench bench-quick bench-overhead fstests \
	check-series rebase wbctl man install uninstall deb bench-models bench-frag

all: progs

deps: $(DEPS_STAMP)
$(DEPS_STAMP): scripts/deps.sh kernel-patches/BASE-VERSION
	@scripts/deps.sh
	@mkdir -p $(BUILD) && touch $@

tree: $(DEPS_STAMP)
	@scripts/kernel-tree.sh patched

kernel: $(DEPS_STAMP)
	@scripts/kernel-build.sh test
kernel-bench: $(DEPS_STAMP)
	@scripts/kernel-build.sh bench
kernel-stock: $(DEPS_STAMP)
	@scripts/kernel-build.sh stock
# make deb [KCONFIG=/boot/config-$$(uname -r)]: kernel packages for a real
# machine, from Debian's amd64 config by default (scripts/kernel-deb.sh)
deb: $(DEPS_STAMP)
	@$(if $(KCONFIG),KCONFIG=$(KCONFIG)) scripts/kernel-deb.sh

export-patches: $(DEPS_STAMP)
	@scripts/export-patches.sh

check-series: $(DEPS_STAMP)
	@scripts/check-series.sh

# make rebase [VERSION=...]: move the series to another linux-source-6.12
# (default: the newest apt has); scripts/rebase.sh, README
rebase: $(DEPS_STAMP)
	@$(if $(VERSION),VERSION='$(VERSION)') scripts/rebase.sh

# libbpf and bpftool from the same tree as the kernel (libbpf 1.5,
# bpftool 7.5): Debian 12's libbpf 1.1 lacks .struct_ops.link.
# bpftool is built without a JIT disassembler so that it does not pull
# libLLVM into the guest.
$(LIBBPF_A): | tree
	mkdir -p $(TOOLS)/libbpf
	$(MAKE) -s -C $(KSRC)/tools/lib/bpf OUTPUT=$(TOOLS)/libbpf/ \
		BUILD_STATIC_ONLY=1 DESTDIR=$(TOOLS) prefix= install >/dev/null
	@# the UAPI this libbpf speaks (Debian's linux-libc-dev is 6.1's)
	mkdir -p $(TOOLS)/include/linux
	cp $(KSRC)/tools/include/uapi/linux/bpf.h \
		$(KSRC)/tools/include/uapi/linux/bpf_common.h \
		$(KSRC)/tools/include/uapi/linux/btf.h $(TOOLS)/include/linux/
$(BPFTOOL): | tree
	mkdir -p $(TOOLS)/bpftool
	$(MAKE) -s -C $(KSRC)/tools/bpf/bpftool OUTPUT=$(TOOLS)/bpftool/ \
		CLANG=$(CLANG) LLVM_STRIP=$(LLVM_STRIP) feature-llvm=0 \
		feature-libbfd=0 feature-libbfd-liberty=0 \
		feature-libbfd-liberty-z=0 prefix= DESTDIR=$(TOOLS) \
		install-bin >/dev/null
tools: $(LIBBPF_A) $(BPFTOOL)

$(VMLINUX_H): $(wildcard $(VMLINUX)) $(BPFTOOL)
	@mkdir -p $(dir $@)
	@[ -e $(VMLINUX) ] || { echo "no kernel BTF for vmlinux.h: 'make kernel', boot a wbext kernel, or VMLINUX_BTF=/path/to/vmlinux" >&2; exit 1; }
	$(BPFTOOL) btf dump file $(VMLINUX) format c > $@.tmp
	@grep -q '^struct wb_ext_ops {' $@.tmp || { rm -f $@.tmp; \
		echo "$(VMLINUX) has no struct wb_ext_ops: its kernel lacks the wbext series; 'make kernel', boot a wbext kernel, or VMLINUX_BTF=/path/to/a/wbext/vmlinux" >&2; exit 1; }
	mv $@.tmp $@

# BPF objects -> skeletons -> user programs.  Test programs live in
# tests/bpf/NAME.bpf.c + tests/bpf/NAME.c and build to build/tests/NAME; a
# NAME.bpf.c without a NAME.c is only a skeleton, for a program that lists
# it below (wbext_reject: the reject_* objects the verifier must refuse).
TEST_PROGS := $(patsubst tests/bpf/%.c,$(BUILD)/tests/%,\
	$(filter-out %.bpf.c,$(wildcard tests/bpf/*.c)))

# BPF objects: bpf/X and loader/X build to build/bpf/X and build/loader/X,
# tests/bpf/X to build/tests/X; a skeleton beside each object.
BPF_DEPS := $(VMLINUX_H) $(LIBBPF_A) $(wildcard include/*.h)
$(BUILD)/%.bpf.o: %.bpf.c $(BPF_DEPS)
	@mkdir -p $(dir $@)
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@
$(BUILD)/tests/%.bpf.o: tests/bpf/%.bpf.c $(BPF_DEPS)
	@mkdir -p $(dir $@)
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@
$(BUILD)/%.skel.h: $(BUILD)/%.bpf.o $(BPFTOOL)
	$(BPFTOOL) gen skeleton $< > $@.tmp && mv $@.tmp $@
.PRECIOUS: $(BUILD)/%.bpf.o $(BUILD)/tests/%.bpf.o $(BUILD)/%.skel.h

$(BUILD)/tests/%: tests/bpf/%.c $(BUILD)/tests/%.skel.h $(LIBBPF_A)
	$(CC) $(USER_CFLAGS) -I$(BUILD)/tests $< -o $@ $(USER_LIBS)
REJECT_SKELS := $(patsubst tests/bpf/%.bpf.c,$(BUILD)/tests/%.skel.h,\
	$(wildcard tests/bpf/reject_*.bpf.c))
$(BUILD)/tests/wbext_reject: tests/bpf/wbext_reject.c $(REJECT_SKELS) $(LIBBPF_A)
	$(CC) $(USER_CFLAGS) -I$(BUILD)/tests $< -o $@ $(USER_LIBS)

# The policies (bpf/NAME.bpf.c) are embedded in wbctl as skeletons: a
# new file in bpf/ is a new policy; its summary and options are in the
# object (WBEXT_SUMMARY, WBEXT_OPTION), which wbctl reads.
POLICIES := $(sort $(patsubst bpf/%.bpf.c,%,$(wildcard bpf/*.bpf.c)))
POLICY_SKELS := $(patsubst %,$(BUILD)/bpf/%.skel.h,$(POLICIES))
# everything but main (wbctl.c) is also linked into the unit tests
WBCTL_LIB := $(addprefix loader/,common.c options.c policy.c pins.c list.c \
	load.c stats.c status.c tune.c assign.c)
WBCTL_SRCS := loader/wbctl.c $(WBCTL_LIB)
WBCTL_DEPS := $(WBCTL_LIB) loader/wbctl.h \
	$(wildcard include/*.h) $(BUILD)/loader/policies.gen.h $(LIBBPF_A)
WBEXT_RELEASE := 0.1
GIT_REV := $(shell git rev-parse --short HEAD 2>/dev/null)
WBCTL_VERSION := $(WBEXT_RELEASE)$(if $(GIT_REV), (git $(GIT_REV)))
$(patsubst %,$(BUILD)/bpf/%.bpf.o,$(POLICIES)): $(wildcard bpf/*.bpf.h)
# rewritten when a file in bpf/ comes or goes, so that wbctl follows
$(BUILD)/loader/policies.list: FORCE
	@mkdir -p $(dir $@)
	@echo "$(POLICIES)" | cmp -s - $@ 2>/dev/null || echo "$(POLICIES)" > $@
$(BUILD)/loader/policies.gen.h: $(POLICY_SKELS) $(BUILD)/loader/policies.list \
		scripts/gen-policies.sh
	scripts/gen-policies.sh $(POLICIES) > $@.tmp
	mv $@.tmp $@
$(BUILD)/loader/wbctl: $(WBCTL_SRCS) $(WBCTL_DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -I$(BUILD)/bpf -I$(BUILD)/loader -Iloader \
		-DWBCTL_VERSION='"$(WBCTL_VERSION)"' $(WBCTL_SRCS) -o $@ $(USER_LIBS)

# Host unit tests of wbctl: option parsing, the policies read from the
# embedded objects, .rodata settings, output (no kernel, no root)
$(BUILD)/unit/wbctl_unit: tests/unit/wbctl_unit.c $(WBCTL_DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -I$(BUILD)/bpf -I$(BUILD)/loader -Iloader \
		tests/unit/wbctl_unit.c $(WBCTL_LIB) -o $@ $(USER_LIBS)

# wbstat, the benchmark's probe, installed beside wbctl
$(BUILD)/loader/wbstat: loader/wbstat.c $(BUILD)/loader/wbstat.skel.h $(LIBBPF_A) \
		include/libbpf_log.h
	$(CC) $(USER_CFLAGS) -I$(BUILD)/loader $< -o $@ $(USER_LIBS)

# The example policies of docs/policies.md ("// NAME.bpf.c" blocks), so
# that a guest test loads what the documentation shows.
DOC_EXAMPLES := first local
$(BUILD)/tests/doc_%.bpf.o: docs/policies.md $(BPF_DEPS)
	@mkdir -p $(dir $@)
	awk '/^    \/\/ $*\.bpf\.c/ {on = 1} on {sub(/^    /, ""); print} on && /^};/ {exit}' \
		$< > $(BUILD)/tests/doc_$*.bpf.c
	@[ -s $(BUILD)/tests/doc_$*.bpf.c ] || { echo "no '// $*.bpf.c' example in $<" >&2; exit 1; }
	$(CLANG) $(BPF_CFLAGS) -c $(BUILD)/tests/doc_$*.bpf.c -o $@

# Plain programs the guest tests run (tests/progs/NAME.c -> build/tests/NAME):
# an RT busy loop, a passthrough FUSE filesystem with the writeback cache.
HELPER_PROGS := $(patsubst tests/progs/%.c,$(BUILD)/tests/%,$(wildcard tests/progs/*.c))
$(BUILD)/tests/%: tests/progs/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $< -o $@
$(BUILD)/tests/wbfuse: tests/progs/wbfuse.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $$(pkg-config --cflags fuse3) $< -o $@ $$(pkg-config --libs fuse3)

# BPF objects the guest tests load as files (/usr/local/lib/wbext)
TEST_OBJS := $(BUILD)/tests/legacy_attach.bpf.o \
	$(patsubst %,$(BUILD)/tests/doc_%.bpf.o,$(DOC_EXAMPLES))

progs: tools $(TEST_PROGS) $(HELPER_PROGS) $(TEST_OBJS) $(BUILD)/loader/wbctl \
	$(BUILD)/unit/wbctl_unit $(BUILD)/loader/wbstat

wbctl: $(BUILD)/loader/wbctl

# make install (PREFIX=/usr/local, DESTDIR=): wbctl and wbstat, their man
# pages (docs/*.8.rst), bash completion, the headers a policy author
# includes, wbext.service with /etc/default/wbext (kept if it exists), and
# the udev example.  make uninstall removes them again.
PREFIX ?= /usr/local
SBINDIR := $(PREFIX)/sbin
UNITDIR := $(PREFIX)/lib/systemd/system
MAN_PAGES := $(BUILD)/man/wbctl.8 $(BUILD)/man/wbstat.8
$(BUILD)/man/%.8: docs/%.8.rst
	@mkdir -p $(dir $@)
	rst2man --strict $< > $@.tmp && mv $@.tmp $@
man: $(MAN_PAGES)

# libbpf's BPF-side headers the policies are built with: Debian 12's
# libbpf-dev (1.1) lacks bpf_for, which lb, numa and stream use
LIBBPF_BPF_HDRS := bpf_helpers.h bpf_helper_defs.h bpf_tracing.h \
	bpf_core_read.h bpf_endian.h
# what a policy author includes, as the policies in bpf/ do
POLICY_HDRS := wbext_bpf.h wbext_stats.h wbext_assign.h common.bpf.h \
	throttle.bpf.h
INSTALLED := $(SBINDIR)/wbctl $(SBINDIR)/wbstat \
	$(PREFIX)/share/man/man8/wbctl.8 $(PREFIX)/share/man/man8/wbstat.8 \
	$(PREFIX)/share/bash-completion/completions/wbctl \
	$(addprefix $(PREFIX)/include/wbext/,$(POLICY_HDRS)) \
	$(UNITDIR)/wbext.service \
	$(PREFIX)/share/doc/wbext/60-wbext.rules.example \
	$(addprefix $(PREFIX)/include/wbext/bpf/,$(LIBBPF_BPF_HDRS))
install: $(BUILD)/loader/wbctl $(BUILD)/loader/wbstat $(MAN_PAGES)
	install -D -m 0755 $(BUILD)/loader/wbctl $(DESTDIR)$(SBINDIR)/wbctl
	install -D -m 0755 $(BUILD)/loader/wbstat $(DESTDIR)$(SBINDIR)/wbstat
	install -D -m 0644 -t $(DESTDIR)$(PREFIX)/share/man/man8 $(MAN_PAGES)
	install -D -m 0644 dist/wbctl.bash-completion \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/wbctl
	install -D -m 0644 -t $(DESTDIR)$(PREFIX)/include/wbext \
		$(addprefix include/,$(filter wbext_%,$(POLICY_HDRS))) \
		$(addprefix bpf/,$(filter %.bpf.h,$(POLICY_HDRS)))
	install -D -m 0644 -t $(DESTDIR)$(PREFIX)/include/wbext/bpf \
		$(addprefix $(TOOLS)/include/bpf/,$(LIBBPF_BPF_HDRS))
	sed 's|@SBINDIR@|$(SBINDIR)|g' dist/wbext.service > $(BUILD)/wbext.service
	install -D -m 0644 $(BUILD)/wbext.service $(DESTDIR)$(UNITDIR)/wbext.service
	[ -e $(DESTDIR)/etc/default/wbext ] || \
		install -D -m 0644 dist/wbext.default $(DESTDIR)/etc/default/wbext
	install -D -m 0644 dist/60-wbext.rules \
		$(DESTDIR)$(PREFIX)/share/doc/wbext/60-wbext.rules.example
	@echo "installed under $(DESTDIR)$(PREFIX); at boot: systemctl daemon-reload; systemctl enable --now wbext (policy in /etc/default/wbext)"
uninstall:
	rm -f $(addprefix $(DESTDIR),$(INSTALLED))
	-rmdir $(DESTDIR)$(PREFIX)/include/wbext/bpf $(DESTDIR)$(PREFIX)/include/wbext \
		$(DESTDIR)$(PREFIX)/share/doc/wbext 2>/dev/null
	@echo "removed; /etc/default/wbext is kept"

# $(call ready,KERNELS): deps, then KERNELS, then progs, each incremental.
# A make of its own for each, in turn: deps installs the compilers and the
# kernel's BTF feeds vmlinux.h, which prerequisites of one make would
# not wait for (make -j), nor see (variables are read at the start).  The
# "+" runs it under make -n and hands it the jobserver: $(MAKE) is not
# literally on the line.
ready = +@$(MAKE) -s deps && $(MAKE) -s $(1) && $(MAKE) -s progs

check:
	$(call ready,kernel)
	@tests/run

demo:
	$(call ready,kernel)
	@scripts/demo.sh

FORCE:

# The loop of a policy author: compile POLICY, boot the VM, load it with
# "wbctl load -f" (OPTS: its -o options), write and verify with fio, print
# the stats, last_exit and kernel warnings (scripts/try.sh).
try:
	@[ -n "$(POLICY)" ] || { echo "usage: make try POLICY=path/to/my.bpf.c [OPTS='-o key=value']" >&2; exit 2; }
	$(call ready,kernel)
	@CLANG="$(CLANG)" BPF_CFLAGS="$(BPF_CFLAGS)" OPTS="$(OPTS)" scripts/try.sh "$(POLICY)"

# The benchmark (non-debug kernels; see bench/README.md).  REPS=5 by
# default; VM_CPUS, SIZE_MB, WORKLOADS, POLICIES, SEED as bench/run.sh says.
bench:
	$(call ready,kernel-bench kernel-stock)
	@$(if $(DEV),DEV=$(DEV)) bench/run.sh $(REPS)

# While changing the kernel: the in-boot noise floor (nr1b / nr1) and
# drain with the default shards against nr1, one boot per repetition,
# patched kernel only (REPS=5 by default): build/bench-quick/bench.md.
bench-quick:
	$(call ready,kernel-bench)
	@$(if $(DEV),DEV=$(DEV)) STOCK=0 DIRECT=0 POLICIES= WORKLOADS=drain \
		SIZE_MB=$${SIZE_MB:-256} RESULTS=$(BUILD)/bench-quick bench/run.sh $(REPS)

# Every sharding model as a policy (upstream's v1 ino, v2/v3 ag, the 2026
# stream, and rr, numa, lb, affinity) against the kernel default and the
# stock kernel, alternated in one run: bench/results/models[-DEV]/.
MODELS := rr affinity numa lb ino ag stream
MODEL_WORKLOADS := rand4k v3 seq1m smallfiles cgrand4k
bench-models:
	$(call ready,kernel-bench kernel-stock)
	@$(if $(DEV),DEV=$(DEV)) POLICIES="$(MODELS)" WORKLOADS="$(MODEL_WORKLOADS)" \
		RESULTS=$(CURDIR)/bench/results/models$(if $(DEV),-$(DEV)) bench/run.sh $(REPS)

# Extents per file with 1, 2 and 4 shards in one boot, with the writeback
# done during the fill traced (bench/run-frag.sh; JOB, FS, CONFIGS, SEED):
# build/bench-frag/frag.md
bench-frag:
	$(call ready,kernel)
	@bench/run-frag.sh $(REPS)

# Cost of a loaded wb_ext_ops policy vs the kernel default (bench kernel)
bench-overhead:
	$(call ready,kernel-bench)
	@bench/run-overhead.sh $(BOOTS)

# fstests (xfstests) on the test kernel and the stock kernel, one boot per
# kernel and filesystem; not part of check.  FSTYP="xfs ext4" and TESTS
# (default tests/fstests/tests.list) override; results in
# build/fstests-results/ (scripts/fstests.sh lists the other knobs).
FSTYP ?= xfs ext4
fstests:
	@$(MAKE) -s deps
	@$(MAKE) -s kernel kernel-stock
	@FSTYP="$(FSTYP)" TESTS="$(TESTS)" scripts/fstests.sh

shell:
	@$(MAKE) -s kernel progs
	@scripts/vm.sh --shell

clean:
	rm -rf $(BUILD)/tests $(BUILD)/bpf $(BUILD)/loader $(BUILD)/unit $(BUILD)/bench \
		$(BUILD)/include $(BUILD)/initramfs* $(BUILD)/vm
distclean:
	rm -rf $(BUILD)
