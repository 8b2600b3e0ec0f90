// SPDX-License-Identifier: MIT
/* The kernel-module backend (src/probe/backend.h): resolve the requested roles
 * on this kernel (src/probe/resolve.h: names, symbols, recipes from BTF), load
 * opentrail_kprobes.ko with finit_module(2) giving it the symbols and recipes
 * (one kretprobe per function, filtered on the followed tgid, with the keys of
 * its fields) and the placed points of a line plan (one kprobe each), and move
 * the module's lines from /dev/kmsg to the log: its records as they are (it
 * writes them in their final form, record/lineformat.h), each line hit named by
 * the function its point belongs to. Only this load's lines are kept:
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

#include "probe/attachfact.h"
#include "probe/backend.h"
#include "probe/kmodlines.h"
#include "probe/lineplace.h"
#include "probe/resolve.h"
#include "record/lineformat.h"
#include "record/logwrite.h"

#define KMOD_NAME      "opentrail_kprobes"
#define KMOD_FILE      KMOD_NAME ".ko"
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
	unsigned long records;
	unsigned long nmissed;
	unsigned long kmsg_lost;
	uint64_t next_seq;
	bool have_seq;
	struct ot_resolved *res; /* one per requested role */
	size_t nres;
	int slot_res[OT_RCP_SLOTS];	/* index into RES of each module slot */
	bool slot_attached[OT_RCP_SLOTS]; /* the module said it registered the slot's probe */
	char line[KMSG_REC_MAX + 1024]; /* a line hit with its function named */
	int nslots;
	struct ot_lineplan *lines; /* line probes (NULL: none) */
	bool *line_by_addr;	   /* given to the module by address, not by name */
	size_t lines_sent;	   /* points given to the module */
	bool lines_seen;	   /* the module said how many it registered */
};

/* Does this kernel have kretprobes (a kernel built without CONFIG_KPROBES has no
 * register_kretprobe)? */
static bool have_kretprobes(void)
{
	FILE *f = fopen("/proc/kallsyms", "r");
	char line[512];
	bool found = false;

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		found = strstr(line, " register_kretprobe\n") != NULL;
	fclose(f);
	return found;
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

/* The module's slot whose probe is named NAME (the kernel's name of a role), or -1. */
static int slot_named(const struct kmod_state *st, const char *name)
{
	for (int i = 0; i < st->nslots; i++)
		if (!strcmp(st->res[st->slot_res[i]].name, name))
			return i;
	return -1;
}

/* A kmod.fact line of this run: updates what is known of the load. */
static void take_fact(struct kmod_state *st, const char *msg)
{
	char probe[128], v[1024], err[32];

	if (fact_value(msg, "lines_refused", v, sizeof(v))) {
		if (st->lines)
			ot_kmod_lines_refused(st->lines, v);
		return;
	}
	if (fact_value(msg, "lines_nmissed", v, sizeof(v))) {
		st->nmissed += strtoul(v, NULL, 10);
		return;
	}
	if (fact_value(msg, "lines_attached", v, sizeof(v))) {
		st->lines_seen = true;
		return;
	}
	if (fact_value(msg, "event", v, sizeof(v))) {
		if (!strcmp(v, "ready"))
			st->ready = true;
		else if (!strcmp(v, "unload"))
			st->done = true;
		return;
	}
	if (!fact_value(msg, "probe", probe, sizeof(probe)))
		return;
	int slot = slot_named(st, probe);
	if (slot < 0)
		return;
	struct ot_resolved *r = &st->res[st->slot_res[slot]];
	if (fact_value(msg, "attached", v, sizeof(v)))
		st->slot_attached[slot] = true;
	else if (fact_value(msg, "skipped", v, sizeof(v))) {
		if (!fact_value(msg, "error", err, sizeof(err)))
			snprintf(err, sizeof(err), "?");
		r->mode = OT_ATTACH_SKIP;
		snprintf(r->why, sizeof(r->why), "%.120s (error %.16s)", v, err);
		/* a reason is an item of the skipped= list: no ',' in it */
		for (char *c = r->why; (c = strchr(c, ',')); c++)
			*c = ';';
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
	if (strncmp(msg, OT_LINE_TAG, strlen(OT_LINE_TAG)))
		return 0;
	snprintf(load_pat, sizeof(load_pat), OT_LINE_TAG "kmod.fact run_id=\"%s\" event=\"load\"",
		 st->run_id);
	if (!st->in_run) {
		if (strncmp(msg, load_pat, strlen(load_pat)))
			return 0; /* an older load's line */
		st->in_run = true;
	}
	if (st->done)
		return 0;
	if (!strncmp(msg, OT_LINE_TAG "kmod.fact ", strlen(OT_LINE_TAG "kmod.fact ")))
		take_fact(st, msg);
	out = st->held ? st->held : st->log;
	if (st->lines && !strncmp(msg, OT_LINE_TAG "line id=", strlen(OT_LINE_TAG "line id=")) &&
	    ot_kmod_line_hit(st->lines, msg + strlen(OT_LINE_TAG), st->line, sizeof(st->line))) {
		fprintf(out, "[%5llu.%06llu] " OT_LINE_TAG "%s\n", usec / 1000000, usec % 1000000,
			st->line);
		st->records++;
		return 1;
	}
	/* A call record is in its final form: copied, with the kernel log's time. */
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
	free(st->res);
	free(st->line_by_addr);
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

/* probes="name=symbol[@address],...", recipes="hex..." and keys="entry,...|ret,...;..."
 * for the module, one per slot; the module is told the kernel's name of each role,
 * and prints it, and the key of each field. Then the line probes the module takes
 * (lines=, src/probe/kmodlines.h). */
static char *module_params(struct kmod_state *st, const struct ot_backend_opts *o)
{
	size_t rsz = sizeof(struct ot_rcp_func),
	       cap = 4096 + (size_t)st->nslots * (2 * rsz + 600 + 2 * OT_MAX_FIELDS * 64);
	char *lines = st->lines_sent ? ot_kmod_lines_param(st->lines, st->line_by_addr) : NULL;
	char *params, *p;

	if (st->lines_sent && !lines)
		return NULL;
	cap += lines ? strlen(lines) : 0;
	if (!(params = malloc(cap))) {
		free(lines);
		return NULL;
	}
	p = params + sprintf(params, "probes=");
	for (int i = 0; i < st->nslots; i++) {
		const struct ot_resolved *r = &st->res[st->slot_res[i]];

		p += sprintf(p, "%s%s=%s", i ? "," : "", r->name, r->sym);
		if (r->several && r->addr)
			p += sprintf(p, "@%llx", r->addr);
	}
	p += sprintf(p, " recipes=");
	for (int i = 0; i < st->nslots; i++) {
		const unsigned char *b = (const unsigned char *)&st->res[st->slot_res[i]].rcp;

		for (size_t k = 0; k < rsz; k++)
			p += sprintf(p, "%02x", b[k]);
	}
	p += sprintf(p, " keys=");
	for (int i = 0; i < st->nslots; i++) {
		const struct ot_probe *pr = st->res[st->slot_res[i]].probe;

		for (int h = 0; h < 2; h++) {
			const struct ot_field_spec *f = h ? pr->ret : pr->entry;

			p += sprintf(p, "%s", h ? "|" : i ? ";" : "");
			for (int k = 0; k < OT_MAX_FIELDS && f[k].key; k++)
				p += sprintf(p, "%s%.63s", k ? "," : "", f[k].key);
		}
	}
	if (lines)
		p += sprintf(p, "%s", lines);
	free(lines);
	(void)o;
	return params;
}

/* Resolves the roles (no fentry: the module attaches kretprobes) and gives each
 * one the kernel has a module slot; the others are skipped with their reason. */
static int plan(struct kmod_state *st, const struct ot_backend_opts *o, unsigned long long *ktext,
		char *userskip, size_t usz)
{
	struct ot_resolve_env env = {.kprobes = true};
	struct btf *btf = btf__load_vmlinux_btf();
	int err;

	env.btf = btf;
	env.verbose = o->verbose ? "kmod" : NULL;
	err = ot_resolve(&env, o->funcs, o->nfuncs, st->res, ktext);
	btf__free(btf);
	if (err)
		return -1;
	for (size_t i = 0; i < o->nfuncs; i++) {
		struct ot_resolved *r = &st->res[i];
		const char *role = r->probe ? r->probe->func : o->funcs[i];

		if (r->mode != OT_ATTACH_SKIP && st->nslots == OT_RCP_SLOTS) {
			r->mode = OT_ATTACH_SKIP;
			snprintf(r->why, sizeof(r->why), "more than %d functions in one run",
				 OT_RCP_SLOTS);
		}
		if (r->mode == OT_ATTACH_SKIP) {
			ot_appendf(userskip, usz, "%s%s:%s", *userskip ? "," : "", role, r->why);
			continue;
		}
		if (!r->have_btf)
			/* The module reads only what a recipe says: without BTF, nothing
			 * but the return value. */
			snprintf(r->why, sizeof(r->why), "no BTF prototype: fields absent");
		st->slot_res[st->nslots++] = (int)i;
		if (o->verbose)
			ot_resolve_say(r, "kmod");
	}
	return 0;
}

static int kmod_open(const struct ot_backend_opts *o, void **state, char *why, size_t whysz)
{
	struct kmod_state *st = calloc(1, sizeof(*st));
	char modpath[PATH_MAX], userskip[2048] = "", *params = NULL;
	unsigned long long ktext = 0;
	size_t p_len;
	int modfd = -1, err = -1;
	bool loaded = false;
	struct utsname u;
	long deadline;

	if (!st || !(st->res = calloc(o->nfuncs + 1, sizeof(*st->res)))) {
		snprintf(why, whysz, "out of memory");
		goto cleanup;
	}
	st->kmsg = -1;
	st->log = o->log;
	st->verbose = o->verbose;
	st->nres = o->nfuncs;
	st->lines = o->lines;
	if (geteuid() != 0) {
		snprintf(why, whysz, "the kmod backend needs root (it loads a kernel module)");
		goto cleanup;
	}
	if (access("/proc/modules", R_OK)) {
		snprintf(why, whysz, "this kernel cannot load modules (no /proc/modules)");
		goto cleanup;
	}
	uname(&u);
	if (!have_kretprobes()) {
		snprintf(why, whysz, "this kernel has no kretprobes (CONFIG_KPROBES/KRETPROBES)");
		goto cleanup;
	}
	if (plan(st, o, &ktext, userskip, sizeof(userskip))) {
		snprintf(why, whysz, "cannot read /proc/kallsyms (%s)", strerror(errno));
		goto cleanup;
	}
	if (!st->nslots) {
		snprintf(why, whysz, "none of the functions can be probed here (%s)", userskip);
		goto cleanup;
	}
	if (find_module(u.release, modpath, sizeof(modpath), why, whysz))
		goto cleanup;
	if (st->lines && st->lines->n) {
		/* Which points go by address: the names kallsyms has more than once. */
		FILE *ks = fopen("/proc/kallsyms", "r");
		ssize_t taken =
		    ot_kmod_lines_choose(st->lines, OT_KMOD_LINES, ks, &st->line_by_addr);

		if (ks)
			fclose(ks);
		if (taken < 0) {
			snprintf(why, whysz, "out of memory");
			goto cleanup;
		}
		st->lines_sent = (size_t)taken;
	}
	snprintf(st->run_id, sizeof(st->run_id), "%ld-%ld", (long)getpid(), now_ms());
	params = module_params(st, o);
	if (!params) {
		snprintf(why, whysz, "out of memory");
		goto cleanup;
	}
	/* What the module is given, for tests that load it by hand (the lab's
	 * load/unload safety test). */
	const char *save = getenv("OPENTRAIL_KMOD_PARAMS_FILE");
	if (save && *save) {
		FILE *pf = fopen(save, "w");

		if (!pf || fprintf(pf, "%s\n", params) < 0 || fclose(pf)) {
			snprintf(why, whysz, "cannot write %s (%s)", save, strerror(errno));
			goto cleanup;
		}
	}
	p_len = strlen(params);
	sprintf(params + p_len, " run_id=%s", st->run_id);
	if (o->target > 0)
		sprintf(params + strlen(params), " target_pid=%ld", (long)o->target);
	if (o->verbose)
		fprintf(stderr, "kmod: loading %s with %d probes and %zu line probes\n", modpath,
			st->nslots, st->lines_sent);

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
	int lerr = syscall(SYS_finit_module, modfd, params, 0) ? errno : 0;
	if (lerr == EEXIST && !unload()) {
		/* A run that was killed left its module loaded: its probes follow a
		 * process that is gone. Unloaded, and this run's loaded instead. */
		fprintf(stderr, "kmod: unloaded %s left loaded by an earlier run\n", KMOD_NAME);
		lerr = syscall(SYS_finit_module, modfd, params, 0) ? errno : 0;
	}
	if (lerr) {
		snprintf(why, whysz, "loading %s failed: %s", modpath, load_error(lerr));
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
	if (st->lines_sent && !st->lines_seen)
		for (size_t i = 0; i < st->lines->n; i++)
			if (!*st->lines->pts[i].why)
				snprintf(st->lines->pts[i].why, sizeof(st->lines->pts[i].why),
					 "the module did not say whether it probed this line");

	/* A probe the module registered is attached (by kprobe: a kretprobe with an
	 * entry handler); one it refused is skipped with its reason (take_fact). */
	for (int i = 0; i < st->nslots; i++) {
		struct ot_resolved *r = &st->res[st->slot_res[i]];

		if (r->mode != OT_ATTACH_SKIP && !st->slot_attached[i]) {
			r->mode = OT_ATTACH_SKIP;
			snprintf(r->why, sizeof(r->why),
				 "the module did not say whether it probed this function");
		}
	}
	if (ot_attach_fact_write(o->log, "kmod", st->res, st->nres, ktext) ||
	    (st->lines && ot_lineplan_write_facts(st->lines, o->log))) {
		snprintf(why, whysz, "cannot write the log");
		goto cleanup;
	}
	/* Then what the module printed while loading. */
	fclose(st->held);
	st->held = NULL;
	if (st->held_len)
		fwrite(st->held_buf, 1, st->held_len, o->log);
	if (o->verbose)
		for (size_t i = 0; i < st->nres; i++)
			if (st->res[i].mode == OT_ATTACH_SKIP)
				fprintf(stderr, "kmod: skipped %s: %s\n",
					st->res[i].probe ? st->res[i].probe->func : "?",
					st->res[i].why);
	*state = st;
	st = NULL;
	err = 0;
cleanup:
	if (err && loaded)
		unload();
	if (modfd >= 0)
		close(modfd);
	free(params);
	free_state(st);
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
