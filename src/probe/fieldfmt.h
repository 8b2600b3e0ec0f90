/* SPDX-License-Identifier: MIT */
/* How a field's raw word is written in a record, from its kind in the spec:
 * pointers as 16 hex digits, int32 and dfd signed (-100), masks in hex, other
 * unsigned values in decimal. The BPF side writes through ot_line_field; the module writes
 * by ot_field_put, carried in its recipes. */
#ifndef OT_PROBE_FIELDFMT_H
#define OT_PROBE_FIELDFMT_H

#include <stdint.h>

#include "probe/spec.h"
#include "record/lineformat.h"
#include "record/logwrite.h"

/* How F's word is written (the kernel module writes it itself: the recipe carries it). */
enum ot_line_put ot_field_put(const struct ot_field_spec *f);
void ot_line_field(struct ot_line *l, const struct ot_field_spec *f, uint64_t v);

#endif
