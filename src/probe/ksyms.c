// SPDX-License-Identifier: MIT
/* The kernel's symbols, read once (see ksyms.h). */
#include "probe/ksyms.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/arena.h"

static const char *const ftrace_lists[] = {
    "/sys/kernel/tracing/available_filter_functions",
    "/sys/kernel/debug/tracing/available_filter_functions",
};

struct growing {
	void *v;
	size_t n, cap, size;
};

static void *grow(struct growing *g)
{
	if (g->n == g->cap) {
		size_t cap = g->cap ? 2 * g->cap : 4096;
		void *v = realloc(g->v, cap * g->size);

		if (!v)
			return NULL;
		g->v = v;
		g->cap = cap;
	}
	return (char *)g->v + g->size * g->n++;
}

static int cmp_addr(const void *a, const void *b)
{
	const struct ot_ksym *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static int read_kallsyms(struct ot_ksyms *k, struct ot_arena *names)
{
	struct growing text = {.size = sizeof(struct ot_ksym)};
	FILE *f = fopen("/proc/kallsyms", "r");
	char line[512];

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long addr;
		char type, sym[256];
		struct ot_ksym *s;

		/* Module symbols carry a "[module]" tail: opentrail probes vmlinux. */
		if (strchr(line, '[') || sscanf(line, "%llx %c %255s", &addr, &type, sym) != 3)
			continue;
		if (!strcmp(sym, "_text"))
			k->ktext = addr;
		else if (!strcmp(sym, "_stext"))
			k->stext = addr;
		else if (!strcmp(sym, "_etext"))
			k->etext = addr;
		if (type != 't' && type != 'T')
			continue;
		if (!(s = grow(&text)) || !(s->name = ot_arena_strdup(names, sym))) {
			fclose(f);
			free(text.v);
			errno = ENOMEM;
			return -1;
		}
		s->addr = addr;
	}
	fclose(f);
	k->text = text.v;
	k->ntext = text.n;
	struct ot_ksym *by = malloc((text.n ? text.n : 1) * sizeof(*by));
	if (!by) {
		errno = ENOMEM;
		return -1;
	}
	memcpy(by, text.v, text.n * sizeof(*by));
	qsort(by, text.n, sizeof(*by), cmp_addr);
	k->by_addr = by;
	return 0;
}

static void read_ftrace(struct ot_ksyms *k, struct ot_arena *names)
{
	for (size_t l = 0; l < sizeof(ftrace_lists) / sizeof(ftrace_lists[0]); l++) {
		struct growing list = {.size = sizeof(char *)};
		FILE *f = fopen(ftrace_lists[l], "r");
		char line[512];

		if (!f)
			continue;
		while (fgets(line, sizeof(line), f)) {
			const char **slot = grow(&list);

			line[strcspn(line, " \t\n")] = '\0';
			if (!slot || !(*slot = ot_arena_strdup(names, line)))
				break;
		}
		fclose(f);
		k->ftrace = list.v;
		k->nftrace = list.n;
		k->have_ftrace = true;
		return;
	}
}

const struct ot_ksyms *ot_ksyms_get(void)
{
	static struct ot_ksyms k;
	static struct ot_arena *names;

	if (names)
		return &k;
	names = ot_arena_new();
	if (!names || read_kallsyms(&k, names)) {
		int e = names ? errno : ENOMEM;

		ot_arena_free(names);
		names = NULL;
		memset(&k, 0, sizeof(k));
		errno = e;
		return NULL;
	}
	read_ftrace(&k, names);
	return &k;
}

/* The index of the first symbol above ADDR (ntext: none). */
static size_t first_above(const struct ot_ksyms *k, unsigned long long addr)
{
	size_t lo = 0, hi = k->ntext;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (k->by_addr[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const struct ot_ksym *ot_ksym_at(const struct ot_ksyms *k, unsigned long long addr)
{
	size_t i = first_above(k, addr);

	return i ? &k->by_addr[i - 1] : NULL;
}

unsigned long long ot_ksym_end(const struct ot_ksyms *k, unsigned long long addr)
{
	size_t i = first_above(k, addr);

	return i < k->ntext ? k->by_addr[i].addr : 0;
}
