// SPDX-License-Identifier: MIT
/* Field words into record text (see fieldfmt.h). */
#include "probe/fieldfmt.h"

#include <string.h>

/* Masks and modes read best in hex; counts, ids and booleans in decimal. */
static bool uint_in_hex(const char *key)
{
	return strstr(key, "flag") || strstr(key, "mode") || strstr(key, "mask") ||
	       !strcmp(key, "hash");
}

enum ot_line_put ot_field_put(const struct ot_field_spec *f)
{
	switch (f->kind) {
	case OT_FK_INT32:
		return OT_PUT_INT32;
	case OT_FK_UINT:
		return uint_in_hex(f->key) ? OT_PUT_HEX : OT_PUT_DEC;
	case OT_FK_PTR:
	case OT_FK_STR:
		break;
	}
	return OT_PUT_PTR;
}

void ot_line_field(struct ot_line *l, const struct ot_field_spec *f, uint64_t v)
{
	if (f->kind == OT_FK_STR)
		return;
	switch (ot_field_put(f)) {
	case OT_PUT_PTR:
		ot_line_ptr(l, f->key, v);
		break;
	case OT_PUT_INT32:
		ot_line_int(l, f->key, (int32_t)(uint32_t)v);
		break;
	case OT_PUT_DEC:
		ot_line_int(l, f->key, (int64_t)v);
		break;
	case OT_PUT_HEX:
		ot_line_hex(l, f->key, v);
		break;
	}
}
