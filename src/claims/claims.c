// SPDX-License-Identifier: MIT
/* The claim checks (language in claims.h). Each check fills one result: a verdict,
 * the log lines it rests on, and one sentence saying what was seen. */
#include "claims/claims.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "claims/caller.h"
#include "claims/lineclaims.h"
#include "probe/spec.h"
#include "claims/select.h"
#include "claims/sentence.h"

#define MAX_ARGS 8

struct ctx {
	const struct ot_trace *t;
	const char *anchor;
	struct ot_claim_result *res;
	struct ot_claim_seen seen;
};

struct ot_claim_kind {
	const char *name;
	int min_args, max_args; /* arity: words after the name */
	int (*parse)(struct ot_claim *cl, char **a, int n, char *err, size_t errsz);
	void (*eval)(struct ctx *c, const struct ot_claim *cl);
	ot_sentence_fn *sentence;
};

/* The N-th call of the anchor that OP is (1-based), 0 if none. */
static int op_ordinal(const struct ctx *c, const struct ot_call *op)
{
	int n = 0;

	if (!op)
		return 0;
	for (size_t i = 0; i < c->t->ncalls; i++)
		if (!strcmp(c->t->calls[i]->func, c->anchor)) {
			n++;
			if (c->t->calls[i] == op)
				return n;
		}
	return 0;
}

static void see_value(struct ctx *c, int i, const char *v, unsigned line, const struct ot_call *op)
{
	snprintf(c->seen.val[i], sizeof(c->seen.val[i]), "%s", v ? v : "");
	c->seen.line[i] = line;
	c->seen.opn[i] = op_ordinal(c, op);
}

static void add_events(struct ot_claim_result *r, const struct ot_events *e)
{
	for (size_t i = 0; i < e->n; i++)
		ot_claim_add_evidence(r, e->ev[i].line);
}

/* Evidence of absence: the operation that was searched (its entry and return lines). */
static void add_scope(struct ot_claim_result *r, const struct ot_events *e)
{
	if (!e->op)
		return;
	ot_claim_add_evidence(r, ot_call_line(e->op));
	if (e->op->ret)
		ot_claim_add_evidence(r, e->op->ret->line);
}

/* --- the trace claim block --------------------------------------------------------- */

static void add_lines(struct ot_claim_result *r, const unsigned *lines, size_t n)
{
	for (size_t i = 0; i < n; i++)
		ot_claim_add_evidence(r, lines[i]);
}

/* Did the kernel skip probe runs (run.fact missed=N, N > 0)? */
static bool missed_runs(const struct ctx *c)
{
	const char *missed = ot_trace_run_fact(c->t, "missed");

	return missed && strtoull(missed, NULL, 0) != 0;
}

static void check_pairs(struct ctx *c, const struct ot_claim *cl)
{
	const char *func = cl->func[0] ? cl->func : NULL;
	const struct ot_trace_stats *st = &c->t->stats;
	size_t calls = 0, bad = 0, in_flight = 0;
	const char *first_bad = NULL;

	if (!func) { /* every call: counted per operation as the trace was built */
		calls = st->calls;
		in_flight = st->in_flight;
		bad = st->unpaired;
		first_bad = st->first_unpaired_func;
		add_lines(c->res, bad ? st->unpaired_lines : st->call_lines,
			  bad ? st->nunpaired_lines : st->ncall_lines);
	}
	for (size_t i = 0; func && i < c->t->ncalls; i++) {
		const struct ot_call *k = c->t->calls[i];
		if (strcmp(k->func, func))
			continue;
		if (k->in_flight) { /* cut by the attach or the detach of trace -p */
			in_flight++;
			continue;
		}
		calls++;
		if (!ot_call_paired(k)) {
			bad++;
			if (!first_bad)
				first_bad = k->func;
			ot_claim_add_evidence(c->res, ot_call_line(k));
		}
	}
	if (!calls)
		ot_claim_set_verdict(
		    c->res, OT_NOT_EVIDENCED, "no %s calls in the log%s", func ? func : "traced",
		    in_flight ? " that began after the probes attached and returned before they "
				"detached"
			      : "");
	else if (bad && missed_runs(c))
		ot_claim_set_verdict(c->res, OT_FAIL,
				     "%zu of %zu calls unpaired (first: %s); the kernel skipped %s "
				     "probe runs, which leave calls unpaired (see no_loss)",
				     bad, calls, first_bad, ot_trace_run_fact(c->t, "missed"));
	else if (bad)
		ot_claim_set_verdict(c->res, OT_FAIL, "%zu of %zu calls unpaired (first: %s)", bad,
				     calls, first_bad);
	else {
		for (size_t i = 0; func && i < c->t->ncalls; i++)
			if (!strcmp(c->t->calls[i]->func, func)) {
				ot_claim_add_evidence(c->res, ot_call_line(c->t->calls[i]));
				if (c->t->calls[i]->ret)
					ot_claim_add_evidence(c->res, c->t->calls[i]->ret->line);
			}
		char more[160] = "";

		c->seen.n = calls;
		if (in_flight)
			snprintf(
			    more, sizeof(more),
			    "; %zu more in flight when the probes attached or detached (seen by "
			    "their return or their entry alone)",
			    in_flight);
		ot_claim_set_verdict(c->res, OT_PASS,
				     "%zu calls, each entry paired with its return on its thread%s",
				     calls, more);
	}
}

static void check_decoded(struct ctx *c, const struct ot_claim *cl)
{
	const struct ot_trace_stats *st = &c->t->stats;
	size_t rets = st->rets, bad = st->undecoded;
	const char *first_bad = st->first_undecoded_func;

	(void)cl;
	if (bad)
		add_lines(c->res, st->undecoded_lines, st->nundecoded_lines);
	if (!rets)
		ot_claim_set_verdict(c->res, OT_NOT_EVIDENCED, "no return records in the log");
	else if (bad)
		ot_claim_set_verdict(
		    c->res, OT_FAIL,
		    "%zu of %zu returns cannot be decoded (first: %s: not in the probe "
		    "dictionary or no ret=)",
		    bad, rets, first_bad);
	else {
		add_lines(c->res, st->ret_lines, st->nret_lines);
		c->seen.n = rets;
		ot_claim_set_verdict(c->res, OT_PASS,
				     "all %zu returns decoded per the probe dictionary", rets);
	}
}

static bool in_list(const char *list, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = list; p && *p;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len == n && !strncmp(p, word, n))
			return true;
		p = end ? end + 1 : NULL;
	}
	return false;
}

/* The function whose return is what the user sees for CALL ("open" -> do_sys_openat2):
 * the first syscall-level probe serving CALL that has calls in the log (openat2 is
 * served by __x64_sys_openat2 when an error is decided before do_sys_openat2 runs),
 * else the first one serving CALL at all. */
static const struct ot_probe *syscall_probe(const struct ot_trace *t, const char *call)
{
	const struct ot_probe *first = NULL;

	for (size_t i = 0; i < ot_probe_count(); i++) {
		const struct ot_probe *p = ot_probe_at(i);

		if (!p->user_call || !in_list(p->user_call, call))
			continue;
		if (!first)
			first = p;
		for (size_t j = 0; j < t->stats.ncalled; j++)
			if (!strcmp(t->stats.called[j], p->func))
				return p;
	}
	return first;
}

static bool user_fact_num(const struct ot_record *f, const char *key, int64_t *v)
{
	uint64_t u;

	if (!ot_rec_u64(f, key, &u))
		return false;
	*v = (int64_t)u;
	return true;
}

/* Compare one user.fact with the kernel call that served it. */
static bool user_matches(const struct ot_record *f, const struct ot_user_ret *k, bool fd_only,
			 char *why, size_t whysz)
{
	int64_t ret = 0, err = 0;
	char kt[48];
	const struct ot_probe *p = ot_probe_find(k->func);

	user_fact_num(f, "ret", &ret);
	user_fact_num(f, "errno", &err);
	ot_ret_text(&k->dec, p ? k->kind : OT_RET_LONG, kt, sizeof(kt));
	bool ok;
	if (k->dec.cls == OT_RC_ERR)
		ok = ret == -1 && (err == k->dec.err || err == ot_errno_after_signal(k->dec.err));
	else if (k->dec.cls == OT_RC_OK)
		ok = fd_only ? ret >= 0 : ret == k->dec.value;
	else
		ok = false;
	snprintf(why, whysz, "user ret=%" PRId64 " errno=%" PRId64 " vs %s %s (L%u)", ret, err,
		 k->func, kt, k->ret_line);
	return ok;
}

/* The returned calls of one function, in log order: built once per function that
 * user_agrees compares with, so that each user.fact costs O(1). */
struct returned_calls {
	const char *func;
	const struct ot_user_ret **v;
	size_t n;
	bool any_call; /* the function has calls at all (returned or not) */
};

static const struct returned_calls *returned_calls_of(const struct ot_trace *t,
						      struct returned_calls *cache, size_t *ncache,
						      size_t max, const char *fn)
{
	const struct ot_trace_stats *st = &t->stats;
	struct returned_calls *rc;

	for (size_t i = 0; i < *ncache; i++)
		if (!strcmp(cache[i].func, fn))
			return &cache[i];
	if (*ncache == max)
		abort(); /* one entry per probe of the spec is always enough */
	rc = &cache[(*ncache)++];
	memset(rc, 0, sizeof(*rc));
	rc->func = fn;
	rc->v = calloc(st->nuser_rets + 1, sizeof(*rc->v));
	if (!rc->v)
		abort();
	for (size_t j = 0; j < st->ncalled; j++)
		rc->any_call |= !strcmp(st->called[j], fn);
	for (size_t j = 0; j < st->nuser_rets; j++)
		if (!strcmp(st->user_rets[j].func, fn))
			rc->v[rc->n++] = &st->user_rets[j];
	return rc;
}

static void check_user_agrees(struct ctx *c, const struct ot_claim *cl)
{
	size_t compared = 0, bad = 0, unmatched = 0;
	char why[200] = "", first_bad[200] = "";
	size_t nprobes = ot_probe_count(), ncache = 0;
	/* per syscall-level probe: how many user calls of its family came before */
	size_t *family_seen = calloc(nprobes + 1, sizeof(*family_seen));
	struct returned_calls *cache = calloc(2 * nprobes + 1, sizeof(*cache));

	(void)cl;
	if (!family_seen || !cache)
		abort();
	for (size_t i = 0; i < c->t->nfacts; i++) {
		const struct ot_record *f = c->t->facts[i];
		const char *call = ot_rec_str(f, "call");
		if (strcmp(f->func, "user.fact") || !call)
			continue;
		const struct ot_probe *sp = syscall_probe(c->t, call);
		if (!sp)
			continue;
		/* The k-th user call of this family is the k-th top call of its function. */
		size_t k = family_seen[sp - ot_probe_at(0)]++;
		const char *fn = sp->func;
		bool fd_only = false;
		const struct ot_user_ret *match = NULL;
		const struct returned_calls *rc =
		    returned_calls_of(c->t, cache, &ncache, 2 * nprobes, fn);
		if (!rc->any_call) {
			/* Not probed: a stand-in one level down tells ok (fd >= 0) or the errno. */
			fn = ot_probe_user_stand_in(fn);
			if (!fn)
				continue; /* nothing to compare with */
			fd_only = true;
			rc = returned_calls_of(c->t, cache, &ncache, 2 * nprobes, fn);
		}
		if (k < rc->n)
			match = rc->v[k];
		ot_claim_add_evidence(c->res, f->line);
		if (!match) {
			unmatched++;
			continue;
		}
		compared++;
		ot_claim_add_evidence(c->res, match->ret_line);
		if (!user_matches(f, match, fd_only, why, sizeof(why))) {
			bad++;
			if (!first_bad[0])
				snprintf(first_bad, sizeof(first_bad), "%s", why);
		}
	}
	for (size_t i = 0; i < ncache; i++)
		free(cache[i].v);
	free(cache);
	free(family_seen);
	if (bad)
		ot_claim_set_verdict(c->res, OT_FAIL, "%zu of %zu user results disagree: %s", bad,
				     compared, first_bad);
	else if (unmatched && compared)
		ot_claim_set_verdict(c->res, OT_FAIL,
				     "%zu user calls have no kernel call to compare with",
				     unmatched);
	else if (!compared)
		ot_claim_set_verdict(
		    c->res, OT_NOT_EVIDENCED,
		    "the log has no user.fact lines paired with a probed syscall-level call");
	else {
		c->seen.n = compared;
		ot_claim_set_verdict(c->res, OT_PASS,
				     "%zu user results match the kernel's returns (last: %s)",
				     compared, why);
	}
}

static void check_no_loss(struct ctx *c, const struct ot_claim *cl)
{
	(void)cl;
	const char *lost = ot_trace_run_fact(c->t, "lost");

	for (size_t i = 0; i < c->t->nfacts; i++)
		if (!strcmp(c->t->facts[i]->func, "run.fact") &&
		    ot_rec_field(c->t->facts[i], "lost"))
			ot_claim_add_evidence(c->res, c->t->facts[i]->line);
	if (!lost)
		ot_claim_set_verdict(c->res, OT_NOT_EVIDENCED,
				     "the log does not say whether records were lost");
	else if (strtoull(lost, NULL, 0) != 0)
		ot_claim_set_verdict(c->res, OT_FAIL,
				     "%s records were lost: the trace is incomplete", lost);
	else if (missed_runs(c))
		ot_claim_set_verdict(
		    c->res, OT_NOT_EVIDENCED,
		    "the kernel skipped %s probe runs (calls made on a CPU where the "
		    "probe was busy, or returns with no kretprobe instance free, of any "
		    "process): calls of the traced program may be missing",
		    ot_trace_run_fact(c->t, "missed"));
	else
		ot_claim_set_verdict(c->res, OT_PASS, "no records lost");
}

/* --- the case's own claims ------------------------------------------------------- */

static void get_events(struct ctx *c, const struct ot_sel *sel, struct ot_events *ev)
{
	ot_sel_events(c->t, c->anchor, sel, ev);
}

/* No events: is that evidence of absence (the probe was attached) or no evidence? */
static bool probed(struct ctx *c, const struct ot_sel *sel)
{
	return ot_trace_probed(c->t, sel->func);
}

static const char *value_field(const struct ot_sel *s)
{
	return s->field[0] ? s->field : "ret";
}

static void check_hit(struct ctx *c, const struct ot_claim *cl)
{
	const struct ot_sel *s = &cl->sel[0];
	bool want_hit = !strcmp(cl->kind->name, "hit");
	struct ot_events e;

	get_events(c, s, &e);
	c->seen.opn[0] = op_ordinal(c, e.op);
	c->seen.n = e.n;
	if (e.scope_missing)
		ot_claim_set_verdict(c->res, OT_NOT_EVIDENCED, "%s", e.why);
	else if (e.n) {
		add_events(c->res, &e);
		c->seen.line[0] = e.ev[0].line;
		ot_claim_set_verdict(c->res, want_hit ? OT_PASS : OT_FAIL,
				     "%zu %s call(s), first at L%u", e.n, s->func, e.ev[0].line);
	} else if (probed(c, s)) {
		add_scope(c->res, &e);
		ot_claim_set_verdict(c->res, want_hit ? OT_FAIL : OT_PASS,
				     "%s was probed and never hit%s", s->func,
				     s->scope.op ? " in that operation" : "");
	} else
		ot_claim_set_verdict(c->res, OT_NOT_EVIDENCED,
				     "no %s events, and the log does not say %s was probed",
				     s->func, s->func);
	ot_events_free(&e);
}

static bool compare(int64_t a, const char *op, int64_t b)
{
	if (!strcmp(op, "=="))
		return a == b;
	if (!strcmp(op, "!="))
		return a != b;
	if (!strcmp(op, "<"))
		return a < b;
	if (!strcmp(op, "<="))
		return a <= b;
	if (!strcmp(op, ">"))
		return a > b;
	if (!strcmp(op, ">="))
		return a >= b;
	if (!strcmp(op, "&"))
		return (a & b) == b;
	return false;
}

static bool valid_op(const char *op)
{
	static const char *const ops[] = {"==", "!=", "<", "<=", ">", ">=", "&", NULL};
	for (int i = 0; ops[i]; i++)
		if (!strcmp(op, ops[i]))
			return true;
	return false;
}

/* A literal: 12, -100, 0x8000, NULL, AT_FDCWD, -ENOENT, ENOENT, len("text"). */
static int parse_number(const char *s, int64_t *out)
{
	char *end;

	if (!strcmp(s, "NULL")) {
		*out = 0;
		return 0;
	}
	if (!strcmp(s, "AT_FDCWD")) {
		*out = -100;
		return 0;
	}
	if (!strncmp(s, "len(\"", 5) && strlen(s) >= 7 && !strcmp(s + strlen(s) - 2, "\")")) {
		*out = (int64_t)strlen(s) - 7;
		return 0;
	}
	if ((s[0] == '-' && s[1] == 'E') || s[0] == 'E') {
		int e = ot_errno_from_name(s[0] == '-' ? s + 1 : s);
		if (e < 0)
			return -1;
		*out = -e;
		return 0;
	}
	long long v = strtoll(s, &end, 0);
	if (*end) {
		unsigned long long u = strtoull(s, &end, 0);
		if (*end)
			return -1;
		v = (long long)u;
	}
	*out = v;
	return 0;
}

static void check_count(struct ctx *c, const struct ot_claim *cl)
{
	const struct ot_sel *s = &cl->sel[0];
	struct ot_events e;

	get_events(c, s, &e);
	c->seen.opn[0] = op_ordinal(c, e.op);
	c->seen.n = e.n;
	if (e.scope_missing)
		ot_claim_set_verdict(c->res, OT_NOT_EVIDENCED, "%s", e.why);
	else if (!e.n && !probed(c, s))
		ot_claim_set_verdict(c->res, OT_NOT_EVIDENCED,
				     "no %s events, and the log does not say it was probed",
				     s->func);
	else {
		add_events(c->res, &e);
		if (!e.n)
			add_scope(c->res, &e);
		ot_claim_set_verdict(
		    c->res, compare((int64_t)e.n, cl->op, cl->num) ? OT_PASS : OT_FAIL,
		    "%zu %s call(s) (want %s %" PRId64 ")", e.n, s->func, cl->op, cl->num);
	}
	ot_events_free(&e);
}

static void check_ret(struct ctx *c, const struct ot_claim *cl)
{
	const struct ot_sel *s = &cl->sel[0];
	const char *k_name = cl->kind->name;
	struct ot_events e;

	get_events(c, s, &e);
	size_t bad = 0, seen = 0;
	char got[64] = "";
	for (size_t i = 0; i < e.n; i++) {
		const struct ot_call *k = e.ev[i].call;
		const struct ot_probe *p = ot_probe_find(k->func);
		if (!k->ret)
			continue;
		seen++;
		ot_claim_add_evidence(c->res, k->ret->line);
		bool ok = !strcmp(k_name, "ret_ok") ? k->dec.cls == OT_RC_OK
			  : !strcmp(k_name, "ret_null")
			      ? k->dec.cls == OT_RC_NULL
			      : k->dec.cls == OT_RC_ERR && k->dec.err == cl->err;
		ot_ret_text(&k->dec, p ? k->kind : OT_RET_PTR, got, sizeof(got));
		if (!ok)
			bad++;
		if (!ok && bad == 1)
			break;
	}
	c->seen.opn[0] = op_ordinal(c, e.op);
	c->seen.n = seen;
	snprintf(c->seen.got, sizeof(c->seen.got), "%s", got);
	if (e.scope_missing)
		ot_claim_set_verdict(c->res, OT_NOT_EVIDENCED, "%s", e.why);
	else if (!seen)
		ot_claim_set_verdict(c->res, probed(c, s) ? OT_FAIL : OT_NOT_EVIDENCED,
				     "no %s return in the log%s", s->func,
				     probed(c, s) ? " although it was probed" : "");
	else if (bad)
		ot_claim_set_verdict(c->res, OT_FAIL, "%s returned %s", s->func, got);
	else
		ot_claim_set_verdict(c->res, OT_PASS, "%zu %s return(s), each %s", seen, s->func,
				     got);
	ot_events_free(&e);
}

struct two {
	struct ot_events e[2];
};

static int get_two(struct ctx *c, const struct ot_claim *cl, struct two *w)
{
	memset(w, 0, sizeof(*w));
	get_events(c, &cl->sel[0], &w->e[0]);
	get_events(c, &cl->sel[1], &w->e[1]);
	for (int i = 0; i < 2; i++) {
		c->seen.opn[i] = op_ordinal(c, w->e[i].op);
		if (w->e[i].scope_missing)
			ot_claim_set_verdict(c->res, OT_NOT_EVIDENCED, "%s", w->e[i].why);
		else if (!w->e[i].n)
			ot_claim_set_verdict(c->res, OT_NOT_EVIDENCED, "no events for %s",
					     cl->seltext[i]);
		else
			continue;
		ot_events_free(&w->e[0]);
		ot_events_free(&w->e[1]);
		return -1;
	}
	return 0;
}

static void two_free(struct two *w)
{
	ot_events_free(&w->e[0]);
	ot_events_free(&w->e[1]);
}

/* "user#N:FIELD": a field of the N-th user.fact (e.g. the prefix length a trigger reports). */
static int resolve_user_ref(struct ctx *c, const struct ot_claim *cl, int64_t *out)
{
	uint64_t u;

	for (size_t i = 0, k = 0; i < c->t->nfacts; i++) {
		const struct ot_record *f = c->t->facts[i];
		if (strcmp(f->func, "user.fact") || (int)++k != cl->user_ref)
			continue;
		if (!ot_rec_u64(f, cl->ufield, &u))
			return -1;
		ot_claim_add_evidence(c->res, f->line);
		*out = (int64_t)u;
		return 0;
	}
	return -1;
}

/* same_ptr / new_ptr / ptr_diff: over every pair of values. */
static void check_pair_values(struct ctx *c, const struct ot_claim *cl)
{
	const char *what = cl->kind->name;
	struct two w;
	int64_t want = cl->num;
	bool diff = !strcmp(what, "ptr_diff");

	if (diff && cl->user_ref && resolve_user_ref(c, cl, &want))
		return ot_claim_set_verdict(c->res, OT_NOT_EVIDENCED, "no value for %s in the log",
					    cl->value);
	c->seen.num = want;
	if (get_two(c, cl, &w))
		return;
	const struct ot_sel *s = cl->sel;
	size_t values = 0;
	int64_t got = 0;
	const struct ot_event *hit[2] = {NULL, NULL};
	for (size_t i = 0; i < w.e[0].n && !hit[0]; i++) {
		int64_t x, y;
		if (!ot_event_num(&w.e[0].ev[i], value_field(&s[0]), &x))
			continue;
		for (size_t j = 0; j < w.e[1].n; j++) {
			if (!ot_event_num(&w.e[1].ev[j], value_field(&s[1]), &y))
				continue;
			values++;
			got = x - y;
			bool match = diff ? x - y == want : x == y;
			if (match) {
				hit[0] = &w.e[0].ev[i];
				hit[1] = &w.e[1].ev[j];
				break;
			}
		}
	}
	if (!values) {
		ot_claim_set_verdict(c->res, OT_NOT_EVIDENCED,
				     "the selected events lack the fields %s / %s",
				     value_field(&s[0]), value_field(&s[1]));
	} else if (hit[0]) {
		ot_claim_add_evidence(c->res, hit[0]->line);
		ot_claim_add_evidence(c->res, hit[1]->line);
		const char *v = ot_event_text(hit[0], value_field(&s[0]));
		see_value(c, 0, v, hit[0]->line, w.e[0].op);
		see_value(c, 1, ot_event_text(hit[1], value_field(&s[1])), hit[1]->line, w.e[1].op);
		if (!strcmp(what, "new_ptr"))
			ot_claim_set_verdict(c->res, OT_FAIL,
					     "both are %s (L%u, L%u): no new allocation", v,
					     hit[0]->line, hit[1]->line);
		else if (diff)
			ot_claim_set_verdict(c->res, OT_PASS, "%s - %s = %" PRId64 " (L%u, L%u)", v,
					     ot_event_text(hit[1], value_field(&s[1])), want,
					     hit[0]->line, hit[1]->line);
		else
			ot_claim_set_verdict(c->res, OT_PASS, "both are %s (L%u, L%u)", v,
					     hit[0]->line, hit[1]->line);
	} else {
		add_events(c->res, &w.e[0]);
		add_events(c->res, &w.e[1]);
		c->seen.num = got;
		see_value(c, 0, ot_event_text(&w.e[0].ev[0], value_field(&s[0])), w.e[0].ev[0].line,
			  w.e[0].op);
		see_value(c, 1, ot_event_text(&w.e[1].ev[0], value_field(&s[1])), w.e[1].ev[0].line,
			  w.e[1].op);
		if (!strcmp(what, "new_ptr"))
			ot_claim_set_verdict(c->res, OT_PASS, "%s differs from %s (L%u, L%u)",
					     ot_event_text(&w.e[0].ev[0], value_field(&s[0])),
					     ot_event_text(&w.e[1].ev[0], value_field(&s[1])),
					     w.e[0].ev[0].line, w.e[1].ev[0].line);
		else if (diff)
			ot_claim_set_verdict(c->res, OT_FAIL,
					     "difference is %" PRId64 ", not %" PRId64, got, want);
		else
			ot_claim_set_verdict(c->res, OT_FAIL, "no value of %s equals one of %s",
					     cl->seltext[0], cl->seltext[1]);
	}
	two_free(&w);
}

static void check_order(struct ctx *c, const struct ot_claim *cl)
{
	struct two w;

	if (get_two(c, cl, &w))
		return;
	unsigned x = w.e[0].ev[0].line, y = w.e[1].ev[0].line;
	ot_claim_add_evidence(c->res, x);
	ot_claim_add_evidence(c->res, y);
	see_value(c, 0, "", x, w.e[0].op);
	see_value(c, 1, "", y, w.e[1].op);
	ot_claim_set_verdict(c->res, x < y ? OT_PASS : OT_FAIL, "%s at L%u, %s at L%u",
			     cl->sel[0].func, x, cl->sel[1].func, y);
	two_free(&w);
}

static void check_field(struct ctx *c, const struct ot_claim *cl)
{
	const struct ot_sel *s = &cl->sel[0];
	struct ot_events e;

	get_events(c, s, &e);
	const char *key = value_field(s);
	size_t seen = 0, bad = 0;
	char got[160] = "";
	for (size_t i = 0; i < e.n; i++) {
		int64_t v;
		const char *txt = ot_event_text(&e.ev[i], key);
		bool ok;
		if (!txt)
			continue;
		seen++;
		ot_claim_add_evidence(c->res, e.ev[i].line);
		if (cl->is_str) {
			size_t wl = strlen(cl->value) - 2;
			bool eq = strlen(txt) == wl && !strncmp(txt, cl->value + 1, wl);
			ok = !strcmp(cl->op, "==") ? eq : !strcmp(cl->op, "!=") ? !eq : false;
		} else {
			ok = ot_event_num(&e.ev[i], key, &v) && compare(v, cl->op, cl->num);
		}
		if ((!ok && !bad++) || (ok && !got[0])) {
			snprintf(got, sizeof(got), "%s=%s at L%u", key, txt, e.ev[i].line);
			see_value(c, 0, txt, e.ev[i].line, e.op);
		}
	}
	c->seen.opn[0] = op_ordinal(c, e.op);
	c->seen.n = seen;
	if (e.scope_missing)
		ot_claim_set_verdict(c->res, OT_NOT_EVIDENCED, "%s", e.why);
	else if (!seen)
		ot_claim_set_verdict(c->res, OT_NOT_EVIDENCED, "no %s event with a %s field",
				     s->func, key);
	else if (bad)
		ot_claim_set_verdict(c->res, OT_FAIL, "%s (want %s %s)", got, cl->op, cl->value);
	else
		ot_claim_set_verdict(c->res, OT_PASS, "%zu event(s); %s", seen, got);
	ot_events_free(&e);
}

static void check_user(struct ctx *c, const struct ot_claim *cl)
{
	int64_t ret = 0, err = 0;
	const struct ot_record *f = NULL;

	for (size_t i = 0, k = 0; i < c->t->nfacts; i++)
		if (!strcmp(c->t->facts[i]->func, "user.fact") && (int)++k == cl->seq)
			f = c->t->facts[i];
	if (!f)
		return ot_claim_set_verdict(c->res, OT_NOT_EVIDENCED,
					    "the log has no user.fact #%d", cl->seq);
	ot_claim_add_evidence(c->res, f->line);
	c->seen.line[0] = f->line;
	snprintf(c->seen.call, sizeof(c->seen.call), "%s",
		 ot_rec_str(f, "call") ? ot_rec_str(f, "call") : "");
	user_fact_num(f, "ret", &ret);
	user_fact_num(f, "errno", &err);
	c->seen.num = ret;
	if (cl->user_form == 3) { /* a field the trigger reported, e.g. "user 2:nlink == 0" */
		int64_t v;
		if (!user_fact_num(f, cl->ufield, &v))
			return ot_claim_set_verdict(c->res, OT_NOT_EVIDENCED,
						    "user.fact #%d has no %s", cl->seq, cl->ufield);
		c->seen.num = v;
		return ot_claim_set_verdict(c->res, compare(v, cl->op, cl->num) ? OT_PASS : OT_FAIL,
					    "user call %d: %s=%" PRId64, cl->seq, cl->ufield, v);
	}
	if (cl->user_form == 1) {
		ot_claim_set_verdict(c->res, ret >= 0 ? OT_PASS : OT_FAIL,
				     "user call %d returned %" PRId64, cl->seq, ret);
	} else {
		const char *en = ot_errno_name((int)err);
		snprintf(c->seen.got, sizeof(c->seen.got), "%s", en ? en : "0");
		ot_claim_set_verdict(c->res, ret == -1 && err == cl->err ? OT_PASS : OT_FAIL,
				     "user call %d returned %" PRId64 " errno %s", cl->seq, ret,
				     en ? en : "0");
	}
}

/* --- parsing --------------------------------------------------------------------- */

static int parse_sel(struct ot_claim *cl, const char *text, char *err, size_t errsz)
{
	if (ot_sel_parse(text, &cl->sel[cl->nsel], err, errsz))
		return -1;
	snprintf(cl->seltext[cl->nsel], sizeof(cl->seltext[0]), "%s", text);
	cl->nsel++;
	return 0;
}

static int claim_error(char *err, size_t errsz, const char *want)
{
	snprintf(err, errsz, "want %s", want);
	return -1;
}

static int parse_pairs(struct ot_claim *cl, char **a, int n, char *err, size_t errsz)
{
	(void)err;
	(void)errsz;
	if (n)
		snprintf(cl->func, sizeof(cl->func), "%s", a[0]);
	return 0;
}

static int parse_none(struct ot_claim *cl, char **a, int n, char *err, size_t errsz)
{
	(void)cl;
	(void)a;
	(void)n;
	(void)err;
	(void)errsz;
	return 0;
}

static int parse_one_sel(struct ot_claim *cl, char **a, int n, char *err, size_t errsz)
{
	(void)n;
	return parse_sel(cl, a[0], err, errsz);
}

static int parse_count(struct ot_claim *cl, char **a, int n, char *err, size_t errsz)
{
	(void)n;
	if (!valid_op(a[1]) || parse_number(a[2], &cl->num))
		return claim_error(err, errsz, "count SEL OP N");
	snprintf(cl->op, sizeof(cl->op), "%s", a[1]);
	return parse_sel(cl, a[0], err, errsz);
}

static int parse_ret(struct ot_claim *cl, char **a, int n, char *err, size_t errsz)
{
	bool want_err = !strcmp(cl->kind->name, "ret_err");

	if (n != (want_err ? 2 : 1))
		return claim_error(err, errsz, "ret_ok SEL / ret_null SEL / ret_err SEL ENAME");
	if (want_err) {
		if ((cl->err = ot_errno_from_name(a[1])) < 0) {
			snprintf(err, errsz, "unknown errno name %s", a[1]);
			return -1;
		}
		snprintf(cl->value, sizeof(cl->value), "%s", a[1]);
	}
	return parse_sel(cl, a[0], err, errsz);
}

static int parse_two_sels(struct ot_claim *cl, char **a, int n, char *err, size_t errsz)
{
	bool diff = !strcmp(cl->kind->name, "ptr_diff");

	if (n != (diff ? 4 : 2) || (diff && strcmp(a[2], "==")))
		return claim_error(err, errsz, diff ? "ptr_diff SEL SEL == N" : "SEL SEL");
	if (diff) {
		snprintf(cl->value, sizeof(cl->value), "%s", a[3]);
		if (sscanf(a[3], "user#%d:%31s", &cl->user_ref, cl->ufield) == 2) {
			if (cl->user_ref <= 0)
				return claim_error(err, errsz, "user#N:FIELD with N >= 1");
		} else if (parse_number(a[3], &cl->num)) {
			cl->user_ref = 0;
			snprintf(err, errsz, "bad number %s", a[3]);
			return -1;
		}
	}
	return parse_sel(cl, a[0], err, errsz) || parse_sel(cl, a[1], err, errsz) ? -1 : 0;
}

static int parse_order(struct ot_claim *cl, char **a, int n, char *err, size_t errsz)
{
	(void)n;
	if (strcmp(a[1], "before"))
		return claim_error(err, errsz, "order SEL before SEL");
	return parse_sel(cl, a[0], err, errsz) || parse_sel(cl, a[2], err, errsz) ? -1 : 0;
}

static int parse_field(struct ot_claim *cl, char **a, int n, char *err, size_t errsz)
{
	(void)n;
	if (!valid_op(a[1]))
		return claim_error(err, errsz, "field SEL OP VALUE");
	snprintf(cl->op, sizeof(cl->op), "%s", a[1]);
	snprintf(cl->value, sizeof(cl->value), "%s", a[2]);
	cl->is_str = a[2][0] == '"';
	if (cl->is_str && (strlen(a[2]) < 2 || a[2][strlen(a[2]) - 1] != '"' ||
			   (strcmp(a[1], "==") && strcmp(a[1], "!="))))
		return claim_error(err, errsz, "field SEL ==|!= \"string\"");
	if (!cl->is_str && parse_number(a[2], &cl->num)) {
		snprintf(err, errsz, "bad value %s", a[2]);
		return -1;
	}
	return parse_sel(cl, a[0], err, errsz);
}

static int parse_user(struct ot_claim *cl, char **a, int n, char *err, size_t errsz)
{
	static const char want[] = "user N == fd | user N == -1 ENAME | user N:FIELD OP VALUE";
	char num[16];
	int used = 0;

	if (sscanf(a[0], "%15[0-9]%n", num, &used) != 1 || (cl->seq = atoi(num)) <= 0)
		return claim_error(err, errsz, want);
	if (a[0][used] == ':') {
		snprintf(cl->ufield, sizeof(cl->ufield), "%s", a[0] + used + 1);
		if (!cl->ufield[0] || n != 3 || !valid_op(a[1]) || parse_number(a[2], &cl->num))
			return claim_error(err, errsz, want);
		snprintf(cl->op, sizeof(cl->op), "%s", a[1]);
		snprintf(cl->value, sizeof(cl->value), "%s", a[2]);
		cl->user_form = 3;
		return 0;
	}
	if (a[0][used] || strcmp(a[1], "=="))
		return claim_error(err, errsz, want);
	if (n == 3 && !strcmp(a[2], "fd")) {
		cl->user_form = 1;
		return 0;
	}
	if (n == 4 && !strcmp(a[2], "-1") && (cl->err = ot_errno_from_name(a[3])) >= 0) {
		snprintf(cl->value, sizeof(cl->value), "%s", a[3]);
		cl->user_form = 2;
		return 0;
	}
	return claim_error(err, errsz, want);
}

static int parse_caller(struct ot_claim *cl, char **a, int n, char *err, size_t errsz)
{
	(void)n;
	snprintf(cl->value, sizeof(cl->value), "%s", a[1]);
	return parse_sel(cl, a[0], err, errsz);
}

/* caller SEL FUNC: src/claims/caller.c, which reads the call sites. */
static void check_caller(struct ctx *c, const struct ot_claim *cl)
{
	char sel[sizeof(cl->seltext[0])], func[sizeof(cl->value)];
	char *a[2] = {sel, func};

	snprintf(sel, sizeof(sel), "%s", cl->seltext[0]);
	snprintf(func, sizeof(func), "%s", cl->value);
	ot_claim_caller(c->t, c->anchor, a, 2, c->res);
}

/* A "quoted" source text into cl->value, without its quotes. */
static int parse_text(struct ot_claim *cl, const char *q, char *err, size_t errsz)
{
	size_t n = strlen(q);

	if (n < 3 || q[0] != '"' || q[n - 1] != '"' || n - 2 >= sizeof(cl->value))
		return claim_error(err, errsz, "a line's source text in quotes, e.g. \"return -EACCES\"");
	snprintf(cl->value, sizeof(cl->value), "%.*s", (int)(n - 2), q + 1);
	return 0;
}

/* ran SEL "TEXT" | not_ran SEL "TEXT" */
static int parse_ran(struct ot_claim *cl, char **a, int n, char *err, size_t errsz)
{
	(void)n;
	return parse_sel(cl, a[0], err, errsz) || parse_text(cl, a[1], err, errsz) ? -1 : 0;
}

/* origin SEL FUNC "TEXT" */
static int parse_origin(struct ot_claim *cl, char **a, int n, char *err, size_t errsz)
{
	(void)n;
	if (strlen(a[1]) >= sizeof(cl->func))
		return claim_error(err, errsz, "a function name");
	snprintf(cl->func, sizeof(cl->func), "%s", a[1]);
	return parse_sel(cl, a[0], err, errsz) || parse_text(cl, a[2], err, errsz) ? -1 : 0;
}

/* ran, not_ran, origin: src/claims/lineclaims.c, which reads the line probes. */
static void check_lines(struct ctx *c, const struct ot_claim *cl)
{
	ot_claim_lines(c->t, c->anchor, cl, c->res);
}

/* A line claim skipped because this kernel has no line probes (no debug info, as
 * 5.10): the case is judged on the rest, and its report says why these were not. */
static bool line_claim_without_lines(const struct ot_trace *t, const struct ot_claim_result *r)
{
	static const char *const kinds[] = {"ran ", "not_ran ", "origin "};

	if (r->verdict != OT_SKIPPED || !ot_trace_run_fact(t, "lines_unavailable") ||
	    t->nline_points)
		return false;
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strncmp(r->claim, kinds[i], strlen(kinds[i])))
			return true;
	return false;
}

/* --- the table ------------------------------------------------------------------- */

static const struct ot_claim_kind kinds[] = {
    {"pairs", 0, 1, parse_pairs, check_pairs, ot_sentence_pairs},
    {"decoded", 0, 0, parse_none, check_decoded, ot_sentence_decoded},
    {"user_agrees", 0, 0, parse_none, check_user_agrees, ot_sentence_user_agrees},
    {"no_loss", 0, 0, parse_none, check_no_loss, ot_sentence_no_loss},
    {"hit", 1, 1, parse_one_sel, check_hit, ot_sentence_hit},
    {"absent", 1, 1, parse_one_sel, check_hit, ot_sentence_absent},
    {"count", 3, 3, parse_count, check_count, ot_sentence_count},
    {"ret_ok", 1, 1, parse_ret, check_ret, ot_sentence_ret},
    {"ret_null", 1, 1, parse_ret, check_ret, ot_sentence_ret},
    {"ret_err", 2, 2, parse_ret, check_ret, ot_sentence_ret},
    {"same_ptr", 2, 2, parse_two_sels, check_pair_values, ot_sentence_same_ptr},
    {"new_ptr", 2, 2, parse_two_sels, check_pair_values, ot_sentence_new_ptr},
    {"ptr_diff", 4, 4, parse_two_sels, check_pair_values, ot_sentence_ptr_diff},
    {"order", 3, 3, parse_order, check_order, ot_sentence_order},
    {"field", 3, 3, parse_field, check_field, ot_sentence_field},
    {"user", 3, 4, parse_user, check_user, ot_sentence_user},
    {"caller", 2, 2, parse_caller, check_caller, ot_sentence_caller},
    {"ran", 2, 2, parse_ran, check_lines, ot_sentence_ran},
    {"not_ran", 2, 2, parse_ran, check_lines, ot_sentence_ran},
    {"origin", 3, 3, parse_origin, check_lines, ot_sentence_origin},
};

/* Split on spaces, keeping "quoted strings" and {filters} whole. */
static int split_words(char *s, char **argv, int max)
{
	int n = 0;

	while (*s) {
		while (*s == ' ')
			*s++ = '\0';
		if (!*s)
			break;
		if (n == max)
			return -1;
		argv[n++] = s;
		int quote = 0, brace = 0;
		while (*s && (quote || brace || *s != ' ')) {
			if (*s == '"')
				quote = !quote;
			else if (!quote && *s == '{')
				brace++;
			else if (!quote && *s == '}')
				brace--;
			s++;
		}
	}
	return n;
}

int ot_claim_parse(const char *text, struct ot_claim *out, char *err, size_t errsz)
{
	char *copy = strdup(text);
	char *w[MAX_ARGS + 1];
	int n, rc = -1;

	if (!copy)
		abort();
	memset(out, 0, sizeof(*out));
	out->text = text;
	n = split_words(copy, w, MAX_ARGS + 1);
	if (n <= 0) {
		snprintf(err, errsz, "empty or too long");
		goto out;
	}
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(kinds[i].name, w[0]))
			out->kind = &kinds[i];
	if (!out->kind) {
		snprintf(err, errsz, "unknown claim '%s'", w[0]);
		goto out;
	}
	if (n - 1 < out->kind->min_args || n - 1 > out->kind->max_args) {
		snprintf(err, errsz, "%s takes %d to %d words, not %d", w[0], out->kind->min_args,
			 out->kind->max_args, n - 1);
		goto out;
	}
	rc = out->kind->parse(out, w + 1, n - 1, err, errsz);
out:
	free(copy);
	return rc;
}

const char *ot_claim_kind_name(const struct ot_claim *cl)
{
	return cl->kind ? cl->kind->name : "";
}

/* Functions a claim needs that the run reported as not probeable (skipped="f:why,..."). */
static bool claim_skipped(struct ctx *c, const struct ot_claim *cl)
{
	const char *sk = ot_trace_run_fact(c->t, "skipped");
	const char *kernel = ot_trace_run_fact(c->t, "kernel");

	if (!sk || !*sk)
		return false;
	for (int i = 0; i < cl->nsel + 1; i++) {
		const char *func = i < cl->nsel ? cl->sel[i].func : cl->func;
		size_t fl = strlen(func);
		if (!fl)
			continue;
		for (const char *p = sk; p && *p;) {
			const char *end = strchr(p, ',');
			size_t len = end ? (size_t)(end - p) : strlen(p);
			if (len > fl && !strncmp(p, func, fl) && p[fl] == ':') {
				ot_claim_set_verdict(c->res, OT_SKIPPED,
						     "skipped: %s not probeable on %s (%.*s)", func,
						     kernel ? kernel : "this kernel",
						     (int)(len - fl - 1), p + fl + 1);
				return true;
			}
			p = end ? end + 1 : NULL;
		}
	}
	return false;
}

void ot_claim_eval(const struct ot_trace *t, const char *anchor, const struct ot_claim *cl,
		   struct ot_claim_result *out)
{
	struct ctx c = {t, anchor ? anchor : "do_filp_open", out, {0}};
	char buf[512];

	memset(out, 0, sizeof(*out));
	out->claim = strdup(cl->text);
	if (!out->claim)
		abort();
	if (!claim_skipped(&c, cl))
		cl->kind->eval(&c, cl);
	if (!out->detail)
		ot_claim_set_verdict(out, OT_FAIL, "claim error");
	struct ot_sentence_in in = {cl, out, &c.seen, c.anchor};
	if (out->verdict == OT_PASS)
		cl->kind->sentence(&in, buf, sizeof(buf));
	else
		ot_sentence_unproven(&in, buf, sizeof(buf));
	out->sentence = strdup(buf);
	if (!out->sentence)
		abort();
}

void ot_claim_eval_one(const struct ot_trace *t, const char *anchor, const char *claim,
		       struct ot_claim_result *out)
{
	struct ot_claim cl;
	char err[200];

	if (ot_claim_parse(claim, &cl, err, sizeof(err))) {
		memset(out, 0, sizeof(*out));
		out->claim = strdup(claim);
		ot_claim_set_verdict(out, OT_FAIL, "claim error: %s", err);
		out->sentence = strdup(out->detail);
		if (!out->claim || !out->sentence)
			abort();
		return;
	}
	ot_claim_eval(t, anchor, &cl, out);
}

/* The catalogue's claims, parsed on first use and kept for the process. */
const struct ot_claim *ot_case_claim(const struct ot_case *c, int i)
{
	static struct ot_claim *parsed;
	static signed char *ok;
	size_t ncases = ot_case_count();
	char err[8];

	if (!parsed) {
		parsed = calloc(ncases * OT_MAX_CASE_CLAIMS, sizeof(*parsed));
		ok = calloc(ncases * OT_MAX_CASE_CLAIMS, sizeof(*ok));
		if (!parsed || !ok)
			abort();
		for (size_t k = 0; k < ncases; k++)
			for (int j = 0; j < OT_MAX_CASE_CLAIMS && ot_case_at(k)->claims[j]; j++)
				ok[k * OT_MAX_CASE_CLAIMS + j] =
				    ot_claim_parse(ot_case_at(k)->claims[j],
						   &parsed[k * OT_MAX_CASE_CLAIMS + j], err,
						   sizeof(err)) == 0;
	}
	for (size_t k = 0; k < ncases; k++)
		if (ot_case_at(k) == c && i >= 0 && i < OT_MAX_CASE_CLAIMS)
			return ok[k * OT_MAX_CASE_CLAIMS + i] ? &parsed[k * OT_MAX_CASE_CLAIMS + i]
							      : NULL;
	return NULL;
}

static void push(struct ot_claim_set *s, const struct ot_trace *t, const char *anchor,
		 const char *claim, const struct ot_claim *parsed)
{
	struct ot_claim_result *nr = realloc(s->r, (s->n + 1) * sizeof(*nr));

	if (!nr)
		abort();
	s->r = nr;
	if (parsed)
		ot_claim_eval(t, anchor, parsed, &s->r[s->n++]);
	else
		ot_claim_eval_one(t, anchor, claim, &s->r[s->n++]);
}

int ot_claims_eval(const struct ot_trace *t, const struct ot_case *c, struct ot_claim_set *out)
{
	const char *anchor = c && c->anchor ? c->anchor : "do_filp_open";
	bool has_user = false, has_lost = ot_trace_run_fact(t, "lost") != NULL;

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < t->nfacts; i++)
		if (!strcmp(t->facts[i]->func, "user.fact"))
			has_user = true;
	push(out, t, anchor, "pairs", NULL);
	push(out, t, anchor, "decoded", NULL);
	if (has_lost)
		push(out, t, anchor, "no_loss", NULL);
	if (c) {
		/* The trigger found that this kernel lacks what the case is about (a flag
		 * newer than the kernel): its claims cannot hold here, and the case says
		 * so rather than fail (docs/trigger-protocol.md). */
		const char *unsupported = ot_trace_run_fact(t, "unsupported");

		for (int i = 0; i < OT_MAX_CASE_CLAIMS && c->claims[i]; i++) {
			push(out, t, anchor, c->claims[i], ot_case_claim(c, i));
			if (unsupported)
				ot_claim_set_verdict(&out->r[out->n - 1], OT_SKIPPED,
						     "skipped: this kernel lacks what the case needs: %s",
						     unsupported);
		}
		push(out, t, anchor, "user_agrees", NULL);
	} else if (has_user) {
		push(out, t, anchor, "user_agrees", NULL);
	}
	bool fail = false, all_pass = true;
	for (size_t i = 0; i < out->n; i++) {
		fail |= out->r[i].verdict == OT_FAIL;
		all_pass &= out->r[i].verdict == OT_PASS || line_claim_without_lines(t, &out->r[i]);
	}
	out->verdict = fail ? OT_CASE_FAIL : all_pass ? OT_CASE_PASS : OT_CASE_INCOMPLETE;
	return 0;
}
