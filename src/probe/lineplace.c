// SPDX-License-Identifier: MIT
/* Placing a line plan on the running kernel (see lineplace.h). */
#include "probe/lineplace.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "probe/ksyms.h"
#include "record/logwrite.h"

/* SYM is FUNC or one of its compiler clones or parts (FUNC.isra.0, FUNC.cold). */
static bool sym_of(const char *sym, const char *func)
{
	size_t n = strlen(func);

	return !strncmp(sym, func, n) && (sym[n] == '\0' || sym[n] == '.');
}

int ot_lineplan_place(struct ot_lineplan *p, char *why, size_t whysz)
{
	const struct ot_ksyms *k = ot_ksyms_get();
	unsigned long long slide;

	if (!k) {
		snprintf(why, whysz, "cannot read /proc/kallsyms");
		return -1;
	}
	if (!k->ktext) {
		snprintf(why, whysz,
			 "/proc/kallsyms hides addresses (run as root; kernel.kptr_restrict)");
		return -1;
	}
	slide = k->ktext - p->text;
	for (size_t i = 0; i < p->n; i++) {
		struct ot_line_point *pt = &p->pts[i];
		const struct ot_ksym *s;
		char outer[64];

		pt->addr = pt->link_addr + slide;
		s = ot_ksym_at(k, pt->addr);
		ot_line_point_outer(pt, outer, sizeof(outer));
		if (!s) {
			snprintf(pt->why, sizeof(pt->why), "no kernel symbol at this address");
			continue;
		}
		snprintf(pt->sym, sizeof(pt->sym), "%s", s->name);
		pt->off = pt->addr - s->addr;
		if (!sym_of(s->name, outer))
			/* The index and the running kernel disagree: never probe a guess. */
			snprintf(pt->why, sizeof(pt->why),
				 "the address is in %s here; not in %s (another build's index?)",
				 s->name, outer);
	}
	return 0;
}

int ot_lineplan_write_facts(const struct ot_lineplan *p, FILE *log)
{
	for (size_t i = 0; i < p->n; i++) {
		const struct ot_line_point *pt = &p->pts[i];
		struct ot_line l;
		char at[200], probe[160];

		snprintf(at, sizeof(at), "%s:%u", pt->file, pt->line);
		snprintf(probe, sizeof(probe), "%s+0x%llx", pt->sym, pt->off);
		ot_line_begin(&l, "line", "fact", (uint32_t)getpid(), (uint32_t)getpid(),
			      "opentrail");
		ot_line_int(&l, "id", pt->id);
		ot_line_str(&l, "of", pt->of);
		ot_line_str(&l, "at", at);
		ot_line_str(&l, "chain", pt->chain);
		ot_line_str(&l, "probe", *pt->sym ? probe : "");
		if (*pt->why)
			ot_line_str(&l, "refused", pt->why);
		if (ot_line_write(&l, log))
			return -1;
	}
	return 0;
}

size_t ot_lineplan_placed(const struct ot_lineplan *p)
{
	size_t n = 0;

	for (size_t i = 0; i < p->n; i++)
		n += !*p->pts[i].why;
	return n;
}
