// SPDX-License-Identifier: MIT
/* The claims' share of a streamed trace (keep.h). The anchor's calls are numbered as
 * they enter (ot_call.op) but complete in any order, thread by thread: each is decided
 * in the order of its number, once every call before it has been, as scope_op in
 * select.c walks them over a whole trace. An operation waiting for that, or picked, is
 * copied out of the trace (trace/opcopy.h); one no scope picks any more is freed. */
#include "claims/keep.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "claims/claims.h"
#include "claims/select.h"
#include "trace/opcopy.h"

/* An operation that has anchor calls not decided yet, or that the claims need. */
struct held {
	struct ot_op_copy *copy; /* NULL while it is being handed over */
	size_t pending;		 /* its anchor calls not decided yet */
	size_t refs;		 /* scopes whose pick it holds */
	bool kept;		 /* it holds a call of a selector with no scope */
	bool listed;		 /* (while the kept trace is put together) */
};

struct anchor_call {
	uint32_t op;  /* its number: the order in which it is decided */
	uint64_t has; /* bit i: a call of has[i] ran inside it (or it is one) */
	struct held *h;
	size_t at; /* its place in its operation's pre-order */
};

/* A scope, resolved as the anchor's calls are decided (select.c, scope_op). */
struct scope_state {
	struct ot_scope s;
	int bit; /* its op[F]'s bit in has; -1: every call of the anchor counts */
	size_t nmatch;
	uint32_t found, last; /* numbers of the N-th and of the last counting call */
	struct held *h;	      /* the pick so far (NULL: none) */
	size_t at;
	uint32_t op;
};

struct ot_claims_keep {
	const struct ot_case *c;
	const char *has[64]; /* the op[F] of the scopes */
	size_t nhas;
	const struct ot_sel *loose[2 * OT_MAX_CASE_CLAIMS]; /* selectors with no scope */
	size_t nloose;
	const char *pairs[OT_MAX_CASE_CLAIMS]; /* pairs FUNC */
	size_t npairs;
	struct scope_state sc[2 * OT_MAX_CASE_CLAIMS];
	size_t nsc;
	struct anchor_call *heap; /* waiting for their turn, smallest number first */
	size_t nheap, capheap;
	uint32_t next; /* the number decided next */
	struct held **kept;
	size_t nkept, capkept;
	size_t *below; /* per handed-over operation: calls of has[i] before each place */
	size_t capbelow;
	bool call_sites;
};

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		abort();
	return p;
}

static void held_free_unneeded(struct held *h)
{
	if (h && h->copy && !h->pending && !h->refs && !h->kept) {
		ot_op_copy_free(h->copy);
		free(h);
	}
}

static void heap_push(struct ot_claims_keep *k, struct anchor_call a)
{
	size_t i;

	if (k->nheap == k->capheap) {
		k->capheap = k->capheap ? 2 * k->capheap : 64;
		k->heap = xrealloc(k->heap, k->capheap * sizeof(*k->heap));
	}
	for (i = k->nheap++; i && k->heap[(i - 1) / 2].op > a.op; i = (i - 1) / 2)
		k->heap[i] = k->heap[(i - 1) / 2];
	k->heap[i] = a;
}

static struct anchor_call heap_pop(struct ot_claims_keep *k)
{
	struct anchor_call top = k->heap[0], last = k->heap[--k->nheap];
	size_t i = 0;

	for (;;) {
		size_t c = 2 * i + 1;

		if (c >= k->nheap)
			break;
		if (c + 1 < k->nheap && k->heap[c + 1].op < k->heap[c].op)
			c++;
		if (last.op <= k->heap[c].op)
			break;
		k->heap[i] = k->heap[c];
		i = c;
	}
	if (k->nheap)
		k->heap[i] = last;
	return top;
}

/* The anchor's call A, in its turn: each scope counts it and may pick it. */
static void decide(struct ot_claims_keep *k, const struct anchor_call *a)
{
	for (size_t i = 0; i < k->nsc; i++) {
		struct scope_state *st = &k->sc[i];
		uint32_t base;

		if (st->bit < 0 || (a->has >> st->bit & 1)) {
			st->nmatch++;
			if (st->s.n > 0 && st->nmatch == (size_t)st->s.n)
				st->found = a->op;
			if (st->s.n < 0)
				st->last = a->op;
		}
		base = st->s.n > 0 ? st->found : st->last;
		if (!base || a->op != base + (uint32_t)st->s.plus)
			continue;
		if (st->h) {
			st->h->refs--;
			held_free_unneeded(st->h);
		}
		st->h = a->h;
		st->at = a->at;
		st->op = a->op;
		a->h->refs++;
	}
}

static bool has_func(const struct ot_claims_keep *k, const char *f)
{
	for (size_t i = 0; i < k->nhas; i++)
		if (!strcmp(k->has[i], f))
			return true;
	return false;
}

/* Does the operation hold a call that a selector with no scope, or pairs FUNC, reads? */
static bool needed_whole(const struct ot_claims_keep *k, const struct ot_call *c)
{
	for (size_t i = 0; i < k->nloose; i++)
		if (ot_sel_takes(k->loose[i], c))
			return true;
	for (size_t i = 0; i < k->npairs; i++)
		if (!strcmp(c->func, k->pairs[i]))
			return true;
	return false;
}

/* Calls of has[j] among the first I places of ROOT's pre-order: BELOW[j * (N + 1) + I]. */
static void count_below(struct ot_claims_keep *k, const struct ot_trace *t,
			const struct ot_call *root, size_t n)
{
	if (k->nhas * (n + 1) > k->capbelow) {
		k->capbelow = 2 * k->nhas * (n + 1);
		k->below = xrealloc(k->below, k->capbelow * sizeof(*k->below));
	}
	for (size_t j = 0; j < k->nhas; j++) {
		size_t *b = k->below + j * (n + 1);

		b[0] = 0;
		for (size_t i = 0; i < n; i++)
			b[i + 1] = b[i] + !strcmp(t->preorder[root->pre + i]->func, k->has[j]);
	}
}

static void on_op(void *ctx, const struct ot_trace *t, const struct ot_call *root)
{
	struct ot_claims_keep *k = ctx;
	size_t n = root->last - root->pre + 1, nanchors = 0;
	struct held *h;
	bool whole = false;

	for (size_t i = root->pre; i <= root->last; i++) {
		const struct ot_call *c = t->preorder[i];

		nanchors += c->op && k->nsc; /* no scope: the anchor's calls pick nothing */
		whole = whole || needed_whole(k, c);
		if (!k->call_sites && c->entry && ot_rec_field(c->entry, "caller"))
			k->call_sites = true;
	}
	if (!nanchors && !whole)
		return;
	h = calloc(1, sizeof(*h));
	if (!h)
		abort();
	h->kept = whole;
	if (nanchors && k->nhas)
		count_below(k, t, root, n);
	for (size_t i = 0; i < n && nanchors; i++) {
		const struct ot_call *c = t->preorder[root->pre + i];
		struct anchor_call a = {c->op, 0, h, i};

		if (!c->op)
			continue;
		for (size_t j = 0; j < k->nhas; j++) {
			const size_t *b = k->below + j * (n + 1);

			if (!strcmp(c->func, k->has[j]) || b[c->last - root->pre + 1] > b[i + 1])
				a.has |= (uint64_t)1 << j;
		}
		h->pending++;
		heap_push(k, a);
	}
	while (k->nheap && k->heap[0].op == k->next) {
		struct anchor_call a = heap_pop(k);

		decide(k, &a);
		k->next++;
		a.h->pending--;
		held_free_unneeded(a.h);
	}
	if (!h->pending && !h->refs && !h->kept) {
		free(h);
		return;
	}
	h->copy = ot_op_copy(t, root);
	if (h->kept) {
		if (k->nkept == k->capkept) {
			k->capkept = k->capkept ? 2 * k->capkept : 16;
			k->kept = xrealloc(k->kept, k->capkept * sizeof(*k->kept));
		}
		k->kept[k->nkept++] = h;
	}
}

static void add_scope(struct ot_claims_keep *k, const struct ot_scope *s)
{
	for (size_t i = 0; i < k->nsc; i++)
		if (ot_scope_same(&k->sc[i].s, s))
			return;
	struct scope_state *st = &k->sc[k->nsc++];

	memset(st, 0, sizeof(*st));
	st->s = *s;
	st->bit = -1;
	if (!s->has[0])
		return;
	if (!has_func(k, s->has))
		k->has[k->nhas++] = s->has;
	for (size_t j = 0; j < k->nhas; j++)
		if (!strcmp(k->has[j], s->has))
			st->bit = (int)j;
}

struct ot_claims_keep *ot_claims_keep_begin(struct ot_trace *t, const struct ot_case *c)
{
	struct ot_claims_keep *k = calloc(1, sizeof(*k));

	if (!k)
		abort();
	k->c = c;
	k->next = 1;
	for (int i = 0; i < OT_MAX_CASE_CLAIMS && c->claims[i]; i++) {
		const struct ot_claim *cl = ot_case_claim(c, i);

		if (!cl)
			continue;
		if (cl->kind == OT_CLAIM_PAIRS && cl->u.pairs.func[0])
			k->pairs[k->npairs++] = cl->u.pairs.func;
		for (int j = 0; j < cl->nsel; j++) {
			if (cl->sel[j].scope.op)
				add_scope(k, &cl->sel[j].scope);
			else
				k->loose[k->nloose++] = &cl->sel[j];
		}
	}
	t->anchor = c->anchor;
	ot_trace_add_consumer(t, (struct ot_op_consumer){on_op, k});
	return k;
}

bool ot_claims_keep_saw_call_sites(const struct ot_claims_keep *k)
{
	return k->call_sites;
}

static int cmp_call_index(const void *a, const void *b)
{
	const struct ot_call *x = *(const struct ot_call *const *)a;
	const struct ot_call *y = *(const struct ot_call *const *)b;

	return x->index < y->index ? -1 : x->index > y->index;
}

static int cmp_held(const void *a, const void *b)
{
	return cmp_call_index(&(*(struct held *const *)a)->copy->calls[0],
			      &(*(struct held *const *)b)->copy->calls[0]);
}

/* Is scope ST's pick the operation it names (op#last+K: the K-th after the last)? */
static bool picked(const struct scope_state *st)
{
	return st->h && (st->s.n > 0 || st->op == st->last + (uint32_t)st->s.plus);
}

int ot_claims_keep_eval(const struct ot_claims_keep *k, const struct ot_trace *t,
			struct ot_claim_set *out)
{
	struct held **ops = xrealloc(NULL, (k->nkept + k->nsc) * sizeof(*ops));
	struct ot_op_pick pick[2 * OT_MAX_CASE_CLAIMS];
	struct ot_op_picks picks = {pick, k->nsc};
	struct ot_trace kt = *t;
	size_t nops = 0, ncalls = 0, pos = 0;
	int rc;

	for (size_t i = 0; i < k->nkept + k->nsc; i++) {
		struct held *h = NULL;

		if (i < k->nkept)
			h = k->kept[i];
		else if (picked(&k->sc[i - k->nkept]))
			h = k->sc[i - k->nkept].h;
		if (h && !h->listed) {
			h->listed = true;
			ops[nops++] = h;
			ncalls += h->copy->n;
		}
	}
	qsort(ops, nops, sizeof(*ops), cmp_held);
	kt.calls = xrealloc(NULL, ncalls * sizeof(*kt.calls));
	kt.preorder = xrealloc(NULL, ncalls * sizeof(*kt.preorder));
	kt.ncalls = ncalls;
	kt.src = NULL;
	/* the kept operations one after another: each subtree still a range */
	for (size_t i = 0; i < nops; i++) {
		struct ot_op_copy *c = ops[i]->copy;

		for (size_t j = 0; j < c->n; j++) {
			c->calls[j]->pre += pos;
			c->calls[j]->last += pos;
		}
		memcpy(kt.preorder + pos, c->calls, c->n * sizeof(*c->calls));
		pos += c->n;
		ops[i]->listed = false;
	}
	memcpy(kt.calls, kt.preorder, ncalls * sizeof(*kt.calls));
	qsort(kt.calls, ncalls, sizeof(*kt.calls), cmp_call_index);
	for (size_t i = 0; i < k->nsc; i++) {
		const struct scope_state *st = &k->sc[i];

		pick[i] = (struct ot_op_pick){st->s, picked(st) ? st->h->copy->calls[st->at] : NULL,
					      st->op};
	}
	rc = ot_claims_eval_picked(&kt, k->c, &picks, out);
	/* the copies' numbering back to their own, for another evaluation */
	for (size_t i = 0; i < nops; i++) {
		struct ot_op_copy *c = ops[i]->copy;
		size_t base = c->calls[0]->pre;

		for (size_t j = 0; j < c->n; j++) {
			c->calls[j]->last -= base;
			c->calls[j]->pre -= base;
		}
	}
	free(kt.calls);
	free(kt.preorder);
	free(ops);
	return rc;
}

void ot_claims_keep_free(struct ot_claims_keep *k)
{
	if (!k)
		return;
	for (size_t i = 0; i < k->nsc; i++)
		if (k->sc[i].h) {
			k->sc[i].h->refs--;
			held_free_unneeded(k->sc[i].h);
		}
	for (size_t i = 0; i < k->nkept; i++) {
		k->kept[i]->kept = false;
		held_free_unneeded(k->kept[i]);
	}
	for (size_t i = 0; i < k->nheap; i++) { /* only if the trace was never completed */
		k->heap[i].h->pending--;
		held_free_unneeded(k->heap[i].h);
	}
	free(k->heap);
	free(k->kept);
	free(k->below);
	free(k);
}
