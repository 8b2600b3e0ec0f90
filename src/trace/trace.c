// SPDX-License-Identifier: MIT
/* Pairing: each thread keeps a stack of open calls. An entry opens a call under
 * the thread's innermost open call; a return closes the innermost open call of
 * the same function (calls above it never returned in the log and stay
 * unpaired); a return with no open call of its function is an orphan root. */
#include "trace/trace.h"

#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "probe/spec.h"
#include "record/arena.h"
#include "record/hashmap.h"

struct open_stack {
	uint32_t tid;
	struct ot_call **calls;
	size_t n, cap;
};

/* Lookups done once per record, by hash: (pid, tid) -> thread, tid -> stack, and
 * (tid, function) -> how many calls of it are open, so that a return whose entry
 * is not in the log is known as such without scanning the stack. */
struct pairing {
	struct open_stack *stacks;
	size_t nstacks;
	struct ot_map threads, stacks_by_tid, open_counts;
};

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		abort();
	return p;
}

/* Arrays grown one element at a time reallocate at powers of two: O(1) amortised. */
static void *grow_for_one(void *p, size_t n, size_t elem)
{
	if (n == 0 || (n & (n - 1)) == 0)
		return xrealloc(p, (n ? 2 * n : 1) * elem);
	return p;
}

static struct ot_thread *thread_of(struct ot_trace *t, struct pairing *pr,
				   const struct ot_record *r)
{
	uint32_t key[2] = {r->pid, r->tid};
	bool added;
	size_t *idx = ot_map_get(&pr->threads, key, sizeof(key), &added);

	if (!added)
		return &t->threads[*idx];
	t->threads = grow_for_one(t->threads, t->nthreads, sizeof(*t->threads));
	*idx = t->nthreads;
	struct ot_thread *th = &t->threads[t->nthreads++];
	memset(th, 0, sizeof(*th));
	th->pid = r->pid;
	th->tid = r->tid;
	th->comm = r->comm;
	return th;
}

static struct open_stack *stack_of(struct pairing *pr, uint32_t tid)
{
	bool added;
	size_t *idx = ot_map_get(&pr->stacks_by_tid, &tid, sizeof(tid), &added);

	if (!added)
		return &pr->stacks[*idx];
	pr->stacks = grow_for_one(pr->stacks, pr->nstacks, sizeof(*pr->stacks));
	*idx = pr->nstacks;
	struct open_stack *s = &pr->stacks[pr->nstacks++];
	memset(s, 0, sizeof(*s));
	s->tid = tid;
	return s;
}

static size_t *open_count(struct pairing *pr, uint32_t tid, const char *func)
{
	char key[160];
	size_t fl = strlen(func);

	if (fl > sizeof(key) - sizeof(tid))
		fl = sizeof(key) -
		     sizeof(tid); /* longer names may share a count: the scan decides */
	memcpy(key, &tid, sizeof(tid));
	memcpy(key + sizeof(tid), func, fl);
	return ot_map_get(&pr->open_counts, key, sizeof(tid) + fl, NULL);
}

static struct ot_call *new_call(struct ot_trace *t, const struct ot_record *r)
{
	struct ot_call *c;

	/* Calls are many and small: allocated in blocks, not one by one. */
	if (!t->call_pool)
		t->call_pool = ot_arena_new();
	c = ot_arena_alloc(t->call_pool, sizeof(*c));
	memset(c, 0, sizeof(*c));
	c->func = r->func;
	c->pid = r->pid;
	c->tid = r->tid;
	c->dec.cls = OT_RC_UNKNOWN;
	c->index = t->ncalls;
	t->calls = grow_for_one(t->calls, t->ncalls, sizeof(*t->calls));
	t->calls[t->ncalls++] = c;
	return c;
}

static void add_kid(struct ot_call *parent, struct ot_call *kid)
{
	parent->kids = grow_for_one(parent->kids, parent->nkids, sizeof(*parent->kids));
	parent->kids[parent->nkids++] = kid;
	kid->parent = parent;
	kid->depth = parent->depth + 1;
}

static void add_root(struct ot_thread *th, struct ot_call *c)
{
	th->roots = grow_for_one(th->roots, th->nroots, sizeof(*th->roots));
	th->roots[th->nroots++] = c;
}

/* FUNC's return kind on the traced kernel: the spec's, unless the run says the
 * kernel's prototype returns another kind (vfs_tmpfile returned a dentry up to
 * 6.2, an int since). */
static enum ot_ret_kind ret_kind_of(const struct ot_trace *t, const struct ot_probe *p,
				    const char *func)
{
	const char *list = ot_trace_run_fact(t, "returns");
	size_t n = strlen(func);

	for (const char *q = list; q && *q;) {
		const char *end = strchr(q, ',');
		size_t len = end ? (size_t)(end - q) : strlen(q);

		if (len > n && !strncmp(q, func, n) && q[n] == '=') {
			const char *k = q + n + 1;
			if (!strncmp(k, "ptr", 3))
				return OT_RET_PTR;
			if (!strncmp(k, "long", 4))
				return OT_RET_LONG;
			if (!strncmp(k, "int", 3))
				return OT_RET_INT;
		}
		q = end ? end + 1 : NULL;
	}
	return p->ret_kind;
}

static void decode_return(const struct ot_trace *t, struct ot_call *c)
{
	const struct ot_probe *p = ot_probe_find(c->func);
	uint64_t raw;

	if (!p) {
		c->dec.cls = OT_RC_UNKNOWN;
		c->kind = OT_RET_LONG;
		return;
	}
	c->kind = ret_kind_of(t, p, c->func);
	if (c->kind == OT_RET_VOID) {
		c->dec = ot_decode_ret(OT_RET_VOID, 0);
		return;
	}
	if (!ot_rec_u64(c->ret, "ret", &raw)) {
		c->dec.cls = OT_RC_UNKNOWN;
		return;
	}
	c->dec = ot_decode_ret(c->kind, raw);
}

static void on_entry(struct ot_trace *t, struct pairing *pr, struct open_stack *s,
		     const struct ot_record *r)
{
	struct ot_call *c = new_call(t, r);

	c->entry = r;
	if (s->n)
		add_kid(s->calls[s->n - 1], c);
	else
		add_root(thread_of(t, pr, r), c);
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 16;
		s->calls = xrealloc(s->calls, s->cap * sizeof(*s->calls));
	}
	s->calls[s->n++] = c;
	(*open_count(pr, s->tid, r->func))++;
}

static void on_return(struct ot_trace *t, struct pairing *pr, struct open_stack *s,
		      const struct ot_record *r)
{
	size_t k = s->n;

	/* Each call passed over is popped: the scan costs what it removes. */
	if (*open_count(pr, s->tid, r->func) > 0)
		while (k > 0 && strcmp(s->calls[k - 1]->func, r->func) != 0)
			k--;
	else
		k = 0;
	if (k == 0) { /* its entry is not in the log */
		struct ot_call *c = new_call(t, r);
		c->ret = r;
		add_root(thread_of(t, pr, r), c);
		decode_return(t, c);
		return;
	}
	struct ot_call *c = s->calls[k - 1];
	c->ret = r;
	decode_return(t, c);
	for (size_t i = k - 1; i < s->n; i++)
		(*open_count(pr, s->tid, s->calls[i]->func))--;
	s->n = k - 1; /* calls above it stay without a return */
}

/* Numbers every call in pre-order with an explicit stack: nesting can be as deep
 * as the log is long. */
static void number_preorder(struct ot_trace *t)
{
	struct ot_call **stack = xrealloc(NULL, (t->ncalls + 1) * sizeof(*stack));
	size_t *next = xrealloc(NULL, (t->ncalls + 1) * sizeof(*next));
	size_t pos = 0;

	t->preorder = xrealloc(NULL, (t->ncalls + 1) * sizeof(*t->preorder));
	for (size_t i = 0; i < t->nthreads; i++) {
		for (size_t j = 0; j < t->threads[i].nroots; j++) {
			size_t sp = 0;

			stack[sp] = t->threads[i].roots[j];
			next[sp++] = 0;
			stack[0]->pre = pos;
			t->preorder[pos++] = stack[0];
			while (sp) {
				struct ot_call *c = stack[sp - 1];

				if (next[sp - 1] == c->nkids) {
					c->last = pos - 1;
					sp--;
					continue;
				}
				struct ot_call *kid = c->kids[next[sp - 1]++];
				kid->pre = pos;
				t->preorder[pos++] = kid;
				stack[sp] = kid;
				next[sp++] = 0;
			}
		}
	}
	free(stack);
	free(next);
}

int ot_trace_build(const struct ot_log *log, struct ot_trace *t)
{
	struct pairing pr = {0};

	memset(t, 0, sizeof(*t));
	t->log = log;
	for (size_t i = 0; i < log->nrecs; i++) {
		const struct ot_record *r = &log->recs[i];

		if (r->kind == OT_REC_FACT) {
			t->facts = grow_for_one(t->facts, t->nfacts, sizeof(*t->facts));
			t->facts[t->nfacts++] = r;
			if (r->func && !strcmp(r->func, "run.fact")) {
				t->run_facts = grow_for_one(t->run_facts, t->nrun_facts,
							    sizeof(*t->run_facts));
				t->run_facts[t->nrun_facts++] = r;
			}
			continue;
		}
		thread_of(t, &pr, r);
		struct open_stack *s = stack_of(&pr, r->tid);
		if (r->kind == OT_REC_ENTRY)
			on_entry(t, &pr, s, r);
		else
			on_return(t, &pr, s, r);
	}
	for (size_t i = 0; i < pr.nstacks; i++)
		free(pr.stacks[i].calls);
	free(pr.stacks);
	ot_map_free(&pr.threads);
	ot_map_free(&pr.stacks_by_tid);
	ot_map_free(&pr.open_counts);
	number_preorder(t);
	return 0;
}

void ot_trace_free(struct ot_trace *t)
{
	for (size_t i = 0; i < t->ncalls; i++)
		free(t->calls[i]->kids);
	ot_arena_free(t->call_pool);
	free(t->calls);
	for (size_t i = 0; i < t->nthreads; i++)
		free(t->threads[i].roots);
	free(t->threads);
	free(t->facts);
	free(t->run_facts);
	free(t->preorder);
	memset(t, 0, sizeof(*t));
}

bool ot_call_within(const struct ot_call *call, const struct ot_call *ancestor)
{
	return call && ancestor && ancestor->pre <= call->pre && call->pre <= ancestor->last;
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

	for (size_t i = 0; i < t->nrun_facts; i++) {
		const char *s = ot_rec_str(t->run_facts[i], key);

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

bool ot_func_is(const char *func, const char *alts)
{
	size_t n = strlen(func);

	for (const char *p = alts; p && *p;) {
		const char *bar = strchr(p, '|');
		size_t len = bar ? (size_t)(bar - p) : strlen(p);

		if (len == n && !strncmp(p, func, n))
			return true;
		p = bar ? bar + 1 : NULL;
	}
	return false;
}

bool ot_trace_probed(const struct ot_trace *t, const char *func)
{
	if (strchr(func, '|')) {
		char one[64];

		for (const char *p = func; p && *p;) {
			const char *bar = strchr(p, '|');
			size_t len = bar ? (size_t)(bar - p) : strlen(p);

			snprintf(one, sizeof(one), "%.*s", (int)len, p);
			if (ot_trace_probed(t, one))
				return true;
			p = bar ? bar + 1 : NULL;
		}
		return false;
	}
	for (size_t i = 0; i < t->nrun_facts; i++)
		if (list_has(ot_rec_str(t->run_facts[i], "probes"), func))
			return true;
	return false;
}
