// SPDX-License-Identifier: MIT
/* The claim checks (language in claims.h). Each check fills one result: a verdict,
 * the log lines it rests on, and one sentence saying what was seen. */
#include "claims/claims.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/probes.h"
#include "claims/caller.h"
#include "claims/select.h"

#define MAX_ARGS 8

struct ctx {
	const struct ot_trace *t;
	const char *anchor;
	struct ot_claim_result *res;
};

static void add_line(struct ot_claim_result *r, unsigned line)
{
	size_t lo = 0, hi = r->nevidence;

	if (!line)
		return;
	while (lo < hi) { /* evidence stays sorted and unique: binary search */
		size_t mid = lo + (hi - lo) / 2;
		if (r->evidence[mid] == line)
			return;
		if (r->evidence[mid] < line)
			lo = mid + 1;
		else
			hi = mid;
	}
	if ((r->nevidence & (r->nevidence - 1)) == 0) { /* grow at powers of two */
		unsigned *ne =
		    realloc(r->evidence, (r->nevidence ? 2 * r->nevidence : 8) * sizeof(*ne));
		if (!ne)
			abort();
		r->evidence = ne;
	}
	memmove(r->evidence + lo + 1, r->evidence + lo, (r->nevidence - lo) * sizeof(*r->evidence));
	r->evidence[lo] = line;
	r->nevidence++;
}

static void add_events(struct ot_claim_result *r, const struct ot_events *e)
{
	for (size_t i = 0; i < e->n; i++)
		add_line(r, e->ev[i].line);
}

/* Evidence of absence: the operation that was searched (its entry and return lines). */
static void add_scope(struct ot_claim_result *r, const struct ot_events *e)
{
	if (!e->op)
		return;
	add_line(r, ot_call_line(e->op));
	if (e->op->ret)
		add_line(r, e->op->ret->line);
}

static void verdict(struct ot_claim_result *r, enum ot_verdict v, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void verdict(struct ot_claim_result *r, enum ot_verdict v, const char *fmt, ...)
{
	va_list ap;
	char buf[512];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	r->verdict = v;
	free(r->detail);
	r->detail = strdup(buf);
}

/* --- the trace claim block --------------------------------------------------------- */

static void check_pairs(struct ctx *c, const char *func)
{
	size_t calls = 0, bad = 0;
	const char *first_bad = NULL;

	for (size_t i = 0; i < c->t->ncalls; i++) {
		const struct ot_call *k = c->t->calls[i];
		if (func && strcmp(k->func, func))
			continue;
		calls++;
		if (!ot_call_paired(k)) {
			bad++;
			if (!first_bad)
				first_bad = k->func;
			add_line(c->res, ot_call_line(k));
		}
	}
	if (!calls)
		verdict(c->res, OT_NOT_EVIDENCED, "no %s calls in the log", func ? func : "traced");
	else if (bad)
		verdict(c->res, OT_FAIL, "%zu of %zu calls unpaired (first: %s)", bad, calls,
			first_bad);
	else {
		for (size_t i = 0; i < c->t->ncalls; i++)
			if (!func || !strcmp(c->t->calls[i]->func, func)) {
				add_line(c->res, ot_call_line(c->t->calls[i]));
				if (c->t->calls[i]->ret)
					add_line(c->res, c->t->calls[i]->ret->line);
			}
		verdict(c->res, OT_PASS,
			"%zu calls, each entry paired with its return on its thread", calls);
	}
}

static void check_decoded(struct ctx *c)
{
	size_t rets = 0, bad = 0;
	const char *first_bad = NULL;

	for (size_t i = 0; i < c->t->ncalls; i++) {
		const struct ot_call *k = c->t->calls[i];
		if (!k->ret)
			continue;
		rets++;
		if (k->dec.cls == OT_RC_UNKNOWN) {
			bad++;
			if (!first_bad)
				first_bad = k->func;
			add_line(c->res, k->ret->line);
		}
	}
	if (!rets)
		verdict(c->res, OT_NOT_EVIDENCED, "no return records in the log");
	else if (bad)
		verdict(c->res, OT_FAIL,
			"%zu of %zu returns cannot be decoded (first: %s: not in the probe "
			"dictionary or no ret=)",
			bad, rets, first_bad);
	else {
		for (size_t i = 0; i < c->t->ncalls; i++)
			if (c->t->calls[i]->ret)
				add_line(c->res, c->t->calls[i]->ret->line);
		verdict(c->res, OT_PASS, "all %zu returns decoded per the probe dictionary", rets);
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

/* The function whose return is what the user sees for CALL ("open" -> do_sys_openat2). */
static const struct ot_probe *syscall_probe(const char *call)
{
	for (size_t i = 0; i < ot_probe_count(); i++) {
		const struct ot_probe *p = ot_probe_at(i);
		if (p->user_call && in_list(p->user_call, call))
			return p;
	}
	return NULL;
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
static bool user_matches(const struct ot_record *f, const struct ot_call *k, bool fd_only,
			 char *why, size_t whysz)
{
	int64_t ret = 0, err = 0;
	char kt[48];
	const struct ot_probe *p = ot_probe_find(k->func);

	user_fact_num(f, "ret", &ret);
	user_fact_num(f, "errno", &err);
	ot_ret_text(&k->dec, p ? p->ret_kind : OT_RET_LONG, kt, sizeof(kt));
	bool ok;
	if (k->dec.cls == OT_RC_ERR)
		ok = ret == -1 && err == k->dec.err;
	else if (k->dec.cls == OT_RC_OK)
		ok = fd_only ? ret >= 0 : ret == k->dec.value;
	else
		ok = false;
	snprintf(why, whysz, "user ret=%" PRId64 " errno=%" PRId64 " vs %s %s (L%u)", ret, err,
		 k->func, kt, k->ret ? k->ret->line : 0);
	return ok;
}

static void check_user_agrees(struct ctx *c)
{
	size_t compared = 0, bad = 0, unmatched = 0;
	char why[200] = "", first_bad[200] = "";

	for (size_t i = 0; i < c->t->nfacts; i++) {
		const struct ot_record *f = c->t->facts[i];
		const char *call = ot_rec_str(f, "call");
		if (strcmp(f->func, "user.fact") || !call)
			continue;
		const struct ot_probe *sp = syscall_probe(call);
		if (!sp)
			continue;
		/* The k-th user call of this family is the k-th top call of its function. */
		size_t k = 0;
		for (size_t j = 0; j < i; j++) {
			const char *cj = ot_rec_str(c->t->facts[j], "call");
			if (!strcmp(c->t->facts[j]->func, "user.fact") && cj &&
			    syscall_probe(cj) == sp)
				k++;
		}
		const char *fn = sp->func;
		bool fd_only = false;
		size_t seen = 0;
		const struct ot_call *match = NULL;
		bool have_sys = false;
		for (size_t j = 0; j < c->t->ncalls; j++)
			if (!strcmp(c->t->calls[j]->func, fn))
				have_sys = true;
		if (!have_sys) {
			/* Not probed: a stand-in one level down tells ok (fd >= 0) or the errno. */
			fn = ot_probe_user_stand_in(fn);
			if (!fn)
				continue; /* nothing to compare with */
			fd_only = true;
		}
		for (size_t j = 0; j < c->t->ncalls; j++) {
			const struct ot_call *kc = c->t->calls[j];
			if (strcmp(kc->func, fn) || !kc->ret)
				continue;
			if (seen++ == k) {
				match = kc;
				break;
			}
		}
		add_line(c->res, f->line);
		if (!match) {
			unmatched++;
			continue;
		}
		compared++;
		add_line(c->res, match->ret->line);
		if (!user_matches(f, match, fd_only, why, sizeof(why))) {
			bad++;
			if (!first_bad[0])
				snprintf(first_bad, sizeof(first_bad), "%s", why);
		}
	}
	if (bad)
		verdict(c->res, OT_FAIL, "%zu of %zu user results disagree: %s", bad, compared,
			first_bad);
	else if (unmatched && compared)
		verdict(c->res, OT_FAIL, "%zu user calls have no kernel call to compare with",
			unmatched);
	else if (!compared)
		verdict(c->res, OT_NOT_EVIDENCED,
			"the log has no user.fact lines paired with a probed syscall-level call");
	else
		verdict(c->res, OT_PASS, "%zu user results match the kernel's returns (last: %s)",
			compared, why);
}

static void check_no_loss(struct ctx *c)
{
	const char *lost = ot_trace_run_fact(c->t, "lost");
	for (size_t i = 0; i < c->t->nfacts; i++)
		if (!strcmp(c->t->facts[i]->func, "run.fact") &&
		    ot_rec_field(c->t->facts[i], "lost"))
			add_line(c->res, c->t->facts[i]->line);
	if (!lost)
		verdict(c->res, OT_NOT_EVIDENCED, "the log does not say whether records were lost");
	else if (strtoull(lost, NULL, 0) != 0)
		verdict(c->res, OT_FAIL, "%s records were lost: the trace is incomplete", lost);
	else
		verdict(c->res, OT_PASS, "no records lost");
}

/* --- the case's own claims ------------------------------------------------------- */

static int get_events(struct ctx *c, const char *text, struct ot_sel *sel, struct ot_events *ev)
{
	char err[200];

	if (ot_sel_parse(text, sel, err, sizeof(err))) {
		verdict(c->res, OT_FAIL, "claim error: %s", err);
		return -1;
	}
	ot_sel_events(c->t, c->anchor, sel, ev);
	return 0;
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

static void check_hit(struct ctx *c, char **a, int n, bool want_hit)
{
	struct ot_sel s;
	struct ot_events e;

	if (n != 1 || get_events(c, a[0], &s, &e))
		return n != 1 ? verdict(c->res, OT_FAIL, "claim error: want one selector")
			      : (void)0;
	if (e.scope_missing)
		verdict(c->res, OT_NOT_EVIDENCED, "%s", e.why);
	else if (e.n) {
		add_events(c->res, &e);
		verdict(c->res, want_hit ? OT_PASS : OT_FAIL, "%zu %s call(s), first at L%u", e.n,
			s.func, e.ev[0].line);
	} else if (probed(c, &s)) {
		add_scope(c->res, &e);
		verdict(c->res, want_hit ? OT_FAIL : OT_PASS, "%s was probed and never hit%s",
			s.func, s.scope.op ? " in that operation" : "");
	} else
		verdict(c->res, OT_NOT_EVIDENCED,
			"no %s events, and the log does not say %s was probed", s.func, s.func);
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

static void check_count(struct ctx *c, char **a, int n)
{
	struct ot_sel s;
	struct ot_events e;
	int64_t want;

	if (n != 3 || !valid_op(a[1]) || parse_number(a[2], &want))
		return verdict(c->res, OT_FAIL, "claim error: want count SEL OP N");
	if (get_events(c, a[0], &s, &e))
		return;
	if (e.scope_missing)
		verdict(c->res, OT_NOT_EVIDENCED, "%s", e.why);
	else if (!e.n && !probed(c, &s))
		verdict(c->res, OT_NOT_EVIDENCED,
			"no %s events, and the log does not say it was probed", s.func);
	else {
		add_events(c->res, &e);
		if (!e.n)
			add_scope(c->res, &e);
		verdict(c->res, compare((int64_t)e.n, a[1], want) ? OT_PASS : OT_FAIL,
			"%zu %s call(s) (want %s %" PRId64 ")", e.n, s.func, a[1], want);
	}
	ot_events_free(&e);
}

enum ret_want { WANT_OK, WANT_NULL, WANT_ERR };

static void check_ret(struct ctx *c, char **a, int n, enum ret_want want)
{
	struct ot_sel s;
	struct ot_events e;
	int err = 0;

	if (n != (want == WANT_ERR ? 2 : 1))
		return verdict(c->res, OT_FAIL, "claim error: want ret_ok SEL / ret_err SEL ENAME");
	if (want == WANT_ERR && (err = ot_errno_from_name(a[1])) < 0)
		return verdict(c->res, OT_FAIL, "claim error: unknown errno name %s", a[1]);
	if (get_events(c, a[0], &s, &e))
		return;
	size_t bad = 0, seen = 0;
	char got[64] = "";
	for (size_t i = 0; i < e.n; i++) {
		const struct ot_call *k = e.ev[i].call;
		const struct ot_probe *p = ot_probe_find(k->func);
		if (!k->ret)
			continue;
		seen++;
		add_line(c->res, k->ret->line);
		bool ok = want == WANT_OK     ? k->dec.cls == OT_RC_OK
			  : want == WANT_NULL ? k->dec.cls == OT_RC_NULL
					      : k->dec.cls == OT_RC_ERR && k->dec.err == err;
		ot_ret_text(&k->dec, p ? p->ret_kind : OT_RET_PTR, got, sizeof(got));
		if (!ok)
			bad++;
		if (!ok && bad == 1)
			break;
	}
	if (e.scope_missing)
		verdict(c->res, OT_NOT_EVIDENCED, "%s", e.why);
	else if (!seen)
		verdict(c->res, probed(c, &s) ? OT_FAIL : OT_NOT_EVIDENCED,
			"no %s return in the log%s", s.func,
			probed(c, &s) ? " although it was probed" : "");
	else if (bad)
		verdict(c->res, OT_FAIL, "%s returned %s", s.func, got);
	else
		verdict(c->res, OT_PASS, "%zu %s return(s), each %s", seen, s.func, got);
	ot_events_free(&e);
}

struct two {
	struct ot_sel s[2];
	struct ot_events e[2];
};

static int get_two(struct ctx *c, const char *a, const char *b, struct two *w)
{
	memset(w, 0, sizeof(*w));
	if (get_events(c, a, &w->s[0], &w->e[0]))
		return -1;
	if (get_events(c, b, &w->s[1], &w->e[1])) {
		ot_events_free(&w->e[0]);
		return -1;
	}
	for (int i = 0; i < 2; i++) {
		if (w->e[i].scope_missing)
			verdict(c->res, OT_NOT_EVIDENCED, "%s", w->e[i].why);
		else if (!w->e[i].n)
			verdict(c->res, OT_NOT_EVIDENCED, "no events for %s", i ? b : a);
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

/* A number, or "user#N:FIELD" (a field of the N-th user.fact, e.g. the prefix length a
 * trigger reports). */
static int resolve_number(struct ctx *c, const char *s, int64_t *out)
{
	long seq;
	char field[32];
	uint64_t u;

	if (sscanf(s, "user#%ld:%31s", &seq, field) != 2)
		return parse_number(s, out);
	for (size_t i = 0, k = 0; i < c->t->nfacts; i++) {
		const struct ot_record *f = c->t->facts[i];
		if (strcmp(f->func, "user.fact") || (long)++k != seq)
			continue;
		if (!ot_rec_u64(f, field, &u))
			return -1;
		add_line(c->res, f->line);
		*out = (int64_t)u;
		return 0;
	}
	return -1;
}

/* same_ptr / new_ptr / ptr_diff: over every pair of values. */
static void check_pair_values(struct ctx *c, char **a, int n, const char *what)
{
	struct two w;
	int64_t want = 0;
	bool diff = !strcmp(what, "ptr_diff");

	if (n != (diff ? 4 : 2) || (diff && strcmp(a[2], "==")))
		return verdict(c->res, OT_FAIL, "claim error: want %s SEL SEL%s", what,
			       diff ? " == N" : "");
	if (diff && resolve_number(c, a[3], &want))
		return verdict(c->res, OT_NOT_EVIDENCED, "no value for %s in the log", a[3]);
	if (get_two(c, a[0], a[1], &w))
		return;
	size_t values = 0;
	int64_t got = 0;
	const struct ot_event *hit[2] = {NULL, NULL};
	for (size_t i = 0; i < w.e[0].n && !hit[0]; i++) {
		int64_t x, y;
		if (!ot_event_num(&w.e[0].ev[i], value_field(&w.s[0]), &x))
			continue;
		for (size_t j = 0; j < w.e[1].n; j++) {
			if (!ot_event_num(&w.e[1].ev[j], value_field(&w.s[1]), &y))
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
		verdict(c->res, OT_NOT_EVIDENCED, "the selected events lack the fields %s / %s",
			value_field(&w.s[0]), value_field(&w.s[1]));
	} else if (hit[0]) {
		add_line(c->res, hit[0]->line);
		add_line(c->res, hit[1]->line);
		const char *v = ot_event_text(hit[0], value_field(&w.s[0]));
		if (!strcmp(what, "new_ptr"))
			verdict(c->res, OT_FAIL, "both are %s (L%u, L%u): no new allocation", v,
				hit[0]->line, hit[1]->line);
		else if (diff)
			verdict(c->res, OT_PASS, "%s - %s = %" PRId64 " (L%u, L%u)", v,
				ot_event_text(hit[1], value_field(&w.s[1])), want, hit[0]->line,
				hit[1]->line);
		else
			verdict(c->res, OT_PASS, "both are %s (L%u, L%u)", v, hit[0]->line,
				hit[1]->line);
	} else {
		add_events(c->res, &w.e[0]);
		add_events(c->res, &w.e[1]);
		if (!strcmp(what, "new_ptr"))
			verdict(c->res, OT_PASS, "%s differs from %s (L%u, L%u)",
				ot_event_text(&w.e[0].ev[0], value_field(&w.s[0])),
				ot_event_text(&w.e[1].ev[0], value_field(&w.s[1])),
				w.e[0].ev[0].line, w.e[1].ev[0].line);
		else if (diff)
			verdict(c->res, OT_FAIL, "difference is %" PRId64 ", not %" PRId64, got,
				want);
		else
			verdict(c->res, OT_FAIL, "no value of %s equals one of %s", a[0], a[1]);
	}
	two_free(&w);
}

static void check_order(struct ctx *c, char **a, int n)
{
	struct two w;

	if (n != 3 || strcmp(a[1], "before"))
		return verdict(c->res, OT_FAIL, "claim error: want order SEL before SEL");
	if (get_two(c, a[0], a[2], &w))
		return;
	unsigned x = w.e[0].ev[0].line, y = w.e[1].ev[0].line;
	add_line(c->res, x);
	add_line(c->res, y);
	verdict(c->res, x < y ? OT_PASS : OT_FAIL, "%s at L%u, %s at L%u", w.s[0].func, x,
		w.s[1].func, y);
	two_free(&w);
}

static void check_field(struct ctx *c, char **a, int n)
{
	struct ot_sel s;
	struct ot_events e;
	int64_t want = 0;
	bool is_str;

	if (n != 3 || !valid_op(a[1]))
		return verdict(c->res, OT_FAIL, "claim error: want field SEL OP VALUE");
	is_str = a[2][0] == '"';
	if (!is_str && parse_number(a[2], &want))
		return verdict(c->res, OT_FAIL, "claim error: bad value %s", a[2]);
	if (get_events(c, a[0], &s, &e))
		return;
	const char *key = value_field(&s);
	size_t seen = 0, bad = 0;
	char got[160] = "";
	for (size_t i = 0; i < e.n; i++) {
		int64_t v;
		const char *txt = ot_event_text(&e.ev[i], key);
		bool ok;
		if (!txt)
			continue;
		seen++;
		add_line(c->res, e.ev[i].line);
		if (is_str) {
			size_t wl = strlen(a[2]) - 2;
			bool eq = strlen(txt) == wl && !strncmp(txt, a[2] + 1, wl);
			ok = !strcmp(a[1], "==") ? eq : !strcmp(a[1], "!=") ? !eq : false;
		} else {
			ok = ot_event_num(&e.ev[i], key, &v) && compare(v, a[1], want);
		}
		if (!ok && !bad++)
			snprintf(got, sizeof(got), "%s=%s at L%u", key, txt, e.ev[i].line);
		if (ok && !got[0])
			snprintf(got, sizeof(got), "%s=%s at L%u", key, txt, e.ev[i].line);
	}
	if (e.scope_missing)
		verdict(c->res, OT_NOT_EVIDENCED, "%s", e.why);
	else if (!seen)
		verdict(c->res, OT_NOT_EVIDENCED, "no %s event with a %s field", s.func, key);
	else if (bad)
		verdict(c->res, OT_FAIL, "%s (want %s %s)", got, a[1], a[2]);
	else
		verdict(c->res, OT_PASS, "%zu event(s); %s", seen, got);
	ot_events_free(&e);
}

static void check_user(struct ctx *c, char **a, int n)
{
	int64_t seq, ret = 0, err = 0;
	const struct ot_record *f = NULL;

	char *colon = n >= 1 ? strchr(a[0], ':') : NULL;

	if (colon)
		*colon = '\0';
	if (n < 3 || parse_number(a[0], &seq) || (colon ? !valid_op(a[1]) : strcmp(a[1], "==")))
		return verdict(
		    c->res, OT_FAIL,
		    "claim error: want user N == fd | user N == -1 ENAME | user N:FIELD OP VALUE");
	for (size_t i = 0, k = 0; i < c->t->nfacts; i++)
		if (!strcmp(c->t->facts[i]->func, "user.fact") && (int64_t)++k == seq)
			f = c->t->facts[i];
	if (!f)
		return verdict(c->res, OT_NOT_EVIDENCED, "the log has no user.fact #%" PRId64, seq);
	add_line(c->res, f->line);
	user_fact_num(f, "ret", &ret);
	user_fact_num(f, "errno", &err);
	if (colon) { /* a field the trigger reported, e.g. "user 2:nlink == 0" */
		int64_t v, want;
		if (n != 3 || parse_number(a[2], &want))
			return verdict(c->res, OT_FAIL, "claim error: bad value %s", a[2]);
		if (!user_fact_num(f, colon + 1, &v))
			return verdict(c->res, OT_NOT_EVIDENCED, "user.fact #%" PRId64 " has no %s",
				       seq, colon + 1);
		return verdict(c->res, compare(v, a[1], want) ? OT_PASS : OT_FAIL,
			       "user call %" PRId64 ": %s=%" PRId64, seq, colon + 1, v);
	}
	if (!strcmp(a[2], "fd") && n == 3)
		verdict(c->res, ret >= 0 ? OT_PASS : OT_FAIL,
			"user call %" PRId64 " returned %" PRId64, seq, ret);
	else if (!strcmp(a[2], "-1") && n == 4) {
		int want = ot_errno_from_name(a[3]);
		const char *en = ot_errno_name((int)err);
		verdict(c->res, ret == -1 && err == want ? OT_PASS : OT_FAIL,
			"user call %" PRId64 " returned %" PRId64 " errno %s", seq, ret,
			en ? en : "0");
	} else
		verdict(c->res, OT_FAIL, "claim error: want user N == fd | user N == -1 ENAME");
}

/* --- dispatch -------------------------------------------------------------------- */

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

/* Functions a claim needs that the run reported as not probeable (skipped="f:why,..."). */
static bool claim_skipped(struct ctx *c, char **a, int n)
{
	const char *sk = ot_trace_run_fact(c->t, "skipped");
	const char *kernel = ot_trace_run_fact(c->t, "kernel");

	if (!sk || !*sk)
		return false;
	for (int i = 0; i < n; i++) {
		struct ot_sel s;
		char err[8];
		if (ot_sel_parse(a[i], &s, err, sizeof(err)))
			continue;
		size_t fl = strlen(s.func);
		for (const char *p = sk; p && *p;) {
			const char *end = strchr(p, ',');
			size_t len = end ? (size_t)(end - p) : strlen(p);
			if (len > fl && !strncmp(p, s.func, fl) && p[fl] == ':') {
				verdict(c->res, OT_SKIPPED,
					"skipped: %s not probeable on %s (%.*s)", s.func,
					kernel ? kernel : "this kernel", (int)(len - fl - 1),
					p + fl + 1);
				return true;
			}
			p = end ? end + 1 : NULL;
		}
	}
	return false;
}

void ot_claim_eval_one(const struct ot_trace *t, const char *anchor, const char *claim,
		       struct ot_claim_result *out)
{
	char *copy = strdup(claim);
	char *w[MAX_ARGS + 1];
	struct ctx c = {t, anchor, out};
	int n;

	memset(out, 0, sizeof(*out));
	out->claim = strdup(claim);
	if (!copy || !out->claim)
		abort();
	n = split_words(copy, w, MAX_ARGS + 1);
	if (n <= 0) {
		verdict(out, OT_FAIL, "claim error: empty or too long");
		free(copy);
		return;
	}
	const char *k = w[0];
	char **a = w + 1;
	int na = n - 1;
	if (claim_skipped(&c, a, na))
		;
	else if (!strcmp(k, "pairs") && na <= 1)
		check_pairs(&c, na ? a[0] : NULL);
	else if (!strcmp(k, "decoded") && !na)
		check_decoded(&c);
	else if (!strcmp(k, "user_agrees") && !na)
		check_user_agrees(&c);
	else if (!strcmp(k, "no_loss") && !na)
		check_no_loss(&c);
	else if (!strcmp(k, "hit"))
		check_hit(&c, a, na, true);
	else if (!strcmp(k, "absent"))
		check_hit(&c, a, na, false);
	else if (!strcmp(k, "count"))
		check_count(&c, a, na);
	else if (!strcmp(k, "ret_ok"))
		check_ret(&c, a, na, WANT_OK);
	else if (!strcmp(k, "ret_null"))
		check_ret(&c, a, na, WANT_NULL);
	else if (!strcmp(k, "ret_err"))
		check_ret(&c, a, na, WANT_ERR);
	else if (!strcmp(k, "same_ptr") || !strcmp(k, "new_ptr") || !strcmp(k, "ptr_diff"))
		check_pair_values(&c, a, na, k);
	else if (!strcmp(k, "order"))
		check_order(&c, a, na);
	else if (!strcmp(k, "field"))
		check_field(&c, a, na);
	else if (!strcmp(k, "user"))
		check_user(&c, a, na);
	else if (!strcmp(k, "caller"))
		ot_claim_caller(t, anchor, a, na, out);
	else
		verdict(out, OT_FAIL, "claim error: unknown claim '%s'", k);
	if (!out->detail)
		verdict(out, OT_FAIL, "claim error");
	free(copy);
}

static void push(struct ot_claim_set *s, const struct ot_trace *t, const char *anchor,
		 const char *claim)
{
	struct ot_claim_result *nr = realloc(s->r, (s->n + 1) * sizeof(*nr));

	if (!nr)
		abort();
	s->r = nr;
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
	push(out, t, anchor, "pairs");
	push(out, t, anchor, "decoded");
	if (has_lost)
		push(out, t, anchor, "no_loss");
	if (c) {
		for (int i = 0; i < OT_MAX_CASE_CLAIMS && c->claims[i]; i++)
			push(out, t, anchor, c->claims[i]);
		push(out, t, anchor, "user_agrees");
	} else if (has_user) {
		push(out, t, anchor, "user_agrees");
	}
	bool fail = false, all_pass = true;
	for (size_t i = 0; i < out->n; i++) {
		fail |= out->r[i].verdict == OT_FAIL;
		all_pass &= out->r[i].verdict == OT_PASS;
	}
	out->verdict = fail ? OT_CASE_FAIL : all_pass ? OT_CASE_PASS : OT_CASE_INCOMPLETE;
	return 0;
}

void ot_claim_set_free(struct ot_claim_set *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->r[i].claim);
		free(s->r[i].evidence);
		free(s->r[i].detail);
	}
	free(s->r);
	memset(s, 0, sizeof(*s));
}

const char *ot_verdict_name(enum ot_verdict v)
{
	switch (v) {
	case OT_PASS:
		return "pass";
	case OT_FAIL:
		return "fail";
	case OT_NOT_EVIDENCED:
		return "not evidenced";
	case OT_SKIPPED:
		return "skipped";
	}
	return "?";
}

const char *ot_case_verdict_name(enum ot_case_verdict v)
{
	switch (v) {
	case OT_CASE_PASS:
		return "pass";
	case OT_CASE_FAIL:
		return "fail";
	case OT_CASE_INCOMPLETE:
		return "incomplete";
	}
	return "?";
}
