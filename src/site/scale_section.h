/* SPDX-License-Identifier: MIT */
/* A run page's section for a large trace: its call shapes, latency and errors by
 * function (the report's "scale", report/report_schema.h). */
#ifndef OT_SITE_SCALE_SECTION_H
#define OT_SITE_SCALE_SECTION_H

#include <json-c/json.h>
#include <stdio.h>

/* Nothing when the report has no "scale" (a trace small enough to draw whole). */
void site_write_scale(FILE *f, json_object *root);

#endif
