/* SPDX-License-Identifier: MIT */
/* The text of source lines, from the kernel source cached with its debug info
 * (srccache.h: only when its version is the indexed kernel's). Files are read once
 * and kept while the reader lives. */
#ifndef OT_SRCTEXT_H
#define OT_SRCTEXT_H

struct ot_srctext;

struct ot_srctext *ot_srctext_new(const char *kernel); /* NULL: out of memory */
void ot_srctext_free(struct ot_srctext *st);

/* FILE:LINE's text without its indentation, or NULL when the source is not at hand. */
const char *ot_srctext_line(struct ot_srctext *st, const char *file, unsigned line);
/* How many lines FILE has (0: not at hand). */
unsigned ot_srctext_nlines(struct ot_srctext *st, const char *file);

#endif
