// SPDX-License-Identifier: MIT
/* opentrail compare: do two runs of a case (say, the BPF and the kernel-module
 * backend) tell the same story? Same call tree shape, same decoded returns, the
 * same equalities and differences between addresses (the addresses themselves
 * differ from run to run), the same claim verdicts. Functions that only one
 * side could probe are left out of the comparison and named, with the reason
 * the other side gave. */
#include <argp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/catalogue.h"
#include "probe/spec.h"
#include "claims/claims.h"
#include "cli/analyse.h"
#include "cli/commands.h"
#include "record/logparse.h"
#include "trace/trace.h"

struct side {
	const char *path;
	struct ot_log log;
	struct ot_trace t;
	struct ot_claim_set cs;
	const struct ot_call **flat; /* calls of the common functions, in tree order */
	unsigned *depth;
	bool *op_start; /* flat[i] begins an operation */
	size_t n;
	uint64_t *seen; /* addresses in order of first appearance */
	size_t nseen;
};

static bool was_probed(const struct side *s, const char *func)
{
	if (ot_trace_run_fact(&s->t, "probes"))
		return ot_trace_probed(&s->t, func);
	for (size_t i = 0; i < s->t.ncalls; i++) /* a seed log: what it shows */
		if (!strcmp(s->t.calls[i]->func, func))
			return true;
	return false;
}

static bool common(const struct side *a, const struct side *b, const char *func)
{
	return was_probed(a, func) && was_probed(b, func);
}

/* The case's operations: the calls of the anchor function and what they called.
 * Work outside them (say, the evictions a drop_caches does) depends on whatever
 * else the cache held and is compared only through the claims. */
static void flatten_ops(struct side *s, const struct side *other, const struct ot_call *c,
			const char *anchor);

static void flatten(struct side *s, const struct side *other, const struct ot_call *c,
		    unsigned depth)
{
	const struct ot_record *r = c->entry ? c->entry : c->ret;
	/* A slow path's calls come and go with the RCU walk's luck: not compared. */
	bool keep = common(s, other, c->func) && !(r && ot_probe_is_slow_path(r->real));

	if (keep) {
		s->flat = realloc(s->flat, (s->n + 1) * sizeof(*s->flat));
		s->depth = realloc(s->depth, (s->n + 1) * sizeof(*s->depth));
		s->op_start = realloc(s->op_start, (s->n + 1) * sizeof(*s->op_start));
		if (!s->flat || !s->depth || !s->op_start)
			abort();
		s->flat[s->n] = c;
		s->op_start[s->n] = depth == 0;
		s->depth[s->n++] = depth;
	}
	for (size_t i = 0; i < c->nkids; i++)
		flatten(s, other, c->kids[i], depth + keep);
}

static void flatten_ops(struct side *s, const struct side *other, const struct ot_call *c,
			const char *anchor)
{
	if (!strcmp(c->func, anchor)) {
		flatten(s, other, c, 0);
		return;
	}
	for (size_t i = 0; i < c->nkids; i++)
		flatten_ops(s, other, c->kids[i], anchor);
}

/* Canonical name of an address: its rank in order of first appearance. */
static size_t canon(struct side *s, uint64_t v)
{
	for (size_t i = 0; i < s->nseen; i++)
		if (s->seen[i] == v)
			return i;
	s->seen = realloc(s->seen, (s->nseen + 1) * sizeof(*s->seen));
	if (!s->seen)
		abort();
	s->seen[s->nseen] = v;
	return s->nseen++;
}

static bool is_address(const struct ot_field *f)
{
	return f->type == OT_V_HEX && f->u >= 0xffff000000000000ull &&
	       f->u < (uint64_t)-OT_MAX_ERRNO;
}

static void ret_text(const struct ot_call *c, char *buf, size_t sz)
{
	if (!c->ret)
		snprintf(buf, sz, "(no return)");
	else
		ot_ret_text(&c->dec, c->kind, buf, sz);
}

/* Compare the address fields both records have; returns the number of mismatches. */
static int compare_addresses(struct side *a, struct side *b, const struct ot_record *ra,
			     const struct ot_record *rb, const char *what, size_t idx)
{
	int bad = 0;

	if (!ra || !rb)
		return 0;
	for (size_t i = 0; i < ra->nfields; i++) {
		const struct ot_field *fa = &ra->fields[i];
		const struct ot_field *fb = ot_rec_field(rb, fa->key);

		/* caller is a code address: relations between objects say nothing of it,
		 * and each boot moves the kernel's text (KASLR). */
		if (!fb || !is_address(fa) || !is_address(fb) || !strcmp(fa->key, "caller") ||
		    ot_probe_field_on_stack(a->flat[idx]->func, ra == a->flat[idx]->ret, fa->key))
			continue;
		size_t ca = canon(a, fa->u), cb = canon(b, fb->u);
		if (ca != cb) {
			if (!bad)
				printf("  address relation differs at call %zu (%s %s.%s): "
				       "%s (L%u) is address #%zu there, %s (L%u) is #%zu here\n",
				       idx + 1, a->flat[idx]->func, what, fa->key, fa->raw,
				       ra->line, ca + 1, fb->raw, rb->line, cb + 1);
			bad++;
		}
	}
	return bad;
}

static int load(struct side *s, const struct ot_case *kase)
{
	if (ot_log_read_file(s->path, &s->log)) {
		fprintf(stderr, "opentrail: cannot read %s: %s\n", s->path, strerror(errno));
		return -1;
	}
	ot_trace_build(&s->log, &s->t);
	if (!s->t.ncalls) {
		fprintf(stderr, "opentrail: %s has no trace lines\n", s->path);
		return -1;
	}
	ot_claims_eval(&s->t, kase, &s->cs);
	return 0;
}

static void unload(struct side *s)
{
	free(s->flat);
	free(s->depth);
	free(s->op_start);
	free(s->seen);
	ot_claim_set_free(&s->cs);
	ot_trace_free(&s->t);
	ot_log_free(&s->log);
}

/* Functions only one side probed, with the other side's reason. */
static void report_one_sided(const struct side *a, const struct side *b)
{
	const char *why = ot_trace_run_fact(&b->t, "skipped");

	for (size_t i = 0; i < ot_probe_count(); i++) {
		const char *f = ot_probe_at(i)->func;
		if (!was_probed(a, f) || was_probed(b, f))
			continue;
		const char *r = why ? strstr(why, f) : NULL;
		size_t fl = strlen(f);
		if (r && r[fl] == ':') {
			const char *end = strchr(r, ',');
			printf("  not compared: %s (probed in %s only; %s: %.*s)\n", f, a->path,
			       b->path,
			       (int)(end ? (size_t)(end - r - fl - 1) : strlen(r + fl + 1)),
			       r + fl + 1);
		} else {
			printf("  not compared: %s (probed in %s only)\n", f, a->path);
		}
	}
}

static int compare_sides(struct side *a, struct side *b, const char *anchor)
{
	int bad = 0;
	char ta[64], tb[64];

	for (size_t i = 0; i < a->t.nthreads; i++)
		for (size_t k = 0; k < a->t.threads[i].nroots; k++)
			flatten_ops(a, b, a->t.threads[i].roots[k], anchor);
	for (size_t i = 0; i < b->t.nthreads; i++)
		for (size_t k = 0; k < b->t.threads[i].nroots; k++)
			flatten_ops(b, a, b->t.threads[i].roots[k], anchor);
	report_one_sided(a, b);
	report_one_sided(b, a);

	size_t n = a->n < b->n ? a->n : b->n;
	for (size_t i = 0; i < n; i++) {
		const struct ot_call *ca = a->flat[i], *cb = b->flat[i];
		ret_text(ca, ta, sizeof(ta));
		ret_text(cb, tb, sizeof(tb));
		if (strcmp(ca->func, cb->func) || a->depth[i] != b->depth[i]) {
			printf("  call tree differs at call %zu: %s at depth %u (L%u) vs %s at "
			       "depth %u (L%u)\n",
			       i + 1, ca->func, a->depth[i], ot_call_line(ca), cb->func,
			       b->depth[i], ot_call_line(cb));
			return bad + 1; /* nothing after a shape difference lines up */
		}
		if (strcmp(ta, tb)) {
			printf("  return differs at call %zu (%s): %s (L%u) vs %s (L%u)\n", i + 1,
			       ca->func, ta, ca->ret ? ca->ret->line : 0, tb,
			       cb->ret ? cb->ret->line : 0);
			bad++;
		}
		if (a->op_start[i]) /* address relations are compared within one operation */
			a->nseen = b->nseen = 0;
		bad += compare_addresses(a, b, ca->entry, cb->entry, "entry", i);
		bad += compare_addresses(a, b, ca->ret, cb->ret, "ret", i);
	}
	if (a->n != b->n) {
		printf("  call tree differs: %zu compared calls vs %zu\n", a->n, b->n);
		bad++;
	}
	for (size_t i = 0; i < a->cs.n; i++)
		for (size_t k = 0; k < b->cs.n; k++)
			if (!strcmp(a->cs.r[i].claim, b->cs.r[k].claim) &&
			    a->cs.r[i].verdict != b->cs.r[k].verdict) {
				printf("  claim '%s': %s vs %s\n", a->cs.r[i].claim,
				       ot_verdict_name(a->cs.r[i].verdict),
				       ot_verdict_name(b->cs.r[k].verdict));
				bad++;
			}
	printf("%s: %zu calls compared, %s\n", bad ? "DIFFER" : "AGREE", n,
	       bad ? "see above" : "same story");
	return bad;
}

static const char compare_doc[] =
    "Compare two logs of the same case (e.g. the bpf and the kmod backend): call tree "
    "shape, decoded returns, which addresses are equal or different, claim verdicts.\v"
    "Addresses differ between runs; their equalities within an operation must not "
    "(addresses on the kernel stack are left out, and so are equalities across operations, "
    "where the allocator may hand back memory an earlier operation freed: the claims state "
    "the cross-operation equalities that matter, and their verdicts are compared). The call trees "
    "compared are "
    "those of the case's operations (the calls of its anchor function, do_filp_open by "
    "default). Functions only one log probed are named and left out.\n\n"
    "Exit status: 0 the logs agree; 1 they differ; 2 bad input.\n\n"
    "EXAMPLES:\n"
    "  opentrail compare --case case17_missing_file out/bpf/case17_missing_file.log "
    "out/kmod/case17_missing_file.log";

static const struct argp_option compare_opts[] = {
    {"case", 'c', "ID", 0, "Also compare the verdicts of case ID's claims", 0},
    {0},
};

struct compare_args {
	const char *case_id;
	char *logs[2];
	int nlogs;
};

static error_t compare_parse(int key, char *arg, struct argp_state *state)
{
	struct compare_args *a = state->input;

	switch (key) {
	case 'c':
		a->case_id = arg;
		return 0;
	case ARGP_KEY_ARG:
		if (a->nlogs == 2)
			argp_error(state, "give exactly two logs");
		a->logs[a->nlogs++] = arg;
		return 0;
	case ARGP_KEY_END:
		if (a->nlogs != 2)
			argp_error(state, "give exactly two logs");
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

int cmd_compare(int argc, char **argv)
{
	struct compare_args a = {0};
	struct argp argp = {compare_opts, compare_parse, "LOG_A LOG_B", compare_doc,
			    NULL,	  NULL,		 NULL};
	const struct ot_case *kase = NULL;
	struct side s[2];
	int ret = 2;

	if (argp_parse(&argp, argc, argv, 0, NULL, &a))
		return 2;
	if (a.case_id && !(kase = ot_cli_case(a.case_id)))
		return 2;
	memset(s, 0, sizeof(s));
	s[0].path = a.logs[0];
	s[1].path = a.logs[1];
	if (load(&s[0], kase) || load(&s[1], kase))
		goto out;
	ret = compare_sides(&s[0], &s[1], kase && kase->anchor ? kase->anchor : "do_filp_open") ? 1
												: 0;
out:
	unload(&s[0]);
	unload(&s[1]);
	return ret;
}
