// SPDX-License-Identifier: MIT
/* Line probes' plan from a source index (see lineplan.h). */
#include "srcmap/lineplan.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* NAME is FUNC, or one of its compiler clones (FUNC.isra.0, FUNC.cold, ...). */
static bool same_function(const char *name, const char *func)
{
	size_t n = strlen(func);

	return !strncmp(name, func, n) && (name[n] == '\0' || name[n] == '.');
}

/* The first line row at or above ADDR. */
static size_t first_row(const struct ot_srcindex *ix, uint64_t addr)
{
	size_t lo = 0, hi = ix->nlines;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ix->lines[mid].addr < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool def_in_file(const struct ot_srcindex *ix, const char *func, const char *file)
{
	const char *def;
	unsigned line;

	return ot_srcindex_definition(ix, func, &def, &line) && !strcmp(def, file);
}

/* The first frame the row's line belongs to. A row that is not a statement start
 * may carry the line of the function an inlined helper was expanded into (the
 * compiler interleaves them): the innermost frames defined in another file than the
 * row's are its helpers, not where its line is. */
static size_t innermost_of_row(const struct ot_srcindex *ix, const struct ot_src_frame *fr,
			       size_t nf, const char *file)
{
	for (size_t k = 0; k + 1 < nf; k++) {
		const char *def;
		unsigned line;

		if (!ot_srcindex_definition(ix, fr[k].func, &def, &line) || !strcmp(def, file))
			return k; /* unknown: taken as it is */
	}
	return def_in_file(ix, fr[nf - 1].func, file) ? nf - 1 : 0; /* none: keep them all */
}

/* Which of the points PTS[I..J), one address's rows in the line table's order, stands
 * for it: the first, unless it is a line of another file than its function's own
 * (an inlined helper's header: spinlock.h, jump_label.h) and a later row is one of
 * the function's own, which is then the line the instruction is of (the last such:
 * the rows before it have no instruction of their own). On arm64 5.10 the
 * instruction of bd_prepare_to_claim's `return -EBUSY;` has the rows spinlock.h:213,
 * spinlock_api_smp.h:152, block_dev.c:1091; __break_lease's `error = -EWOULDBLOCK;`
 * jump_label.h:30, locks.c:1721. */
static size_t row_of(const struct ot_srcindex *ix, const struct ot_line_point *pts, size_t i,
		     size_t j)
{
	char outer[sizeof(pts[i].chain)];
	size_t pick = i;

	if (def_in_file(ix, ot_line_point_outer(&pts[i], outer, sizeof(outer)), pts[i].file))
		return i;
	for (size_t r = i + 1; r < j; r++)
		if (!strcmp(pts[r].of, pts[i].of) &&
		    def_in_file(ix, ot_line_point_outer(&pts[r], outer, sizeof(outer)), pts[r].file))
			pick = r;
	return pick;
}

static int cmp_point(const void *a, const void *b)
{
	const struct ot_line_point *x = a, *y = b;

	if (x->link_addr != y->link_addr)
		return x->link_addr < y->link_addr ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id; /* the function named first wins */
}

/* Adds the rows of [LOW, HIGH) as points of FUNC. */
static int add_range(const struct ot_srcindex *ix, const char *func, uint64_t low, uint64_t high,
		     bool entry, struct ot_lineplan *p, size_t *cap, char *why, size_t whysz)
{
	for (size_t i = first_row(ix, low); i < ix->nlines && ix->lines[i].addr < high; i++) {
		const struct ot_src_line *row = &ix->lines[i];
		struct ot_src_frame fr[16];
		size_t nf, used = 0;
		struct ot_line_point *pt;

		if (!row->line || row->file >= ix->nfiles)
			continue; /* the end of a sequence: no instruction here */
		if (row->addr == low && entry)
			continue; /* the function's entry: its call record shows it (and a probe
				   * there may fire before or after the call's own) */
		nf = ot_srcindex_frames(ix, row->addr, fr, sizeof(fr) / sizeof(fr[0]));
		if (!nf)
			continue;
		if (p->n == OT_LINEPLAN_MAX) {
			snprintf(why, whysz,
				 "more than %d source lines to probe: name fewer functions",
				 OT_LINEPLAN_MAX);
			return -1;
		}
		if (p->n == *cap) {
			size_t nc = *cap ? 2 * *cap : 64;
			struct ot_line_point *np = realloc(p->pts, nc * sizeof(*np));

			if (!np) {
				snprintf(why, whysz, "out of memory");
				return -1;
			}
			p->pts = np;
			*cap = nc;
		}
		pt = &p->pts[p->n];
		memset(pt, 0, sizeof(*pt));
		pt->id = (unsigned)p->n; /* order of discovery until sorted */
		snprintf(pt->of, sizeof(pt->of), "%s", func);
		pt->link_addr = row->addr;
		snprintf(pt->file, sizeof(pt->file), "%s", ix->files[row->file]);
		pt->line = row->line;
		for (size_t k = innermost_of_row(ix, fr, nf, pt->file);
		     k < nf && used < sizeof(pt->chain); k++) {
			int w;

			if (k && used && !strcmp(fr[k].func, fr[k - 1].func))
				continue; /* one function's nested scopes: one level */
			w = snprintf(pt->chain + used, sizeof(pt->chain) - used, "%s%s",
				     used ? "," : "", fr[k].func);

			if (w < 0)
				break;
			used += (size_t)w;
		}
		p->n++;
	}
	return 0;
}

static bool in_index(const struct ot_srcindex *ix, const char *func)
{
	for (size_t s = 0; s < ix->nscopes; s++)
		if (ix->scopes[s].name < ix->nnames && same_function(ix->names[ix->scopes[s].name], func))
			return true;
	return false;
}

/* FUNC may name alternatives, "A|B": the first the index knows (a function renamed
 * between kernels: __shmem_get_inode since 6.3, where shmem_get_inode became an
 * inline wrapper of it). Copies it into NAME; false when none is known. */
static bool pick_alternative(const struct ot_srcindex *ix, const char *func, char *name,
			     size_t size)
{
	for (const char *p = func; *p;) {
		size_t len = strcspn(p, "|");

		if (len < size) {
			memcpy(name, p, len);
			name[len] = '\0';
			if (in_index(ix, name))
				return true;
		}
		p += len + (p[len] == '|');
	}
	return false;
}

int ot_lineplan_build(const struct ot_srcindex *ix, const char *const *funcs, size_t n,
		      struct ot_lineplan *out, char *why, size_t whysz)
{
	size_t cap = 0, k = 0;

	memset(out, 0, sizeof(*out));
	snprintf(out->kernel, sizeof(out->kernel), "%s", ix->kernel ? ix->kernel : "");
	out->text = ix->text;
	for (size_t f = 0; f < n; f++) {
		size_t before = out->n;
		char name[sizeof(out->pts[0].of)];

		if (!pick_alternative(ix, funcs[f], name, sizeof(name))) {
			snprintf(why, whysz,
				 "%s is not in the source index of %s (it holds the source units "
				 "of the probe spec's functions)",
				 funcs[f], out->kernel);
			goto fail;
		}
		for (size_t s = 0; s < ix->nscopes; s++) {
			const struct ot_src_scope *sc = &ix->scopes[s];

			if (sc->name >= ix->nnames || !same_function(ix->names[sc->name], name))
				continue;
			if (add_range(ix, name, sc->low, sc->high, sc->depth == 0, out, &cap, why,
				      whysz))
				goto fail;
		}
		if (out->n == before) {
			snprintf(why, whysz, "%s has no line rows in the source index of %s", name,
				 out->kernel);
			goto fail;
		}
	}
	/* One point per address: nested scopes, or two functions named, see one twice,
	 * and the line table may give one address several rows (statements with no
	 * instruction of their own, then the one whose instruction it is). */
	if (out->n)
		qsort(out->pts, out->n, sizeof(*out->pts), cmp_point);
	for (size_t i = 0, j; i < out->n; i = j) {
		for (j = i + 1; j < out->n && out->pts[j].link_addr == out->pts[i].link_addr; j++)
			;
		out->pts[k++] = out->pts[row_of(ix, out->pts, i, j)];
	}
	out->n = k;
	for (size_t i = 0; i < out->n; i++)
		out->pts[i].id = (unsigned)i;
	return 0;
fail:
	ot_lineplan_free(out);
	return -1;
}

void ot_lineplan_free(struct ot_lineplan *p)
{
	free(p->pts);
	p->pts = NULL;
	p->n = 0;
}

const char *ot_line_point_outer(const struct ot_line_point *p, char *buf, size_t size)
{
	const char *last = strrchr(p->chain, ',');

	snprintf(buf, size, "%s", last ? last + 1 : p->chain);
	return buf;
}
