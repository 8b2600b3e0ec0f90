// SPDX-License-Identifier: MIT
/* Summaries for large logs (see scale.h). Every pass is linear in the calls (plus
 * one sort per function for the latency percentiles). */
#include "report/scale.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "report/fields.h"
#include "report/mdtext.h"
#include "report/tree.h"
#include "trace/decode.h"
#include "util/hashmap.h"

#define MAX_SHAPES	   25  /* rows of the shapes table */
#define MAX_ODD_TREES	   8   /* odd shapes drawn in full */
#define ODD_MAX_COUNT	   3   /* a shape seen at most this often is odd */
#define ODD_TREE_MAX_CALLS 200 /* larger odd operations are shown by shape only */
#define MAX_SHAPE_TEXT	   600 /* longer shapes are cut (the JSON has them whole) */
#define MAX_CHAIN_SHAPES   25

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		abort();
	return p;
}

bool ot_md_summarises(const struct ot_trace *t)
{
	return t->ncalls > OT_MD_FULL_TREE_MAX_CALLS;
}

_Static_assert(2 * OT_MD_FULL_TREE_MAX_CALLS <= OT_LOG_KEEP_CALL_RECORDS_MAX,
	       "a log whose calls are drawn one by one keeps every line's text");

bool ot_md_embeds_raw_log(const struct ot_log *log, const struct ot_trace *t)
{
	return !ot_md_summarises(t) && !log->lines_dropped;
}

/* A growing text buffer. */
struct buf {
	char *s;
	size_t n, cap;
};

static void buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		b->cap = 2 * (b->n + n + 1);
		b->s = xrealloc(b->s, b->cap);
	}
	memcpy(b->s + b->n, s, n);
	b->n += n;
	b->s[b->n] = '\0';
}

static void buf_str(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

static void call_step(const struct ot_call *c, char *out, size_t sz)
{
	char ret[96];

	if (!c->ret)
		snprintf(out, sz, "%s (%s)", c->func, c->in_flight ? "in flight" : "no return");
	else if (!c->entry && c->in_flight)
		snprintf(out, sz, "%s (begun before the attach)", c->func);
	else {
		ot_call_ret_text(c, ret, sizeof(ret));
		/* fds and counts vary from call to call; their sign is the shape */
		if (c->dec.cls == OT_RC_OK && ret[0] >= '1' && ret[0] <= '9' &&
		    !ret[strspn(ret, "0123456789")])
			memcpy(ret, "> 0", sizeof("> 0"));
		/* per call: pieces copied, not printed */
		const char *parts[4] = {c->func, " → ", ret, c->entry ? "" : " (no entry)"};
		size_t at = 0;

		for (int i = 0; i < 4 && at + 1 < sz; i++) {
			size_t n = strlen(parts[i]);

			if (n > sz - 1 - at)
				n = sz - 1 - at;
			memcpy(out + at, parts[i], n);
			at += n;
		}
		out[at] = '\0';
	}
}

/* The shape of an operation: every call's function and decoded return, nested with
 * { }, repeated leaf siblings as ×N. Walks the pre-order range: no recursion. */
static void op_shape(const struct ot_trace *t, const struct ot_call *root, struct buf *b)
{
	char step[192], prev[192] = "";
	size_t repeat = 0;
	const struct ot_call *open = root;

	b->n = 0;
	buf_str(b, "");
	call_step(root, step, sizeof(step));
	buf_str(b, step);
	if (!root->nkids)
		return;
	buf_str(b, " { ");
	for (size_t i = root->pre + 1; i <= root->last; i++) {
		const struct ot_call *c = t->preorder[i];
		bool leaf = c->nkids == 0;

		call_step(c, step, sizeof(step));
		if (repeat && leaf && c->parent == open && !strcmp(step, prev)) {
			repeat++;
			continue;
		}
		if (repeat > 1) {
			snprintf(prev, sizeof(prev), " ×%zu", repeat);
			buf_str(b, prev);
		}
		repeat = 0;
		while (open != c->parent) {
			buf_str(b, " }");
			open = open->parent;
		}
		if (b->s[b->n - 1] != ' ')
			buf_str(b, ", ");
		buf_str(b, step);
		if (leaf) {
			repeat = 1;
			memcpy(prev, step, strlen(step) + 1); /* of the same size */
		} else {
			buf_str(b, " { ");
			open = c;
		}
	}
	if (repeat > 1) {
		snprintf(prev, sizeof(prev), " ×%zu", repeat);
		buf_str(b, prev);
	}
	while (open != root->parent) {
		buf_str(b, " }");
		open = open->parent;
	}
}

struct shape {
	char *text;
	size_t count;
	size_t first;		    /* entry order of its first operation */
	unsigned first_line;	    /* and that operation's first line */
	size_t first_size;	    /* and its number of calls */
	const struct ot_call *root; /* that operation, when the trace keeps it */
	char *drawn;		    /* or its tree, drawn when seen (while it may be odd) */
};

struct durations {
	const char *func;
	size_t first; /* entry order of its first timed call */
	double *v;
	size_t n, cap;
};

struct err_count {
	const char *func;
	int err;
	size_t n;
	size_t first; /* entry order of the first such call */
	unsigned first_line;
};

struct ot_scale {
	bool draw_now;
	struct ot_map shape_index, dur_index, err_index;
	struct shape *shapes;
	size_t nshapes, nops;
	struct durations *d;
	size_t nd, timed;
	struct err_count *e;
	size_t ne;
	struct buf b;
};

struct ot_scale *ot_scale_new(bool draw_now)
{
	struct ot_scale *sc = calloc(1, sizeof(*sc));

	if (!sc)
		abort();
	sc->draw_now = draw_now;
	return sc;
}

static size_t subtree_size(const struct ot_call *c)
{
	return c->last - c->pre + 1;
}

/* An operation drawn as the odd ones are, into a string (line references plain: a
 * report that summarises does not embed its log). */
static char *draw_op(const struct ot_trace *t, const struct ot_call *root)
{
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);

	if (!m)
		abort();
	ot_md_set_line_links(false);
	ot_tree_markdown_one(m, t, root, NULL);
	ot_md_set_line_links(true);
	if (fclose(m))
		abort();
	return text;
}

static void add_shape(struct ot_scale *sc, const struct ot_trace *t, const struct ot_call *root)
{
	bool added;
	size_t *at;
	struct shape *sh;

	op_shape(t, root, &sc->b);
	at = ot_map_get(&sc->shape_index, sc->b.s, sc->b.n, &added);
	if (added) {
		sc->shapes = xrealloc(sc->shapes, (sc->nshapes + 1) * sizeof(*sc->shapes));
		sc->shapes[sc->nshapes] =
		    (struct shape){strdup(sc->b.s), 0, (size_t)-1, 0, 0, NULL, NULL};
		if (!sc->shapes[sc->nshapes].text)
			abort();
		*at = sc->nshapes++;
	}
	sh = &sc->shapes[*at];
	if (root->index < sh->first) {
		sh->first = root->index;
		sh->first_line = ot_call_line(root);
		sh->first_size = subtree_size(root);
		if (sc->draw_now) {
			free(sh->drawn);
			sh->drawn = sh->first_size <= ODD_TREE_MAX_CALLS ? draw_op(t, root) : NULL;
		} else {
			sh->root = root;
		}
	}
	sh->count++;
	if (sh->count > ODD_MAX_COUNT && sh->drawn) { /* never drawn: not odd */
		free(sh->drawn);
		sh->drawn = NULL;
	}
	sc->nops++;
}

static void add_duration(struct ot_scale *sc, const struct ot_call *c)
{
	bool added;
	size_t *at;

	if (!c->entry || !c->ret || !c->entry->has_ts || !c->ret->has_ts)
		return;
	at = ot_map_get(&sc->dur_index, c->func, strlen(c->func), &added);
	if (added) {
		sc->d = xrealloc(sc->d, (sc->nd + 1) * sizeof(*sc->d));
		sc->d[sc->nd] = (struct durations){c->func, c->index, NULL, 0, 0};
		*at = sc->nd++;
	}
	struct durations *x = &sc->d[*at];
	if (c->index < x->first)
		x->first = c->index;
	if (x->n == x->cap) {
		x->cap = x->cap ? 2 * x->cap : 16;
		x->v = xrealloc(x->v, x->cap * sizeof(*x->v));
	}
	x->v[x->n++] = (c->ret->ts - c->entry->ts) * 1e6;
	sc->timed++;
}

static void add_error(struct ot_scale *sc, const struct ot_call *c)
{
	char key[160];
	bool added;
	size_t *at;
	int kl;

	if (!c->ret || c->dec.cls != OT_RC_ERR)
		return;
	kl = snprintf(key, sizeof(key), "%d:%s", c->dec.err, c->func);
	at = ot_map_get(&sc->err_index, key, kl < (int)sizeof(key) ? (size_t)kl : sizeof(key) - 1,
			&added);
	if (added) {
		sc->e = xrealloc(sc->e, (sc->ne + 1) * sizeof(*sc->e));
		sc->e[sc->ne] =
		    (struct err_count){c->func, c->dec.err, 0, c->index, ot_call_line(c)};
		*at = sc->ne++;
	}
	if (c->index < sc->e[*at].first) {
		sc->e[*at].first = c->index;
		sc->e[*at].first_line = ot_call_line(c);
	}
	sc->e[*at].n++;
}

void ot_scale_add_op(struct ot_scale *sc, const struct ot_trace *t, const struct ot_call *root)
{
	add_shape(sc, t, root);
	for (size_t i = root->pre; i <= root->last; i++) {
		add_duration(sc, t->preorder[i]);
		add_error(sc, t->preorder[i]);
	}
}

static int cmp_shape(const void *a, const void *b)
{
	const struct shape *x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return x->first < y->first ? -1 : x->first > y->first;
}

static void write_count(FILE *f, size_t n)
{
	char d[32];
	int len = snprintf(d, sizeof(d), "%zu", n);

	for (int i = 0; i < len; i++) {
		if (i && (len - i) % 3 == 0)
			fputc(',', f);
		fputc(d[i], f);
	}
}

static void write_shape_cell(FILE *f, const char *text)
{
	char cut[MAX_SHAPE_TEXT + 8];
	size_t n = strlen(text);

	if (n <= MAX_SHAPE_TEXT) {
		ot_md_code_cell(f, text);
		return;
	}
	n = MAX_SHAPE_TEXT;
	while (n && ((unsigned char)text[n] & 0xc0) == 0x80) /* not inside a character */
		n--;
	memcpy(cut, text, n);
	strcpy(cut + n, " …");
	ot_md_code_cell(f, cut);
}

static void write_shapes(FILE *f, struct ot_scale *sc, const struct ot_trace *t, const char *anchor)
{
	struct shape *shapes = sc->shapes;
	size_t nshapes = sc->nshapes;

	qsort(shapes, nshapes, sizeof(*shapes), cmp_shape);
	fputs("## Call shapes\n\n", f);
	write_count(f, t->ncalls);
	fputs(" calls in ", f);
	write_count(f, sc->nops);
	fprintf(f,
		" top-level calls (operations), too many to draw one by one: each distinct shape "
		"(the functions called, nested as `{ }`, with their decoded returns) is counted "
		"once. %zu distinct %s. The JSON report and the raw log keep every call.\n\n",
		nshapes, nshapes == 1 ? "shape" : "shapes");
	fputs("| count | shape | first |\n| ---: | --- | --- |\n", f);
	for (size_t i = 0; i < nshapes && i < MAX_SHAPES; i++) {
		fputs("| ", f);
		write_count(f, shapes[i].count);
		fputs(" × | ", f);
		write_shape_cell(f, shapes[i].text);
		fputs(" | ", f);
		ot_md_line_link(f, shapes[i].first_line);
		fputs(" |\n", f);
	}
	if (nshapes > MAX_SHAPES) {
		size_t rest = 0;

		for (size_t i = MAX_SHAPES; i < nshapes; i++)
			rest += shapes[i].count;
		fprintf(f, "| ");
		write_count(f, rest);
		fprintf(f, " × | %zu more shapes (in the JSON report) | |\n", nshapes - MAX_SHAPES);
	}
	fputc('\n', f);

	/* The odd ones in full: what happened only once or twice is what one looks for. */
	size_t shown = 0;
	size_t *ops = sc->draw_now ? NULL : ot_op_numbers(t, anchor);

	for (size_t i = nshapes; i-- > 0 && shown < MAX_ODD_TREES;) {
		if (shapes[i].count > ODD_MAX_COUNT || nshapes == 1)
			break;
		if (shapes[i].first_size > ODD_TREE_MAX_CALLS)
			continue;
		if (!shown)
			fputs("### The odd ones, in full\n\nThe first operation of each shape seen "
			      "at "
			      "most "
			      "3 times, drawn as in a small report.\n\n",
			      f);
		shown++;
		if (sc->draw_now)
			fputs(shapes[i].drawn ? shapes[i].drawn : "", f);
		else
			ot_tree_markdown_one(f, t, shapes[i].root, ops);
		fputc('\n', f);
	}
	free(ops);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int cmp_durations(const void *a, const void *b)
{
	const struct durations *x = a, *y = b;

	return x->first < y->first ? -1 : x->first > y->first;
}

/* Nearest-rank percentile of sorted V. */
static double percentile(const double *v, size_t n, double p)
{
	size_t rank = (size_t)(p * (double)n + 0.999999);

	if (rank < 1)
		rank = 1;
	return v[(rank > n ? n : rank) - 1];
}

size_t ot_scale_latency_sort(struct ot_scale *sc)
{
	if (!sc->timed)
		return 0;
	/* functions in order of their first timed call */
	qsort(sc->d, sc->nd, sizeof(*sc->d), cmp_durations);
	for (size_t i = 0; i < sc->nd; i++)
		qsort(sc->d[i].v, sc->d[i].n, sizeof(*sc->d[i].v), cmp_double);
	return sc->nd;
}

void ot_scale_latency_at(const struct ot_scale *sc, size_t i, struct ot_scale_latency *out)
{
	const struct durations *x = &sc->d[i];

	*out = (struct ot_scale_latency){x->func,
					 x->n,
					 x->v[0],
					 percentile(x->v, x->n, 0.5),
					 percentile(x->v, x->n, 0.99),
					 x->v[x->n - 1]};
}

static void write_latency(FILE *f, struct ot_scale *sc)
{
	size_t n = ot_scale_latency_sort(sc);

	fputs("## Latency\n\n", f);
	if (!n) {
		fputs("The log has no timestamps on both entry and return of a call.\n\n", f);
		return;
	}
	fputs("Time from entry to return of each paired call with both timestamps, in µs "
	      "(nearest-rank percentiles; a call's time includes the calls it made and the "
	      "tracing's own cost).\n\n"
	      "| function | calls | min | median | p99 | max |\n"
	      "| --- | ---: | ---: | ---: | ---: | ---: |\n",
	      f);
	for (size_t i = 0; i < n; i++) {
		struct ot_scale_latency l;

		ot_scale_latency_at(sc, i, &l);
		fprintf(f, "| `%s` | ", l.func);
		write_count(f, l.calls);
		fprintf(f, " | %.3f | %.3f | %.3f | %.3f |\n", l.min, l.median, l.p99, l.max);
	}
	fputc('\n', f);
}

static int cmp_err(const void *a, const void *b)
{
	const struct err_count *x = a, *y = b;

	return x->first < y->first ? -1 : x->first > y->first;
}

static void write_errors(FILE *f, struct ot_scale *sc)
{
	struct err_count *e = sc->e;

	fputs("## Errors\n\n", f);
	if (!sc->ne) {
		fputs("No call returned an error.\n\n", f);
		return;
	}
	fputs("Calls that returned an error, by function and errno (in order of first "
	      "appearance).\n\n| function | errno | calls | first |\n| --- | --- | ---: | --- |\n",
	      f);
	qsort(e, sc->ne, sizeof(*e), cmp_err);
	for (size_t i = 0; i < sc->ne; i++) {
		const char *name = ot_errno_name(e[i].err);

		fprintf(f, "| `%s` | ", e[i].func);
		if (name)
			fprintf(f, "%s (%d)", name, e[i].err);
		else
			fprintf(f, "%d", e[i].err);
		fputs(" | ", f);
		write_count(f, e[i].n);
		fputs(" | ", f);
		ot_md_line_link(f, e[i].first_line);
		fputs(" |\n", f);
	}
	fputc('\n', f);
}

void ot_scale_write(FILE *f, struct ot_scale *sc, const struct ot_trace *t, const char *anchor)
{
	write_shapes(f, sc, t, anchor);
	write_latency(f, sc);
	write_errors(f, sc);
}

size_t ot_scale_sort(struct ot_scale *sc, size_t *nshapes, size_t *nerrors)
{
	if (sc->nshapes)
		qsort(sc->shapes, sc->nshapes, sizeof(*sc->shapes), cmp_shape);
	if (sc->ne)
		qsort(sc->e, sc->ne, sizeof(*sc->e), cmp_err);
	*nshapes = sc->nshapes;
	*nerrors = sc->ne;
	return sc->nops;
}

void ot_scale_shape_at(const struct ot_scale *sc, size_t i, struct ot_scale_shape *out)
{
	const struct shape *sh = &sc->shapes[i];

	*out =
	    (struct ot_scale_shape){sh->text, sh->count, sh->first_line, sh->root, sh->first_size};
}

void ot_scale_error_at(const struct ot_scale *sc, size_t i, struct ot_scale_error *out)
{
	const struct err_count *e = &sc->e[i];

	*out = (struct ot_scale_error){e->func, e->err, e->n, e->first_line};
}

void ot_scale_free(struct ot_scale *sc)
{
	if (!sc)
		return;
	for (size_t i = 0; i < sc->nshapes; i++) {
		free(sc->shapes[i].text);
		free(sc->shapes[i].drawn);
	}
	free(sc->shapes);
	for (size_t i = 0; i < sc->nd; i++)
		free(sc->d[i].v);
	free(sc->d);
	free(sc->e);
	free(sc->b.s);
	ot_map_free(&sc->shape_index);
	ot_map_free(&sc->dur_index);
	ot_map_free(&sc->err_index);
	free(sc);
}

void ot_md_call_summary(FILE *f, const struct ot_trace *t, const char *anchor)
{
	struct ot_scale *sc = ot_scale_new(false);

	for (size_t i = 0; i < t->nthreads; i++)
		for (size_t j = 0; j < t->threads[i].nroots; j++)
			ot_scale_add_op(sc, t, t->threads[i].roots[j]);
	ot_scale_write(f, sc, t, anchor);
	ot_scale_free(sc);
}

struct chain_shape {
	char *steps;
	size_t count, uses;
	const struct ot_ptr_chain *first;
};

static int cmp_chain_shape(const void *a, const void *b)
{
	const struct chain_shape *x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return x->first < y->first ? -1 : x->first > y->first;
}

/* Steps a chain's path compares a new one with one by one; past them, by hash. */
#define FEW_STEPS 16

/* The path of a chain: its distinct event:field steps in order of first use (an
 * address reused by every operation repeats the same steps; they count once). */
static void chain_steps(const struct ot_ptr_chain *c, struct buf *b, struct ot_map *seen)
{
	char ev[128], cur[192];
	size_t at[FEW_STEPS], len[FEW_STEPS], nsteps = 0;

	b->n = 0;
	buf_str(b, "");
	for (size_t i = 0; i < c->nlinks; i++) {
		size_t n, flen = strlen(c->links[i].field), k = 0;
		bool added = true;

		ot_ptr_event_name(&c->links[i].ev, ev, sizeof(ev));
		/* "EVENT:FIELD" (as snprintf would cut it; without its cost, once per link) */
		n = strlen(ev);
		memcpy(cur, ev, n);
		cur[n++] = ':';
		if (flen > sizeof(cur) - 1 - n)
			flen = sizeof(cur) - 1 - n;
		memcpy(cur + n, c->links[i].field, flen);
		cur[n + flen] = '\0';
		n += flen;
		if (nsteps <= FEW_STEPS) { /* the path so far holds every step seen */
			while (k < nsteps && (len[k] != n || memcmp(b->s + at[k], cur, n)))
				k++;
			added = k == nsteps;
		}
		if (nsteps == FEW_STEPS && added) /* from here on, by hash */
			for (k = 0; k < nsteps; k++)
				ot_map_get(seen, b->s + at[k], len[k], NULL);
		if (nsteps >= FEW_STEPS && added)
			ot_map_get(seen, cur, n, &added);
		if (!added)
			continue;
		if (b->n)
			buf_str(b, " → ");
		if (nsteps < FEW_STEPS) {
			at[nsteps] = b->n;
			len[nsteps] = n;
		}
		nsteps++;
		buf_add(b, cur, n);
	}
	ot_map_free(seen);
}

void ot_md_chain_shapes(FILE *f, const struct ot_pointers *p)
{
	struct ot_map index = {0};
	struct chain_shape *cs = NULL;
	size_t ncs = 0;
	struct buf b = {0};

	fputs("## Pointer chains\n\n", f);
	if (!p->nchains) {
		fputs("No address appears in more than one event.\n\n", f);
		return;
	}
	for (size_t i = 0; i < p->nchains; i++) {
		bool added;
		size_t *at;

		struct ot_map seen = {0};

		chain_steps(&p->chains[i], &b, &seen);
		at = ot_map_get(&index, b.s, b.n, &added);
		if (added) {
			cs = xrealloc(cs, (ncs + 1) * sizeof(*cs));
			cs[ncs] = (struct chain_shape){strdup(b.s), 0, 0, &p->chains[i]};
			if (!cs[ncs].steps)
				abort();
			*at = ncs++;
		}
		cs[*at].count++;
		cs[*at].uses += p->chains[i].nlinks;
	}
	free(b.s);
	ot_map_free(&index);
	qsort(cs, ncs, sizeof(*cs), cmp_chain_shape);
	write_count(f, p->nchains);
	fprintf(f,
		" addresses are seen in more than one event (NULL and ERR_PTR values left out), "
		"taking %zu distinct paths from function to function (each event field once, in "
		"order of first use); each path once, with how many addresses took it, their uses "
		"and the first of them (the JSON report lists every chain).\n\n"
		"| addresses | path | uses | first |\n| ---: | --- | ---: | --- |\n",
		ncs);
	for (size_t i = 0; i < ncs; i++) {
		if (i < MAX_CHAIN_SHAPES) {
			fputs("| ", f);
			write_count(f, cs[i].count);
			fputs(" | ", f);
			write_shape_cell(f, cs[i].steps);
			fputs(" | ", f);
			write_count(f, cs[i].uses);
			fprintf(f, " | `0x%" PRIx64 "` ", cs[i].first->value);
			ot_md_line_link(f, cs[i].first->links[0].ev.line);
			fputs(" |\n", f);
		}
		free(cs[i].steps);
	}
	if (ncs > MAX_CHAIN_SHAPES)
		fprintf(f, "| | %zu more paths (in the JSON report) | | |\n",
			ncs - MAX_CHAIN_SHAPES);
	fputc('\n', f);
	free(cs);
}
