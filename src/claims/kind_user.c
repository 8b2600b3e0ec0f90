// SPDX-License-Identifier: MIT
/* What the program saw: user_agrees, and user N ... (language in claims.h). */
#include "claims/kind.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe/spec.h"

static bool user_fact_num(const struct ot_record *f, const char *key, int64_t *v)
{
	uint64_t u;

	if (!ot_rec_u64(f, key, &u))
		return false;
	*v = (int64_t)u;
	return true;
}

/* --- user_agrees --- */

/* The function whose return is what the user sees for CALL ("open" -> do_sys_openat2):
 * the first syscall-level probe serving CALL that has calls in the log (openat2 is
 * served by __x64_sys_openat2 when an error is decided before do_sys_openat2 runs),
 * else the first one serving CALL at all. */
static const struct ot_probe *syscall_probe(const struct ot_trace *t, const char *call)
{
	const struct ot_probe *first = NULL;

	for (size_t i = 0; i < ot_probe_count(); i++) {
		const struct ot_probe *p = ot_probe_at(i);

		if (!ot_probe_serves(p, call))
			continue;
		if (!first)
			first = p;
		for (size_t j = 0; j < t->stats.ncalled; j++)
			if (!strcmp(t->stats.called[j], p->func))
				return p;
	}
	return first;
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

void ot_eval_user_agrees(struct ot_claim_ctx *c, const struct ot_claim *cl)
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

void ot_sentence_user_agrees(const struct ot_sentence_in *in, char *buf, size_t sz)
{
	OT_SBUF(b);

	if (in->seen->n == 1)
		ot_sput(&b,
			"what the program saw agrees with the kernel: its one result matches the "
			"return of the kernel call that served it.");
	else
		ot_sput(
		    &b,
		    "what the program saw agrees with the kernel: each of its %zu results matches "
		    "the return of the kernel call that served it.",
		    in->seen->n);
	ot_sfinish(&b);
}

/* --- user N == fd | user N == -1 ENAME | user N:FIELD OP VALUE --- */

int ot_parse_user(struct ot_claim *cl, char **a, int n, char *err, size_t errsz)
{
	static const char want[] = "user N == fd | user N == -1 ENAME | user N:FIELD OP VALUE";
	struct ot_claim_user *u = &cl->u.user;
	char num[16];
	int used = 0;

	if (sscanf(a[0], "%15[0-9]%n", num, &used) != 1 || (u->seq = atoi(num)) <= 0)
		return ot_claim_error(err, errsz, want);
	if (a[0][used] == ':') {
		snprintf(u->ufield, sizeof(u->ufield), "%s", a[0] + used + 1);
		if (!u->ufield[0] || n != 3 || !ot_claim_valid_op(a[1]) ||
		    ot_claim_parse_number(a[2], &u->num))
			return ot_claim_error(err, errsz, want);
		snprintf(u->op, sizeof(u->op), "%s", a[1]);
		snprintf(u->value, sizeof(u->value), "%s", a[2]);
		u->form = OT_USER_FIELD;
		return 0;
	}
	if (a[0][used] || strcmp(a[1], "=="))
		return ot_claim_error(err, errsz, want);
	if (n == 3 && !strcmp(a[2], "fd")) {
		u->form = OT_USER_FD;
		return 0;
	}
	if (n == 4 && !strcmp(a[2], "-1") && (u->err = ot_errno_from_name(a[3])) >= 0) {
		snprintf(u->value, sizeof(u->value), "%s", a[3]);
		u->form = OT_USER_ERR;
		return 0;
	}
	return ot_claim_error(err, errsz, want);
}

void ot_eval_user(struct ot_claim_ctx *c, const struct ot_claim *cl)
{
	const struct ot_claim_user *u = &cl->u.user;
	int64_t ret = 0, err = 0;
	const struct ot_record *f = NULL;

	for (size_t i = 0, k = 0; i < c->t->nfacts; i++)
		if (!strcmp(c->t->facts[i]->func, "user.fact") && (int)++k == u->seq)
			f = c->t->facts[i];
	if (!f)
		return ot_claim_set_verdict(c->res, OT_NOT_EVIDENCED,
					    "the log has no user.fact #%d", u->seq);
	ot_claim_add_evidence(c->res, f->line);
	c->seen.line[0] = f->line;
	snprintf(c->seen.call, sizeof(c->seen.call), "%s",
		 ot_rec_str(f, "call") ? ot_rec_str(f, "call") : "");
	user_fact_num(f, "ret", &ret);
	user_fact_num(f, "errno", &err);
	c->seen.num = ret;
	if (u->form == OT_USER_FIELD) { /* a field the trigger reported, e.g. "user 2:nlink == 0" */
		int64_t v;
		if (!user_fact_num(f, u->ufield, &v))
			return ot_claim_set_verdict(c->res, OT_NOT_EVIDENCED,
						    "user.fact #%d has no %s", u->seq, u->ufield);
		c->seen.num = v;
		return ot_claim_set_verdict(c->res,
					    ot_claim_compare(v, u->op, u->num) ? OT_PASS : OT_FAIL,
					    "user call %d: %s=%" PRId64, u->seq, u->ufield, v);
	}
	if (u->form == OT_USER_FD) {
		ot_claim_set_verdict(c->res, ret >= 0 ? OT_PASS : OT_FAIL,
				     "user call %d returned %" PRId64, u->seq, ret);
	} else {
		const char *en = ot_errno_name((int)err);
		snprintf(c->seen.got, sizeof(c->seen.got), "%s", en ? en : "0");
		ot_claim_set_verdict(c->res, ret == -1 && err == u->err ? OT_PASS : OT_FAIL,
				     "user call %d returned %" PRId64 " errno %s", u->seq, ret,
				     en ? en : "0");
	}
}

void ot_sentence_user(const struct ot_sentence_in *in, char *buf, size_t sz)
{
	OT_SBUF(b);
	const struct ot_claim_user *u = &in->cl->u.user;
	char call[48] = "";

	if (in->seen->call[0])
		snprintf(call, sizeof(call), " (`%s`)", in->seen->call);
	if (u->form == OT_USER_FD)
		ot_sput(&b, "the program's call %d%s returned file descriptor %" PRId64 ".", u->seq,
			call, in->seen->num);
	else if (u->form == OT_USER_ERR)
		ot_sput(&b, "the program's call %d%s returned -1 with errno %s.", u->seq, call,
			u->value);
	else
		ot_sput(&b, "for its call %d%s, the program reported `%s` = %" PRId64 ".", u->seq,
			call, u->ufield, in->seen->num);
	ot_sfinish(&b);
}
