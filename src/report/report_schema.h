/* SPDX-License-Identifier: MIT */
/* The JSON report's schema: every object the report holds, every key of each, the
 * type of its value and what it means, in one table. The writer (report_json.c,
 * srcrender.c, linepath.c) writes its keys from this table, the site (site/) reads
 * them from it, `opentrail schema` prints it as docs/report-schema.md and checks a
 * report against it. A key is added here first; nothing else names it. */
#ifndef OT_REPORT_SCHEMA_H
#define OT_REPORT_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* What a value may be (bits: a key may allow several, e.g. a string or null). */
enum ot_rtype {
	OT_RT_STR = 1,
	OT_RT_INT = 2,
	OT_RT_BOOL = 4,
	OT_RT_NULL = 8,
	OT_RT_OBJ = 16, /* an object of the kind the key names (its "holds") */
	OT_RT_ARR = 32, /* an array of values of that kind */
	OT_RT_NUM = 64, /* a number, with a fraction or without */
};

/* The kinds of object: X(ID, "name", what it is). The last ones are objects whose
 * keys are data (a function's name, a field's name): only their values are typed. */
#define OT_REPORT_OBJECTS(X)                                                                   \
	X(REPORT, "report", "the whole report: one per case run or checked log")               \
	X(FILTERS, "filters", "what `trace --path` / `--errors-only` kept out")                \
	X(CLAIM, "claim", "one claim of the case, its verdict and the log lines behind it")    \
	X(UNPARSED, "unparsed line", "a log line that is not a record")                        \
	X(WARNING, "input warning", "something odd in the log that did not stop the analysis") \
	X(THREAD, "thread", "a traced thread")                                                 \
	X(CALL, "call", "a traced call: entry, return, and the calls it made (children)")      \
	X(LINE_STEP, "line step", "consecutive hits of one source line inside a call")         \
	X(ORIGIN, "origin", "where a failing operation's error was decided")                   \
	X(CALL_SITE, "call site", "the line a call was made from")                             \
	X(INLINED, "inlined frame", "a function inlined between the caller and the call")      \
	X(DEFINITION, "definition", "where the called function is defined")                    \
	X(OTHER_FACT, "other fact", "a fact record that is neither a run fact nor a user fact")  \
	X(CHAIN, "pointer chain", "one address and every record that carried it")              \
	X(LINK, "chain link", "one record carrying a chain's address")                         \
	X(OFFSET, "pointer offset", "an address found at a fixed offset from another")         \
	X(SOURCE, "source", "the kernel source index the call sites came from")                \
	X(STEP, "reverse step", "a step of the reverse trace from the error to the user")      \
	X(SCALE, "at scale", "a large trace summarised: its call shapes, latency and errors")  \
	X(SHAPE, "call shape", "operations that called the same functions, nested the same "  \
	  "way, with the same returns")                                                        \
	X(LATENCY, "latency", "one function's time from entry to return, in µs")              \
	X(SCALE_ERROR, "errors by function", "calls of one function that returned one errno") \
	X(INTS, "integers", "an array of integers (log line numbers)")                         \
	X(STRS, "strings", "an array of strings")                                              \
	X(MAP_INT, "map of counts", "keys are names, values integers")                         \
	X(MAP_VALUE, "map of values",                                                          \
	  "keys are field names, values strings (addresses and masks as \"0x..\", text) "      \
	  "or integers")                                                                       \
	X(MAP_RETURNS, "map of returns", "keys are function names, values maps of counts")

#define OT_RO_ENUM(id, name, doc) OT_RO_##id,
enum ot_robj { OT_REPORT_OBJECTS(OT_RO_ENUM) OT_RO_COUNT };
#undef OT_RO_ENUM

#define S OT_RT_STR
#define I OT_RT_INT
#define B OT_RT_BOOL
#define N OT_RT_NULL
#define O OT_RT_OBJ
#define A OT_RT_ARR
#define F OT_RT_NUM
/* Every key: X(OBJECT, ID, "key", types, holds, optional, what it means). A key not
 * optional is in every object of its kind. */
#define OT_REPORT_KEYS(X)                                                                      \
	X(REPORT, CASE, "case", S | N, REPORT, 0, "the case's id; null for a trace")           \
	X(REPORT, TITLE, "title", S | N, REPORT, 0, "the case's title")                         \
	X(REPORT, INTENT, "intent", S | N, REPORT, 0, "what the case shows")                    \
	X(REPORT, VERDICT, "verdict", S, REPORT, 0, "pass, fail or incomplete")                 \
	X(REPORT, KERNEL, "kernel", S, REPORT, 0, "the kernel release the log came from")       \
	X(REPORT, BACKEND, "backend", S, REPORT, 0, "bpf, kmod, or the log's own backend")      \
	X(REPORT, TIME, "time", S, REPORT, 0, "when the run started (UTC, ISO 8601)")          \
	X(REPORT, TIME_FROM_LOG, "time_from_log", B, REPORT, 0,                                 \
	  "true when the time is the log's own, false when it is the analysis's")              \
	X(REPORT, LOG, "log", S, REPORT, 0, "the log's file name (\"-\": standard input)")      \
	X(REPORT, LINES, "lines", I, REPORT, 0, "lines in the log")                             \
	X(REPORT, RECORDS, "records", I, REPORT, 0, "records read from the log")                \
	X(REPORT, LOST, "lost", I, REPORT, 0, "records the probes could not write")             \
	X(REPORT, MISSED, "missed", I, REPORT, 1, "probe runs the kernel skipped (when any)")    \
	X(REPORT, FILTERS, "filters", O, FILTERS, 1, "trace's filters (when any)")              \
	X(REPORT, DETACHED, "detached", S, REPORT, 1, "how `trace -p` ended (when it did)")     \
	X(REPORT, COUNTS, "counts", O, MAP_INT, 0, "records per FUNC.entry and FUNC.ret")       \
	X(REPORT, UNPAIRED_CALLS, "unpaired_calls", O, MAP_INT, 0,                              \
	  "per function: calls without their return or entry")                                 \
	X(REPORT, RETURNS, "returns", O, MAP_RETURNS, 0,                                        \
	  "per function: how often each decoded return value came back")                       \
	X(REPORT, PROBES_NOT_IN_LOG, "probes_not_in_log", A, STRS, 0,                           \
	  "functions of the case's probe set without a record")                                \
	X(REPORT, CLAIMS, "claims", A, CLAIM, 0, "the case's claims, in the catalogue's order") \
	X(REPORT, UNPARSED, "unparsed", I, REPORT, 0, "log lines that are not records")         \
	X(REPORT, UNPARSED_LINES, "unparsed_lines", A, UNPARSED, 0, "those lines")              \
	X(REPORT, INPUT_WARNINGS, "input_warnings", A, WARNING, 0, "odd input, line by line")   \
	X(REPORT, THREADS, "threads", A, THREAD, 0, "the traced threads")                       \
	X(REPORT, CALLS, "calls", A, CALL, 0,                                                   \
	  "the operations: each thread's outermost calls with their subtrees, thread by thread") \
	X(REPORT, SOURCE, "source", O, SOURCE, 1,                                               \
	  "the source index used for call sites (when the log's kernel has one)")              \
	X(REPORT, REVERSE_TRACE, "reverse_trace", A, STEP, 1,                                   \
	  "from the failing return back to the user's call (with a source index)")             \
	X(REPORT, RUN_FACTS, "run_facts", O, MAP_VALUE, 0,                                      \
	  "the run's facts (kernel, backend, probes, ...): a key given twice keeps its last value") \
	X(REPORT, FACTS, "facts", A, MAP_VALUE, 0,                                              \
	  "what the user saw: one object per operation the trigger reported, its log line in \"line\"") \
	X(REPORT, OTHER_FACTS, "other_facts", A, OTHER_FACT, 0, "the other fact records")       \
	X(REPORT, POINTER_CHAINS, "pointer_chains", A, CHAIN, 0,                                \
	  "addresses that travelled from one record to another")                               \
	X(REPORT, POINTER_OFFSETS, "pointer_offsets", A, OFFSET, 0,                             \
	  "addresses at a fixed offset from another address")                                  \
	X(REPORT, SCALE, "scale", O, SCALE, 1,                                                  \
	  "with more than 1,000 calls: what the Markdown shows instead of every call")         \
	X(FILTERS, PATH, "path", S | N, FILTERS, 0, "--path's glob")                            \
	X(FILTERS, ERRORS_ONLY, "errors_only", B, FILTERS, 0, "--errors-only was given")         \
	X(FILTERS, FILTERED_OUT, "filtered_out", I, FILTERS, 0, "operations left out")          \
	X(FILTERS, KEPT_WHOLE_BUFFER_FULL, "kept_whole_buffer_full", I, FILTERS, 0,             \
	  "operations kept whole because the filter's buffer was full")                        \
	X(FILTERS, KEPT_PATH_UNREAD, "kept_path_unread", I, FILTERS, 0,                         \
	  "operations kept because their path could not be read")                              \
	X(CLAIM, NAME, "name", S, CLAIM, 0, "the claim as written in the catalogue")            \
	X(CLAIM, VERDICT, "verdict", S, CLAIM, 0, "pass, fail, not evidenced or skipped")       \
	X(CLAIM, EVIDENCE, "evidence", A, INTS, 0, "the log lines behind the verdict, ascending") \
	X(CLAIM, DETAIL, "detail", S, CLAIM, 0, "what was seen, in one sentence")               \
	X(CLAIM, SENTENCE, "sentence", S, CLAIM, 0, "the claim and what was seen, in plain words") \
	X(UNPARSED, LINE, "line", I, UNPARSED, 0, "its line number")                            \
	X(UNPARSED, TEXT, "text", S, UNPARSED, 0, "its text")                                   \
	X(UNPARSED, REASON, "reason", S, UNPARSED, 0, "why it is not a record")                 \
	X(WARNING, LINE, "line", I, WARNING, 0, "its line number")                              \
	X(WARNING, WHAT, "what", S, WARNING, 0, "what is odd")                                  \
	X(THREAD, PID, "pid", I, THREAD, 0, "process id")                                       \
	X(THREAD, TID, "tid", I, THREAD, 0, "thread id")                                        \
	X(THREAD, COMM, "comm", S | N, THREAD, 0, "its command name, as the kernel knows it")   \
	X(THREAD, ROOTS, "roots", I, THREAD, 0, "its operations (outermost calls)")             \
	X(CALL, FUNC, "func", S, CALL, 0, "the function")                                       \
	X(CALL, OP, "op", I | N, CALL, 0, "the case's operation number (op#N); null outside a case") \
	X(CALL, PID, "pid", I, CALL, 0, "process id")                                           \
	X(CALL, TID, "tid", I, CALL, 0, "thread id")                                            \
	X(CALL, LINE_ENTRY, "line_entry", I | N, CALL, 0, "the entry record's log line")        \
	X(CALL, LINE_RET, "line_ret", I | N, CALL, 0, "the return record's log line")           \
	X(CALL, ARGS, "args", O | N, MAP_VALUE, 0, "the entry's fields")                        \
	X(CALL, RET, "ret", S | N, CALL, 0, "the return value as \"0x..\" (null: no return)")   \
	X(CALL, RET_TEXT, "ret_text", S | N, CALL, 0,                                           \
	  "the return decoded: a pointer, NULL, ERR_PTR(-E...), a number or -E...")            \
	X(CALL, RET_CLASS, "ret_class", S | N, CALL, 0, "the decoded return's class")           \
	X(CALL, ERRNO, "errno", S | N, CALL, 0, "the error's name when the call failed")        \
	X(CALL, RET_FIELDS, "ret_fields", O | N, MAP_VALUE, 0, "the return's fields")           \
	X(CALL, PAIRED, "paired", B, CALL, 0, "entry and return both seen, on this thread")     \
	X(CALL, IN_FLIGHT, "in_flight", S, CALL, 1,                                             \
	  "at_attach or at_detach: cut by `trace -p` attaching or detaching")                 \
	X(CALL, CALL_SITE, "call_site", O | N, CALL_SITE, 1, "where it was called from")        \
	X(CALL, INLINED, "inlined", A | N, INLINED, 1, "inlined frames between caller and call") \
	X(CALL, DEFINITION, "definition", O | N, DEFINITION, 1, "where the function is defined") \
	X(CALL, LINES, "lines", A, LINE_STEP, 1, "the source lines that ran in it, in order")   \
	X(CALL, ORIGIN, "origin", O, ORIGIN, 1, "an operation's error: where it was decided")   \
	X(CALL, CHILDREN, "children", A, CALL, 0, "the calls it made")                          \
	X(LINE_STEP, FILE, "file", S | N, LINE_STEP, 0, "source file")                          \
	X(LINE_STEP, LINE, "line", I, LINE_STEP, 0, "source line")                              \
	X(LINE_STEP, FUNC, "func", S | N, LINE_STEP, 0, "the function the line is in")          \
	X(LINE_STEP, INLINED_IN, "inlined_in", S | N, LINE_STEP, 0,                             \
	  "the function it was inlined in, if it was")                                         \
	X(LINE_STEP, TEXT, "text", S | N, LINE_STEP, 0, "the line's source text")               \
	X(LINE_STEP, HITS, "hits", I, LINE_STEP, 0, "consecutive hits")                         \
	X(LINE_STEP, LOG_LINE, "log_line", I, LINE_STEP, 0, "the first hit's log line")         \
	X(ORIGIN, ERRNO, "errno", S | N, ORIGIN, 0, "the error")                                \
	X(ORIGIN, CALL, "call", S, ORIGIN, 0, "the deepest traced call that returned it")       \
	X(ORIGIN, CALL_LINE_RET, "call_line_ret", I | N, ORIGIN, 0, "that call's return log line") \
	X(ORIGIN, FILE, "file", S | N, ORIGIN, 0, "the deciding line's file (null: no line probes)") \
	X(ORIGIN, LINE, "line", I | N, ORIGIN, 0, "the deciding line")                          \
	X(ORIGIN, FUNC, "func", S | N, ORIGIN, 0, "the function the line is in")                \
	X(ORIGIN, INLINED_IN, "inlined_in", S | N, ORIGIN, 0, "where that function was inlined") \
	X(ORIGIN, TEXT, "text", S | N, ORIGIN, 0, "the line's source text")                     \
	X(ORIGIN, LOG_LINE, "log_line", I | N, ORIGIN, 0, "the hit's log line")                 \
	X(ORIGIN, NAMES_ERRNO, "names_errno", B | N, ORIGIN, 0,                                 \
	  "the line's text names the errno (else it is the last line that ran)")               \
	X(CALL_SITE, FUNC, "func", S | N, CALL_SITE, 1, "the function the call is written in")  \
	X(CALL_SITE, FILE, "file", S | N, CALL_SITE, 0, "its file")                             \
	X(CALL_SITE, LINE, "line", I | N, CALL_SITE, 0, "its line")                             \
	X(CALL_SITE, CALLER, "caller", S | N, CALL_SITE, 0, "the traced caller's function")     \
	X(CALL_SITE, RESUME_LINE, "resume_line", I | N, CALL_SITE, 0,                           \
	  "the line the caller resumes at, when it differs")                                   \
	X(INLINED, FUNC, "func", S | N, INLINED, 1, "the inlined function")                     \
	X(INLINED, FILE, "file", S | N, INLINED, 0, "the file of its call")                     \
	X(INLINED, LINE, "line", I | N, INLINED, 0, "the line of its call")                     \
	X(DEFINITION, FILE, "file", S | N, DEFINITION, 0, "the function's file")                \
	X(DEFINITION, LINE, "line", I | N, DEFINITION, 0, "its first line")                     \
	X(OTHER_FACT, LINE, "line", I, OTHER_FACT, 0, "its log line")                           \
	X(OTHER_FACT, FACT, "fact", S, OTHER_FACT, 0, "the record's name")                      \
	X(OTHER_FACT, FIELDS, "fields", O, MAP_VALUE, 0, "its fields")                          \
	X(CHAIN, VALUE, "value", S, CHAIN, 0, "the address, \"0x..\"")                          \
	X(CHAIN, LINKS, "links", A, LINK, 0, "the records that carried it, in log order")       \
	X(LINK, EVENT, "event", S, LINK, 0, "FUNC.entry, FUNC.ret or the fact's name")          \
	X(LINK, FIELD, "field", S, LINK, 0, "the field that held the address")                  \
	X(LINK, LINE, "line", I, LINK, 0, "the record's log line")                              \
	X(OFFSET, INNER, "inner", S, OFFSET, 0, "EVENT:FIELD of the inner address")             \
	X(OFFSET, BASE, "base", S, OFFSET, 0, "EVENT:FIELD of the base address")                \
	X(OFFSET, DIFF, "diff", I, OFFSET, 0, "inner minus base, in bytes")                     \
	X(OFFSET, PREFIX, "prefix", S, OFFSET, 0, "the text the offset skips")                  \
	X(OFFSET, TEXT_AGREES, "text_agrees", B, OFFSET, 0,                                     \
	  "the texts at both addresses agree with the offset")                                 \
	X(OFFSET, INNER_LINES, "inner_lines", A, INTS, 0, "log lines of the inner addresses")   \
	X(OFFSET, BASE_LINES, "base_lines", A, INTS, 0, "log lines of the base addresses")      \
	X(SOURCE, KERNEL, "kernel", S | N, SOURCE, 0, "the index's kernel release")             \
	X(SOURCE, CALLS_WITH_CALLER, "calls_with_caller", I | N, SOURCE, 0,                     \
	  "calls that carry their return address")                                             \
	X(SOURCE, RESOLVED, "resolved", I | N, SOURCE, 0, "of those, resolved to a source line") \
	X(STEP, FILE, "file", S | N, STEP, 0, "source file")                                    \
	X(STEP, LINE, "line", I | N, STEP, 0, "source line")                                    \
	X(STEP, KIND, "kind", S, STEP, 0, "what the step is")                                   \
	X(STEP, TEXT, "text", S | N, STEP, 0, "the step in words")                              \
	X(STEP, LOG_LINE, "log_line", I | N, STEP, 0, "its log line")                           \
	X(SCALE, OPERATIONS, "operations", I, SCALE, 0, "operations (outermost calls)")         \
	X(SCALE, CALLS, "calls", I, SCALE, 0, "calls in all")                                   \
	X(SCALE, SHAPES, "shapes", A, SHAPE, 0, "the distinct shapes, by their first operation") \
	X(SCALE, LATENCY, "latency", A, LATENCY, 0,                                             \
	  "per function with timed calls, by its first (empty: no timestamps)")                \
	X(SCALE, ERRORS, "errors", A, SCALE_ERROR, 0, "by function and errno, by first appearance") \
	X(SHAPE, TEXT, "text", S, SHAPE, 0,                                                     \
	  "the functions called, nested as { }, with their returns")                           \
	X(SHAPE, COUNT, "count", I, SHAPE, 0, "operations of this shape")                       \
	X(SHAPE, FIRST_LINE, "first_line", I, SHAPE, 0, "the first one's log line")             \
	X(LATENCY, FUNC, "func", S, LATENCY, 0, "the function")                                 \
	X(LATENCY, CALLS, "calls", I, LATENCY, 0, "its paired calls with both timestamps")      \
	X(LATENCY, MIN_US, "min_us", F, LATENCY, 0, "the shortest")                             \
	X(LATENCY, MEDIAN_US, "median_us", F, LATENCY, 0, "the median (nearest rank)")          \
	X(LATENCY, P99_US, "p99_us", F, LATENCY, 0, "the 99th percentile (nearest rank)")       \
	X(LATENCY, MAX_US, "max_us", F, LATENCY, 0, "the longest")                              \
	X(SCALE_ERROR, FUNC, "func", S, SCALE_ERROR, 0, "the function")                         \
	X(SCALE_ERROR, ERRNO, "errno", S | N, SCALE_ERROR, 0, "the errno's name (null: unknown)") \
	X(SCALE_ERROR, VALUE, "value", I, SCALE_ERROR, 0, "the errno's number")                 \
	X(SCALE_ERROR, COUNT, "count", I, SCALE_ERROR, 0, "calls")                              \
	X(SCALE_ERROR, FIRST_LINE, "first_line", I, SCALE_ERROR, 0, "the first one's log line")

#define OT_RK_ENUM(obj, id, key, types, holds, opt, doc) OT_RK_##obj##_##id,
enum ot_rkey { OT_REPORT_KEYS(OT_RK_ENUM) OT_RK_COUNT };
#undef OT_RK_ENUM
#ifndef OT_REPORT_SCHEMA_TABLE /* report_schema.c builds the table with them */
#undef S
#undef I
#undef B
#undef N
#undef O
#undef A
#undef F
#endif

struct ot_report_key {
	enum ot_robj obj;
	const char *key;
	const char *quoted; /* "\"key\": ", as the writer puts it */
	size_t qlen;
	unsigned types; /* enum ot_rtype bits */
	enum ot_robj holds;
	bool optional;
	const char *doc;
};

struct ot_report_object {
	const char *name, *doc;
};

extern const struct ot_report_key ot_report_keys[OT_RK_COUNT];
extern const struct ot_report_object ot_report_objects[OT_RO_COUNT];

/* A key's text: OT_RKEY(CALL, FUNC) is "func". */
#define OT_RKEY(obj, id) (ot_report_keys[OT_RK_##obj##_##id].key)
/* Writes a key of the table into the open object of a JSON writer. */
#define OT_RK_WRITE(w, obj, id)                                                                \
	ot_jw_key_raw((w), ot_report_keys[OT_RK_##obj##_##id].quoted,                            \
		      ot_report_keys[OT_RK_##obj##_##id].qlen)

/* Whether an object of kind O has keys that are data (a map). */
bool ot_report_object_is_map(enum ot_robj o);

/* The schema as Markdown (docs/report-schema.md). */
void ot_report_schema_markdown(FILE *f);

#endif
