/* SPDX-License-Identifier: MIT */
/* The text view: the report as a terminal shows it. The verdict first, each failing
 * operation's origin, the claims, then the call tree drawn with box characters, one
 * line per call, long values shortened to fit (the Markdown and JSON keep them
 * whole), or, for a large log, its call shapes and errors. Plain text: no Markdown,
 * no HTML; colour only when asked. */
#ifndef OT_REPORT_TEXT_H
#define OT_REPORT_TEXT_H

#include <stdbool.h>
#include <stdio.h>

#include "report/report.h"
#include "report/termstyle.h"

/* A string of this many characters or fewer is shown whole in a tree line. */
#define OT_TEXT_MAX_STR 60

struct ot_text_opts {
	struct ot_term term; /* colour, and the width to fit lines into (0: none) */
	bool quiet;	     /* the summary only: verdict, origins, counts; no tree */
};

int ot_report_text_with(FILE *f, const struct ot_report_input *in, const struct ot_report_model *m,
			const struct ot_text_opts *o);

#endif
