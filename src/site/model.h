/* SPDX-License-Identifier: MIT */
/* What the site is made of: the reports found (one per case, kernel and backend). */
#ifndef OT_SITE_MODEL_H
#define OT_SITE_MODEL_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "claims/result.h"

/* Where a failing operation's error was decided: a root call's "origin" in the JSON
 * (src/report/linepath.c). Strings are NULL where the JSON has null: without line
 * probes only ERR and CALL are known. */
struct site_origin {
	const char *op_func; /* the failing root call (do_sys_openat2, __sys_socket, ...) */
	const char *err;     /* "EACCES" */
	const char *call;    /* the deepest traced call that returned it */
	const char *file, *func, *inlined_in, *text; /* the deciding line, its function */
	int line, log_line, call_line_ret;	     /* 0: unknown */
};

struct site_report {
	json_object *root; /* the report's JSON */
	const char *case_id, *title, *intent, *verdict, *kernel, *backend, *time;
	/* the kernel's architecture (site_arch_of), "" if its release names none */
	const char *arch;
	enum ot_case_verdict v; /* the verdict, parsed */
	char *log_path;	    /* the raw log beside the JSON, or NULL */
	char *compare_path; /* the backends' cross-check (compare-CASE.txt), or NULL */
	char page[400];	    /* its page, relative to the site root */
	char graph[400];    /* its pointer graph (SVG), relative to the site root */
	struct site_origin *origins; /* each failing root call's origin, in call order */
	size_t norigins;
	/* The origin of the operation the case is about: the first whose errno the
	 * program saw (a user fact's -1 and errname), else the first; NULL: none. */
	const struct site_origin *origin;
	bool user_saw; /* the program saw ORIGIN's errno */
	const char *unsupported; /* run.fact unsupported=: why this kernel cannot provoke it */
};

struct site {
	struct site_report *r;
	size_t n;
	char **kernels; /* distinct kernel releases, by architecture then version */
	size_t nkernels;
	const char *arches[8]; /* the distinct architectures, in the kernels' order */
	size_t narches;
	char **cases; /* distinct case ids, in catalogue order where known */
	size_t ncases;
	const char *out;
};

/* The report of CASE on KERNEL with BACKEND, or NULL. */
const struct site_report *site_find(const struct site *s, const char *case_id, const char *kernel,
				    const char *backend);
/* A string member of O, or "" */
const char *site_str(json_object *o, const char *key);

/* The architecture a kernel release names: Debian's "amd64" or "arm64" (from the
 * flavour's suffix: 6.12.118+deb13-cloud-arm64), "" when it names none. */
const char *site_arch_of(const char *kernel);
/* How the pages name ARCH ("x86-64", "arm64"). */
const char *site_arch_label(const char *arch);
/* The order of architectures in the pages (amd64 first; unnamed last). */
int site_arch_rank(const char *arch);
/* Kernels by architecture, then by version. */
int site_kernel_cmp(const char *a, const char *b);
/* The series of a release, "6.12" of "6.12.118+deb13-cloud-arm64"; false if none. */
bool site_series(const char *kernel, char *out, size_t sz);
/* Where an error was decided, as the atlas shows it: the function, the functions it
 * was inlined in, and its file:line and source text where lines were probed. */
void site_html_origin(FILE *f, const struct site_origin *o);

int site_load(struct site *s, char *const *dirs, int ndirs, char *err, size_t errsz);
void site_free(struct site *s);

/* The pages. Each returns 0 or -1 with ERR set. */
int site_write_index(const struct site *s, char *err, size_t errsz);
int site_write_run(const struct site *s, const struct site_report *r, char *err, size_t errsz);
int site_write_compare(const struct site *s, const char *case_id, char *err, size_t errsz);
/* On a case's comparison page: for each kernel series RUNS (the case's reports) hold
 * on more than one architecture, those architectures side by side. */
void site_write_arches(FILE *f, const struct site *s, const struct site_report *const *runs,
		       size_t n);
/* atlas.html: every case that provokes an errno, each kernel's origin of it side by side. */
int site_write_atlas(const struct site *s, char *err, size_t errsz);
/* The pointer graph of R drawn by Graphviz into the site as SVG; 0, 1 when `dot` is
 * missing (the page says so), SITE_GRAPH_TOO_LARGE when it has more objects than a
 * reader follows (or dot lays out in its time), -1 on error. */
#define SITE_GRAPH_MAX_OBJECTS 400
#define SITE_GRAPH_TOO_LARGE 2
int site_write_graph(const struct site *s, const struct site_report *r, char *err, size_t errsz);

#endif
