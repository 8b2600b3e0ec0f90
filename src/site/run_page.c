// SPDX-License-Identifier: MIT
/* The page of one run of a case: the claims in plain words with their precise text
 * and evidence, the call tree (collapsible), the pointer graph and the raw log. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_schema.h"
#include "site/scale_section.h"
#include "site/html.h"
#include "site/model.h"

static void evidence_links(FILE *f, json_object *ev)
{
	size_t n = ev ? json_object_array_length(ev) : 0;

	if (!n) {
		fputs("no log lines", f);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		int line = json_object_get_int(json_object_array_get_idx(ev, i));
		fprintf(f, "%s<a href=\"#L%d\">L%d</a>", i ? ", " : "", line, line);
	}
}

static void write_claims(FILE *f, json_object *claims)
{
	size_t n = json_object_array_length(claims);

	fputs("<section id=\"claims\">\n<h2>Claims</h2>\n<ol class=\"claims\">\n", f);
	for (size_t i = 0; i < n; i++) {
		json_object *c = json_object_array_get_idx(claims, i), *ev = NULL;
		json_object_object_get_ex(c, OT_RKEY(CLAIM, EVIDENCE), &ev);
		fprintf(f, "<li id=\"claim-%zu\"><p>", i + 1);
		html_verdict(f, site_str(c, OT_RKEY(CLAIM, VERDICT)));
		fputs(" — ", f);
		/* reports written before sentences existed: the detail is the best words */
		html_sentence(f, *site_str(c, "sentence") ? site_str(c, "sentence")
							  : site_str(c, OT_RKEY(CLAIM, DETAIL)));
		fputs("</p>\n<p class=\"claim-text\">Claim: <code>", f);
		html_text(f, site_str(c, OT_RKEY(CLAIM, NAME)));
		fputs("</code> — ", f);
		html_sentence(f, site_str(c, OT_RKEY(CLAIM, DETAIL)));
		fputs("</p>\n<p class=\"claim-text\">Evidence: ", f);
		evidence_links(f, ev);
		fputs("</p></li>\n", f);
	}
	fputs("</ol>\n</section>\n", f);
}

static void write_value_list(FILE *f, json_object *o)
{
	bool first = true;

	json_object_object_foreach(o, k, v)
	{
		fputs(first ? "" : ", ", f);
		first = false;
		html_text(f, k);
		fputc('=', f);
		if (json_object_is_type(v, json_type_string)) {
			const char *s = json_object_get_string(v);
			bool quote = strncmp(s, "0x", 2) && strspn(s, "-0123456789") != strlen(s);
			fputs(quote ? "\"" : "", f);
			html_text(f, s);
			fputs(quote ? "\"" : "", f);
		} else {
			html_text(f, json_object_to_json_string(v));
		}
	}
}

static int int_of(json_object *o, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(o, key, &v) ? json_object_get_int(v) : 0;
}

/* The source lines a call ran (line probes), in order: inlined functions marked,
 * a jump over lines of the same file folded into a count of the lines passed over. */
static void write_lines(FILE *f, json_object *lines)
{
	size_t n = json_object_array_length(lines);
	const char *pfile = NULL;
	int pline = 0;

	fprintf(f, "<details class=\"lines\"><summary>%zu source line%s ran</summary><pre>", n,
		n == 1 ? "" : "s");
	for (size_t i = 0; i < n; i++) {
		json_object *l = json_object_array_get_idx(lines, i);
		const char *file = site_str(l, OT_RKEY(LINE_STEP, FILE)), *in = site_str(l, OT_RKEY(LINE_STEP, INLINED_IN));
		int line = int_of(l, OT_RKEY(LINE_STEP, LINE)), hits = int_of(l, OT_RKEY(LINE_STEP, HITS)), at = int_of(l, OT_RKEY(LINE_STEP, LOG_LINE));

		if (pfile && !strcmp(pfile, file) && line > pline + 1)
			fprintf(f, "      ⋯ %d line%s not run\n", line - pline - 1,
				line - pline - 1 == 1 ? "" : "s");
		fputs("&gt; ", f);
		html_text(f, file);
		fprintf(f, ":%d  ", line);
		if (*in) {
			fputc('[', f);
			html_text(f, site_str(l, OT_RKEY(CALL, FUNC)));
			fputs(" inlined] ", f);
		}
		html_text(f, site_str(l, "text"));
		if (hits > 1)
			fprintf(f, "  (x%d)", hits);
		fprintf(f, "  <a href=\"#L%d\">L%d</a>\n", at, at);
		pfile = file;
		pline = line;
	}
	fputs("</pre></details>\n", f);
}

static void write_call(FILE *f, json_object *c, int depth)
{
	json_object *kids = NULL, *args = NULL, *rf = NULL, *op = NULL;
	int le = 0, lr = 0;

	json_object_object_get_ex(c, OT_RKEY(CALL, CHILDREN), &kids);
	json_object_object_get_ex(c, OT_RKEY(CALL, ARGS), &args);
	json_object_object_get_ex(c, OT_RKEY(CALL, RET_FIELDS), &rf);
	json_object_object_get_ex(c, OT_RKEY(CALL, OP), &op);
	json_object *v;
	if (json_object_object_get_ex(c, OT_RKEY(CALL, LINE_ENTRY), &v))
		le = json_object_get_int(v);
	if (json_object_object_get_ex(c, OT_RKEY(CALL, LINE_RET), &v))
		lr = json_object_get_int(v);
	size_t nk = kids ? json_object_array_length(kids) : 0;
	fputs(nk ? "<details" : "<div class=\"leaf\"", f);
	fputs(depth ? ">" : " class=\"root\">", f);
	fputs(nk ? "<summary>" : "", f);
	if (op && json_object_get_int(op) > 0)
		fprintf(f, "<strong>op#%d</strong> ", json_object_get_int(op));
	fputs("<code>", f);
	html_text(f, site_str(c, OT_RKEY(CALL, FUNC)));
	fputc('(', f);
	if (args)
		write_value_list(f, args);
	fputs(") → ", f);
	html_text(f, *site_str(c, "ret_text") ? site_str(c, "ret_text") : "(no return)");
	if (rf && json_object_object_length(rf)) {
		fputs(" {", f);
		write_value_list(f, rf);
		fputc('}', f);
	}
	fputs("</code> [", f);
	if (le)
		fprintf(f, "<a href=\"#L%d\">L%d</a>", le, le);
	if (lr)
		fprintf(f, "–<a href=\"#L%d\">L%d</a>", lr, lr);
	fputs("]", f);
	json_object *lines = NULL;
	json_object_object_get_ex(c, OT_RKEY(CALL, LINES), &lines);
	if (nk) {
		fputs("</summary>\n", f);
		if (lines)
			write_lines(f, lines);
		for (size_t i = 0; i < nk; i++)
			write_call(f, json_object_array_get_idx(kids, i), depth + 1);
		fputs("</details>\n", f);
	} else {
		if (lines)
			write_lines(f, lines);
		fputs("</div>\n", f);
	}
}

/* Each failing operation's origin (the roots' "origin"): where its error was decided. */
static void write_origins(FILE *f, json_object *calls)
{
	size_t n = calls ? json_object_array_length(calls) : 0;
	bool any = false;

	for (size_t i = 0; i < n; i++) {
		json_object *c = json_object_array_get_idx(calls, i), *o = NULL;

		if (!json_object_object_get_ex(c, OT_RKEY(CALL, ORIGIN), &o) || !o)
			continue;
		if (!any)
			fputs("<section id=\"origins\">\n<h2>Where each error was decided</h2>\n<p>For "
			      "each failing operation: the deepest traced call that returned its errno "
			      "and, where its lines were probed, the line that decided it (the last "
			      "line that ran there naming the errno, else the last line that "
			      "ran).</p>\n<ul>\n",
			      f);
		any = true;
		fputs("<li><code>", f);
		html_text(f, site_str(c, OT_RKEY(CALL, FUNC)));
		fputs("</code>: ", f);
		html_text(f, site_str(o, "errno"));
		fputs(" was decided in <code>", f);
		html_text(f, site_str(o, OT_RKEY(ORIGIN, CALL)));
		fprintf(f, "</code> (<a href=\"#L%d\">L%d</a>)", int_of(o, OT_RKEY(ORIGIN, CALL_LINE_RET)),
			int_of(o, OT_RKEY(ORIGIN, CALL_LINE_RET)));
		if (*site_str(o, OT_RKEY(ORIGIN, FILE))) {
			fputs(" at <code>", f);
			html_text(f, site_str(o, "file"));
			fprintf(f, ":%d</code>", int_of(o, "line"));
			if (strcmp(site_str(o, OT_RKEY(ORIGIN, FUNC)), site_str(o, OT_RKEY(ORIGIN, CALL)))) {
				fputs(" in <code>", f);
				html_text(f, site_str(o, OT_RKEY(CALL, FUNC)));
				fputs("</code>", f);
			}
			if (*site_str(o, OT_RKEY(ORIGIN, TEXT))) {
				fputs(": <code>", f);
				html_text(f, site_str(o, "text"));
				fputs("</code>", f);
			}
			fprintf(f, " (<a href=\"#L%d\">L%d</a>)", int_of(o, "log_line"),
				int_of(o, OT_RKEY(ORIGIN, LOG_LINE)));
		}
		fputs("</li>\n", f);
	}
	if (any)
		fputs("</ul>\n</section>\n", f);
}

static void write_tree(FILE *f, json_object *calls)
{
	size_t n = calls ? json_object_array_length(calls) : 0;

	fputs("<section id=\"call-tree\">\n<h2>Call tree</h2>\n", f);
	if (!n) {
		fputs("<p>No calls in the log.</p>\n</section>\n", f);
		return;
	}
	fputs("<p>Calls nested as they ran, arguments and returns decoded; open a call to see "
	      "what it called. <strong>op#N</strong> is the N-th operation, as the claims count "
	      "them; the line numbers link to the raw log.</p>\n",
	      f);
	for (size_t i = 0; i < n; i++)
		write_call(f, json_object_array_get_idx(calls, i), 0);
	fputs("</section>\n", f);
}

static void write_graph(FILE *f, const struct site *s, const struct site_report *r, int drawn)
{
	fputs("<section id=\"pointer-graph\" class=\"graph\">\n<h2>Pointer graph</h2>\n", f);
	if (drawn == SITE_GRAPH_TOO_LARGE) {
		fprintf(f,
			"<p>More than %d objects (addresses seen in more than one event): too many "
			"to draw. The JSON report's <code>pointer_chains</code> has every one.</p>\n"
			"</section>\n",
			SITE_GRAPH_MAX_OBJECTS);
		return;
	}
	if (drawn < 0) {
		fputs("<p>Graphviz <code>dot</code> is not installed, so the graph was not drawn "
		      "(install Debian's <code>graphviz</code> and run <code>opentrail site</code> "
		      "again).</p>\n</section>\n",
		      f);
		return;
	}
	fputs("<p>Objects (addresses seen in more than one event) are the boxes; an arrow is a "
	      "function that received the object at its tail and returned or passed on the one "
	      "at its head, labelled with the function and its log lines.</p>\n",
	      f);
	char path[4400];
	snprintf(path, sizeof(path), "%s/%s", s->out, r->graph);
	FILE *g = fopen(path, "r");
	char buf[8192];
	size_t n;
	bool in = false;
	if (!g) {
		fputs("<p>No address appears in more than one event.</p>\n</section>\n", f);
		return;
	}
	/* Inline the SVG (without its XML prolog) so that it prints and scales with the page. */
	while (fgets(buf, sizeof(buf), g)) {
		if (!in && !strstr(buf, "<svg"))
			continue;
		in = true;
		n = strlen(buf);
		fwrite(buf, 1, n, f);
	}
	fclose(g);
	fprintf(f, "<p><a href=\"%s\">The graph as an SVG file</a>.</p>\n</section>\n",
		strrchr(r->graph, '/') + 1);
}

static void write_log(FILE *f, const struct site_report *r)
{
	FILE *g = r->log_path ? fopen(r->log_path, "r") : NULL;
	char *line = NULL;
	size_t cap = 0;
	unsigned no = 0;

	fputs("<section id=\"raw-log\">\n<h2>Raw log</h2>\n", f);
	if (!g) {
		fputs("<p>The raw log was not found beside the report.</p>\n</section>\n", f);
		return;
	}
	fputs("<pre>", f);
	while (getline(&line, &cap, g) > 0) {
		line[strcspn(line, "\n")] = '\0';
		no++;
		fprintf(f, "<span id=\"L%u\">%4u  ", no, no);
		html_text(f, line);
		fputs("</span>\n", f);
	}
	fputs("</pre>\n</section>\n", f);
	free(line);
	fclose(g);
}

int site_write_run(const struct site *s, const struct site_report *r, char *err, size_t errsz)
{
	struct page p;
	json_object *claims = NULL, *calls = NULL, *facts = NULL;
	char title[512];

	int drawn = site_write_graph(s, r, err, errsz);
	if (drawn < 0 && err[0])
		return -1;
	if (page_open(&p, s->out, r->page, err, errsz))
		return -1;
	FILE *f = p.f;
	snprintf(title, sizeof(title), "%s on %s (%s)", r->case_id, r->kernel, r->backend);
	html_head(f, title, "../");
	char slug[160];
	site_slug(r->case_id, slug, sizeof(slug));
	fprintf(f,
		"<nav aria-label=\"case\"><a href=\"../compare/%s.html\">%s on every kernel, "
		"architecture and backend</a></nav>\n",
		slug, r->case_id);
	fputs("<h1><code>", f);
	html_text(f, r->case_id);
	fputs("</code> — ", f);
	html_text(f, r->title);
	fputs("</h1>\n<dl>\n<dt>Intent</dt><dd>", f);
	html_text(f, r->intent);
	fputs("</dd>\n<dt>Verdict</dt><dd>", f);
	html_verdict(f, r->verdict);
	fputs("</dd>\n<dt>Kernel</dt><dd>", f);
	html_text(f, r->kernel);
	fputs("</dd>\n<dt>Architecture</dt><dd>", f);
	html_text(f, site_arch_label(r->arch));
	fputs("</dd>\n<dt>Backend</dt><dd>", f);
	html_text(f, r->backend);
	fputs("</dd>\n<dt>Run</dt><dd>", f);
	html_text(f, r->time);
	json_object_object_get_ex(r->root, OT_RKEY(REPORT, RUN_FACTS), &facts);
	if (*site_str(facts, "skipped")) {
		fputs("</dd>\n<dt>Not probed</dt><dd>", f);
		html_fact_list(f, site_str(facts, "skipped"), ':');
	}
	if (*site_str(facts, "roles")) {
		fputs("</dd>\n<dt>Renamed functions</dt><dd>", f);
		html_fact_list(f, site_str(facts, "roles"), '=');
	}
	fputs("</dd>\n</dl>\n", f);
	fputs("<nav aria-label=\"sections\"><a href=\"#claims\">Claims</a><a "
	      "href=\"#call-tree\">Call tree</a><a href=\"#pointer-graph\">Pointer graph</a><a "
	      "href=\"#raw-log\">Raw log</a></nav>\n",
	      f);
	json_object_object_get_ex(r->root, OT_RKEY(REPORT, CLAIMS), &claims);
	json_object_object_get_ex(r->root, OT_RKEY(REPORT, CALLS), &calls);
	write_claims(f, claims);
	write_origins(f, calls);
	site_write_scale(f, r->root);
	write_tree(f, calls);
	write_graph(f, s, r, drawn == 1 ? -1 : drawn == SITE_GRAPH_TOO_LARGE ? drawn : 0);
	write_log(f, r);
	html_foot(f);
	return page_close(&p, err, errsz);
}
