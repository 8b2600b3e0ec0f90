/* SPDX-License-Identifier: MIT */
/* How a record's field is shown: pointers in hex, dfd as AT_FDCWD, masks in hex,
 * strings quoted. The kind comes from the probe spec when it knows the
 * field, else from how the value was written. Both reports use these. */
#ifndef OT_REPORT_FIELDS_H
#define OT_REPORT_FIELDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "record/record.h"
#include "trace/trace.h"

enum ot_show {
	OT_SHOW_PTR,  /* address: 0x-hex */
	OT_SHOW_DFD,  /* directory fd: signed 32-bit, -100 is AT_FDCWD */
	OT_SHOW_INT,  /* signed decimal */
	OT_SHOW_UINT, /* unsigned decimal */
	OT_SHOW_HEX,  /* a mask or hash: 0x-hex */
	OT_SHOW_STR,  /* text */
};

enum ot_show ot_field_show(const struct ot_record *r, const struct ot_field *f);
/* The same, and whether it depended on the value as written (*BY_RAW) rather than
 * only on the record's kind and function and the field's key, type and spec. */
enum ot_show ot_field_show_by(const struct ot_record *r, const struct ot_field *f, bool *by_raw);
/* The field's value as a 64-bit word (0 for strings). */
uint64_t ot_field_word(const struct ot_field *f);
/* The field's text, or its raw spelling when it is shown as text but was not quoted. */
const char *ot_field_text(const struct ot_field *f);
/* "key=value" as the call tree shows it. */
void ot_field_format(const struct ot_record *r, const struct ot_field *f, char *out, size_t outsz);
/* The same with text longer than MAX_STR characters shortened (termstyle.h
 * ot_ts_shorten; 0: never), for a terminal. */
void ot_field_format_max(const struct ot_record *r, const struct ot_field *f, size_t max_str,
			 char *out, size_t outsz);

/* Is field I of R a name the parser added beside the one the line wrote (a seed's
 * "dentry=" of a return is also its "ret")? Shown once, under the written name. */
bool ot_field_is_alias(const struct ot_log *log, const struct ot_record *r, size_t i);

/* Does this field of R hold an address worth following (not NULL, not an ERR_PTR)? */
bool ot_field_is_pointer(const struct ot_record *r, const struct ot_field *f);
/* Is V a value no pointer chain should follow: NULL or an ERR_PTR? */
bool ot_word_is_null_or_err(uint64_t v);

/* The probe spec's return kind of FUNC, and whether the spec knows it. */
bool ot_func_ret_kind(const char *func, enum ot_ret_kind *kind);
/* The return as the signature counts show it: "ok", "NULL", "ERR_PTR(-ENOENT)", "-EACCES",
 * "0", "void"; for a function outside the probe spec, the raw word in hex. */
void ot_call_ret_text(const struct ot_call *c, char *out, size_t outsz);
/* The return as the call tree shows it: like ot_call_ret_text, but a valid pointer is
 * shown as its address (pointer chains are followed by address). */
void ot_call_ret_value(const struct ot_call *c, char *out, size_t outsz);
/* "ok", "null", "err", "void", "unknown". */
const char *ot_ret_class_name(enum ot_ret_class cls);

#endif
