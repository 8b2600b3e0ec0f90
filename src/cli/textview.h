/* SPDX-License-Identifier: MIT */
/* The text view on the command line, shared by run, trace and check: --color and -q
 * (an argp child parser), and whether stdout gets the text view. */
#ifndef OT_CLI_TEXTVIEW_H
#define OT_CLI_TEXTVIEW_H

#include <argp.h>
#include <stdbool.h>

#include "report/report_text.h"

struct ot_cli_view {
	enum ot_color_when color;
	bool quiet;
};

/* --color[=WHEN] and -q/--quiet; its input is a struct ot_cli_view (set it in the
 * parent's ARGP_KEY_INIT: state->child_inputs[0]). */
extern const struct argp ot_cli_view_argp;

/* Does stdout get the text view when no --format said what it gets: when it is a
 * terminal, or -q asked for the summary. */
bool ot_cli_view_default(const struct ot_cli_view *cv);
/* The text view's options for stdout. */
void ot_cli_view_opts(const struct ot_cli_view *cv, struct ot_text_opts *o);

#endif
