/* SPDX-License-Identifier: MIT */
/* How a field's raw word is written in a record, from its kind in the spec:
 * pointers as 16 hex digits, int32 and dfd signed (-100), masks in hex, other
 * unsigned values in decimal. Both backends write through this. */
#ifndef OT_PROBE_FIELDFMT_H
#define OT_PROBE_FIELDFMT_H

#include <stdint.h>

#include "probe/spec.h"
#include "record/logwrite.h"

void ot_line_field(struct ot_line *l, const struct ot_field_spec *f, uint64_t v);

#endif
