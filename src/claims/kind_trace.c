// SPDX-License-Identifier: MIT
/* The trace claim block: pairs [FUNC], decoded, no_loss (language in claims.h). */
#include "claims/kind.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void add_lines(struct ot_claim_result *r, const unsigned *lines, size_t n)
{
	for (size_t i = 0; i < n; i++)
		ot_claim_add_evidence(r, lines[i]);
}

/* Did the kernel skip probe runs (run.fact missed=N, N > 0)? */
static bool missed_runs(const struct ot_claim_ctx *c)
{
	const char *missed = ot_trace_run_fact(c->t, "missed");

	return missed && strtoull(missed, NULL, 0) != 0;
}

/* --- pairs [FUNC] --- */

int ot_parse_pairs(struct ot_claim *cl, char **a, int n, char *err, size_t errsz)
{
	(void)err;
	(void)errsz;
	if (n)
		snprintf(cl->u.pairs.func, sizeof(cl->u.pairs.func), "%s", a[0]);
	return 0;
}

void ot_eval_pairs(struct ot_claim_ctx *c, const struct ot_claim *cl)
{
	const char *func = cl->u.pairs.func[0] ? cl->u.pairs.func : NULL;
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

void ot_sentence_pairs(const struct ot_sentence_in *in, char *buf, size_t sz)
{
	OT_SBUF(b);

	if (in->cl->u.pairs.func[0])
		ot_sput(&b, "each of the %zu `%s` calls", in->seen->n, in->cl->u.pairs.func);
	else
		ot_sput(&b, "each of the %zu traced calls", in->seen->n);
	ot_sput(&b, " returned on the thread that made it, nested inside its caller.");
	ot_sfinish(&b);
}

/* --- decoded --- */

int ot_parse_none(struct ot_claim *cl, char **a, int n, char *err, size_t errsz)
{
	(void)cl;
	(void)a;
	(void)n;
	(void)err;
	(void)errsz;
	return 0;
}

void ot_eval_decoded(struct ot_claim_ctx *c, const struct ot_claim *cl)
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

void ot_sentence_decoded(const struct ot_sentence_in *in, char *buf, size_t sz)
{
	OT_SBUF(b);

	ot_sput(&b,
		"all %zu return values decode as the probe dictionary says they should "
		"(a pointer, NULL, an ERR_PTR or a number).",
		in->seen->n);
	ot_sfinish(&b);
}

/* --- no_loss --- */

void ot_eval_no_loss(struct ot_claim_ctx *c, const struct ot_claim *cl)
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

void ot_sentence_no_loss(const struct ot_sentence_in *in, char *buf, size_t sz)
{
	OT_SBUF(b);

	(void)in;
	ot_sput(&b, "no trace records were lost: the log holds every event the probes saw.");
	ot_sfinish(&b);
}
