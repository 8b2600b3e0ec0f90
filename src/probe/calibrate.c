// SPDX-License-Identifier: MIT
/* Calibration: measure what this kernel allows before choosing, per function,
 * between fentry/fexit (cheapest, needs BTF and trampolines) and
 * kprobe/kretprobe (works on suffixed copies such as foo.isra.0). */
#include "bpf/calibrate.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

int ot_calibrate(struct ot_calib *c, char *why, size_t whysz)
{
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
	/* The trial target is a function every kernel opentrail knows has. */
	c->fentry_off = force && !strcmp(force, "kprobe");
	int err = c->fentry_off ? -EPERM : try_fentry(c->vmlinux_btf, "do_filp_open");

	c->fentry = err == 0;
	c->fentry_err = -err;
	c->kprobes = kprobes_available();
	if (!c->fentry && !c->kprobes) {
		snprintf(why, whysz, "this kernel refuses fentry (%s) and has no kprobes",
			 c->fentry_err == EPERM ? "EPERM" : strerror(c->fentry_err));
		return -1;
	}
	return 0;
}

void ot_calib_free(struct ot_calib *c)
{
	btf__free(c->vmlinux_btf);
	c->vmlinux_btf = NULL;
}

/* What a symbol list says about one function. */
struct sym_seen {
	int exact;	    /* how many functions have exactly this name */
	char suffixed[128]; /* first "NAME.isra.0"-like copy, or "" */
};

static const char *const ftrace_lists[] = {
    "/sys/kernel/tracing/available_filter_functions",
    "/sys/kernel/debug/tracing/available_filter_functions",
};

/* The function name of one line of either list, or NULL (data symbols, modules). */
static char *line_symbol(char *line, bool kallsyms)
{
	char *name = line, *end;

	if (kallsyms) {
		char type;
		int off = 0;

		if (sscanf(line, "%*s %c %n", &type, &off) != 1 || !off)
			return NULL;
		if (type != 't' && type != 'T')
			return NULL;
		name = line + off;
	}
	end = name + strcspn(name, " \t\n");
	if (*end && strchr(end, '['))
		return NULL; /* a module's function: opentrail probes vmlinux only */
	*end = '\0';
	return name;
}

static int scan_symbols(const char *path, bool kallsyms, const char *const *funcs, size_t n,
			struct sym_seen *seen)
{
	char line[512];
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char *name = line_symbol(line, kallsyms);

		if (!name)
			continue;
		for (size_t i = 0; i < n; i++) {
			size_t len = strlen(funcs[i]);

			if (strncmp(name, funcs[i], len))
				continue;
			if (!name[len])
				seen[i].exact++;
			else if (name[len] == '.' && !seen[i].suffixed[0] &&
				 strlen(name) < sizeof(seen[i].suffixed))
				memcpy(seen[i].suffixed, name, strlen(name) + 1);
		}
	}
	fclose(f);
	return 0;
}

/* kallsyms says whether a function exists out of line (a kprobe needs no more);
 * ftrace's list, where tracefs is mounted, says whether a trampoline can attach. */
static void plan_one(const struct ot_calib *c, const char *func, const struct sym_seen *ks,
		     const struct sym_seen *ft, struct ot_func_plan *p)
{
	bool in_btf = btf__find_by_name_kind(c->vmlinux_btf, func, BTF_KIND_FUNC) > 0;
	bool traceable = ft ? ft->exact == 1 : true;

	memset(p, 0, sizeof(*p));
	if (ks->exact > 1) {
		snprintf(p->why, sizeof(p->why), "%d functions share the name", ks->exact);
		return;
	}
	if (!ks->exact && !ks->suffixed[0]) {
		snprintf(p->why, sizeof(p->why), "not in /proc/kallsyms (inlined or absent)");
		return;
	}
	if (ks->exact && in_btf && traceable && c->fentry) {
		p->mode = OT_ATTACH_FENTRY;
		snprintf(p->sym, sizeof(p->sym), "%s", func);
		return;
	}
	/* Out-of-line copies of inline functions are notrace: kprobes usually refuse
	 * them too, and the attach will say so. */
	snprintf(p->why, sizeof(p->why), "%s",
		 !ks->exact   ? "only a suffixed copy exists"
		 : !traceable ? "not in ftrace's function list (notrace)"
		 : !c->fentry ? "fentry not available"
			      : "not in BTF");
	if (!c->kprobes) {
		size_t len = strlen(p->why);

		snprintf(p->why + len, sizeof(p->why) - len, " and no kprobes");
		return;
	}
	p->mode = OT_ATTACH_KPROBE;
	snprintf(p->sym, sizeof(p->sym), "%s", ks->exact ? func : ks->suffixed);
}

int ot_plan_funcs(struct ot_calib *c, const char *const *funcs, size_t n,
		  struct ot_func_plan *plans)
{
	struct sym_seen *ks = calloc(n + 1, sizeof(*ks)), *ft = calloc(n + 1, sizeof(*ft));
	bool have_ft = false;
	int err = -1;

	if (!ks || !ft)
		goto cleanup;
	c->symsrc = "/proc/kallsyms";
	if (scan_symbols("/proc/kallsyms", true, funcs, n, ks))
		goto cleanup;
	for (size_t i = 0; i < sizeof(ftrace_lists) / sizeof(ftrace_lists[0]) && !have_ft; i++)
		if (!scan_symbols(ftrace_lists[i], false, funcs, n, ft)) {
			have_ft = true;
			c->symsrc = "/proc/kallsyms and ftrace's function list";
		}
	for (size_t i = 0; i < n; i++)
		plan_one(c, funcs[i], &ks[i], have_ft ? &ft[i] : NULL, &plans[i]);
	err = 0;
cleanup:
	free(ks);
	free(ft);
	return err;
}
