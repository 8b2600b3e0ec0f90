// SPDX-License-Identifier: MIT
/* Roles resolved on the running kernel (see resolve.h). */
#include "probe/resolve.h"
#include "probe/ksyms.h"
#include "probe/protos.h"

#include "probe/backend.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/btf.h>


#define MAX_CANDS 8

/* What the symbol tables say about one name of one role. */
struct seen {
	int exact;			     /* text symbols named exactly so */
	unsigned long long cand[MAX_CANDS];  /* their addresses */
	const char *mod;		     /* the first one's module (NULL: vmlinux) */
	char clone[128];		     /* NAME.isra.N / NAME.constprop.N: the whole function */
	unsigned long long clone_addr;
	const char *clone_mod;
	char fragment[128];		     /* NAME.part.N / NAME.cold: a piece of it */
	int ftrace;			     /* entries in ftrace's list (-1: no list) */
};


/* NAME with a suffix SUFFIX...: "foo" + ".isra." matches "foo.isra.0". */
static bool has_suffix(const char *sym, const char *name, const char *suffix)
{
	size_t n = strlen(name);

	return !strncmp(sym, name, n) && !strncmp(sym + n, suffix, strlen(suffix));
}


#define MAX_MODS 8

/* A module's BTF, split on vmlinux's (/sys/kernel/btf/<module>), loaded once per
 * resolution (NULL: the module has none, or there is no vmlinux BTF to split on). */
struct mod_btf {
	const char *mod;
	struct btf *btf;
};

struct symtab {
	struct seen *seen; /* [role * OT_MAX_NAMES + name] */
	const struct ot_ksyms *k;
	unsigned long long ktext, anchor_fs, anchor_net, stext, etext;
	struct mod_btf mods[MAX_MODS];
	int nmods;
	struct ot_protos protos; /* the prototypes BTF lacks, from the debug info */
};

/* The BTF that describes a function of MOD: vmlinux's for vmlinux, else the
 * module's own, whose types sit on top of vmlinux's. */
static const struct btf *btf_of(struct symtab *t, const struct btf *base, const char *mod)
{
	int i;

	if (!mod || !base)
		return mod ? NULL : base;
	for (i = 0; i < t->nmods; i++)
		if (!strcmp(t->mods[i].mod, mod))
			return t->mods[i].btf;
	if (t->nmods == MAX_MODS)
		return NULL;
	/* libbpf takes the base as non-const: it only reads it. */
	t->mods[i].mod = mod;
	t->mods[i].btf = btf__load_module_btf(mod, (struct btf *)base);
	t->nmods++;
	return t->mods[i].btf;
}

static void note_symbol(struct symtab *t, const struct ot_probe *const *pr, size_t n,
			const struct ot_ksym *ks)
{
	const char *sym = ks->name;
	unsigned long long addr = ks->addr;

	for (size_t i = 0; i < n; i++) {
		if (!pr[i])
			continue;
		for (int k = 0; k < OT_MAX_NAMES && pr[i]->names[k]; k++) {
			const char *name = pr[i]->names[k];
			struct seen *s = &t->seen[i * OT_MAX_NAMES + k];

			if (strncmp(sym, name, strlen(name)))
				continue;
			if (!strcmp(sym, name)) {
				if (s->exact < MAX_CANDS)
					s->cand[s->exact] = addr;
				if (!s->exact)
					s->mod = ks->mod;
				s->exact++;
			} else if ((has_suffix(sym, name, ".isra.") ||
				    has_suffix(sym, name, ".constprop.")) &&
				   !s->clone[0] && strlen(sym) < sizeof(s->clone)) {
				ot_setf(s->clone, sizeof(s->clone), "%s", sym);
				s->clone_addr = addr;
				s->clone_mod = ks->mod;
			} else if (sym[strlen(name)] == '.' && !s->fragment[0] &&
				   strlen(sym) < sizeof(s->fragment)) {
				ot_setf(s->fragment, sizeof(s->fragment), "%s", sym);
			}
		}
	}
}

/* The kernel's text symbols (probe/ksyms.h) against the probes' names. */
static int read_kallsyms(struct symtab *t, const struct ot_probe *const *pr, size_t n)
{
	t->k = ot_ksyms_get();
	if (!t->k)
		return -1;
	t->ktext = t->k->ktext;
	t->stext = t->k->stext;
	t->etext = t->k->etext;
	for (size_t i = 0; i < t->k->ntext; i++) {
		const struct ot_ksym *ks = &t->k->text[i];

		/* The anchors are vmlinux's own (fs/namei.c, net/socket.c). */
		if (!ks->mod && (!strcmp(ks->name, "do_filp_open") ||
				 !strcmp(ks->name, "do_file_open")))
			t->anchor_fs = ks->addr;
		if (!ks->mod && !strcmp(ks->name, "__sys_socket"))
			t->anchor_net = ks->addr;
		note_symbol(t, pr, n, ks);
	}
	return 0;
}

/* Counts each name's entries in ftrace's list of traceable functions. */
static bool read_ftrace(struct symtab *t, const struct ot_probe *const *pr, size_t n)
{
	for (size_t l = 0; l < t->k->nftrace; l++) {
		const char *line = t->k->ftrace[l];

		for (size_t i = 0; i < n; i++)
			for (int k = 0; pr[i] && k < OT_MAX_NAMES && pr[i]->names[k]; k++)
				if (!strcmp(line, pr[i]->names[k]))
					t->seen[i * OT_MAX_NAMES + k].ftrace++;
	}
	return t->k->have_ftrace;
}

/* The end of the function starting at ADDR: the next symbol's address. */
static unsigned long long end_of(const struct symtab *t, unsigned long long addr)
{
	return ot_ksym_end(t->k, addr);
}

/* The anchor a duplicated static name is resolved by: the instance nearest to a
 * function of the same source file (fs/namei.c's open, or net/socket.c's). */
static unsigned long long anchor_of(const struct symtab *t, const struct ot_probe *p)
{
	return p->user_call && !strcmp(p->user_call, "socket") ? t->anchor_net
	       : (!strncmp(p->func, "sock", 4) || !strncmp(p->func, "inet", 4))
		   ? t->anchor_net
		   : t->anchor_fs;
}

static void why(struct ot_resolved *r, const char *fmt, const char *a)
{
	ot_setf(r->why, sizeof(r->why), fmt, a);
	for (char *c = r->why; *c; c++)
		if (*c == ',')
			*c = ';';
}

/* How a function of a module is attached: kprobes find a module's symbol by name
 * as they find vmlinux's, with no BTF object to name (fentry would need the
 * module's), and the fields still come from the module's BTF. */
static void attach_in_module(const struct ot_resolve_env *env, struct ot_resolved *r)
{
	ot_setf(r->why, sizeof(r->why),
		"in module %s: attached by kprobe%s", r->mod,
		!r->have_btf ? " (the module has no BTF: fields absent)" : "");
	if (!env->kprobes) {
		ot_setf(r->why, sizeof(r->why),
			"in module %s: opentrail attaches a module's functions by kprobe and "
			"this kernel has no kprobes",
			r->mod);
		return;
	}
	r->mode = OT_ATTACH_KPROBE;
}

static void resolve_one(const struct ot_resolve_env *env, struct symtab *t, bool have_ft,
			size_t i, struct ot_resolved *r)
{
	const struct ot_probe *p = r->probe;
	const struct seen *s = NULL;
	int k, pick = -1;
	bool clone = false;

	/* The first name the kernel has out of line; else an optimised copy. */
	for (k = 0; k < OT_MAX_NAMES && p->names[k] && pick < 0; k++)
		if (t->seen[i * OT_MAX_NAMES + k].exact)
			pick = k;
	for (k = 0; k < OT_MAX_NAMES && p->names[k] && pick < 0; k++)
		if (t->seen[i * OT_MAX_NAMES + k].clone[0]) {
			pick = k;
			clone = true;
		}
	if (pick < 0) {
		for (k = 0; k < OT_MAX_NAMES && p->names[k]; k++) {
			s = &t->seen[i * OT_MAX_NAMES + k];
			if (s->fragment[0]) {
				why(r, "only a fragment (%s) exists: a probe there would miss the "
				       "calls its inlined part answers",
				    s->fragment);
				ot_setf(r->name, sizeof(r->name), "%s", p->names[k]);
				return;
			}
		}
		/* kallsyms lists vmlinux and the modules loaded now: a module
		 * not loaded is as absent as an inlined function. */
		why(r, "not in /proc/kallsyms: neither vmlinux nor a loaded module has it "
		       "(inlined; absent; or in a module not loaded)%s",
		    "");
		return;
	}
	s = &t->seen[i * OT_MAX_NAMES + pick];
	snprintf(r->name, sizeof(r->name), "%s", p->names[pick]);
	snprintf(r->sym, sizeof(r->sym), "%s", clone ? s->clone : p->names[pick]);
	r->start = clone ? s->clone_addr : s->cand[0];
	if (s->exact > 1) {
		/* Several static functions share the name: the one nearest the anchor
		 * (all addresses are 0 when kptr_restrict hides them: the kernel then
		 * attaches the first, and the run says so). */
		unsigned long long anchor = anchor_of(t, p), best = ~0ULL;

		r->several = true;
		r->start = 0;
		for (int c = 0; c < s->exact && c < MAX_CANDS && anchor; c++) {
			unsigned long long d = s->cand[c] > anchor ? s->cand[c] - anchor
								   : anchor - s->cand[c];
			if (s->cand[c] && d < best) {
				best = d;
				r->start = s->cand[c];
			}
		}
		r->addr = r->start;
	}
	r->end = r->start ? end_of(t, r->start) : 0;
	r->text_lo = t->stext;
	r->text_hi = t->etext;
	const char *mod = clone ? s->clone_mod : s->mod;
	const struct btf *btf = btf_of(t, env->btf, mod);

	if (mod)
		ot_setf(r->mod, sizeof(r->mod), "%s", mod);
	/* Fields by name from BTF; an optimised copy's parameters may differ. */
	int got = ot_recipe_build(btf, p, r->name, !clone, true, &r->rcp, &r->notes);
	const struct btf *dbg;

	/* A vmlinux function BTF has no prototype of: the debug info's, when there is. */
	if (got < 0 && !mod && (dbg = ot_protos_get(&t->protos, r->name))) {
		got = ot_recipe_build(dbg, p, r->name, !clone, true, &r->rcp, &r->notes);
		r->proto_debuginfo = got >= 0;
		btf = dbg;
	}
	r->have_btf = got >= 0;
	r->ret_kind = got >= 0 ? ot_recipe_ret_kind(btf, r->name, p->ret_kind) : p->ret_kind;
	if (!r->have_btf)
		/* Without a prototype only the return value is known: fexit/kretprobe
		 * still see it, and the recipe is empty. */
		memset(&r->rcp, 0, sizeof(r->rcp));
	if (mod) {
		attach_in_module(env, r);
		return;
	}

	bool traceable = have_ft ? s->ftrace == 1 : true;
	/* fentry attaches to the kernel's own BTF function, which a prototype from the
	 * debug info is not. */
	if (!clone && !r->several && r->have_btf && !r->proto_debuginfo && traceable &&
	    env->fentry) {
		r->mode = OT_ATTACH_FENTRY;
		return;
	}
	why(r, "%s",
	    clone	   ? "only an optimised copy exists"
	    : r->several   ? "several functions share the name"
	    : !r->have_btf ? "not in BTF"
	    : r->proto_debuginfo ? "not in BTF (its prototype from the debug info)"
	    : !traceable   ? "not in ftrace's function list (notrace)"
			   : "fentry not available");
	if (!env->kprobes) {
		size_t len = strlen(r->why);

		ot_setf(r->why + len, sizeof(r->why) - len, " and no kprobes");
		return;
	}
	r->mode = OT_ATTACH_KPROBE;
}

int ot_resolve(const struct ot_resolve_env *env, const char *const *roles, size_t n,
	       struct ot_resolved *out, unsigned long long *ktext)
{
	const struct ot_probe **pr = calloc(n + 1, sizeof(*pr));
	struct symtab t = {0};
	int err = -1;

	t.seen = calloc((n + 1) * OT_MAX_NAMES, sizeof(*t.seen));
	if (!pr || !t.seen)
		goto cleanup;
	for (size_t i = 0; i < n; i++) {
		memset(&out[i], 0, sizeof(out[i]));
		pr[i] = ot_probe_find(roles[i]);
		out[i].probe = pr[i];
		if (!pr[i])
			snprintf(out[i].why, sizeof(out[i].why), "not in the probe spec");
	}
	ot_protos_init(&t.protos, env->btf, NULL);
	if (read_kallsyms(&t, pr, n))
		goto cleanup;
	bool have_ft = read_ftrace(&t, pr, n);
	for (size_t i = 0; i < n; i++)
		if (pr[i])
			resolve_one(env, &t, have_ft, i, &out[i]);
	if (ktext)
		*ktext = t.ktext;
	if (env->verbose && t.protos.said[0])
		fprintf(stderr, "%s: prototypes from the debug info (BTF has none): %s\n",
			env->verbose, t.protos.said);
	err = 0;
cleanup:
	ot_protos_free(&t.protos);
	for (int m = 0; m < t.nmods; m++)
		btf__free(t.mods[m].btf);
	free(pr);
	free(t.seen);
	return err;
}

void ot_resolve_say(const struct ot_resolved *r, const char *backend)
{
	const char *role = r->probe ? r->probe->func : "?";

	if (r->mode == OT_ATTACH_SKIP) {
		fprintf(stderr, "%s: %-22s skipped: %s\n", backend, role, r->why);
		return;
	}
	fprintf(stderr, "%s: %-22s %s%s%s: %s%s%s\n", backend, role,
		strcmp(role, r->name) ? "as " : "", strcmp(role, r->name) ? r->name : "",
		strcmp(role, r->name) ? ", " : "",
		r->mode == OT_ATTACH_FENTRY ? "fentry/fexit" : "kprobe/kretprobe on ",
		r->mode == OT_ATTACH_FENTRY ? "" : r->sym,
		r->mode == OT_ATTACH_FENTRY ? "" : "");
	if (r->mode == OT_ATTACH_KPROBE)
		fprintf(stderr, "%s:   (%s)\n", backend, r->why);
	for (int h = 0; h < 2 && r->probe; h++) {
		const struct ot_field_spec *f = h ? r->probe->ret : r->probe->entry;

		for (int i = 0; i < OT_MAX_FIELDS && f[i].key; i++)
			fprintf(stderr, "%s:   %s.%s %-12s %s\n", backend, role, h ? "ret" : "entry",
				f[i].key, h ? r->notes.ret[i] : r->notes.entry[i]);
	}
}

void ot_resolve_roles(const struct ot_resolved *r, size_t n, char *buf, size_t sz)
{
	size_t len = 0;

	if (sz)
		buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		if (!r[i].probe || !r[i].name[0] || !strcmp(r[i].name, r[i].probe->func))
			continue;
		int w = snprintf(buf + len, sz - len, "%s%s=%s", len ? "," : "", r[i].probe->func,
				 r[i].name);
		if (w < 0 || (size_t)w >= sz - len)
			return;
		len += (size_t)w;
	}
}

void ot_resolve_returns(const struct ot_resolved *r, size_t n, char *buf, size_t sz)
{
	static const char *const names[] = {"ptr", "int", "long", "void"};
	size_t len = 0;

	if (sz)
		buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		const struct ot_probe *p = r[i].probe;

		/* void in the spec: a return nobody reads (__dentry_kill's). */
		if (!p || !r[i].name[0] || p->ret_kind == OT_RET_VOID ||
		    r[i].ret_kind == p->ret_kind ||
		    (r[i].ret_kind != OT_RET_PTR && p->ret_kind != OT_RET_PTR))
			continue;
		int w = snprintf(buf + len, sz - len, "%s%s=%s", len ? "," : "", p->func,
				 names[r[i].ret_kind]);
		if (w < 0 || (size_t)w >= sz - len)
			return;
		len += (size_t)w;
	}
}

unsigned long long ot_resolve_caller(const struct ot_resolved *r, const unsigned long long *frames,
				     int n)
{
	int i = 0;

	if (!r->start || !r->end || !r->text_lo || !r->text_hi)
		return 0;
#define IN_TEXT(a) ((a) >= r->text_lo && (a) < r->text_hi)
	/* BPF programs and trampolines live outside the kernel's text: skip them. The
	 * traced function's own frame may come next (fentry on 6.x, kprobes), or not
	 * (fentry on 7.x): its caller's is the one after. */
	while (i < n && !IN_TEXT(frames[i]))
		i++;
	if (i < n && frames[i] >= r->start && frames[i] < r->end)
		i++;
	/* The caller must not be the unwind's last frame: an unwinder that loses its
	 * way (an int3 kprobe on 5.10) ends on whatever entry code it stopped in. */
	if (i + 1 >= n || !IN_TEXT(frames[i]))
		return 0;
	return frames[i];
#undef IN_TEXT
}
