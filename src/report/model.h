/* SPDX-License-Identifier: MIT */
/* The report model (see report.h): what the Markdown and JSON renderers share. */
#ifndef OT_REPORT_MODEL_H
#define OT_REPORT_MODEL_H

#include "report/pointers.h"
#include "report/report.h"
#include "report/runinfo.h"
#include "report/summary.h"

struct ot_report_model {
	struct ot_run_info ri;
	struct ot_summary s;
	struct ot_pointers p;
};

#endif
