// SPDX-License-Identifier: MIT
/* Field words into record text (see fieldfmt.h). */
#include "probe/fieldfmt.h"

void ot_line_field(struct ot_line *l, const struct ot_field_spec *f, uint64_t v)
{
	switch (f->kind) {
	case OT_FK_PTR:
		ot_line_ptr(l, f->key, v);
		break;
	case OT_FK_INT32:
	case OT_FK_DFD:
		ot_line_int(l, f->key, (int32_t)(uint32_t)v);
		break;
	case OT_FK_MASK:
		ot_line_hex(l, f->key, v);
		break;
	case OT_FK_STR: /* the backend writes the text itself */
		break;
	default: /* OT_FK_UINT; no field of the spec has another kind */
		ot_line_int(l, f->key, (int64_t)v);
		break;
	}
}
