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

/* One kallsyms line: "addr type name" for vmlinux, "addr type name\t[module]" for a
 * module's symbol (MOD gets "" or the module's name). */
static bool parse_line(const char *line, unsigned long long *addr, char *type, char sym[256],
		       char mod[64])
{
	const char *open;
	size_t len;

	if (sscanf(line, "%llx %c %255s", addr, type, sym) != 3)
		return false;
	mod[0] = '\0';
	if (!(open = strchr(line, '[')))
		return true;
	len = strcspn(open + 1, "]");
	if (!len || len >= 64 || open[1 + len] != ']')
		return false; /* not a module tag we know: never guess whose it is */
	memcpy(mod, open + 1, len);
	mod[len] = '\0';
	return true;
}

/* vmlinux's own section bounds: a module may have a symbol of the same name. */
static void note_bounds(struct ot_ksyms *k, const char *sym, unsigned long long addr)
{
	if (!strcmp(sym, "_text"))
		k->ktext = addr;
	else if (!strcmp(sym, "_stext"))
		k->stext = addr;
	else if (!strcmp(sym, "_etext"))
		k->etext = addr;
}

/* A module's name, stored once: kallsyms lists a module's symbols together. */
static const char *mod_name(struct ot_arena *names, const char *mod, const char **last)
{
	if (!*mod)
		return NULL;
	if (!*last || strcmp(*last, mod))
		*last = ot_arena_strdup(names, mod);
	return *last;
}

static int sort_by_addr(struct ot_ksyms *k)
{
	struct ot_ksym *by = malloc((k->ntext ? k->ntext : 1) * sizeof(*by));

	if (!by) {
		errno = ENOMEM;
		return -1;
	}
	memcpy(by, k->text, k->ntext * sizeof(*by));
	qsort(by, k->ntext, sizeof(*by), cmp_addr);
	k->by_addr = by;
	return 0;
}

int ot_ksyms_read(struct ot_ksyms *k, FILE *f)
{
	struct growing text = {.size = sizeof(struct ot_ksym)};
	const char *last_mod = NULL;
	char line[512];

	memset(k, 0, sizeof(*k));
	if (!(k->names = ot_arena_new())) {
		errno = ENOMEM;
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		unsigned long long addr;
		char type, sym[256], mod[64];
		struct ot_ksym *s;

		if (!parse_line(line, &addr, &type, sym, mod))
			continue;
		if (!*mod)
			note_bounds(k, sym, addr);
		if (type != 't' && type != 'T')
			continue;
		if ((s = grow(&text))) {
			s->addr = addr;
			s->name = ot_arena_strdup(k->names, sym);
			s->mod = mod_name(k->names, mod, &last_mod);
		}
		if (!s || !s->name || (*mod && !s->mod)) {
			k->text = text.v;
			ot_ksyms_free(k);
			errno = ENOMEM;
			return -1;
		}
	}
	k->text = text.v;
	k->ntext = text.n;
	if (sort_by_addr(k)) {
		ot_ksyms_free(k);
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

void ot_ksyms_free(struct ot_ksyms *k)
{
	free((void *)k->text);
	free((void *)k->by_addr);
	free((void *)k->ftrace);
	ot_arena_free(k->names);
	memset(k, 0, sizeof(*k));
}

static void read_ftrace(struct ot_ksyms *k)
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
			if (!slot || !(*slot = ot_arena_strdup(k->names, line)))
				break;
		}
		fclose(f);
		k->ftrace = list.v;
		k->nftrace = list.n;
		k->have_ftrace = true;
		return;
	}
}

void ot_ksyms_derive_text(struct ot_ksyms *k, unsigned long long stext_after_text)
{
	if (!k->ktext && k->stext > stext_after_text && stext_after_text)
		k->ktext = k->stext - stext_after_text;
}

const struct ot_ksyms *ot_ksyms_get(void)
{
	static struct ot_ksyms k;
	static bool have;
	FILE *f;
	int err;

	if (have)
		return &k;
	if (!(f = fopen("/proc/kallsyms", "r")))
		return NULL;
	err = ot_ksyms_read(&k, f);
	fclose(f);
	if (err)
		return NULL;
	ot_ksyms_derive_text(&k, OT_KSYMS_STEXT_AFTER_TEXT);
	read_ftrace(&k);
	have = true;
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
