/* SPDX-License-Identifier: MIT */
/* A JSON report checked against its schema (report/report_schema.h). */
#ifndef OT_SITE_REPORT_CHECK_H
#define OT_SITE_REPORT_CHECK_H

#include <json-c/json.h>
#include <stddef.h>
#include <stdio.h>

/* Reads and parses the JSON file PATH (nesting as deep as a call tree goes, up to
 * SITE_JSON_DEPTH). NULL, with the reason in ERR, when it cannot. */
#define SITE_JSON_DEPTH 10000
json_object *site_json_read(const char *path, char *err, size_t errsz);

/* Writes to OUT one line per way ROOT departs from the schema ("PATH: what"), at most
 * MAX of them, and returns how many there are in all (0: it conforms). */
size_t site_report_check(json_object *root, FILE *out, size_t max);

#endif
