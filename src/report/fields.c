// SPDX-License-Identifier: MIT
/* Showing fields and return values (see fields.h). */
#include "report/fields.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "probe/spec.h"
#include "record/logwrite.h"
#include "report/termstyle.h"
#include "trace/decode.h"

#define AT_FDCWD_VALUE (-100)

/* The line format writes pointers and machine words as 16 bare hex digits. */
static bool raw_is_machine_word(const char *raw)
{
	if (!raw || strlen(raw) != 16)
		return false;
	return strspn(raw, "0123456789abcdefABCDEF") == 16;
}

bool ot_func_ret_kind(const char *func, enum ot_ret_kind *kind)
{
	const struct ot_probe *p = func ? ot_probe_find(func) : NULL;

	if (!p)
		return false;
	*kind = p->ret_kind;
	return true;
}

/* How a value of kind K is shown; false when its kind does not say. */
static bool show_of_kind(enum ot_field_kind k, enum ot_show *show)
{
	switch (k) {
	case OT_FK_PTR:
	case OT_FK_ERRPTR:
		*show = OT_SHOW_PTR;
		return true;
	case OT_FK_INT32:
	case OT_FK_ERRINT:
	case OT_FK_ERRLONG:
	case OT_FK_VOID:
		*show = OT_SHOW_INT;
		return true;
	case OT_FK_DFD:
		*show = OT_SHOW_DFD;
		return true;
	case OT_FK_UINT:
		*show = OT_SHOW_UINT;
		return true;
	case OT_FK_MASK:
		*show = OT_SHOW_HEX;
		return true;
	case OT_FK_STR:
		*show = OT_SHOW_STR;
		return true;
	case OT_FK_UNKNOWN:
	case OT_FK_COUNT:
		break;
	}
	return false;
}

/* By the kind the parser gave the value (record/kinds.h); a value of no kind by how
 * it was written. */
enum ot_show ot_field_show_by(const struct ot_record *r, const struct ot_field *f, bool *by_raw)
{
	enum ot_show show;

	(void)r;
	*by_raw = false;
	if (f->type == OT_V_STR)
		return OT_SHOW_STR;
	if (show_of_kind((enum ot_field_kind)f->kind, &show))
		return show;
	if (f->type == OT_V_INT)
		return OT_SHOW_INT;
	*by_raw = true;
	return raw_is_machine_word(f->raw) ? OT_SHOW_PTR : OT_SHOW_HEX;
}

enum ot_show ot_field_show(const struct ot_record *r, const struct ot_field *f)
{
	bool by_raw;

	return ot_field_show_by(r, f, &by_raw);
}

uint64_t ot_field_word(const struct ot_field *f)
{
	if (f->type == OT_V_STR)
		return 0;
	return f->type == OT_V_INT ? (uint64_t)f->i : f->u;
}

const char *ot_field_text(const struct ot_field *f)
{
	if (f->type == OT_V_STR && f->s)
		return f->s;
	return f->raw ? f->raw : "";
}

static void format_value(enum ot_show show, const struct ot_field *f, size_t max_str, char *out,
			 size_t outsz)
{
	uint64_t w = ot_field_word(f);

	switch (show) {
	case OT_SHOW_PTR:
	case OT_SHOW_HEX:
		snprintf(out, outsz, "0x%" PRIx64, w);
		break;
	case OT_SHOW_DFD:
		if (ot_as_int32(w) == AT_FDCWD_VALUE)
			snprintf(out, outsz, "AT_FDCWD");
		else
			snprintf(out, outsz, "%" PRId32, ot_as_int32(w));
		break;
	case OT_SHOW_INT:
		snprintf(out, outsz, "%" PRId64, (int64_t)w);
		break;
	case OT_SHOW_UINT:
		snprintf(out, outsz, "%" PRIu64, w);
		break;
	case OT_SHOW_STR: {
		const char *s = ot_field_text(f);
		char cut[256];

		if (max_str && strlen(s) > max_str)
			s = ot_ts_shorten(s, max_str < sizeof(cut) / 4 ? max_str : sizeof(cut) / 4,
					  cut, sizeof(cut));
		ot_quote(out, outsz, s, strlen(s));
		break;
	}
	}
}

void ot_field_format_max(const struct ot_record *r, const struct ot_field *f, size_t max_str,
			 char *out, size_t outsz)
{
	int n = snprintf(out, outsz, "%s=", f->key);

	if (n < 0 || (size_t)n >= outsz)
		return;
	format_value(ot_field_show(r, f), f, max_str, out + n, outsz - (size_t)n);
}

void ot_field_format(const struct ot_record *r, const struct ot_field *f, char *out, size_t outsz)
{
	ot_field_format_max(r, f, 0, out, outsz);
}

bool ot_word_is_null_or_err(uint64_t v)
{
	return v == 0 || v >= (uint64_t)-OT_MAX_ERRNO;
}

bool ot_field_is_pointer(const struct ot_record *r, const struct ot_field *f)
{
	if (f->type == OT_V_STR || ot_field_show(r, f) != OT_SHOW_PTR)
		return false;
	return !ot_word_is_null_or_err(ot_field_word(f));
}

/* The raw return word: the decoded one, else the record's own "ret" field. */
static bool call_ret_word(const struct ot_call *c, uint64_t *out)
{
	if (!c->ret)
		return false;
	if (c->dec.cls != OT_RC_UNKNOWN) {
		*out = c->dec.raw;
		return true;
	}
	return ot_rec_u64(c->ret, "ret", out);
}

void ot_call_ret_text(const struct ot_call *c, char *out, size_t outsz)
{
	enum ot_ret_kind k;
	uint64_t w;

	if (!c->ret) {
		snprintf(out, outsz, c->in_flight ? "(in flight at detach)" : "(no return in log)");
		return;
	}
	if (ot_func_ret_kind(c->func, &k) && c->dec.cls != OT_RC_UNKNOWN) {
		ot_ret_text(&c->dec, c->kind, out, outsz);
		return;
	}
	/* Outside the probe spec the word's meaning is unknown: show it, do not guess. */
	if (call_ret_word(c, &w))
		snprintf(out, outsz, "0x%" PRIx64, w);
	else
		snprintf(out, outsz, "?");
}

void ot_call_ret_value(const struct ot_call *c, char *out, size_t outsz)
{
	enum ot_ret_kind k;

	if (c->ret && c->dec.cls == OT_RC_OK && ot_func_ret_kind(c->func, &k) &&
	    c->kind == OT_RET_PTR) {
		snprintf(out, outsz, "0x%" PRIx64, c->dec.raw);
		return;
	}
	ot_call_ret_text(c, out, outsz);
}

const char *ot_ret_class_name(enum ot_ret_class cls)
{
	switch (cls) {
	case OT_RC_OK:
		return "ok";
	case OT_RC_NULL:
		return "null";
	case OT_RC_ERR:
		return "err";
	case OT_RC_VOID:
		return "void";
	case OT_RC_UNKNOWN:
		break;
	}
	return "unknown";
}

/* The parser marks the copies it adds under canonical names ("ret" for a seed's
 * "dentry="): they are not in the line. LOG is kept for callers' sake. */
bool ot_field_is_alias(const struct ot_log *log, const struct ot_record *r, size_t i)
{
	(void)log;
	return r->fields[i].alias;
}
