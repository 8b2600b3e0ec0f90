// SPDX-License-Identifier: MIT
/* libFuzzer harness: the whole offline pipeline, as `opentrail check` runs it:
 * parse -> trace -> claims (of the case the first byte picks, or the trace
 * claim block only) -> the report model -> the three reports (Markdown, JSON, timeline). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "cases/catalogue.h"
#include "claims/claims.h"
#include "probe/spec.h"
#include "record/logparse.h"
#include "report/report.h"
#include "report/report_perfetto.h"
#include "trace/trace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static FILE *sink;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct ot_case *kase = NULL;
	struct ot_report_model *m;
	struct ot_claim_set cs;
	struct ot_trace t;
	struct ot_log log;
	FILE *f;

	if (size < 2)
		return 0;
	if (!sink && !(sink = fopen("/dev/null", "w")))
		abort();
	if (!ot_kinds_legacy())
		ot_kinds_set_legacy(ot_probe_legacy_kinds());
	if (data[0] % (ot_case_count() + 1))
		kase = ot_case_at(data[0] % (ot_case_count() + 1) - 1);
	f = fmemopen((void *)(data + 1), size - 1, "r");
	if (!f)
		return 0;
	if (ot_log_read_stream(f, "fuzz", &log)) {
		fclose(f);
		return 0;
	}
	fclose(f);
	ot_trace_build(&log, &t);
	ot_claims_eval(&t, kase, &cs);
	struct ot_report_input in = {&log, &t, kase, &cs};
	m = ot_report_model_build(&in);
	if (m) {
		ot_report_markdown_with(sink, &in, m);
		ot_report_json_with(sink, &in, m);
		ot_report_perfetto_with(sink, &in, m);
		ot_report_model_free(m);
	}
	ot_claim_set_free(&cs);
	ot_trace_free(&t);
	ot_log_free(&log);
	return 0;
}
