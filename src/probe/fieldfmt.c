// SPDX-License-Identifier: MIT
/* Field words into record text (see fieldfmt.h). */
#include "probe/fieldfmt.h"

enum ot_line_put ot_field_put(const struct ot_field_spec *f)
{
	switch (f->kind) {
	case OT_FK_INT32:
	case OT_FK_DFD:
		return OT_PUT_INT32;
	case OT_FK_MASK:
		return OT_PUT_HEX;
	case OT_FK_PTR:
	case OT_FK_STR: /* the backend writes the text itself */
		return OT_PUT_PTR;
	default: /* OT_FK_UINT; no field of the spec has another kind */
		return OT_PUT_DEC;
	}
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
