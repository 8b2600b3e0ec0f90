// SPDX-License-Identifier: MIT
/* Calibration: measure what this kernel allows before choosing, per function,
 * between fentry/fexit (cheapest, needs BTF and trampolines) and
 * kprobe/kretprobe (works on suffixed copies such as foo.isra.0); the choice
 * itself is resolve.c's. */
#include "probe/calibrate.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <linux/bpf.h>
#include <linux/capability.h>
#include <sys/syscall.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#define VMLINUX_BTF "/sys/kernel/btf/vmlinux"

#ifndef CAP_PERFMON
#define CAP_PERFMON 38
#endif
#ifndef CAP_BPF
#define CAP_BPF 39
#endif

static bool has_cap(const struct __user_cap_data_struct *d, int cap)
{
	return d[cap / 32].effective & (1u << (cap % 32));
}

static bool privileged(void)
{
	struct __user_cap_header_struct h = {.version = _LINUX_CAPABILITY_VERSION_3};
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3] = {{0}};

	if (syscall(SYS_capget, &h, d))
		return geteuid() == 0;
	return has_cap(d, CAP_SYS_ADMIN) || (has_cap(d, CAP_BPF) && has_cap(d, CAP_PERFMON));
}

/* Loads and attaches an empty fentry program on FUNC: the host kernels here
 * refuse trampolines with EPERM even to root, while kprobes may still work. */
static int try_fentry(struct btf *btf, const char *func)
{
	struct bpf_insn insns[] = {
	    {.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0},
	    {.code = BPF_JMP | BPF_EXIT},
	};
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = BPF_TRACE_FENTRY);
	int id, prog, link, err = 0;

	id = btf__find_by_name_kind(btf, func, BTF_KIND_FUNC);
	if (id <= 0)
		return -ENOENT;
	opts.attach_btf_id = id;
	prog = bpf_prog_load(BPF_PROG_TYPE_TRACING, "ot_calib", "GPL", insns, 2, &opts);
	if (prog < 0)
		return -errno;
	link = bpf_link_create(prog, 0, BPF_TRACE_FENTRY, NULL);
	if (link < 0)
		err = -errno;
	else
		close(link);
	close(prog);
	return err;
}

static bool kprobes_available(void)
{
	return access("/sys/bus/event_source/devices/kprobe/type", R_OK) == 0 ||
	       access("/sys/kernel/tracing/kprobe_events", W_OK) == 0 ||
	       access("/sys/kernel/debug/tracing/kprobe_events", W_OK) == 0;
}

/* The word in parentheses of a "none (voluntary) full" list, into OUT. */
static bool paren_word(const char *s, char *out, size_t sz)
{
	const char *a = s ? strchr(s, '(') : NULL, *b = a ? strchr(a, ')') : NULL;

	if (!b || (size_t)(b - a - 1) >= sz)
		return false;
	snprintf(out, sz, "%.*s", (int)(b - a - 1), a + 1);
	return true;
}

/* The value of preempt= on a kernel command line, into OUT. */
static bool cmdline_preempt(const char *cmdline, char *out, size_t sz)
{
	for (const char *p = cmdline; p && (p = strstr(p, "preempt=")); p++) {
		if (p != cmdline && p[-1] != ' ')
			continue;
		p += strlen("preempt=");
		snprintf(out, sz, "%.*s", (int)strcspn(p, " \n"), p);
		return true;
	}
	return false;
}

/* A whole word of S. */
static bool has_word(const char *s, const char *w)
{
	size_t n = strlen(w);

	for (const char *p = s; p && (p = strstr(p, w)); p++)
		if ((p == s || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0' || p[n] == '\n'))
			return true;
	return false;
}

bool ot_calib_preemptible(const char *uts_version, const char *sched_preempt, const char *cmdline,
			  char *how, size_t howsz)
{
	char mode[32];

	if (!uts_version) {
		snprintf(how, howsz, "preemption model unknown (no kernel version string)");
		return true;
	}
	if (has_word(uts_version, "PREEMPT_RT")) {
		snprintf(how, howsz, "PREEMPT_RT kernel");
		return true;
	}
	if (has_word(uts_version, "PREEMPT_DYNAMIC")) {
		if (paren_word(sched_preempt, mode, sizeof(mode)))
			snprintf(how, howsz, "preemption %s (sched/preempt)", mode);
		else if (cmdline_preempt(cmdline, mode, sizeof(mode)))
			snprintf(how, howsz, "preemption %s (preempt= on the command line)", mode);
		else {
			snprintf(how, howsz,
				 "preemption model of this dynamic kernel unread (no debugfs)");
			return true;
		}
		return strcmp(mode, "none") && strcmp(mode, "voluntary");
	}
	if (has_word(uts_version, "PREEMPT")) {
		snprintf(how, howsz, "PREEMPT kernel");
		return true;
	}
	snprintf(how, howsz, "kernel without preemption (voluntary or none)");
	return false;
}

/* The whole (short) text of PATH into BUF, or NULL. */
static const char *read_small(const char *path, char *buf, size_t sz)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return NULL;
	n = fread(buf, 1, sz - 1, f);
	fclose(f);
	buf[n] = '\0';
	return n ? buf : NULL;
}

static void calibrate_preemption(struct ot_calib *c)
{
	char ver[256], sp[128], cmd[4096];
	struct utsname u;

	snprintf(ver, sizeof(ver), "%s", uname(&u) ? "" : u.version);
	c->preemptible = ot_calib_preemptible(
	    *ver ? ver : NULL, read_small("/sys/kernel/debug/sched/preempt", sp, sizeof(sp)),
	    read_small("/proc/cmdline", cmd, sizeof(cmd)), c->preempt_how, sizeof(c->preempt_how));
}

/* What the first calibration of this process found: the kernel does not change under
 * a run, and parsing its BTF again for every case of a `run --all` costs a fifth of a
 * second under emulation. Its BTF is shared: ot_calib_free leaves it. */
static struct ot_calib calibrated;
static bool have_calibrated;

int ot_calibrate(struct ot_calib *c, char *why, size_t whysz)
{
	if (have_calibrated) {
		*c = calibrated;
		return 0;
	}
	memset(c, 0, sizeof(*c));
	c->privileged = privileged();
	if (!c->privileged) {
		snprintf(
		    why, whysz,
		    "loading BPF programs needs root (CAP_BPF and CAP_PERFMON, or CAP_SYS_ADMIN)");
		return -1;
	}
	c->btf = access(VMLINUX_BTF, R_OK) == 0;
	if (c->btf)
		c->vmlinux_btf = btf__load_vmlinux_btf();
	if (!c->btf || !c->vmlinux_btf) {
		snprintf(why, whysz,
			 "this kernel has no BTF (" VMLINUX_BTF ", CONFIG_DEBUG_INFO_BTF): "
			 "the CO-RE programs cannot be relocated");
		return -1;
	}
	const char *force = getenv("OPENTRAIL_BPF_ATTACH");
	/* The trial target: a function of the open path every kernel has, under one name. */
	c->fentry_off = force && !strcmp(force, "kprobe");
	c->fentry_forced = force && !strcmp(force, "fentry");
	int err = c->fentry_off ? -EPERM : try_fentry(c->vmlinux_btf, "vfs_open");

	c->fentry = err == 0;
	c->fentry_err = -err;
	c->kprobes = kprobes_available();
	calibrate_preemption(c);
	if (!c->fentry && !c->kprobes) {
		snprintf(why, whysz, "this kernel refuses fentry (%s) and has no kprobes",
			 c->fentry_err == EPERM ? "EPERM" : strerror(c->fentry_err));
		return -1;
	}
	calibrated = *c;
	have_calibrated = true;
	return 0;
}

void ot_calib_free(struct ot_calib *c)
{
	if (!have_calibrated || c->vmlinux_btf != calibrated.vmlinux_btf)
		btf__free(c->vmlinux_btf);
	c->vmlinux_btf = NULL;
}
