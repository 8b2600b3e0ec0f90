// SPDX-License-Identifier: MIT
/* Pairing: each thread keeps a stack of open calls. An entry opens a call under
 * the thread's innermost open call; a return closes the innermost open call of
 * the same function (calls above it never returned in the log and stay
 * unpaired); a return with no open call of its function is an orphan root. */
#include "trace/trace.h"

#include <limits.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "probe/spec.h"
#include "trace/lineset.h"
#include "util/arena.h"
#include "util/hashmap.h"

struct open_stack {
	uint32_t tid;
	struct ot_call **calls;
	size_t n, cap;
	struct ot_arena *pool; /* streamed: the open operation's calls and records */
};

/* Lookups done once per record, by hash: (pid, tid) -> thread, tid -> stack, and
 * (tid, function) -> how many calls of it are open, so that a return whose entry
 * is not in the log is known as such without scanning the stack. */
struct ot_pairing {
	struct open_stack *stacks;
	size_t nstacks;
	struct ot_map threads, stacks_by_tid, open_counts;
	struct ot_map user_level; /* function -> 1 + whether it serves user calls */
	/* streamed: one operation's pre-order and the stacks that number it */
	struct ot_call **pre, **walk;
	size_t *next, cap;
	/* the evidence of the claim block, gathered per operation (ot_trace_stats) */
	struct ot_line_set call_lines, ret_lines, unpaired_lines, undecoded_lines;
	/* functions' probes by the address of their names (a log's names are shared) */
	struct {
		const char *func;
		const struct ot_probe *p;
	} probes[16];
	/* the last record's thread and stack: a thread's records come in runs */
	uint32_t last_pid, last_tid;
	size_t last_thread, last_stack;
	bool have_last;
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

/* The same in an arena (streamed operations): the old array stays until the pool goes. */
static void *pool_grow_for_one(struct ot_arena *a, void *p, size_t n, size_t elem)
{
	void *q;

	if (n && (n & (n - 1)))
		return p;
	q = ot_arena_alloc(a, (n ? 2 * n : 1) * elem);
	if (n)
		memcpy(q, p, n * elem);
	return q;
}

static struct ot_thread *thread_of(struct ot_trace *t, struct ot_pairing *pr,
				   const struct ot_record *r)
{
	uint32_t key[2] = {r->pid, r->tid};
	bool added;
	size_t *idx;

	if (pr->have_last && pr->last_pid == r->pid && pr->last_tid == r->tid)
		return &t->threads[pr->last_thread];
	idx = ot_map_get(&pr->threads, key, sizeof(key), &added);
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

static struct open_stack *stack_of(struct ot_pairing *pr, uint32_t tid)
{
	bool added;
	size_t *idx;

	if (pr->have_last && pr->last_tid == tid)
		return &pr->stacks[pr->last_stack];
	idx = ot_map_get(&pr->stacks_by_tid, &tid, sizeof(tid), &added);
	if (!added)
		return &pr->stacks[*idx];
	pr->stacks = grow_for_one(pr->stacks, pr->nstacks, sizeof(*pr->stacks));
	*idx = pr->nstacks;
	struct open_stack *s = &pr->stacks[pr->nstacks++];
	memset(s, 0, sizeof(*s));
	s->tid = tid;
	return s;
}

static size_t *open_count(struct ot_pairing *pr, uint32_t tid, const char *func)
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

static struct ot_call *new_call(struct ot_trace *t, struct open_stack *s, const struct ot_record *r)
{
	struct ot_call *c;

	/* Calls are many and small: allocated in blocks, not one by one. */
	if (t->streamed) {
		c = ot_arena_alloc(s->pool, sizeof(*c));
	} else {
		if (!t->call_pool)
			t->call_pool = ot_arena_new();
		c = ot_arena_alloc(t->call_pool, sizeof(*c));
	}
	memset(c, 0, sizeof(*c));
	c->func = r->func;
	c->pid = r->pid;
	c->tid = r->tid;
	c->dec.cls = OT_RC_UNKNOWN;
	c->index = t->ncalls++;
	if (t->anchor && !strcmp(c->func, t->anchor))
		c->op = ++t->nanchor_calls;
	if (!t->streamed) {
		t->calls = grow_for_one(t->calls, c->index, sizeof(*t->calls));
		t->calls[c->index] = c;
	}
	return c;
}

static void add_kid(struct ot_trace *t, struct open_stack *s, struct ot_call *parent,
		    struct ot_call *kid)
{
	if (t->streamed)
		parent->kids =
		    pool_grow_for_one(s->pool, parent->kids, parent->nkids, sizeof(*parent->kids));
	else
		parent->kids = grow_for_one(parent->kids, parent->nkids, sizeof(*parent->kids));
	parent->kids[parent->nkids++] = kid;
	kid->parent = parent;
	kid->depth = parent->depth + 1;
}

static void add_root(struct ot_trace *t, struct ot_thread *th, struct ot_call *c)
{
	if (!t->streamed)
		th->roots = grow_for_one(th->roots, th->nroots, sizeof(*th->roots));
	if (!t->streamed)
		th->roots[th->nroots] = c;
	th->nroots++;
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

static const struct ot_probe *probe_of(struct ot_pairing *pr, const char *func)
{
	size_t slot = ((uintptr_t)func >> 4) % 16;

	if (pr->probes[slot].func != func) {
		pr->probes[slot].func = func;
		pr->probes[slot].p = ot_probe_find(func);
	}
	return pr->probes[slot].p;
}

static void decode_return(const struct ot_trace *t, struct ot_call *c)
{
	const struct ot_probe *p = probe_of(t->pr, c->func);
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

/* Does FUNC return what a user call saw (a syscall probe), or stand in for one? */
static bool serves_user(struct ot_pairing *pr, const char *func)
{
	bool added;
	size_t *v = ot_map_get(&pr->user_level, func, strlen(func), &added);

	if (added) {
		*v = 1;
		for (size_t i = 0; i < ot_probe_count(); i++) {
			const struct ot_probe *q = ot_probe_at(i);
			const char *si = q->user_call ? ot_probe_user_stand_in(q->func) : NULL;

			if (q->user_call && (!strcmp(q->func, func) || (si && !strcmp(si, func))))
				*v = 2;
		}
	}
	return *v == 2;
}

/* The claim block's numbers of one complete operation. */
static void count_op(struct ot_trace *t, const struct ot_call *root)
{
	struct ot_trace_stats *st = &t->stats;

	for (size_t i = root->pre; i <= root->last; i++) {
		const struct ot_call *c = t->preorder[i];

		if (c->in_flight)
			st->in_flight++;
		else
			st->calls++;
		ot_line_set_add(&t->pr->call_lines, ot_call_line(c));
		if (c->ret)
			ot_line_set_add(&t->pr->call_lines, c->ret->line);
		if (ot_call_unpaired(c)) {
			st->unpaired++;
			if (c->index < st->first_unpaired) {
				st->first_unpaired = c->index;
				st->first_unpaired_func = c->func;
			}
			ot_line_set_add(&t->pr->unpaired_lines, ot_call_line(c));
		}
		if (c->ret) {
			st->rets++;
			ot_line_set_add(&t->pr->ret_lines, c->ret->line);
			if (c->dec.cls == OT_RC_UNKNOWN) {
				st->undecoded++;
				if (c->index < st->first_undecoded) {
					st->first_undecoded = c->index;
					st->first_undecoded_func = c->func;
				}
				ot_line_set_add(&t->pr->undecoded_lines, c->ret->line);
			}
		}
		if (!serves_user(t->pr, c->func))
			continue;
		size_t k = 0;
		while (k < st->ncalled && strcmp(st->called[k], c->func))
			k++;
		if (k == st->ncalled) {
			st->called = grow_for_one(st->called, st->ncalled, sizeof(*st->called));
			st->called[st->ncalled++] = c->func;
		}
		if (c->ret) {
			st->user_rets =
			    grow_for_one(st->user_rets, st->nuser_rets, sizeof(*st->user_rets));
			st->user_rets[st->nuser_rets++] =
			    (struct ot_user_ret){c->index, c->func, c->ret->line, c->dec, c->kind};
		}
	}
}

static void hand_over(struct ot_trace *t, const struct ot_call *root)
{
	count_op(t, root);
	for (size_t i = 0; i < t->nconsumers; i++)
		t->consumers[i].op(t->consumers[i].ctx, t, root);
}

/* Numbers ROOT's subtree in pre-order from FIRST with an explicit stack (nesting can
 * be as deep as the log is long) into PRE; returns the next free position. */
static size_t number_subtree(struct ot_call *root, struct ot_call **pre, size_t first,
			     struct ot_call **stack, size_t *next)
{
	size_t pos = first, sp = 0;

	stack[sp] = root;
	next[sp++] = 0;
	root->pre = pos;
	pre[pos++] = root;
	while (sp) {
		struct ot_call *c = stack[sp - 1];

		if (next[sp - 1] == c->nkids) {
			c->last = pos - 1;
			sp--;
			continue;
		}
		struct ot_call *kid = c->kids[next[sp - 1]++];
		kid->pre = pos;
		pre[pos++] = kid;
		stack[sp] = kid;
		next[sp++] = 0;
	}
	return pos;
}

/* Streamed: ROOT's operation is complete; handed over, then its memory is reused once
 * its thread has nothing open. */
static void op_done(struct ot_trace *t, struct open_stack *s, struct ot_call *root)
{
	struct ot_pairing *pr = t->pr;

	if (!t->streamed)
		return; /* every operation is handed over at the end */
	/* the operation's calls came after its root: at most every call since */
	if (t->ncalls - root->index > pr->cap) {
		pr->cap = 2 * (t->ncalls - root->index);
		pr->pre = xrealloc(pr->pre, pr->cap * sizeof(*pr->pre));
		pr->walk = xrealloc(pr->walk, pr->cap * sizeof(*pr->walk));
		pr->next = xrealloc(pr->next, pr->cap * sizeof(*pr->next));
	}
	number_subtree(root, pr->pre, 0, pr->walk, pr->next);
	t->preorder = pr->pre;
	hand_over(t, root);
	t->preorder = NULL;
	if (!s->n)
		ot_arena_reset(s->pool);
}

/* Streamed: fact R (valid only until its batch goes) copied into POOL; the names are
 * the log's shared copies and stay where they are. */
static const struct ot_record *keep_record(struct ot_arena *pool, const struct ot_record *r)
{
	struct ot_record *c = ot_arena_alloc(pool, sizeof(*c));
	struct ot_field *f = ot_arena_alloc(pool, (r->nfields ? r->nfields : 1) * sizeof(*f));

	*c = *r;
	for (size_t i = 0; i < r->nfields; i++) {
		f[i] = r->fields[i];
		f[i].raw = f[i].raw ? ot_arena_strdup(pool, f[i].raw) : NULL;
		f[i].s = f[i].s ? ot_arena_strdup(pool, f[i].s) : NULL;
	}
	c->fields = f;
	c->pooled = true;
	return c;
}

static void on_entry(struct ot_trace *t, struct ot_pairing *pr, struct open_stack *s,
		     const struct ot_record *r)
{
	struct ot_call *c = new_call(t, s, r);

	c->entry = r;
	if (s->n)
		add_kid(t, s, s->calls[s->n - 1], c);
	else
		add_root(t, thread_of(t, pr, r), c);
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 16;
		s->calls = xrealloc(s->calls, s->cap * sizeof(*s->calls));
	}
	s->calls[s->n++] = c;
	(*open_count(pr, s->tid, r->func))++;
}

static void on_return(struct ot_trace *t, struct ot_pairing *pr, struct open_stack *s,
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
		struct ot_call *c = new_call(t, s, r);
		const char *proc = ot_trace_run_fact(t, "process");

		c->ret = r;
		/* Joined a running process: the call began before the probes were there. */
		if (proc && !strcmp(proc, "running"))
			c->in_flight = OT_IN_FLIGHT_AT_ATTACH;
		add_root(t, thread_of(t, pr, r), c);
		decode_return(t, c);
		op_done(t, s, c);
		return;
	}
	struct ot_call *c = s->calls[k - 1];
	c->ret = r;
	decode_return(t, c);
	for (size_t i = k - 1; i < s->n; i++)
		(*open_count(pr, s->tid, s->calls[i]->func))--;
	s->n = k - 1; /* calls above it stay without a return */
	if (!s->n)
		op_done(t, s, c);
}

/* A line.fact: point ID's description, kept by id (ids are small and dense). */
static void add_line_point(struct ot_trace *t, const struct ot_record *r)
{
	uint64_t id;

	if (!ot_rec_u64(r, "id", &id) || id >= OT_TRACE_LINE_POINTS_MAX)
		return;
	if (id >= t->nline_points) {
		size_t n = (size_t)id + 1;

		t->line_points = xrealloc(t->line_points, n * sizeof(*t->line_points));
		memset(t->line_points + t->nline_points, 0,
		       (n - t->nline_points) * sizeof(*t->line_points));
		t->nline_points = n;
	}
	t->line_points[id] = r;
}

/* A line ran: it belongs to the thread's innermost open call (the function whose
 * lines are probed, when it is traced too; else its nearest traced caller). */
static void on_line(struct ot_trace *t, struct open_stack *s, const struct ot_record *r)
{
	struct ot_call *c;

	t->line_hits++;
	if (!s->n) {
		t->line_hits_outside++;
		return;
	}
	c = s->calls[s->n - 1];
	if (t->streamed)
		c->hits = pool_grow_for_one(s->pool, (void *)c->hits, c->nhits, sizeof(*c->hits));
	else
		c->hits = pool_grow_for_one(t->call_pool, (void *)c->hits, c->nhits,
					    sizeof(*c->hits));
	c->hits[c->nhits++] = r;
}

const struct ot_record *ot_trace_line_point(const struct ot_trace *t, uint64_t id)
{
	return id < t->nline_points ? t->line_points[id] : NULL;
}

const struct ot_record *ot_trace_hit_point(const struct ot_trace *t, const struct ot_record *h)
{
	uint64_t id;

	return ot_rec_u64(h, "id", &id) ? ot_trace_line_point(t, id) : NULL;
}

void ot_trace_begin(struct ot_trace *t, const struct ot_log *log, bool streamed)
{
	memset(t, 0, sizeof(*t));
	t->log = log;
	t->streamed = streamed;
	t->pr = calloc(1, sizeof(*t->pr));
	if (!t->pr)
		abort();
	t->stats.first_unpaired = t->stats.first_undecoded = (size_t)-1;
}

void ot_trace_add_consumer(struct ot_trace *t, struct ot_op_consumer c)
{
	t->consumers = grow_for_one(t->consumers, t->nconsumers, sizeof(*t->consumers));
	t->consumers[t->nconsumers++] = c;
}

void ot_trace_add(struct ot_trace *t, const struct ot_record *r)
{
	struct ot_pairing *pr = t->pr;

	if (r->kind == OT_REC_FACT) {
		if (t->streamed) {
			if (!t->fact_pool)
				t->fact_pool = ot_arena_new();
			r = keep_record(t->fact_pool, r);
		}
		t->facts = grow_for_one(t->facts, t->nfacts, sizeof(*t->facts));
		t->facts[t->nfacts++] = r;
		if (r->func && !strcmp(r->func, "line.fact"))
			add_line_point(t, r);
		if (r->func && !strcmp(r->func, "run.fact")) {
			t->run_facts =
			    grow_for_one(t->run_facts, t->nrun_facts, sizeof(*t->run_facts));
			t->run_facts[t->nrun_facts++] = r;
		}
		return;
	}
	struct ot_thread *th = thread_of(t, pr, r);
	struct open_stack *s = stack_of(pr, r->tid);

	if (t->streamed && !s->pool)
		s->pool = ot_arena_new();
	pr->last_pid = r->pid;
	pr->last_tid = r->tid;
	pr->last_thread = (size_t)(th - t->threads);
	pr->last_stack = (size_t)(s - pr->stacks);
	pr->have_last = true;
	if (r->kind == OT_REC_LINE)
		on_line(t, s, r);
	else if (r->kind == OT_REC_ENTRY)
		on_entry(t, pr, s, r);
	else
		on_return(t, pr, s, r);
}

static int cmp_user_ret(const void *a, const void *b)
{
	const struct ot_user_ret *x = a, *y = b;

	return x->index < y->index ? -1 : x->index > y->index;
}

void ot_trace_end(struct ot_trace *t)
{
	struct ot_pairing *pr = t->pr;
	struct ot_trace_stats *st = &t->stats;

	/* Operations still open at the end: complete as they are. A run that detached
	 * from a running process ends with the calls each thread was still in: they are
	 * in flight (entries above a return that closed past them were popped then, and
	 * stay unpaired). */
	t->detached = ot_trace_run_fact(t, "detached") != NULL;
	for (size_t i = 0; i < pr->nstacks; i++) {
		struct open_stack *s = &pr->stacks[i];

		if (s->n) {
			struct ot_call *root = s->calls[0];

			for (size_t j = 0; j < s->n; j++) {
				(*open_count(pr, s->tid, s->calls[j]->func))--;
				if (t->detached)
					s->calls[j]->in_flight = OT_IN_FLIGHT_AT_DETACH;
			}
			s->n = 0;
			op_done(t, s, root);
		}
	}
	if (!t->streamed) {
		struct ot_call **stack = xrealloc(NULL, (t->ncalls + 1) * sizeof(*stack));
		size_t *next = xrealloc(NULL, (t->ncalls + 1) * sizeof(*next)), pos = 0;

		/* Every call, threads and roots in order, each call before its subtree. */
		t->preorder = xrealloc(NULL, (t->ncalls + 1) * sizeof(*t->preorder));
		for (size_t i = 0; i < t->nthreads; i++)
			for (size_t j = 0; j < t->threads[i].nroots; j++)
				pos = number_subtree(t->threads[i].roots[j], t->preorder, pos,
						     stack, next);
		free(stack);
		free(next);
		for (size_t i = 0; i < t->nthreads; i++)
			for (size_t j = 0; j < t->threads[i].nroots; j++)
				hand_over(t, t->threads[i].roots[j]);
	}
	st->call_lines = ot_line_set_take(&pr->call_lines, &st->ncall_lines);
	st->ret_lines = ot_line_set_take(&pr->ret_lines, &st->nret_lines);
	st->unpaired_lines = ot_line_set_take(&pr->unpaired_lines, &st->nunpaired_lines);
	st->undecoded_lines = ot_line_set_take(&pr->undecoded_lines, &st->nundecoded_lines);
	if (st->nuser_rets)
		qsort(st->user_rets, st->nuser_rets, sizeof(*st->user_rets), cmp_user_ret);
	for (size_t i = 0; i < pr->nstacks; i++) {
		free(pr->stacks[i].calls);
		ot_arena_free(pr->stacks[i].pool);
	}
	free(pr->stacks);
	free(pr->pre);
	free(pr->walk);
	free(pr->next);
	ot_map_free(&pr->threads);
	ot_map_free(&pr->stacks_by_tid);
	ot_map_free(&pr->open_counts);
	ot_map_free(&pr->user_level);
	free(pr);
	t->pr = NULL;
}

unsigned ot_trace_first_open_line(const struct ot_trace *t)
{
	unsigned first = UINT_MAX;

	/* an operation's records come from its root's entry on */
	for (size_t i = 0; t->pr && i < t->pr->nstacks; i++) {
		const struct open_stack *s = &t->pr->stacks[i];

		if (s->n && ot_call_line(s->calls[0]) < first)
			first = ot_call_line(s->calls[0]);
	}
	return first;
}

size_t ot_trace_thread_index(const struct ot_trace *t, const struct ot_call *c)
{
	uint32_t key[2] = {c->pid, c->tid};
	size_t *idx = t->pr ? ot_map_find(&t->pr->threads, key, sizeof(key)) : NULL;

	return idx ? *idx : 0;
}

int ot_trace_build(const struct ot_log *log, struct ot_trace *t)
{
	ot_trace_begin(t, log, false);
	for (size_t i = 0; i < log->nrecs; i++)
		ot_trace_add(t, &log->recs[i]);
	ot_trace_end(t);
	return 0;
}

void ot_trace_free(struct ot_trace *t)
{
	struct ot_trace_stats *st = &t->stats;

	for (size_t i = 0; !t->streamed && i < t->ncalls; i++)
		free(t->calls[i]->kids);
	ot_arena_free(t->call_pool);
	ot_arena_free(t->fact_pool);
	free(t->calls);
	for (size_t i = 0; i < t->nthreads; i++)
		free(t->threads[i].roots);
	free(t->threads);
	free(t->facts);
	free(t->run_facts);
	free(t->line_points);
	if (!t->streamed)
		free(t->preorder);
	free(t->consumers);
	free(st->unpaired_lines);
	free(st->undecoded_lines);
	free(st->call_lines);
	free(st->ret_lines);
	free(st->user_rets);
	free(st->called);
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

bool ot_call_unpaired(const struct ot_call *c)
{
	return !ot_call_paired(c) && !c->in_flight;
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
