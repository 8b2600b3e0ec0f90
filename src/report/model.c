// SPDX-License-Identifier: MIT
#include "report/model.h"

#include <stdlib.h>

struct ot_report_model *ot_report_model_build(const struct ot_report_input *in)
{
	struct ot_report_model *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	if (ot_summary_build(in->trace, in->kase, &m->s)) {
		free(m);
		return NULL;
	}
	if (ot_pointers_find(in->log, &m->p)) {
		ot_summary_free(&m->s);
		free(m);
		return NULL;
	}
	ot_run_info_get(in, &m->ri);
	return m;
}

void ot_report_model_free(struct ot_report_model *m)
{
	if (!m)
		return;
	ot_pointers_free(&m->p);
	ot_summary_free(&m->s);
	free(m);
}

/* A report on its own: the model is built for it alone. */
static int render_alone(FILE *f, const struct ot_report_input *in,
			int (*render)(FILE *, const struct ot_report_input *,
				      const struct ot_report_model *))
{
	struct ot_report_model *m = ot_report_model_build(in);
	int rc;

	if (!m)
		return -1;
	rc = render(f, in, m);
	ot_report_model_free(m);
	return rc;
}

int ot_report_markdown(FILE *f, const struct ot_report_input *in)
{
	return render_alone(f, in, ot_report_markdown_with);
}

int ot_report_json(FILE *f, const struct ot_report_input *in)
{
	return render_alone(f, in, ot_report_json_with);
}
