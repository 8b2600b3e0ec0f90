/* SPDX-License-Identifier: MIT */
/* Reading kernel-log text into records: opentrail's own line format and the
 * seeds' shapes, found inside surrounding prose (docs/line-format.md). */
#ifndef OT_LOGPARSE_H
#define OT_LOGPARSE_H

#include <stdbool.h>
#include <stdio.h>

#include "record/record.h"

/* Parse one line (no trailing newline). Returns 1 and fills *rec when the line is
 * a record, 0 when it has no trace shape at all (prose), -1 when it looks like a
 * trace line but is malformed (then *reason says why). */
int ot_parse_line(const char *line, unsigned lineno, struct ot_record *rec, const char **reason);

/* Read a whole log. Returns 0, or -1 with errno set (unreadable file). */
int ot_log_read_file(const char *path, struct ot_log *log);
int ot_log_read_stream(FILE *f, const char *name, struct ot_log *log);
struct sink;

/* Reading a log one line at a time (ot_log_read_file is this with every record kept). */
struct ot_log_reader {
	FILE *f;
	char *buf;
	size_t cap;
	struct ot_arena *staging; /* the texts of a record not kept */
	/* Set by the caller: the texts and fields of the records not kept go here, and stay
	 * until the caller resets it, instead of into STAGING (reset at every line). */
	struct ot_arena *texts;
	struct ot_record rec;
	struct sink *sink; /* the parser's buffers */
};
/* Opens PATH ("-": stdin) and starts LOG. Returns 0, or -1 with errno set. */
int ot_log_reader_open(struct ot_log_reader *rd, const char *path, struct ot_log *log);
/* Reads one line into LOG (counted, kept if it is unparsed, a warning or a line the
 * report may quote; a description, spec.fact, types the records after it and is not
 * one: record/kinds.h). Returns 1 with *REC its record or NULL -- kept in log->recs when
 * KEEP (until the next record kept), else valid only until the next call (its texts
 * and fields as long as RD->texts, when set) --, 0 at the end, -1 on a read error
 * (errno set). */
int ot_log_reader_next(struct ot_log_reader *rd, struct ot_log *log, bool keep,
		       const struct ot_record **rec);
/* Closes the file: 0, or -1 with errno if reading it failed. */
int ot_log_reader_close(struct ot_log_reader *rd);

/* Append one more text chunk (used by live backends). */
int ot_log_add_line(struct ot_log *log, const char *line);

void ot_record_free(struct ot_record *r);

#endif
