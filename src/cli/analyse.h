/* SPDX-License-Identifier: MIT */
/* The offline half of the pipeline, shared by `check` and by the live runners:
 * log -> records -> trace -> claims -> reports. */
#ifndef OT_ANALYSE_H
#define OT_ANALYSE_H

#include <stdbool.h>
#include <stddef.h>

#include "cases/catalogue.h"
#include "claims/result.h"

enum ot_format {
	OT_FMT_MD = 1,
	OT_FMT_JSON = 2,
	OT_FMT_PERFETTO = 4, /* NAME.perfetto.json: the Trace Event Format (report_perfetto.h) */
	OT_FMT_TEXT = 8,     /* the text view (report_text.h): always to stdout */
};

struct ot_text_opts;

/* --format's value: "text", "md", "json", "perfetto" or several of them joined by commas
 * ("md,json,perfetto"). 0 with *FORMATS set, or -1 with *BAD the first word that is
 * none of them (in a buffer of BADSZ). */
int ot_parse_formats(const char *arg, unsigned *formats, char *bad, size_t badsz);
#define OT_FORMATS_HELP                                                                       \
	"text, md, json, perfetto, or several joined by commas (md,json,perfetto)"

struct ot_analyse_opts {
	const struct ot_case *kase; /* NULL: trace claim block only */
	unsigned formats;	    /* OT_FMT_* bits */
	const char *outdir;	    /* NULL: print to stdout */
	const char
	    *basename;	    /* report file name without extension (default: case id or log name) */
	bool no_download;   /* source lines: never fetch a kernel's debug package */
	const char *run_id; /* the run that wrote the log: its run.fact must say so (NULL: any) */
	const struct ot_text_opts *text; /* OT_FMT_TEXT: how (NULL: plain, unfitted) */
};

/* The case named ID, or NULL after saying on stderr that there is no such case. */
const struct ot_case *ot_cli_case(const char *id);

/* Report names LOG would get in --out (its base name without extension), in OUT. */
void ot_report_base(const char *log, char *out, size_t sz);

/* Analyse the log at PATH. Returns 0 with *verdict set, or 2 after printing a one-line
 * reason on stderr (unreadable file, no trace lines, cannot write the report). */
int ot_analyse_file(const char *path, const struct ot_analyse_opts *o,
		    enum ot_case_verdict *verdict);

#endif
