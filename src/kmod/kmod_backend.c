// SPDX-License-Identifier: MIT
/* The kernel-module backend (src/cli/backend.h): resolve the requested
 * functions in /proc/kallsyms, load opentrail_kprobes.ko with finit_module(2)
 * (one kretprobe per function, filtered on the followed tgid), and move the
 * module's lines from /dev/kmsg to the log. Only this load's lines are kept:
 * the reader starts at the end of the kernel log (nothing is ever cleared) and
 * keeps kernel-facility records from the load fact carrying this run's id up to
 * the unload fact with the same id. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "probe/backend.h"
#include "record/logwrite.h"

#define KMOD_NAME      "opentrail_kprobes"
#define KMOD_FILE      KMOD_NAME ".ko"
#define TAG	       "[opentrail] "
#define KMSG_REC_MAX   8192
#define UNLOAD_WAIT_MS 3000

struct kmod_state {
	FILE *log;
	int kmsg;
	bool verbose;
	char run_id[64];
	bool in_run; /* the load fact of this run was seen */
	bool ready;  /* every probe of this load is registered */
	bool done;   /* the unload fact of this run was seen */
	FILE *held;  /* lines read before run.fact was written */
	char *held_buf;
	size_t held_len;
	char attached[2048];
	char skipped[2048];
	unsigned long records;
	unsigned long nmissed;
	unsigned long kmsg_lost;
	uint64_t next_seq;
	bool have_seq;
};

/* One requested function and the symbol chosen for it. */
struct kmod_sym {
	const char *func;
	char sym[256];
	unsigned long long addr;
	int exact; /* text symbols named exactly FUNC */
	bool found;
	bool ambiguous;
	unsigned long long cand[8]; /* addresses of the exact candidates */
	char fragment[256];	    /* a FUNC.part.N copy: only a piece of the function */
};

/* ---- calibration ----------------------------------------------------------------------- */

/* Is NAME FUNC with a compiler suffix that keeps the whole function (.isra.N,
 * .constprop.N)? (.part.N and .cold are fragments: not the function's entry.) */
static bool is_clone_of(const char *name, const char *func)
{
	size_t n = strlen(func);

	if (strncmp(name, func, n) || name[n] != '.')
		return false;
	return !strncmp(name + n, ".isra.", 6) || !strncmp(name + n, ".constprop.", 11);
}

/* The anchor a duplicated static name is resolved by: the instance nearest to a
 * function of the same source file (fs/namei.c or net/socket.c). */
static const char *anchor_of(const char *func)
{
	static const char *const net[] = {"__sys_socket", "sock_alloc", "sock_alloc_file",
					  "inet_create"};

	for (size_t i = 0; i < sizeof(net) / sizeof(net[0]); i++)
		if (!strcmp(func, net[i]))
			return "__sys_socket";
	return "do_filp_open";
}

/* Reads /proc/kallsyms once: resolves every requested function, and tells
 * whether the kernel has kretprobes at all. */
static int resolve_symbols(struct kmod_sym *s, size_t n, bool *have_kprobes)
{
	FILE *f = fopen("/proc/kallsyms", "r");
	unsigned long long a_fs = 0, a_net = 0;
	char line[512];

	*have_kprobes = false;
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long addr;
		char type, name[256];

		/* Module symbols carry a "[module]" tail: only vmlinux functions count. */
		if (strchr(line, '['))
			continue;
		if (sscanf(line, "%llx %c %255s", &addr, &type, name) != 3)
			continue;
		if (type != 't' && type != 'T')
			continue;
		if (!strcmp(name, "register_kretprobe"))
			*have_kprobes = true;
		if (!strcmp(name, "do_filp_open"))
			a_fs = addr;
		if (!strcmp(name, "__sys_socket"))
			a_net = addr;
		for (size_t i = 0; i < n; i++) {
			if (!strcmp(name, s[i].func)) {
				if (s[i].exact < 8)
					s[i].cand[s[i].exact] = addr;
				s[i].exact++;
				s[i].found = true;
				snprintf(s[i].sym, sizeof(s[i].sym), "%s", name);
			} else if (!s[i].exact && !s[i].found && is_clone_of(name, s[i].func)) {
				s[i].found = true;
				s[i].addr = addr;
				snprintf(s[i].sym, sizeof(s[i].sym), "%s", name);
			} else if (!s[i].fragment[0] &&
				   !strncmp(name, s[i].func, strlen(s[i].func)) &&
				   name[strlen(s[i].func)] == '.') {
				snprintf(s[i].fragment, sizeof(s[i].fragment), "%s", name);
			}
		}
	}
	fclose(f);
	for (size_t i = 0; i < n; i++) {
		unsigned long long anchor =
		    strcmp(anchor_of(s[i].func), "__sys_socket") ? a_fs : a_net;
		unsigned long long best = ~0ULL;
		int m = s[i].exact < 8 ? s[i].exact : 8;

		if (s[i].exact < 2)
			continue;
		/* Several static functions share the name: pick by address (0 when
		 * kptr_restrict hides addresses: then the kernel picks the first). */
		s[i].ambiguous = true;
		for (int k = 0; k < m && anchor; k++) {
			unsigned long long d =
			    s[i].cand[k] > anchor ? s[i].cand[k] - anchor : anchor - s[i].cand[k];
			if (s[i].cand[k] && d < best) {
				best = d;
				s[i].addr = s[i].cand[k];
			}
		}
	}
	return 0;
}

/* The module file for RELEASE: $OPENTRAIL_KMOD (a file, or a directory holding
 * <release>/opentrail_kprobes.ko or opentrail_kprobes.ko), then next to the
 * opentrail binary (<bindir>/kmod/<release>/), then /lib/modules/<release>/extra. */
static int find_module(const char *release, char *path, size_t pathsz, char *why, size_t whysz)
{
	char cands[4][PATH_MAX], exe[PATH_MAX], tried[1024] = "";
	const char *env = getenv("OPENTRAIL_KMOD");
	struct stat st;
	int nc = 0;
	ssize_t n;

	if (env && *env) {
		if (stat(env, &st) == 0 && S_ISREG(st.st_mode) &&
		    snprintf(path, pathsz, "%s", env) < (int)pathsz)
			return 0;
		if (snprintf(cands[nc], PATH_MAX, "%s/%s/%s", env, release, KMOD_FILE) < PATH_MAX)
			nc++;
		if (snprintf(cands[nc], PATH_MAX, "%s/%s", env, KMOD_FILE) < PATH_MAX)
			nc++;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		char *slash;

		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			if (snprintf(cands[nc], PATH_MAX, "%s/kmod/%s/%s", exe, release,
				     KMOD_FILE) < PATH_MAX)
				nc++;
		}
	}
	if (snprintf(cands[nc], PATH_MAX, "/lib/modules/%s/extra/%s", release, KMOD_FILE) <
	    PATH_MAX)
		nc++;
	for (int i = 0; i < nc; i++) {
		if (stat(cands[i], &st) == 0 && S_ISREG(st.st_mode) &&
		    snprintf(path, pathsz, "%s", cands[i]) < (int)pathsz)
			return 0;
		ot_appendf(tried, sizeof(tried), "%s%s", i ? ", " : "", cands[i]);
	}
	if (snprintf(why, whysz,
		     "no %s for kernel %s (looked in %s): build it with `make kmod` or set "
		     "OPENTRAIL_KMOD",
		     KMOD_FILE, release, tried) >= (int)whysz)
		why[whysz - 1] = '\0';
	return -1;
}

/* Byte offset of MEMBER in struct SNAME per the running kernel's BTF, or -1. */
static int btf_offset(const struct btf *btf, const char *sname, const char *member)
{
	int id = btf__find_by_name_kind(btf, sname, BTF_KIND_STRUCT);
	const struct btf_type *t;
	const struct btf_member *m;

	if (id < 0)
		return -1;
	t = btf__type_by_id(btf, id);
	m = btf_members(t);
	for (int i = 0; i < btf_vlen(t); i++, m++) {
		const char *name = btf__name_by_offset(btf, m->name_off);

		if (name && !strcmp(name, member)) {
			unsigned int bits = btf_member_bit_offset(t, i);

			return bits % 8 ? -1 : (int)(bits / 8);
		}
	}
	return -1;
}

/* The offsets of the two structures no installed header describes (struct
 * open_flags, struct nameidata), from /sys/kernel/btf/vmlinux; -1 when unknown
 * (the module then records only their pointers). */
static void btf_offsets(int *open_flag, int *acc_mode, int *nd_dentry)
{
	struct btf *btf;
	int path, dentry;

	*open_flag = *acc_mode = *nd_dentry = -1;
	btf = btf__load_vmlinux_btf();
	if (!btf)
		return;
	*open_flag = btf_offset(btf, "open_flags", "open_flag");
	*acc_mode = btf_offset(btf, "open_flags", "acc_mode");
	path = btf_offset(btf, "nameidata", "path");
	dentry = btf_offset(btf, "path", "dentry");
	if (path >= 0 && dentry >= 0)
		*nd_dentry = path + dentry;
	btf__free(btf);
}

/* ---- /dev/kmsg --------------------------------------------------------------------------- */

/* Undoes /dev/kmsg's escaping of the message text (\xHH for '\\' and controls). */
static size_t kmsg_unescape(char *s, size_t n)
{
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned int v;

		if (s[i] == '\\' && i + 3 < n && s[i + 1] == 'x' &&
		    isxdigit((unsigned char)s[i + 2]) && isxdigit((unsigned char)s[i + 3]) &&
		    sscanf(s + i + 2, "%2x", &v) == 1) {
			s[o++] = (char)v;
			i += 3;
		} else {
			s[o++] = s[i];
		}
	}
	s[o] = '\0';
	return o;
}

/* Value of KEY="..." (unescaped only for plain names) or KEY=N in a fact line. */
static bool fact_value(const char *line, const char *key, char *out, size_t outsz)
{
	char pat[64];
	const char *p;
	size_t n;

	snprintf(pat, sizeof(pat), " %s=", key);
	p = strstr(line, pat);
	if (!p)
		return false;
	p += strlen(pat);
	if (*p == '"') {
		const char *e = strchr(p + 1, '"');

		if (!e)
			return false;
		n = (size_t)(e - p - 1);
		p++;
	} else {
		n = strcspn(p, " ");
	}
	if (n >= outsz)
		n = outsz - 1;
	memcpy(out, p, n);
	out[n] = '\0';
	return true;
}

/* A kmod.fact line of this run: updates what is known of the load. */
static void take_fact(struct kmod_state *st, const char *msg)
{
	char probe[128], v[256], err[32];

	if (fact_value(msg, "event", v, sizeof(v))) {
		if (!strcmp(v, "ready"))
			st->ready = true;
		else if (!strcmp(v, "unload"))
			st->done = true;
		return;
	}
	if (!fact_value(msg, "probe", probe, sizeof(probe)))
		return;
	if (fact_value(msg, "attached", v, sizeof(v)))
		ot_appendf(st->attached, sizeof(st->attached), "%s%s", *st->attached ? "," : "",
			   probe);
	else if (fact_value(msg, "skipped", v, sizeof(v))) {
		if (!fact_value(msg, "error", err, sizeof(err)))
			snprintf(err, sizeof(err), "?");
		ot_appendf(st->skipped, sizeof(st->skipped), "%s%s:%s (error %s)",
			   *st->skipped ? "," : "", probe, v, err);
	} else if (fact_value(msg, "nmissed", v, sizeof(v)))
		st->nmissed += strtoul(v, NULL, 10);
}

/* Handles one /dev/kmsg record; returns 1 if a call record was written. */
static int take_record(struct kmod_state *st, char *rec, size_t len)
{
	unsigned long long pri, seq, usec;
	char *msg, *end;
	char load_pat[128];
	FILE *out;

	if (sscanf(rec, "%llu,%llu,%llu", &pri, &seq, &usec) != 3)
		return 0;
	if (st->have_seq && seq > st->next_seq)
		st->kmsg_lost += seq - st->next_seq; /* overwritten before we read them */
	st->next_seq = seq + 1;
	st->have_seq = true;
	msg = memchr(rec, ';', len);
	if (!msg || pri >> 3 != 0) /* facility 0: written by the kernel, not by userspace */
		return 0;
	msg++;
	end = memchr(msg, '\n', len - (size_t)(msg - rec));
	if (end)
		*end = '\0';
	kmsg_unescape(msg, strlen(msg));
	if (strncmp(msg, TAG, strlen(TAG)))
		return 0;
	snprintf(load_pat, sizeof(load_pat), TAG "kmod.fact run_id=\"%s\" event=\"load\"",
		 st->run_id);
	if (!st->in_run) {
		if (strncmp(msg, load_pat, strlen(load_pat)))
			return 0; /* an older load's line */
		st->in_run = true;
	}
	if (st->done)
		return 0;
	if (!strncmp(msg, TAG "kmod.fact ", strlen(TAG "kmod.fact ")))
		take_fact(st, msg);
	out = st->held ? st->held : st->log;
	fprintf(out, "[%5llu.%06llu] %s\n", usec / 1000000, usec % 1000000, msg);
	if (strstr(msg, ".entry ") || strstr(msg, ".ret ")) {
		st->records++;
		return 1;
	}
	return 0;
}

/* Reads every pending record; returns call records moved, or -1. */
static int drain(struct kmod_state *st)
{
	char rec[KMSG_REC_MAX + 1];
	int moved = 0;

	for (;;) {
		ssize_t n = read(st->kmsg, rec, KMSG_REC_MAX);

		if (n < 0) {
			if (errno == EAGAIN)
				break;
			if (errno == EPIPE) /* records overwritten: counted by seq */
				continue;
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0)
			break;
		rec[n] = '\0';
		moved += take_record(st, rec, (size_t)n);
	}
	return moved;
}

static int wait_and_drain(struct kmod_state *st, int timeout_ms)
{
	struct pollfd p = {.fd = st->kmsg, .events = POLLIN};

	if (poll(&p, 1, timeout_ms) < 0 && errno != EINTR)
		return -1;
	return drain(st);
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- the backend ------------------------------------------------------------------------- */

static void free_state(struct kmod_state *st)
{
	if (!st)
		return;
	if (st->held)
		fclose(st->held);
	free(st->held_buf);
	if (st->kmsg >= 0)
		close(st->kmsg);
	free(st);
}

static int unload(void)
{
	for (int i = 0; i < 50; i++) {
		if (syscall(SYS_delete_module, KMOD_NAME, O_NONBLOCK) == 0)
			return 0;
		if (errno != EAGAIN && errno != EBUSY && errno != EWOULDBLOCK)
			return -1;
		usleep(100000);
	}
	return -1;
}

static const char *load_error(int e)
{
	switch (e) {
	case EEXIST:
		return "the module is already loaded (another opentrail run? `rmmod " KMOD_NAME
		       "` if none)";
	case ENOEXEC:
		return "the module was built for another kernel (Invalid module format)";
	case EKEYREJECTED:
	case EPERM:
		return "the kernel refused the module (unsigned module under lockdown or "
		       "module.sig_enforce)";
	case ENOSYS:
		return "this kernel cannot load modules";
	default:
		return strerror(e);
	}
}

static int kmod_open(const struct ot_backend_opts *o, void **state, char *why, size_t whysz)
{
	struct kmod_sym *syms = calloc(o->nfuncs + 1, sizeof(*syms));
	struct kmod_state *st = calloc(1, sizeof(*st));
	char modpath[PATH_MAX], params[4096], plist[3072] = "", resolved[1024] = "";
	char userskip[1024] = "";
	int off_open_flag, off_acc_mode, off_nd_dentry, modfd = -1, err = -1;
	bool have_kprobes, loaded = false;
	struct utsname u;
	struct ot_line l;
	long deadline;

	if (!syms || !st) {
		snprintf(why, whysz, "out of memory");
		goto cleanup;
	}
	st->kmsg = -1;
	st->log = o->log;
	st->verbose = o->verbose;
	if (geteuid() != 0) {
		snprintf(why, whysz, "the kmod backend needs root (it loads a kernel module)");
		goto cleanup;
	}
	if (access("/proc/modules", R_OK)) {
		snprintf(why, whysz, "this kernel cannot load modules (no /proc/modules)");
		goto cleanup;
	}
	uname(&u);
	for (size_t i = 0; i < o->nfuncs; i++)
		syms[i].func = o->funcs[i];
	if (resolve_symbols(syms, o->nfuncs, &have_kprobes)) {
		snprintf(why, whysz, "cannot read /proc/kallsyms (%s)", strerror(errno));
		goto cleanup;
	}
	if (!have_kprobes) {
		snprintf(why, whysz, "this kernel has no kretprobes (CONFIG_KPROBES/KRETPROBES)");
		goto cleanup;
	}
	if (find_module(u.release, modpath, sizeof(modpath), why, whysz))
		goto cleanup;
	btf_offsets(&off_open_flag, &off_acc_mode, &off_nd_dentry);

	/* probes=name[=symbol[@address]],... */
	for (size_t i = 0; i < o->nfuncs; i++) {
		struct kmod_sym *s = &syms[i];

		if (!s->found && s->fragment[0]) {
			ot_appendf(userskip, sizeof(userskip),
				   "%s%s:only a fragment (%s) exists: a kretprobe there would miss "
				   "the calls "
				   "the inlined part answers",
				   *userskip ? "," : "", s->func, s->fragment);
			continue;
		}
		if (!s->found) {
			ot_appendf(userskip, sizeof(userskip), "%s%s:not found (inlined or absent)",
				   *userskip ? "," : "", s->func);
			continue;
		}
		ot_appendf(plist, sizeof(plist), "%s%s", *plist ? "," : "", s->func);
		if (strcmp(s->sym, s->func) || s->ambiguous)
			ot_appendf(plist, sizeof(plist), "=%s", s->sym);
		if (s->ambiguous && s->addr)
			ot_appendf(plist, sizeof(plist), "@%llx", s->addr);
		if (strcmp(s->sym, s->func))
			ot_appendf(resolved, sizeof(resolved), "%s%s=%s", *resolved ? "," : "",
				   s->func, s->sym);
		if (o->verbose)
			fprintf(stderr, "kmod: %-20s %s%s\n", s->func, s->sym,
				s->ambiguous
				    ? " (several functions of this name: picked by address)"
				    : "");
	}
	snprintf(st->run_id, sizeof(st->run_id), "%ld-%ld", (long)getpid(), now_ms());
	snprintf(params, sizeof(params),
		 "probes=%s run_id=%s off_open_flag=%d off_acc_mode=%d off_nd_dentry=%d", plist,
		 st->run_id, off_open_flag, off_acc_mode, off_nd_dentry);
	if (o->target > 0)
		ot_appendf(params, sizeof(params), " target_pid=%ld", (long)o->target);
	if (o->verbose)
		fprintf(stderr, "kmod: loading %s %s\n", modpath, params);

	/* Start at the end of the kernel log: earlier lines are not this run's. */
	st->kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (st->kmsg < 0 || lseek(st->kmsg, 0, SEEK_END) < 0) {
		snprintf(why, whysz, "cannot read /dev/kmsg (%s)", strerror(errno));
		goto cleanup;
	}
	st->held = open_memstream(&st->held_buf, &st->held_len);
	if (!st->held) {
		snprintf(why, whysz, "out of memory");
		goto cleanup;
	}
	modfd = open(modpath, O_RDONLY | O_CLOEXEC);
	if (modfd < 0) {
		snprintf(why, whysz, "cannot open %s (%s)", modpath, strerror(errno));
		goto cleanup;
	}
	if (syscall(SYS_finit_module, modfd, params, 0)) {
		snprintf(why, whysz, "loading %s failed: %s", modpath, load_error(errno));
		goto cleanup;
	}
	loaded = true;
	/* The module prints its load facts from its init function: they are in the
	 * log by now; wait a little in case the reader is slow. */
	deadline = now_ms() + 2000;
	while (!st->ready && now_ms() < deadline)
		if (wait_and_drain(st, 100) < 0)
			break;
	if (!st->ready) {
		snprintf(why, whysz,
			 "the module loaded but its load facts never reached /dev/kmsg");
		goto cleanup;
	}

	ot_appendf(st->skipped, sizeof(st->skipped), "%s%s", *st->skipped && *userskip ? "," : "",
		   userskip);
	ot_line_begin(&l, "run", "fact", (uint32_t)getpid(), (uint32_t)getpid(), "opentrail");
	ot_line_str(&l, "backend", "kmod");
	ot_line_str(&l, "kernel", u.release);
	ot_line_str(&l, "probes", st->attached);
	ot_line_str(&l, "skipped", st->skipped);
	ot_line_str(&l, "symbols", resolved);
	if (ot_line_write(&l, o->log)) {
		snprintf(why, whysz, "cannot write the log");
		goto cleanup;
	}
	/* Then what the module printed while loading. */
	fclose(st->held);
	st->held = NULL;
	if (st->held_len)
		fwrite(st->held_buf, 1, st->held_len, o->log);
	if (o->verbose)
		fprintf(stderr, "kmod: attached %s; skipped %s\n",
			*st->attached ? st->attached : "none", *st->skipped ? st->skipped : "none");
	*state = st;
	st = NULL;
	err = 0;
cleanup:
	if (err && loaded)
		unload();
	if (modfd >= 0)
		close(modfd);
	free_state(st);
	free(syms);
	return err;
}

static int kmod_poll(void *state, int timeout_ms)
{
	struct kmod_state *st = state;

	return wait_and_drain(st, timeout_ms);
}

static int kmod_close(void *state, struct ot_backend_stats *stats)
{
	struct kmod_state *st = state;
	int err = 0;
	long deadline;

	if (!st)
		return 0;
	if (drain(st) < 0)
		err = -1;
	if (unload()) {
		fprintf(stderr, "kmod: cannot unload %s (%s)\n", KMOD_NAME, strerror(errno));
		err = -1;
	} else {
		/* The unload facts (nmissed per probe) end this run's lines. */
		deadline = now_ms() + UNLOAD_WAIT_MS;
		while (!st->done && now_ms() < deadline)
			if (wait_and_drain(st, 100) < 0)
				break;
		if (!st->done) {
			fprintf(stderr, "kmod: the module's unload facts never arrived\n");
			err = -1;
		}
	}
	if (st->kmsg_lost && st->verbose)
		fprintf(stderr,
			"kmod: %lu kernel log records were overwritten before they were read\n",
			st->kmsg_lost);
	if (stats) {
		stats->records = st->records;
		stats->lost = st->nmissed + st->kmsg_lost;
	}
	fflush(st->log);
	free_state(st);
	return err;
}

const struct ot_backend ot_backend_kmod = {
    .name = "kmod",
    .open = kmod_open,
    .poll = kmod_poll,
    .close = kmod_close,
};
