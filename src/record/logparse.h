/* SPDX-License-Identifier: MIT */
/* Reading kernel-log text into records: opentrail's own line format and the
 * seeds' shapes, found inside surrounding prose (docs/line-format.md). */
#ifndef OT_LOGPARSE_H
#define OT_LOGPARSE_H

#include <stdio.h>

#include "record/record.h"

/* Parse one line (no trailing newline). Returns 1 and fills *rec when the line is
 * a record, 0 when it has no trace shape at all (prose), -1 when it looks like a
 * trace line but is malformed (then *reason says why). */
int ot_parse_line(const char *line, unsigned lineno, struct ot_record *rec, const char **reason);

/* Read a whole log. Returns 0, or -1 with errno set (unreadable file). */
int ot_log_read_file(const char *path, struct ot_log *log);
int ot_log_read_stream(FILE *f, const char *name, struct ot_log *log);
/* Append one more text chunk (used by live backends). */
int ot_log_add_line(struct ot_log *log, const char *line);
/* The same for LEN bytes that may hold NULs or bytes that are not UTF-8: they are kept
 * escaped as \xHH in the line and counted in log->warnings. */
int ot_log_add_bytes(struct ot_log *log, const char *line, size_t len);

void ot_record_free(struct ot_record *r);

#endif
