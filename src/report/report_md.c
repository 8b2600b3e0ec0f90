// SPDX-License-Identifier: MIT
/* The Markdown report: what a person reads to see what the kernel did and
 * whether the case's claims hold. Every number links back to the raw log. */
#include "report/linepath.h"
#include "report/report.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "report/fields.h"
#include "report/model.h"
#include "report/mdtext.h"
#include "report/pointers.h"
#include "report/runinfo.h"
#include "report/scale.h"
#include "report/srcrender.h"
#include "report/summary.h"
#include "report/tree.h"
#include "record/logwrite.h"
#include "trace/decode.h"

/* Beyond this many evidence links a claim's row stops being readable; JSON keeps them all. */
#define MAX_EVIDENCE_LINKS 24
#define MAX_CHAIN_LINES	   12

static const char *verdict_shout(enum ot_case_verdict v)
{
	return v == OT_CASE_PASS ? "PASS" : v == OT_CASE_FAIL ? "FAIL" : "INCOMPLETE";
}

static void write_title(FILE *f, const struct ot_run_info *ri, const struct ot_report_input *in)
{
	size_t tally[4];

	if (ri->case_id)
		fprintf(f, "# opentrail report: %s — %s\n\n", ri->case_id, ri->title);
	else
		fprintf(f, "# opentrail report: %s — %s\n\n", in->log->name, ri->title);
	ot_claim_tally(in->claims, tally);
	fprintf(
	    f,
	    "**Verdict: %s** — %zu claims: %zu pass, %zu fail, %zu not evidenced, %zu skipped\n\n",
	    verdict_shout(ri->verdict), in->claims ? in->claims->n : 0, tally[OT_PASS],
	    tally[OT_FAIL], tally[OT_NOT_EVIDENCED], tally[OT_SKIPPED]);
}

/* Where the report shows unpaired calls: the call tree, or the shapes at scale. */
static const char *unpaired_where(const struct ot_trace *t)
{
	return ot_md_summarises(t) ? "[call shapes](#call-shapes) (\"no return\", \"no entry\")"
				   : "[call tree](#call-tree)";
}

/* "> **Note:** N calls were WHAT — marked in the tree; they are not counted as
 * unpaired." for the calls trace -p's attach or detach cut (nothing when N is 0). */
static void note_marked(FILE *f, const struct ot_trace *t, size_t n, const char *one,
			const char *many, const char *what)
{
	if (n)
		fprintf(f,
			"> **Note:** %zu %s %s — marked in the %s; they are not counted as "
			"unpaired.\n\n",
			n, n == 1 ? one : many, what, unpaired_where(t));
}

static void write_warnings(FILE *f, const struct ot_run_info *ri, const struct ot_log *log,
			   const struct ot_trace *t, const struct ot_summary *s)
{
	if (ri->lost)
		fprintf(f,
			"> **Warning: %llu records were lost** (the ring buffer dropped them): "
			"the trace is incomplete and this run cannot pass.\n\n",
			ri->lost);
	if (ri->missed)
		fprintf(
		    f,
		    "> **Warning: the kernel skipped %llu probe runs**: a probe does not run on a "
		    "CPU where it is already running (nested in an interrupt, or, on a "
		    "preemptible kernel, while another task is preempted inside it), and a "
		    "kretprobe misses the returns of calls made while all its instances are in "
		    "use (more calls in progress at once than its maxactive); the calls or "
		    "returns skipped, of any process, were not recorded: calls of the traced "
		    "program may be missing or unpaired, so this run cannot pass.\n\n",
		    ri->missed);
	if (ri->interrupted)
		fprintf(
		    f,
		    "> **Warning: the run was interrupted (%s)**: the log holds what was "
		    "captured until then; the trace is incomplete and this run cannot pass.\n\n",
		    ri->interrupted);
	if (ri->detached)
		fprintf(f,
			"> **Note:** the trace ended when %s detached the probes from the running "
			"process (as `strace -p` does): the log is whole until then.%s\n\n",
			ri->detached,
			s->nin_flight ? "" : " No call was in flight at that moment.");
	note_marked(f, t, s->nin_flight, "call was", "calls were",
		    "in flight when the probes detached (entered, not yet returned)");
	note_marked(f, t, s->nin_flight_attach, "call had", "calls had",
		    s->nin_flight_attach == 1
			? "begun before the probes attached to the running process (seen by its "
			  "return alone)"
			: "begun before the probes attached to the running process (seen by their "
			  "return alone)");
	if (log->nunparsed)
		fprintf(f,
			"> **Warning: %zu trace %s could not be read** — see "
			"[Unparsed lines](#unparsed-lines).\n\n",
			log->nunparsed, log->nunparsed == 1 ? "line" : "lines");
	if (log->nwarnings) {
		fprintf(f,
			"> **Warning: %zu %s held bytes that are kept escaped** (NUL, control "
			"characters or invalid UTF-8, shown as `\\xHH`): ",
			log->nwarnings, log->nwarnings == 1 ? "input line" : "input lines");
		for (size_t i = 0; i < log->nwarnings && i < 10; i++)
			fprintf(f, "%sL%u", i ? ", " : "", log->warnings[i].line);
		fprintf(f, "%s.\n\n", log->nwarnings > 10 ? ", ..." : "");
	}
	if (s->nunpaired)
		fprintf(f,
			"> **Note:** %zu %s unpaired (an entry without its return or a "
			"return without its entry) — marked in the %s.\n\n",
			s->nunpaired, s->nunpaired == 1 ? "call is" : "calls are",
			unpaired_where(t));
}

static void write_run_table(FILE *f, const struct ot_run_info *ri, const struct ot_report_input *in)
{
	const struct ot_log *log = in->log;
	const char *skipped = ot_trace_run_fact(in->trace, "skipped");

	fputs("| | |\n| --- | --- |\n", f);
	fputs("| Case | ", f);
	if (ri->case_id)
		ot_md_code_cell(f, ri->case_id);
	else
		fputs("none (trace claim block only)", f);
	fputs(" |\n", f);
	if (in->kase && in->kase->intent) {
		fputs("| Intent | ", f);
		ot_md_cell(f, in->kase->intent);
		fputs(" |\n", f);
	}
	fputs("| Kernel | ", f);
	ot_md_cell(f, ri->kernel);
	fputs(" |\n| Backend | ", f);
	ot_md_cell(f, ri->backend);
	fprintf(f, " |\n| %s | %s |\n", ri->time_from_log ? "Run time" : "Report time", ri->time);
	fputs("| Log | ", f);
	ot_md_code_cell(f, log->name ? log->name : "-");
	fprintf(f, " — %zu lines, %zu records, %zu unparsed, %zu prose", log->nlines,
		log->nrecs_read, log->nunparsed, log->nprose);
	if (log->ndescribed) /* spec.fact lines: what its values are */
		fprintf(f, ", %zu function descriptions", log->ndescribed);
	fputs(" |\n", f);
	fprintf(f, "| Lost records | %llu |\n", ri->lost);
	if (ri->missed)
		fprintf(f, "| Probe runs skipped by the kernel | %llu |\n", ri->missed);
	if (ri->detached)
		fprintf(f, "| Ended | detached by %s (the process kept running) |\n", ri->detached);
	if (ri->filter_path || ri->filter_errors_only) {
		fputs("| Filters (in the kernel) | only operations ", f);
		if (ri->filter_path) {
			fputs("whose path matches ", f);
			ot_md_code_cell(f, ri->filter_path);
		}
		fprintf(f, "%s%s; %llu operations filtered out",
			ri->filter_path && ri->filter_errors_only ? " and " : "",
			ri->filter_errors_only ? "that failed" : "", ri->filtered_out);
		if (ri->filter_overflows)
			fprintf(f,
				"; %llu kept whole whatever their result (more records than the "
				"kernel's buffer holds)",
				ri->filter_overflows);
		if (ri->filter_path_unread)
			fprintf(f, "; %llu kept because their path could not be read",
				ri->filter_path_unread);
		fputs(" |\n", f);
	}
	if (skipped && *skipped) {
		fputs("| Skipped probes | ", f);
		ot_md_cell(f, skipped);
		fputs(" |\n", f);
	}
	fputc('\n', f);
}

static void write_evidence(FILE *f, const struct ot_claim_result *r)
{
	size_t shown = r->nevidence < MAX_EVIDENCE_LINKS ? r->nevidence : MAX_EVIDENCE_LINKS;

	if (!r->nevidence)
		fputs("—", f);
	for (size_t i = 0; i < shown; i++) {
		if (i)
			fputs(", ", f);
		ot_md_line_link(f, r->evidence[i]);
	}
	if (shown < r->nevidence)
		fprintf(f, " … +%zu more", r->nevidence - shown);
}

static const char *verdict_cell(enum ot_verdict v)
{
	switch (v) {
	case OT_PASS:
		return "pass";
	case OT_FAIL:
		return "**FAIL**";
	case OT_NOT_EVIDENCED:
		return "**not evidenced**";
	case OT_SKIPPED:
		return "skipped";
	}
	return "?";
}

static void write_claims(FILE *f, const struct ot_claim_set *cs)
{
	fputs("## Claims\n\n", f);
	if (!cs || !cs->n) {
		fputs("No claims were evaluated.\n\n", f);
		return;
	}
	fputs("| # | in plain words | claim | verdict | evidence | detail |\n"
	      "| --- | --- | --- | --- | --- | --- |\n",
	      f);
	for (size_t i = 0; i < cs->n; i++) {
		const struct ot_claim_result *r = &cs->r[i];

		fprintf(f, "| %zu | ", i + 1);
		ot_md_cell(f, r->sentence ? r->sentence : "");
		fputs(" | ", f);
		ot_md_code_cell(f, r->claim ? r->claim : "");
		fprintf(f, " | %s | ", verdict_cell(r->verdict));
		write_evidence(f, r);
		fputs(" | ", f);
		ot_md_cell(f, r->detail ? r->detail : "");
		fputs(" |\n", f);
	}
	fputc('\n', f);
}

static void write_probe_counts(FILE *f, const struct ot_summary *s)
{
	fputs("## Probe Counts\n\n", f);
	if (!s->nfuncs) {
		fputs("No call records in the log.\n\n", f);
	} else {
		fputs("| probe | entries | returns | unpaired |\n| --- | ---: | ---: | ---: |\n",
		      f);
		for (size_t i = 0; i < s->nfuncs; i++) {
			const struct ot_func_summary *fs = &s->funcs[i];

			fprintf(f, "| `%s` | %zu | %zu | %s%zu%s |\n", fs->func, fs->entries,
				fs->rets, fs->unpaired ? "**" : "", fs->unpaired,
				fs->unpaired ? "**" : "");
		}
		fprintf(f, "| **total** | %zu | %zu | %zu |\n\n", s->nentries, s->nrets,
			s->nunpaired);
	}
	if (s->nmissing) {
		fputs("In the case's probe set but not in this log (not attached, or the log does "
		      "not say what was attached): ",
		      f);
		for (size_t i = 0; i < s->nmissing; i++)
			fprintf(f, "%s`%s`", i ? ", " : "", s->missing[i]);
		fputs(".\n\n", f);
	}
}

static void write_return_counts(FILE *f, const struct ot_summary *s)
{
	bool any = false;

	fputs("## Return Signature Counts\n\n", f);
	for (size_t i = 0; i < s->nfuncs && !any; i++)
		any = s->funcs[i].nvalues > 0;
	if (!any) {
		fputs("No return records in the log.\n\n", f);
		return;
	}
	fputs("| function | return | count |\n| --- | --- | ---: |\n", f);
	for (size_t i = 0; i < s->nfuncs; i++) {
		const struct ot_func_summary *fs = &s->funcs[i];

		for (size_t j = 0; j < fs->nvalues; j++) {
			fputs("| ", f);
			if (j == 0)
				fprintf(f, "`%s`", fs->func);
			fputs(" | ", f);
			ot_md_code_cell(f, fs->values[j].text);
			fprintf(f, " | %zu |\n", fs->values[j].n);
		}
	}
	fputc('\n', f);
}

static void write_call_tree(FILE *f, const struct ot_trace *t, const struct ot_case *kase)
{
	const char *anchor = kase ? kase->anchor : NULL;

	fputs("## Call tree\n\n", f);
	if (!t->ncalls) {
		fputs("No calls in the log.\n\n", f);
		return;
	}
	fputs("Per thread (`pid/tid comm`), calls nested as they ran; arguments and returns "
	      "decoded; `[Lx-Ly]` are the entry and return lines",
	      f);
	if (anchor)
		fprintf(f, "; **op#N** is the N-th call of `%s`, as the claims count them", anchor);
	ot_tree_renamed(f, t, "`");
	fputs(".\n\n", f);
	ot_tree_markdown(f, t, anchor);
	fputc('\n', f);
}

static void write_link_lines(FILE *f, const struct ot_ptr_chain *c, size_t from, size_t to)
{
	size_t shown = 0;

	fputs(" (", f);
	for (size_t i = from; i < to; i++) {
		if (shown == MAX_CHAIN_LINES) {
			fprintf(f, ", … +%zu", to - i);
			break;
		}
		if (shown++)
			fputs(", ", f);
		ot_md_line_link(f, c->links[i].ev.line);
	}
	fputc(')', f);
}

/* Consecutive links of the same event field are one step of the chain. */
static void write_chain(FILE *f, const struct ot_ptr_chain *c)
{
	char ev[128], prev[192] = "", cur[192];
	size_t start = 0;

	fprintf(f, "- `0x%" PRIx64 "`: ", c->value);
	for (size_t i = 0; i <= c->nlinks; i++) {
		if (i < c->nlinks) {
			ot_ptr_event_name(&c->links[i].ev, ev, sizeof(ev));
			snprintf(cur, sizeof(cur), "%s:%s", ev, c->links[i].field);
			if (i > 0 && strcmp(cur, prev) == 0)
				continue;
		}
		if (i > 0) {
			fprintf(f, "%s`%s`", start ? " → " : "", prev);
			if (i - start > 1)
				fprintf(f, " ×%zu", i - start);
			write_link_lines(f, c, start, i);
		}
		if (i < c->nlinks) {
			strcpy(prev, cur);
			start = i;
		}
	}
	fputc('\n', f);
}

static void write_offset(FILE *f, const struct ot_ptr_offset *o)
{
	char be[128], ie[128];
	char q[256];

	ot_ptr_event_name(&o->base, be, sizeof(be));
	ot_ptr_event_name(&o->inner, ie, sizeof(ie));
	ot_quote(q, sizeof(q), o->prefix, strlen(o->prefix));
	fprintf(f, "- `%s:%s - %s:%s = %" PRIu64 " = strlen(%s)`", ie, o->inner_field, be,
		o->base_field, o->diff, q);
	fputs(o->text_agrees ? " — the name is the path's text from that offset"
			     : " — **the texts differ** (the buffer was reused?)",
	      f);
	fputs(": ", f);
	for (size_t i = 0; i < o->n && i < MAX_CHAIN_LINES; i++) {
		if (i)
			fputs(", ", f);
		ot_md_line_link(f, o->inner_lines[i]);
		fputs(" − ", f);
		ot_md_line_link(f, o->base_lines[i]);
	}
	if (o->n > MAX_CHAIN_LINES)
		fprintf(f, ", … +%zu", o->n - MAX_CHAIN_LINES);
	fputc('\n', f);
}

static void write_offsets(FILE *f, const struct ot_pointers *p);

static void write_pointers(FILE *f, const struct ot_pointers *p)
{
	fputs("## Pointer chains\n\n", f);
	if (!p->nchains) {
		fputs("No address appears in more than one event.\n\n", f);
	} else {
		fputs("Addresses seen in more than one event (NULL and ERR_PTR values left out): "
		      "the same object handed from one function to the next.\n\n",
		      f);
		for (size_t i = 0; i < p->nchains; i++)
			write_chain(f, &p->chains[i]);
		fputc('\n', f);
	}
	write_offsets(f, p);
}

static void write_offsets(FILE *f, const struct ot_pointers *p)
{
	if (!p->noffsets)
		return;
	fputs("### Address subtractions\n\nString pointers that lie inside another string: "
	      "the difference is where the name starts in the path.\n\n",
	      f);
	for (size_t i = 0; i < p->noffsets; i++)
		write_offset(f, &p->offsets[i]);
	fputc('\n', f);
}

/* A small run gets its whole call tree and every chain; a large one their summaries. */
static void write_calls_at_scale_or_tree(FILE *f, const struct ot_report_input *in,
					 const struct ot_report_model *m)
{
	const struct ot_trace *t = in->trace;
	const struct ot_case *kase = in->kase;
	const struct ot_pointers *p = &m->p;

	if (m->scale) { /* counted while the trace was built streamed */
		ot_scale_write(f, m->scale, t, kase ? kase->anchor : NULL);
		ot_md_chain_shapes(f, p);
		write_offsets(f, p);
		return;
	}

	if (!ot_md_summarises(t)) {
		write_call_tree(f, t, kase);
		ot_src_markdown(f, in);
		ot_linepath_markdown(f, in);
		write_pointers(f, p);
		return;
	}
	ot_md_call_summary(f, t, kase ? kase->anchor : NULL);
	ot_md_chain_shapes(f, p);
	write_offsets(f, p);
}

static void write_fact_cell(FILE *f, const struct ot_record *r, const char *key)
{
	const struct ot_field *fl = ot_rec_field(r, key);
	char buf[512];

	fputs(" | ", f);
	if (!fl)
		return;
	if (fl->type == OT_V_STR) {
		ot_md_code_cell(f, ot_field_text(fl));
		return;
	}
	ot_field_format(r, fl, buf, sizeof(buf));
	ot_md_cell(f, buf + strlen(key) + 1);
}

static void write_errno_cell(FILE *f, const struct ot_record *r)
{
	const char *name = ot_rec_str(r, "errname");
	uint64_t e = 0;
	bool has = ot_rec_u64(r, "errno", &e);

	fputs(" | ", f);
	if (!name && has)
		name = ot_errno_name((int)e);
	if (has && e == 0)
		fputs("0", f);
	else if (name && has)
		fprintf(f, "%s (%" PRIu64 ")", name, e);
	else if (name)
		ot_md_cell(f, name);
	else if (has)
		fprintf(f, "%" PRIu64, e);
}

/* At scale the table keeps its first rows; the JSON report has every fact. */
#define MAX_USER_FACT_ROWS_AT_SCALE 50

static void write_user_facts(FILE *f, const struct ot_trace *t)
{
	bool header = false;
	size_t rows = 0, max = ot_md_summarises(t) ? MAX_USER_FACT_ROWS_AT_SCALE : (size_t)-1;

	for (size_t i = 0; i < t->nfacts; i++) {
		const struct ot_record *r = t->facts[i];

		if (!ot_is_user_fact(r))
			continue;
		if (rows++ == max) {
			size_t rest = 1;

			for (size_t j = i + 1; j < t->nfacts; j++)
				rest += ot_is_user_fact(t->facts[j]);
			fprintf(f, "| … | %zu more (in the JSON report) | | | | | |\n", rest);
			break;
		}
		if (!header) {
			fputs(
			    "## What the program saw\n\nThe trigger's own account of each "
			    "operation (`user.fact`).\n\n| line | seq | call | path | flags | ret "
			    "| errno |\n| --- | ---: | --- | --- | --- | ---: | --- |\n",
			    f);
			header = true;
		}
		fputs("| ", f);
		ot_md_line_link(f, r->line);
		write_fact_cell(f, r, "seq");
		write_fact_cell(f, r, "call");
		write_fact_cell(f, r, "path");
		write_fact_cell(f, r, "flags");
		write_fact_cell(f, r, "ret");
		write_errno_cell(f, r);
		fputs(" |\n", f);
	}
	if (header)
		fputc('\n', f);
}

static const char *line_text(const struct ot_log *log, unsigned line)
{
	return line >= 1 && line <= log->nlines && log->lines[line - 1] ? log->lines[line - 1] : "";
}

/* Facts other than the run's and the trigger's: e.g. the seeds' d_lookup replay. */
static void write_other_facts(FILE *f, const struct ot_trace *t)
{
	bool header = false;

	for (size_t i = 0; i < t->nfacts; i++) {
		const struct ot_record *r = t->facts[i];

		if (ot_is_user_fact(r) || ot_is_run_fact(r))
			continue;
		if (!header) {
			fputs(
			    "## Other facts\n\nFacts recorded besides calls (e.g. a "
			    "`DLOOKUP_REPLAY` "
			    "of the seeds: d_lookup called again on the captured parent and name)."
			    "\n\n",
			    f);
			header = true;
		}
		fputs("- ", f);
		ot_md_line_link(f, r->line);
		fprintf(f, " **%s**: ", r->func ? r->func : "fact");
		ot_md_code_cell(f, line_text(t->log, r->line));
		fputc('\n', f);
	}
	if (header)
		fputc('\n', f);
}

static void write_notes(FILE *f, const struct ot_case *kase)
{
	if (!kase || !kase->notes || !*kase->notes)
		return;
	fputs("## Kernel facts behind the claims\n\n", f);
	ot_md_cell(f, kase->notes);
	fputs("\n\n", f);
}

static void write_unparsed(FILE *f, const struct ot_log *log)
{
	fputs("## Unparsed lines\n\n", f);
	if (!log->nunparsed) {
		fprintf(f,
			"None: every trace-looking line was read (%zu lines of prose around the "
			"log were ignored).\n\n",
			log->nprose);
		return;
	}
	fprintf(f,
		"%zu trace-looking %s could not be read (and %zu lines of prose were "
		"ignored).\n\n| line | reason | text |\n| --- | --- | --- |\n",
		log->nunparsed, log->nunparsed == 1 ? "line" : "lines", log->nprose);
	for (size_t i = 0; i < log->nunparsed; i++) {
		const struct ot_unparsed *u = &log->unparsed[i];

		fputs("| ", f);
		ot_md_line_link(f, u->line);
		fputs(" | ", f);
		ot_md_cell(f, u->reason ? u->reason : "");
		fputs(" | ", f);
		ot_md_code_cell(f, u->text ? u->text : "");
		fputs(" |\n", f);
	}
	fputc('\n', f);
}

static int digits(size_t n)
{
	int d = 1;

	while (n >= 10) {
		n /= 10;
		d++;
	}
	return d;
}

/* A <pre> block rather than a fenced one, so that every line can carry an anchor. */
static void write_raw_log(FILE *f, const struct ot_log *log, bool embedded)
{
	int w = digits(log->nlines);

	fputs("## Raw log\n\n", f);
	if (!embedded) {
		fputs("Not embedded: the log is ", f);
		ot_md_code_cell(f, log->name ? log->name : "-");
		fputs(" (", f);
		fprintf(f,
			"%zu lines), too long to read here; every line number in this report "
			"(Lnnn) is a line of that file.\n",
			log->nlines);
		return;
	}
	fputs("<pre>\n", f);
	for (size_t i = 0; i < log->nlines; i++) {
		fprintf(f, "<a id=\"L%zu\"></a>%*zu  ", i + 1, w, i + 1);
		ot_md_html(f, log->lines[i]);
		fputc('\n', f);
	}
	fputs("</pre>\n", f);
}

int ot_report_markdown_with(FILE *f, const struct ot_report_input *in,
			    const struct ot_report_model *m)
{
	const struct ot_run_info *ri = &m->ri;
	const struct ot_summary *s = &m->s;
	const bool embedded = ot_md_embeds_raw_log(in->log, in->trace);

	ot_md_set_line_links(embedded);
	write_title(f, ri, in);
	write_warnings(f, ri, in->log, in->trace, s);
	write_run_table(f, ri, in);
	write_claims(f, in->claims);
	write_probe_counts(f, s);
	write_return_counts(f, s);
	write_calls_at_scale_or_tree(f, in, m);
	write_user_facts(f, in->trace);
	write_other_facts(f, in->trace);
	write_notes(f, in->kase);
	write_unparsed(f, in->log);
	write_raw_log(f, in->log, embedded);
	ot_md_set_line_links(true);
	return ferror(f) ? -1 : 0;
}
