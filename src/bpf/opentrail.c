// SPDX-License-Identifier: MIT
/* The BPF backend (src/cli/backend.h): calibrate, pick fentry/fexit or
 * kprobe/kretprobe per function, open -> set rodata -> load -> attach, then turn
 * ring-buffer records into opentrail lines named by the probe dictionary. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/types.h>

#include <bpf/libbpf.h>

#include "bpf/calibrate.h"
#include "bpf/opentrail.h"
#include "bpf/opentrail.skel.h"
#include "cases/probes.h"
#include "cli/backend.h"
#include "record/logwrite.h"

#define NAME_OF(fn) #fn,
static const char *const bpf_funcs[OT_FN_COUNT] = {OT_BPF_FUNCS(NAME_OF)};
#undef NAME_OF

/* What the BPF side fills, slot by slot, for each function: fill_entry() and
 * fill_ret() in opentrail.bpf.c use these slot numbers. Each slot is named by its
 * probe-dictionary key; a leading '$' marks a string (the k-th string slot is
 * s[k]). Lines follow the dictionary's order and print only the keys it lists,
 * so the dictionary can grow or be reordered without touching the BPF side. */
struct bpf_layout {
	const char *entry[OT_BPF_WORDS];
	const char *ret[OT_BPF_WORDS];
};

#define DENTRY_SLOTS "dentry", "dname_ptr", "$dname", "inode"
#define QSTR_SLOTS   "parent", "qstr", "name_ptr", "len", "hash", "$name"
#define PERM_SLOTS   "inode", "mode", "uid", "mask"

static const struct bpf_layout layouts[OT_FN_COUNT] = {
    [OT_FN_do_sys_openat2] = {{"dfd", "filename", "$path", "flags", "mode"}, {0}},
    [OT_FN_getname] = {{"filename"}, {"name_ptr", "$name"}},
    [OT_FN_getname_flags] = {{"filename", "flags"}, {"name_ptr", "$name"}},
    [OT_FN_do_filp_open] = {{"dfd", "pathname", "name_ptr", "$name", "op", "open_flag", "acc_mode"},
			    {DENTRY_SLOTS, "f_mode", "sb"}},
    [OT_FN_path_openat] = {{"nd", "flags"}, {0}},
    [OT_FN_link_path_walk] = {{"name_ptr", "$name", "nd"}, {0}},
    [OT_FN_open_last_lookups] = {{"nd", "file", "open_flag"}, {0}},
    [OT_FN_do_open] = {{"nd", "file", "open_flag"}, {0}},
    [OT_FN_step_into] = {{DENTRY_SLOTS, "flags", "sb", "mode", "$body"}, {0}},
    [OT_FN_pick_link] = {{DENTRY_SLOTS, "$body"}, {"$body"}},
    [OT_FN_lookup_open] = {{"dir", "$dir_name", "open_flag"}, {"inode", "$dname"}},
    [OT_FN_d_lookup] = {{QSTR_SLOTS}, {"inode", "$dname"}},
    [OT_FN___d_lookup] = {{QSTR_SLOTS}, {"inode", "$dname"}},
    [OT_FN___d_lookup_rcu] = {{QSTR_SLOTS}, {"inode", "$dname"}},
    [OT_FN_d_alloc_parallel] = {{QSTR_SLOTS}, {"inode"}},
    [OT_FN___d_alloc] = {{"sb", "qstr", "name_ptr", "len", "hash", "$name"},
			 {"dname_ptr", "$dname", "inode", "unhashed", "inline_name"}},
    [OT_FN___d_add] = {{DENTRY_SLOTS}, {0}},
    [OT_FN_d_splice_alias] = {{DENTRY_SLOTS}, {0}},
    [OT_FN_d_add] = {{DENTRY_SLOTS}, {0}},
    [OT_FN_atomic_open] = {{DENTRY_SLOTS, "open_flag"}, {0}},
    [OT_FN_vfs_create] = {{DENTRY_SLOTS, "mode"}, {0}},
    [OT_FN___d_lookup_done] = {{DENTRY_SLOTS}, {0}},
    [OT_FN___d_lookup_unhash_wake] = {{DENTRY_SLOTS}, {0}},
    [OT_FN_may_open] = {{"inode", "mode", "acc_mode", "flag"}, {0}},
    [OT_FN_inode_permission] = {{PERM_SLOTS}, {0}},
    [OT_FN_generic_permission] = {{PERM_SLOTS}, {0}},
    [OT_FN_vfs_open] = {{"file"}, {0}},
    [OT_FN_do_dentry_open] = {{"file", "inode"}, {0}},
    [OT_FN_fd_install] = {{"fd", "file", "private_data"}, {0}},
    [OT_FN_d_delete] = {{DENTRY_SLOTS}, {0}},
    [OT_FN___dentry_kill] = {{DENTRY_SLOTS}, {0}},
    [OT_FN___lookup_mnt] = {{DENTRY_SLOTS}, {0}},
    [OT_FN_vfs_tmpfile] = {{"dir", "$dir_name", "mode"}, {0}},
    [OT_FN_fput] = {{"file"}, {0}},
    [OT_FN_fput_close] = {{"file"}, {0}},
    [OT_FN_do_unlinkat] = {{"dfd", "filename"}, {0}},
    [OT_FN_do_renameat2] = {{"olddfd", "newdfd", "flags"}, {0}},
    [OT_FN_vfs_rename] = {{"old_dentry", "new_dentry"}, {0}},
    [OT_FN_d_move] = {{DENTRY_SLOTS, "target", "$target_name"}, {0}},
    [OT_FN_full_name_hash] = {{"salt", "name_ptr", "len"}, {0}},
    [OT_FN___sys_socket] = {{"family", "type", "protocol"}, {0}},
    [OT_FN_sock_alloc] = {{0}, {0}},
    [OT_FN_inet_create] = {{"sock", "protocol"}, {"sock", "sk", "sk_socket"}},
    [OT_FN_sock_alloc_file] = {{"sock", "sk", "sk_socket"}, {"private_data"}},
};

/* Where KEY is in a layout: its slot and, for a string, its string index. */
static bool layout_slot(const char *const *slots, const char *key, int *slot, int *str)
{
	int k = 0;

	for (int i = 0; i < OT_BPF_WORDS && slots[i]; i++) {
		bool is_str = slots[i][0] == '$';

		if (!strcmp(slots[i] + is_str, key)) {
			*slot = i;
			*str = is_str ? k : -1;
			return true;
		}
		k += is_str;
	}
	return false;
}

struct bpf_state {
	struct opentrail_bpf *skel;
	struct ring_buffer *rb;
	struct bpf_link *links[2 * OT_FN_COUNT];
	size_t nlinks;
	FILE *log;
	unsigned long records;
	const struct ot_probe *probe[OT_FN_COUNT]; /* dictionary entry per function id */
};

/* One requested function: its BPF function id (or -1) and what was decided. */
struct func_choice {
	const char *name;
	int id;
	struct ot_func_plan plan;
};

static int bpf_func_id(const char *name)
{
	for (int i = 0; i < OT_FN_COUNT; i++)
		if (!strcmp(bpf_funcs[i], name))
			return i;
	return -1;
}

/* The four programs of function ID: fentry, fexit, kprobe, kretprobe. */
static void func_progs(struct opentrail_bpf *s, int id, struct bpf_program *p[4])
{
#define PROGS_OF(fn)                                                                               \
	case OT_FN_##fn:                                                                           \
		p[0] = s->progs.fentry_##fn;                                                       \
		p[1] = s->progs.fexit_##fn;                                                        \
		p[2] = s->progs.kprobe_##fn;                                                       \
		p[3] = s->progs.kretprobe_##fn;                                                    \
		break;
	switch (id) {
		OT_BPF_FUNCS(PROGS_OF)
	default:
		memset(p, 0, 4 * sizeof(p[0]));
	}
#undef PROGS_OF
}

static int libbpf_verbose(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	return vfprintf(stderr, fmt, ap);
}

static int libbpf_quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	return 0;
}

/* Masks and modes read best in hex; counts, ids and booleans in decimal. */
static bool uint_in_hex(const char *key)
{
	return strstr(key, "flag") || strstr(key, "mode") || strstr(key, "mask") ||
	       !strcmp(key, "hash");
}

static void put_field(struct ot_line *l, const struct ot_field_spec *f, uint64_t v)
{
	switch (f->kind) {
	case OT_FK_PTR:
		ot_line_ptr(l, f->key, v);
		break;
	case OT_FK_INT32:
		ot_line_int(l, f->key, (int32_t)(uint32_t)v);
		break;
	case OT_FK_UINT:
		if (uint_in_hex(f->key))
			ot_line_hex(l, f->key, v);
		else
			ot_line_int(l, f->key, (int64_t)v);
		break;
	case OT_FK_STR:
		break;
	}
}

static int handle_event(void *ctx, void *data, size_t size)
{
	struct bpf_state *st = ctx;
	const struct ot_bpf_event *e = data;
	const struct ot_field_spec *f = NULL;
	const char *const *slots;
	char comm[OT_BPF_COMM_LEN + 1];
	struct ot_line l;
	bool is_ret;

	if (size < sizeof(*e) || e->func >= OT_FN_COUNT)
		return 0;
	is_ret = e->type == OT_BPF_REC_RET;
	slots = is_ret ? layouts[e->func].ret : layouts[e->func].entry;
	if (st->probe[e->func])
		f = is_ret ? st->probe[e->func]->ret : st->probe[e->func]->entry;
	memcpy(comm, e->comm, OT_BPF_COMM_LEN);
	comm[OT_BPF_COMM_LEN] = '\0';

	ot_line_begin(&l, bpf_funcs[e->func], is_ret ? "ret" : "entry", e->pid, e->tid, comm);
	ot_line_int(&l, "ts", (int64_t)e->ts);
	if (is_ret)
		ot_line_ptr(&l, "ret", e->ret);
	for (int i = 0; f && i < OT_MAX_FIELDS && f[i].key; i++) {
		int slot, str;

		if (!layout_slot(slots, f[i].key, &slot, &str) || !(e->present & (1u << slot)))
			continue;
		if (str >= 0 && str < OT_BPF_STRS)
			ot_line_strn(&l, f[i].key, e->s[str],
				     e->slen[str] < OT_BPF_STR_MAX ? e->slen[str] : OT_BPF_STR_MAX);
		else if (str < 0)
			put_field(&l, &f[i], e->w[slot]);
	}
	if (ot_line_write(&l, st->log))
		return -EIO;
	st->records++;
	return 0;
}

/* -v: dictionary fields the BPF side has no slot for (the dictionary grew). */
static void say_missing_slots(int id)
{
	const struct ot_probe *p = ot_probe_find(bpf_funcs[id]);
	int slot, str;

	for (int r = 0; p && r < 2; r++) {
		const struct ot_field_spec *f = r ? p->ret : p->entry;
		const char *const *slots = r ? layouts[id].ret : layouts[id].entry;

		for (int i = 0; i < OT_MAX_FIELDS && f[i].key; i++)
			if (!layout_slot(slots, f[i].key, &slot, &str))
				fprintf(stderr, "bpf: %s.%s: the BPF programs do not record '%s'\n",
					bpf_funcs[id], r ? "ret" : "entry", f[i].key);
	}
}

/* open -> rodata -> autoload per the plans -> load. */
static int load_skeleton(struct bpf_state *st, pid_t target, const struct func_choice *ch, size_t n)
{
	struct bpf_program *prog, *p[4];
	int err;

	st->skel = opentrail_bpf__open();
	if (!st->skel)
		return -errno;
	st->skel->rodata->targ_tgid = (__u32)target;
	bpf_object__for_each_program(prog, st->skel->obj) bpf_program__set_autoload(prog, false);
	for (size_t i = 0; i < n; i++) {
		if (ch[i].plan.mode == OT_ATTACH_SKIP)
			continue;
		func_progs(st->skel, ch[i].id, p);
		int base = ch[i].plan.mode == OT_ATTACH_FENTRY ? 0 : 2;
		bpf_program__set_autoload(p[base], true);
		bpf_program__set_autoload(p[base + 1], true);
	}
	err = opentrail_bpf__load(st->skel);
	if (err) {
		opentrail_bpf__destroy(st->skel);
		st->skel = NULL;
	}
	return err;
}

static int attach_func(struct bpf_state *st, struct func_choice *c)
{
	struct bpf_program *p[4];
	struct bpf_link *entry, *ret;

	func_progs(st->skel, c->id, p);
	if (c->plan.mode == OT_ATTACH_FENTRY) {
		entry = bpf_program__attach(p[0]);
		ret = entry ? bpf_program__attach(p[1]) : NULL;
	} else {
		entry = bpf_program__attach_kprobe(p[2], false, c->plan.sym);
		ret = entry ? bpf_program__attach_kprobe(p[3], true, c->plan.sym) : NULL;
	}
	if (!entry || !ret) {
		char before[sizeof(c->plan.why)];
		int err = errno;

		bpf_link__destroy(entry);
		snprintf(before, sizeof(before), "%s", c->plan.why);
		/* A long reason is cut: it only explains, nothing parses its end. */
		if (snprintf(c->plan.why, sizeof(c->plan.why), "%s refused (%s)%s%s",
			     c->plan.mode == OT_ATTACH_FENTRY ? "fentry" : "kprobe", strerror(err),
			     *before ? ": " : "", before) >= (int)sizeof(c->plan.why))
			c->plan.why[sizeof(c->plan.why) - 2] = '.';
		c->plan.mode = OT_ATTACH_SKIP;
		return -1;
	}
	st->links[st->nlinks++] = entry;
	st->links[st->nlinks++] = ret;
	return 0;
}

/* run.fact: what was attached, how, and what was skipped and why. */
static int write_attach_fact(FILE *log, const struct func_choice *ch, size_t n)
{
	char probes[1024] = "", skipped[1024] = "", modes[1024] = "";
	struct ot_line l;

	for (size_t i = 0; i < n; i++) {
		const struct ot_func_plan *p = &ch[i].plan;

		if (p->mode == OT_ATTACH_SKIP) {
			ot_appendf(skipped, sizeof(skipped), "%s%s:%s", *skipped ? "," : "",
				   ch[i].name, p->why);
			continue;
		}
		ot_appendf(probes, sizeof(probes), "%s%s", *probes ? "," : "", ch[i].name);
		if (p->mode == OT_ATTACH_FENTRY)
			ot_appendf(modes, sizeof(modes), "%s%s=fentry", *modes ? "," : "",
				   ch[i].name);
		else
			ot_appendf(modes, sizeof(modes), "%s%s=kprobe:%s", *modes ? "," : "",
				   ch[i].name, p->sym);
	}
	ot_line_begin(&l, "run", "fact", (uint32_t)getpid(), (uint32_t)getpid(), "opentrail");
	ot_line_str(&l, "backend", "bpf");
	ot_line_str(&l, "probes", probes);
	ot_line_str(&l, "skipped", skipped);
	ot_line_str(&l, "attach", modes);
	return ot_line_write(&l, log);
}

static void say_plan(const struct func_choice *c)
{
	const struct ot_func_plan *p = &c->plan;

	switch (p->mode) {
	case OT_ATTACH_FENTRY:
		fprintf(stderr, "bpf: %-22s fentry/fexit\n", c->name);
		break;
	case OT_ATTACH_KPROBE:
		fprintf(stderr, "bpf: %-22s kprobe/kretprobe on %s (%s)\n", c->name, p->sym,
			p->why);
		break;
	case OT_ATTACH_SKIP:
		fprintf(stderr, "bpf: %-22s skipped: %s\n", c->name, p->why);
		break;
	}
}

static void free_state(struct bpf_state *st)
{
	if (!st)
		return;
	for (size_t i = 0; i < st->nlinks; i++)
		bpf_link__destroy(st->links[i]);
	st->nlinks = 0;
	ring_buffer__free(st->rb);
	opentrail_bpf__destroy(st->skel);
	free(st);
}

/* Chooses a mode for every requested function; the ones opentrail has no
 * program or dictionary entry for are skipped with that reason. */
static int plan_all(struct ot_calib *calib, const struct ot_backend_opts *o, struct func_choice *ch)
{
	const char **known = calloc(o->nfuncs + 1, sizeof(*known));
	struct ot_func_plan *plans = calloc(o->nfuncs + 1, sizeof(*plans));
	size_t nknown = 0;
	int err = 0;

	if (!known || !plans) {
		err = -ENOMEM;
		goto cleanup;
	}
	for (size_t i = 0; i < o->nfuncs; i++) {
		ch[i].name = o->funcs[i];
		ch[i].id = bpf_func_id(o->funcs[i]);
		if (!ot_probe_find(o->funcs[i]))
			snprintf(ch[i].plan.why, sizeof(ch[i].plan.why),
				 "not in the probe dictionary");
		else if (ch[i].id < 0)
			snprintf(ch[i].plan.why, sizeof(ch[i].plan.why), "no BPF program for it");
		else
			known[nknown++] = o->funcs[i];
	}
	if (ot_plan_funcs(calib, known, nknown, plans)) {
		err = -EIO;
		goto cleanup;
	}
	for (size_t i = 0, k = 0; i < o->nfuncs; i++)
		if (ch[i].id >= 0 && ot_probe_find(ch[i].name))
			ch[i].plan = plans[k++];
cleanup:
	free(known);
	free(plans);
	return err;
}

static int bpf_open(const struct ot_backend_opts *o, void **state, char *why, size_t whysz)
{
	struct func_choice *ch = calloc(o->nfuncs + 1, sizeof(*ch));
	struct bpf_state *st = calloc(1, sizeof(*st));
	struct ot_calib calib = {0};
	bool any_fentry = false;
	int err = -1;

	libbpf_set_print(o->verbose ? libbpf_verbose : libbpf_quiet);
	if (!ch || !st) {
		snprintf(why, whysz, "out of memory");
		goto cleanup;
	}
	st->log = o->log;
	for (int i = 0; i < OT_FN_COUNT; i++)
		st->probe[i] = ot_probe_find(bpf_funcs[i]);
	for (size_t i = 0; i < o->nfuncs; i++) {
		int id = bpf_func_id(o->funcs[i]);

		/* Before calibration, so that drift shows on any machine. */
		if (id >= 0 && o->verbose)
			say_missing_slots(id);
	}

	if (ot_calibrate(&calib, why, whysz))
		goto cleanup;
	if (plan_all(&calib, o, ch)) {
		snprintf(why, whysz, "cannot read the kernel's function list (%s)",
			 calib.symsrc ? calib.symsrc : "/proc/kallsyms");
		goto cleanup;
	}
	if (o->verbose)
		fprintf(stderr, "bpf: BTF yes, fentry %s%s%s, kprobes %s, functions from %s\n",
			calib.fentry	   ? "yes"
			: calib.fentry_off ? "off (OPENTRAIL_BPF_ATTACH=kprobe"
					   : "refused (",
			calib.fentry || calib.fentry_off ? "" : strerror(calib.fentry_err),
			calib.fentry ? "" : ")", calib.kprobes ? "yes" : "no", calib.symsrc);
	for (size_t i = 0; i < o->nfuncs; i++)
		any_fentry |= ch[i].plan.mode == OT_ATTACH_FENTRY;

	err = load_skeleton(st, o->target, ch, o->nfuncs);
	if (err && any_fentry && calib.kprobes) {
		/* One trampoline target the kernel will not take fails the whole load:
		 * kprobes cover the same functions. */
		if (o->verbose)
			fprintf(stderr, "bpf: fentry programs did not load (%s): using kprobes\n",
				strerror(-err));
		for (size_t i = 0; i < o->nfuncs; i++)
			if (ch[i].plan.mode == OT_ATTACH_FENTRY) {
				ch[i].plan.mode = OT_ATTACH_KPROBE;
				snprintf(ch[i].plan.why, sizeof(ch[i].plan.why),
					 "fentry did not load");
			}
		err = load_skeleton(st, o->target, ch, o->nfuncs);
	}
	if (err) {
		snprintf(why, whysz, "loading the BPF programs failed (%s)%s", strerror(-err),
			 o->verbose ? "" : ": -v shows libbpf's account");
		goto cleanup;
	}
	for (size_t i = 0; i < o->nfuncs; i++) {
		if (ch[i].plan.mode != OT_ATTACH_SKIP)
			attach_func(st, &ch[i]);
		if (o->verbose)
			say_plan(&ch[i]);
	}
	st->rb = ring_buffer__new(bpf_map__fd(st->skel->maps.events), handle_event, st, NULL);
	if (!st->rb) {
		err = -errno;
		snprintf(why, whysz, "cannot read the BPF ring buffer (%s)", strerror(errno));
		goto cleanup;
	}
	if (write_attach_fact(o->log, ch, o->nfuncs)) {
		err = -EIO;
		snprintf(why, whysz, "cannot write the log");
		goto cleanup;
	}
	*state = st;
	st = NULL;
	err = 0;
cleanup:
	free_state(st);
	ot_calib_free(&calib);
	free(ch);
	return err ? -1 : 0;
}

static int bpf_poll(void *state, int timeout_ms)
{
	struct bpf_state *st = state;
	unsigned long before = st->records;
	int err = ring_buffer__poll(st->rb, timeout_ms);

	if (err < 0 && err != -EINTR)
		return -1;
	return (int)(st->records - before);
}

static int bpf_close(void *state, struct ot_backend_stats *stats)
{
	struct bpf_state *st = state;
	int err = 0;

	if (!st)
		return 0;
	/* Detach first so that the drain below reaches a true end. */
	for (size_t i = 0; i < st->nlinks; i++)
		bpf_link__destroy(st->links[i]);
	st->nlinks = 0;
	if (ring_buffer__consume(st->rb) < 0)
		err = -1;
	if (stats) {
		stats->records = st->records;
		stats->lost = st->skel->bss->lost;
	}
	fflush(st->log);
	free_state(st);
	return err;
}

const struct ot_backend ot_backend_bpf = {
    .name = "bpf",
    .open = bpf_open,
    .poll = bpf_poll,
    .close = bpf_close,
};
