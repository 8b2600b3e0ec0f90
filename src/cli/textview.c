// SPDX-License-Identifier: MIT
/* The text view's command-line options (see textview.h). */
#include "cli/textview.h"

#include <unistd.h>

enum { OPT_COLOR = 0x300 };

static const struct argp_option view_opts[] = {
    {"color", OPT_COLOR, "WHEN", OPTION_ARG_OPTIONAL,
     "Colour in the text view: auto (default: on a terminal, unless NO_COLOR is set), "
     "always, never",
     0},
    {"colour", OPT_COLOR, "WHEN", OPTION_ARG_OPTIONAL | OPTION_ALIAS | OPTION_HIDDEN, NULL, 0},
    {"quiet", 'q', NULL, 0,
     "The text view's summary only: verdict, where each error was decided, claims that did "
     "not pass, counts (no call tree)",
     0},
    {0},
};

static error_t view_parse(int key, char *arg, struct argp_state *state)
{
	struct ot_cli_view *cv = state->input;

	switch (key) {
	case OPT_COLOR:
		if (!arg)
			cv->color = OT_COLOR_ALWAYS;
		else if (!ot_color_when_parse(arg, &cv->color))
			argp_error(state, "--color=%s: want auto, always or never", arg);
		break;
	case 'q':
		cv->quiet = true;
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

const struct argp ot_cli_view_argp = {view_opts, view_parse, NULL, NULL, NULL, NULL, NULL};

bool ot_cli_view_default(const struct ot_cli_view *cv)
{
	return cv->quiet || ot_term_is_tty(STDOUT_FILENO);
}

void ot_cli_view_opts(const struct ot_cli_view *cv, struct ot_text_opts *o)
{
	o->term.color = ot_term_color(cv->color, STDOUT_FILENO);
	o->term.width = ot_term_width(STDOUT_FILENO);
	o->quiet = cv->quiet;
}
