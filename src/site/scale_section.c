// SPDX-License-Identifier: MIT
/* A run page's "At scale" section (see scale_section.h). */
#include "site/scale_section.h"

#include "report/report_schema.h"
#include "site/html.h"
#include "site/model.h"

static json_object *member(json_object *o, const char *key)
{
	json_object *v = NULL;

	return o && json_object_object_get_ex(o, key, &v) ? v : NULL;
}

static long long num(json_object *o, const char *key)
{
	return (long long)json_object_get_int64(member(o, key));
}

static size_t len(json_object *a)
{
	return a && json_object_is_type(a, json_type_array) ? json_object_array_length(a) : 0;
}

static void write_shapes(FILE *f, json_object *shapes)
{
	fputs("<h3>Call shapes</h3>\n<p>Operations that called the same functions, nested the "
	      "same way (<code>{ }</code>), with the same returns, counted once.</p>\n"
	      "<table>\n<thead><tr><th scope=\"col\">operations</th><th scope=\"col\">shape</th>"
	      "<th scope=\"col\">first</th></tr></thead>\n<tbody>\n",
	      f);
	for (size_t i = 0; i < len(shapes); i++) {
		json_object *s = json_object_array_get_idx(shapes, i);

		fprintf(f, "<tr><td>%lld</td><td><code>", num(s, OT_RKEY(SHAPE, COUNT)));
		html_text(f, site_str(s, OT_RKEY(SHAPE, TEXT)));
		fprintf(f, "</code></td><td>L%lld</td></tr>\n", num(s, OT_RKEY(SHAPE, FIRST_LINE)));
	}
	fputs("</tbody>\n</table>\n", f);
}

static void write_latency(FILE *f, json_object *lat)
{
	fputs("<h3>Latency</h3>\n", f);
	if (!len(lat)) {
		fputs("<p>The log has no timestamps on both entry and return of a call.</p>\n", f);
		return;
	}
	fputs("<p>Time from entry to return of each paired call with both timestamps, in µs "
	      "(nearest-rank percentiles; a call's time includes the calls it made and the "
	      "tracing's own cost).</p>\n<table>\n<thead><tr><th scope=\"col\">function</th>"
	      "<th scope=\"col\">calls</th><th scope=\"col\">min</th><th scope=\"col\">median</th>"
	      "<th scope=\"col\">p99</th><th scope=\"col\">max</th></tr></thead>\n<tbody>\n",
	      f);
	for (size_t i = 0; i < len(lat); i++) {
		json_object *l = json_object_array_get_idx(lat, i);

		fputs("<tr><td><code>", f);
		html_text(f, site_str(l, OT_RKEY(LATENCY, FUNC)));
		fprintf(f,
			"</code></td><td>%lld</td><td>%.3f</td><td>%.3f</td><td>%.3f</td>"
			"<td>%.3f</td></tr>\n",
			num(l, OT_RKEY(LATENCY, CALLS)),
			json_object_get_double(member(l, OT_RKEY(LATENCY, MIN_US))),
			json_object_get_double(member(l, OT_RKEY(LATENCY, MEDIAN_US))),
			json_object_get_double(member(l, OT_RKEY(LATENCY, P99_US))),
			json_object_get_double(member(l, OT_RKEY(LATENCY, MAX_US))));
	}
	fputs("</tbody>\n</table>\n", f);
}

static void write_errors(FILE *f, json_object *errs)
{
	fputs("<h3>Errors by function</h3>\n", f);
	if (!len(errs)) {
		fputs("<p>No call returned an error.</p>\n", f);
		return;
	}
	fputs("<table>\n<thead><tr><th scope=\"col\">function</th><th scope=\"col\">errno</th>"
	      "<th scope=\"col\">calls</th><th scope=\"col\">first</th></tr></thead>\n<tbody>\n",
	      f);
	for (size_t i = 0; i < len(errs); i++) {
		json_object *e = json_object_array_get_idx(errs, i);
		const char *name = site_str(e, OT_RKEY(SCALE_ERROR, ERRNO));

		fputs("<tr><td><code>", f);
		html_text(f, site_str(e, OT_RKEY(SCALE_ERROR, FUNC)));
		fputs("</code></td><td>", f);
		html_text(f, *name ? name : "unknown");
		fprintf(f, " (%lld)</td><td>%lld</td><td>L%lld</td></tr>\n",
			num(e, OT_RKEY(SCALE_ERROR, VALUE)), num(e, OT_RKEY(SCALE_ERROR, COUNT)),
			num(e, OT_RKEY(SCALE_ERROR, FIRST_LINE)));
	}
	fputs("</tbody>\n</table>\n", f);
}

void site_write_scale(FILE *f, json_object *root)
{
	json_object *sc = member(root, OT_RKEY(REPORT, SCALE));

	if (!sc)
		return;
	fprintf(f,
		"<section id=\"at-scale\">\n<h2>At scale</h2>\n<p>%lld calls in %lld operations: "
		"what they have in common first; the call tree below has every call.</p>\n",
		num(sc, OT_RKEY(SCALE, CALLS)), num(sc, OT_RKEY(SCALE, OPERATIONS)));
	write_shapes(f, member(sc, OT_RKEY(SCALE, SHAPES)));
	write_latency(f, member(sc, OT_RKEY(SCALE, LATENCY)));
	write_errors(f, member(sc, OT_RKEY(SCALE, ERRORS)));
	fputs("</section>\n", f);
}
