// SPDX-License-Identifier: MIT
/* The index: every case on every kernel with every backend, totals, what was not
 * probed and why, and when and how the runs were made. */
#include <stdbool.h>
#include <string.h>

#include "report/report_schema.h"
#include "site/html.h"
#include "site/model.h"

static const char *const backends[] = {"bpf", "kmod"};
#define NBACKENDS 2

int site_write_index(const struct site *s, char *err, size_t errsz)
{
	struct page p;

	if (page_open(&p, s->out, "index.html", err, errsz))
		return -1;
	FILE *f = p.f;
	char arch_list[200] = "";
	for (size_t a = 0, l = 0; a < s->narches && l < sizeof(arch_list); a++)
		l += (size_t)snprintf(arch_list + l, sizeof(arch_list) - l, "%s%s", a ? ", " : "",
				      site_arch_label(s->arches[a]));
	html_head(f, "opentrail: every case on every kernel", "");
	fprintf(f,
		"<h1>opentrail: what open() and socket() do inside the kernel</h1>\n"
		"<p>%zu case%s, %zu kernel%s (%s), %zu report%s. Each cell is the verdict of one "
		"run (a case passes only when every claim held); follow it to the claims in "
		"plain words, the call tree, the pointer graph and the raw log. A case name "
		"leads to its kernels and backends side by side.</p>\n"
		"<p><a href=\"atlas.html\">The errno atlas</a>: every error the cases "
		"provoke, and where each kernel decided it.</p>\n",
		s->ncases, s->ncases == 1 ? "" : "s", s->nkernels, s->nkernels == 1 ? "" : "s",
		arch_list, s->n, s->n == 1 ? "" : "s");
	fputs("<section id=\"matrix\">\n<h2>Verdicts</h2>\n<table>\n<thead>\n<tr><th "
	      "rowspan=\"3\" scope=\"col\">case</th>",
	      f);
	/* Architecture, then kernel, then backend: the kernels are sorted by
	 * architecture, so each architecture's columns are together. */
	for (size_t a = 0; a < s->narches; a++) {
		size_t nk = 0;
		for (size_t k = 0; k < s->nkernels; k++)
			nk += !strcmp(site_arch_of(s->kernels[k]), s->arches[a]);
		fprintf(f, "<th colspan=\"%zu\" scope=\"colgroup\" class=\"arch\">",
			nk * NBACKENDS);
		html_text(f, site_arch_label(s->arches[a]));
		fputs("</th>", f);
	}
	fputs("</tr>\n<tr>", f);
	for (size_t k = 0; k < s->nkernels; k++) {
		fprintf(f, "<th colspan=\"%d\" scope=\"colgroup\">", NBACKENDS);
		html_text(f, s->kernels[k]);
		fputs("</th>", f);
	}
	fputs("</tr>\n<tr>", f);
	for (size_t k = 0; k < s->nkernels; k++)
		for (int b = 0; b < NBACKENDS; b++)
			fprintf(f, "<th scope=\"col\">%s</th>", backends[b]);
	fputs("</tr>\n</thead>\n<tbody>\n", f);
	size_t tot[64][NBACKENDS][4] = {{{0}}}; /* pass, fail, incomplete, missing */
	for (size_t c = 0; c < s->ncases; c++) {
		char slug[160];
		site_slug(s->cases[c], slug, sizeof(slug));
		fprintf(f, "<tr><th scope=\"row\"><a href=\"compare/%s.html\"><code>", slug);
		html_text(f, s->cases[c]);
		fputs("</code></a></th>", f);
		for (size_t k = 0; k < s->nkernels; k++)
			for (int b = 0; b < NBACKENDS; b++) {
				const struct site_report *r =
				    site_find(s, s->cases[c], s->kernels[k], backends[b]);
				size_t kk = k < 64 ? k : 63;
				if (!r) {
					fputs("<td>not run</td>", f);
					tot[kk][b][3]++;
					continue;
				}
				tot[kk][b][r->v == OT_CASE_PASS	  ? 0
					   : r->v == OT_CASE_FAIL ? 1
								  : 2]++;
				fprintf(f, "<td><a href=\"%s\">", r->page);
				html_verdict(f, r->verdict);
				fputs("</a></td>", f);
			}
		fputs("</tr>\n", f);
	}
	fputs("</tbody>\n<tfoot>\n<tr><th scope=\"row\">totals</th>", f);
	for (size_t k = 0; k < s->nkernels; k++)
		for (int b = 0; b < NBACKENDS; b++) {
			size_t kk = k < 64 ? k : 63;
			fprintf(f, "<td>%zu pass, %zu fail, %zu incomplete", tot[kk][b][0],
				tot[kk][b][1], tot[kk][b][2]);
			if (tot[kk][b][3])
				fprintf(f, ", %zu not run", tot[kk][b][3]);
			fputs("</td>", f);
		}
	fputs("</tr>\n</tfoot>\n</table>\n</section>\n", f);

	/* What could not be probed, per kernel and backend: the same reason for many cases
	 * is said once. */
	fputs("<section id=\"skipped\">\n<h2>Not probed, and why</h2>\n", f);
	bool any = false;
	for (size_t k = 0; k < s->nkernels; k++)
		for (int b = 0; b < NBACKENDS; b++) {
			const char *seen[256];
			size_t ns = 0;
			for (size_t i = 0; i < s->n; i++) {
				json_object *facts = NULL;
				if (strcmp(s->r[i].kernel, s->kernels[k]) ||
				    strcmp(s->r[i].backend, backends[b]))
					continue;
				json_object_object_get_ex(s->r[i].root, OT_RKEY(REPORT, RUN_FACTS), &facts);
				const char *sk = site_str(facts, "skipped");
				bool dup = !*sk;
				for (size_t m = 0; m < ns && !dup; m++)
					dup = !strcmp(seen[m], sk);
				if (dup || ns == 256)
					continue;
				seen[ns++] = sk;
				if (!any)
					fputs("<ul>\n", f);
				any = true;
				fputs("<li>", f);
				html_text(f, s->kernels[k]);
				fprintf(f, ", %s: ", backends[b]);
				html_fact_list(f, sk, ':');
				fputs("</li>\n", f);
			}
		}
	fputs(any ? "</ul>\n" : "<p>Every function of every probe set was probed.</p>\n", f);
	fputs("</section>\n<section id=\"runs\">\n<h2>The runs</h2>\n<table>\n<thead><tr><th "
	      "scope=\"col\">architecture</th><th scope=\"col\">kernel</th><th scope=\"col\">backend</th><th scope=\"col\">cases</th>"
	      "<th scope=\"col\">run between (UTC)</th><th scope=\"col\">how functions were "
	      "probed</th></tr></thead>\n<tbody>\n",
	      f);
	for (size_t k = 0; k < s->nkernels; k++)
		for (int b = 0; b < NBACKENDS; b++) {
			const char *first = NULL, *last = NULL;
			size_t n = 0, fentry = 0, kprobe = 0;
			for (size_t i = 0; i < s->n; i++) {
				const struct site_report *r = &s->r[i];
				json_object *facts = NULL;
				if (strcmp(r->kernel, s->kernels[k]) ||
				    strcmp(r->backend, backends[b]))
					continue;
				n++;
				if (*r->time && (!first || strcmp(r->time, first) < 0))
					first = r->time;
				if (*r->time && (!last || strcmp(r->time, last) > 0))
					last = r->time;
				json_object_object_get_ex(r->root, OT_RKEY(REPORT, RUN_FACTS), &facts);
				for (const char *a = site_str(facts, "attach");
				     (a = strchr(a, '=')); a++)
					!strncmp(a + 1, "fentry", 6) ? fentry++ : kprobe++;
			}
			if (!n)
				continue;
			fputs("<tr><td>", f);
			html_text(f, site_arch_label(site_arch_of(s->kernels[k])));
			fputs("</td><td>", f);
			html_text(f, s->kernels[k]);
			fprintf(f, "</td><td>%s</td><td>%zu</td><td>", backends[b], n);
			html_text(f, first ? first : "?");
			fputs(" – ", f);
			html_text(f, last ? last : "?");
			fprintf(f, "</td><td>%zu fentry/fexit, %zu kprobe attachments</td></tr>\n",
				fentry, kprobe);
		}
	fputs("</tbody>\n</table>\n<p>Each case ran in a qemu virtual machine booted on the "
	      "stock Debian kernel named (x86-64 kernels under <code>qemu-system-x86_64</code>, "
	      "arm64 kernels under <code>qemu-system-aarch64</code>, emulated), traced by "
	      "opentrail's BPF backend and again by its kernel-module backend (<code>make "
	      "run-all</code>). A case name leads to its page comparing kernels, backends and, "
	      "where a series ran on both, x86-64 and arm64.</p>\n</section>\n",
	      f);
	html_foot(f);
	return page_close(&p, err, errsz);
}
