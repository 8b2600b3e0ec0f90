// SPDX-License-Identifier: MIT
/* The JSON report's schema as data (see report_schema.h). */
#define OT_REPORT_SCHEMA_TABLE
#include "report/report_schema.h"

#define OT_RK_ROW(o_, id_, k_, t_, h_, opt_, d_)                                                   \
	[OT_RK_##o_##_##id_] = {.obj = OT_RO_##o_,                                                 \
				.key = k_,                                                         \
				.quoted = "\"" k_ "\": ",                                          \
				.qlen = sizeof("\"" k_ "\": ") - 1,                                \
				.types = (t_),                                                     \
				.holds = OT_RO_##h_,                                               \
				.optional = (opt_),                                                \
				.doc = d_},
const struct ot_report_key ot_report_keys[OT_RK_COUNT] = {OT_REPORT_KEYS(OT_RK_ROW)};

#define OT_RO_ROW(id, n, d) [OT_RO_##id] = {n, d},
const struct ot_report_object ot_report_objects[OT_RO_COUNT] = {OT_REPORT_OBJECTS(OT_RO_ROW)};

bool ot_report_object_is_map(enum ot_robj o)
{
	return o == OT_RO_MAP_INT || o == OT_RO_MAP_VALUE || o == OT_RO_MAP_RETURNS;
}
