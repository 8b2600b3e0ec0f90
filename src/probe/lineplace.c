// SPDX-License-Identifier: MIT
/* Placing a line plan on the running kernel (see lineplace.h). */
#include "probe/lineplace.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "record/logwrite.h"

struct ksym {
	unsigned long long addr;
	char *name;
};

struct ksyms {
	struct ksym *v;
	size_t n, cap;
	unsigned long long text; /* _text */
};

static int cmp_ksym(const void *a, const void *b)
{
	const struct ksym *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/* The kernel's own text symbols (modules' are left out), sorted by address. */
static int read_ksyms(struct ksyms *k)
{
	FILE *f = fopen("/proc/kallsyms", "r");
	char line[512];

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long a;
		char type, name[256], rest[8];
		int got = sscanf(line, "%llx %c %255s %7s", &a, &type, name, rest);

		if (got != 3 || (type != 't' && type != 'T'))
			continue;
		if (!strcmp(name, "_text"))
			k->text = a;
		if (k->n == k->cap) {
			size_t nc = k->cap ? 2 * k->cap : 4096;
			struct ksym *nv = realloc(k->v, nc * sizeof(*nv));

			if (!nv)
				break;
			k->v = nv;
			k->cap = nc;
		}
		if (!(k->v[k->n].name = strdup(name)))
			break;
		k->v[k->n++].addr = a;
	}
	fclose(f);
	if (k->n)
		qsort(k->v, k->n, sizeof(*k->v), cmp_ksym);
	return 0;
}

static void free_ksyms(struct ksyms *k)
{
	for (size_t i = 0; i < k->n; i++)
		free(k->v[i].name);
	free(k->v);
}

/* The symbol at or below ADDR, or NULL. */
static const struct ksym *ksym_at(const struct ksyms *k, unsigned long long addr)
{
	size_t lo = 0, hi = k->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (k->v[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? &k->v[lo - 1] : NULL;
}

/* SYM is FUNC or one of its compiler clones or parts (FUNC.isra.0, FUNC.cold). */
static bool sym_of(const char *sym, const char *func)
{
	size_t n = strlen(func);

	return !strncmp(sym, func, n) && (sym[n] == '\0' || sym[n] == '.');
}

int ot_lineplan_place(struct ot_lineplan *p, char *why, size_t whysz)
{
	struct ksyms k = {0};
	unsigned long long slide;
	int err = -1;

	if (read_ksyms(&k)) {
		snprintf(why, whysz, "cannot read /proc/kallsyms");
		goto out;
	}
	if (!k.text) {
		snprintf(why, whysz,
			 "/proc/kallsyms hides addresses (run as root; kernel.kptr_restrict)");
		goto out;
	}
	slide = k.text - p->text;
	for (size_t i = 0; i < p->n; i++) {
		struct ot_line_point *pt = &p->pts[i];
		const struct ksym *s;
		char outer[64];

		pt->addr = pt->link_addr + slide;
		s = ksym_at(&k, pt->addr);
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
	err = 0;
out:
	free_ksyms(&k);
	return err;
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
