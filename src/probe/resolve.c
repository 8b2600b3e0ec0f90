// SPDX-License-Identifier: MIT
/* Roles resolved on the running kernel (see resolve.h). */
#include "probe/resolve.h"
#include "probe/ksyms.h"

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
	char clone[128];		     /* NAME.isra.N / NAME.constprop.N: the whole function */
	unsigned long long clone_addr;
	char fragment[128];		     /* NAME.part.N / NAME.cold: a piece of it */
	int ftrace;			     /* entries in ftrace's list (-1: no list) */
};


/* NAME with a suffix SUFFIX...: "foo" + ".isra." matches "foo.isra.0". */
static bool has_suffix(const char *sym, const char *name, const char *suffix)
{
	size_t n = strlen(name);

	return !strncmp(sym, name, n) && !strncmp(sym + n, suffix, strlen(suffix));
}


struct symtab {
	struct seen *seen; /* [role * OT_MAX_NAMES + name] */
	const struct ot_ksyms *k;
	unsigned long long ktext, anchor_fs, anchor_net, stext, etext;
};

static void note_symbol(struct symtab *t, const struct ot_probe *const *pr, size_t n,
			const char *sym, unsigned long long addr)
{
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
				s->exact++;
			} else if ((has_suffix(sym, name, ".isra.") ||
				    has_suffix(sym, name, ".constprop.")) &&
				   !s->clone[0] && strlen(sym) < sizeof(s->clone)) {
				ot_setf(s->clone, sizeof(s->clone), "%s", sym);
				s->clone_addr = addr;
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
		const char *sym = t->k->text[i].name;
		unsigned long long addr = t->k->text[i].addr;

		if (!strcmp(sym, "do_filp_open") || !strcmp(sym, "do_file_open"))
			t->anchor_fs = addr;
		if (!strcmp(sym, "__sys_socket"))
			t->anchor_net = addr;
		note_symbol(t, pr, n, sym, addr);
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

static void resolve_one(const struct ot_resolve_env *env, const struct symtab *t, bool have_ft,
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
		why(r, "not in /proc/kallsyms (inlined or absent)%s", "");
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

	/* Fields by name from BTF; an optimised copy's parameters may differ. */
	int got = ot_recipe_build(env->btf, p, r->name, !clone, true, &r->rcp, &r->notes);
	r->have_btf = got >= 0;
	r->ret_kind = got >= 0 ? ot_recipe_ret_kind(env->btf, r->name, p->ret_kind) : p->ret_kind;
	if (!r->have_btf)
		/* Without a prototype only the return value is known: fexit/kretprobe
		 * still see it, and the recipe is empty. */
		memset(&r->rcp, 0, sizeof(r->rcp));

	bool traceable = have_ft ? s->ftrace == 1 : true;
	if (!clone && !r->several && r->have_btf && traceable && env->fentry) {
		r->mode = OT_ATTACH_FENTRY;
		return;
	}
	why(r, "%s",
	    clone	   ? "only an optimised copy exists"
	    : r->several   ? "several functions share the name"
	    : !r->have_btf ? "not in BTF"
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
	if (read_kallsyms(&t, pr, n))
		goto cleanup;
	bool have_ft = read_ftrace(&t, pr, n);
	for (size_t i = 0; i < n; i++)
		if (pr[i])
			resolve_one(env, &t, have_ft, i, &out[i]);
	if (ktext)
		*ktext = t.ktext;
	err = 0;
cleanup:
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
