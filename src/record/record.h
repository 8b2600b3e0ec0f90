/* SPDX-License-Identifier: MIT */
/* A record: one line of trace data (a call entry, a call return or a fact),
 * whichever backend produced it. A log: the records of one text log, in order,
 * with the lines that matched no shape. */
#ifndef OT_RECORD_H
#define OT_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum ot_rec_kind {
	OT_REC_ENTRY,
	OT_REC_RET,
	OT_REC_FACT,
	OT_REC_LINE, /* a source line ran: FUNC.line id=N (the point is a line.fact) */
};

enum ot_value_type {
	OT_V_INT, /* decimal, signed (value in .i) */
	OT_V_HEX, /* bare hex word or 0x-hex (value in .u) */
	OT_V_STR, /* quoted or bare text (value in .s) */
};

struct ot_arena;
struct ot_kinds;

struct ot_field {
	char *key;
	enum ot_value_type type;
	bool alias; /* not written in the line: a copy under a canonical name (see logparse.c) */
	/* enum ot_field_kind (record/kinds.h): what the value is, from its function's
	 * description, set when the line is read */
	unsigned char kind;
	union {
		int64_t i;
		uint64_t u;
	};
	char *s;   /* the string, for OT_V_STR */
	char *raw; /* the value exactly as written */
};

struct ot_record {
	unsigned line; /* 1-based line number in the log */
	enum ot_rec_kind kind;
	char *func;  /* function's role (entry/ret) or fact name ("user.fact", "DLOOKUP_REPLAY") */
	char *real;  /* the kernel's name for the function when it differs from its role
		      * (do_file_open for do_filp_open), else NULL */
	char *tag;   /* text of the leading [tag], if any */
	char *shape; /* which line shape it came from: "opentrail", "seed", "c17", "replay" */
	uint32_t pid, tid;
	char *comm;
	bool has_ts;
	double ts; /* seconds */
	struct ot_field *fields;
	size_t nfields;
	bool pooled; /* strings and fields belong to the log's arena, not to the record */
	unsigned
	    kept_escapes; /* quoted values held bytes kept as \xHH: 1 NUL, 2 control, 4 not UTF-8 */
};

struct ot_unparsed {
	unsigned line;
	char *text;
	char *reason;
};

/* A line whose bytes were kept escaped rather than read as they were. */
struct ot_input_warning {
	unsigned line;
	char *what;
};

/* A line's text is kept (for the Markdown report's raw log) while the log is small
 * enough for that report to embed it: at most this many lines and call records. A
 * report that draws its calls one by one has at most 1,000 calls, so at most 2,000
 * call records (report/scale.h); beyond either bound, the Markdown names the log file
 * instead, and only the lines of facts it quotes ("other facts") keep their text. */
#define OT_LOG_KEEP_LINES_MAX	     50000
#define OT_LOG_KEEP_CALL_RECORDS_MAX 2000

struct ot_log {
	char *name;   /* file name (or "-") */
	char **lines; /* every line of the input, for the report's raw log (NULL: not kept) */
	size_t nlines;
	bool lines_dropped;	/* some lines' text is not in lines[] (see OT_LOG_KEEP_LINES_MAX) */
	size_t ncall_recs;	/* entry and return records */
	struct ot_record *recs; /* the records kept (see ot_log_reader_next) */
	size_t nrecs;
	size_t nrecs_read;	      /* every record read, kept or not */
	struct ot_unparsed *unparsed; /* trace-looking lines that could not be read */
	size_t nunparsed;
	size_t nprose;		/* lines with no trace shape at all (e.g. Markdown around a log) */
	struct ot_arena *arena; /* holds the lines and the records' text (util/arena.h) */
	/* NUL bytes, control characters or invalid UTF-8 found and kept visibly escaped
	 * (\xHH) in lines and quoted values: the input is never silently altered. */
	struct ot_input_warning *warnings;
	size_t nwarnings;
	/* The functions the log describes (its spec.fact lines), which type its values;
	 * NULL: none, the legacy table types them (record/kinds.h). */
	struct ot_kinds *described;
	size_t ndescribed; /* spec.fact lines read (not records) */
};

/* Field access: NULL when the record has no such field. */
const struct ot_field *ot_rec_field(const struct ot_record *r, const char *key);
/* Value of a numeric field as a 64-bit word (hex and ints alike); false if absent or a string. */
bool ot_rec_u64(const struct ot_record *r, const char *key, uint64_t *out);
const char *ot_rec_str(const struct ot_record *r, const char *key);

void ot_log_free(struct ot_log *log);

#endif
