/* SPDX-License-Identifier: MIT */
/* Reports: Markdown for people, JSON for machines; both from the same trace and claims. */
#ifndef OT_REPORT_H
#define OT_REPORT_H

#include <stdio.h>

#include "cases/catalogue.h"
#include "claims/claims.h"
#include "trace/trace.h"

struct ot_report_input {
	const struct ot_log *log;
	const struct ot_trace *trace;
	const struct ot_case *kase; /* NULL: trace claim block only */
	const struct ot_claim_set *claims;
};

/* What both renderers read besides the input: counts, pointer chains, run facts.
 * Built once when a log gets both reports. */
struct ot_report_model;

struct ot_report_model *ot_report_model_build(const struct ot_report_input *in);
void ot_report_model_free(struct ot_report_model *m);

int ot_report_markdown_with(FILE *f, const struct ot_report_input *in,
			    const struct ot_report_model *m);
int ot_report_json_with(FILE *f, const struct ot_report_input *in, const struct ot_report_model *m);

/* One report on its own (builds and frees the model). */
int ot_report_markdown(FILE *f, const struct ot_report_input *in);
int ot_report_json(FILE *f, const struct ot_report_input *in);

#endif
