// SPDX-License-Identifier: MIT
/* Pairing: each thread keeps a stack of open calls. An entry opens a call under
 * the thread's innermost open call; a return closes the innermost open call of
 * the same function (calls above it never returned in the log and stay
 * unpaired); a return with no open call of its function is an orphan root. */
#include "trace/trace.h"

#include <stdlib.h>
#include <string.h>

#include "probe/spec.h"

struct open_stack {
	uint32_t tid;
	struct ot_call **calls;
	size_t n, cap;
};

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		abort();
	return p;
}

static struct ot_thread *thread_of(struct ot_trace *t, const struct ot_record *r)
{
	for (size_t i = 0; i < t->nthreads; i++)
		if (t->threads[i].tid == r->tid && t->threads[i].pid == r->pid)
			return &t->threads[i];
	t->threads = xrealloc(t->threads, (t->nthreads + 1) * sizeof(*t->threads));
	struct ot_thread *th = &t->threads[t->nthreads++];
	memset(th, 0, sizeof(*th));
	th->pid = r->pid;
	th->tid = r->tid;
	th->comm = r->comm;
	return th;
}

static struct open_stack *stack_of(struct open_stack **stacks, size_t *n, uint32_t tid)
{
	for (size_t i = 0; i < *n; i++)
		if ((*stacks)[i].tid == tid)
			return &(*stacks)[i];
	*stacks = xrealloc(*stacks, (*n + 1) * sizeof(**stacks));
	struct open_stack *s = &(*stacks)[(*n)++];
	memset(s, 0, sizeof(*s));
	s->tid = tid;
	return s;
}

static struct ot_call *new_call(struct ot_trace *t, const struct ot_record *r)
{
	struct ot_call *c = calloc(1, sizeof(*c));

	if (!c)
		abort();
	c->func = r->func;
	c->pid = r->pid;
	c->tid = r->tid;
	c->dec.cls = OT_RC_UNKNOWN;
	c->index = t->ncalls;
	t->calls = xrealloc(t->calls, (t->ncalls + 1) * sizeof(*t->calls));
	t->calls[t->ncalls++] = c;
	return c;
}

static void add_kid(struct ot_call *parent, struct ot_call *kid)
{
	parent->kids = xrealloc(parent->kids, (parent->nkids + 1) * sizeof(*parent->kids));
	parent->kids[parent->nkids++] = kid;
	kid->parent = parent;
	kid->depth = parent->depth + 1;
}

static void add_root(struct ot_thread *th, struct ot_call *c)
{
	th->roots = xrealloc(th->roots, (th->nroots + 1) * sizeof(*th->roots));
	th->roots[th->nroots++] = c;
}

static void decode_return(struct ot_call *c)
{
	const struct ot_probe *p = ot_probe_find(c->func);
	uint64_t raw;

	if (!p) {
		c->dec.cls = OT_RC_UNKNOWN;
		return;
	}
	if (p->ret_kind == OT_RET_VOID) {
		c->dec = ot_decode_ret(OT_RET_VOID, 0);
		return;
	}
	if (!ot_rec_u64(c->ret, "ret", &raw)) {
		c->dec.cls = OT_RC_UNKNOWN;
		return;
	}
	c->dec = ot_decode_ret(p->ret_kind, raw);
}

static void on_entry(struct ot_trace *t, struct open_stack *s, const struct ot_record *r)
{
	struct ot_call *c = new_call(t, r);

	c->entry = r;
	if (s->n)
		add_kid(s->calls[s->n - 1], c);
	else
		add_root(thread_of(t, r), c);
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 16;
		s->calls = xrealloc(s->calls, s->cap * sizeof(*s->calls));
	}
	s->calls[s->n++] = c;
}

static void on_return(struct ot_trace *t, struct open_stack *s, const struct ot_record *r)
{
	size_t k = s->n;

	while (k > 0 && strcmp(s->calls[k - 1]->func, r->func) != 0)
		k--;
	if (k == 0) { /* its entry is not in the log */
		struct ot_call *c = new_call(t, r);
		c->ret = r;
		add_root(thread_of(t, r), c);
		decode_return(c);
		return;
	}
	struct ot_call *c = s->calls[k - 1];
	c->ret = r;
	decode_return(c);
	s->n = k - 1; /* calls above it stay without a return */
}

int ot_trace_build(const struct ot_log *log, struct ot_trace *t)
{
	struct open_stack *stacks = NULL;
	size_t nstacks = 0;

	memset(t, 0, sizeof(*t));
	t->log = log;
	for (size_t i = 0; i < log->nrecs; i++) {
		const struct ot_record *r = &log->recs[i];

		if (r->kind == OT_REC_FACT) {
			t->facts = xrealloc(t->facts, (t->nfacts + 1) * sizeof(*t->facts));
			t->facts[t->nfacts++] = r;
			continue;
		}
		thread_of(t, r);
		struct open_stack *s = stack_of(&stacks, &nstacks, r->tid);
		if (r->kind == OT_REC_ENTRY)
			on_entry(t, s, r);
		else
			on_return(t, s, r);
	}
	for (size_t i = 0; i < nstacks; i++)
		free(stacks[i].calls);
	free(stacks);
	return 0;
}

void ot_trace_free(struct ot_trace *t)
{
	for (size_t i = 0; i < t->ncalls; i++) {
		free(t->calls[i]->kids);
		free(t->calls[i]);
	}
	free(t->calls);
	for (size_t i = 0; i < t->nthreads; i++)
		free(t->threads[i].roots);
	free(t->threads);
	free(t->facts);
	memset(t, 0, sizeof(*t));
}

bool ot_call_within(const struct ot_call *call, const struct ot_call *ancestor)
{
	for (; call; call = call->parent)
		if (call == ancestor)
			return true;
	return false;
}

bool ot_call_paired(const struct ot_call *c)
{
	return c->entry && c->ret;
}

unsigned ot_call_line(const struct ot_call *c)
{
	return c->entry ? c->entry->line : c->ret ? c->ret->line : 0;
}

const char *ot_trace_run_fact(const struct ot_trace *t, const char *key)
{
	const char *v = NULL;

	for (size_t i = 0; i < t->nfacts; i++) {
		if (strcmp(t->facts[i]->func, "run.fact") != 0)
			continue;
		const char *s = ot_rec_str(t->facts[i], key);
		if (s)
			v = s;
	}
	return v;
}

static bool list_has(const char *list, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = list; p && *p;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		const char *eq = memchr(p, '=', len);
		size_t nl = eq ? (size_t)(eq - p) : len;

		if (nl == n && !strncmp(p, name, n))
			return true;
		p = end ? end + 1 : NULL;
	}
	return false;
}

bool ot_trace_probed(const struct ot_trace *t, const char *func)
{
	for (size_t i = 0; i < t->nfacts; i++)
		if (!strcmp(t->facts[i]->func, "run.fact") &&
		    list_has(ot_rec_str(t->facts[i], "probes"), func))
			return true;
	return false;
}
