// SPDX-License-Identifier: MIT
/* Reading and querying a compact source index (see indexread.h). */
#include "srcmap/indexread.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int push(void **arr, size_t *n, size_t *cap, size_t size)
{
	if (*n < *cap)
		return 0;
	size_t nc = *cap ? *cap * 2 : 64;
	void *p = realloc(*arr, nc * size);

	if (!p)
		return -1;
	*arr = p;
	*cap = nc;
	return 0;
}

static int cmp_scope(const void *a, const void *b)
{
	const struct ot_src_scope *x = a, *y = b;

	if (x->low != y->low)
		return x->low < y->low ? -1 : 1;
	return x->depth < y->depth ? -1 : x->depth > y->depth;
}

static int cmp_line(const void *a, const void *b)
{
	const struct ot_src_line *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/* Definitions are sorted by name; the names array is only known after loading. */
static char **sort_names;
static int cmp_def(const void *a, const void *b)
{
	const struct ot_src_def *x = a, *y = b;

	return strcmp(sort_names[x->name], sort_names[y->name]);
}

static bool idx_ok(const struct ot_srcindex *ix, unsigned name, unsigned file)
{
	return name < ix->nnames && file < ix->nfiles;
}

/* Parses one line of the index into IX; NULL, or what is wrong with the line. */
static const char *parse_line(struct ot_srcindex *ix, char *s, size_t caps[6])
{
	char *arg = s + 2;
	uint64_t a, b;
	unsigned d, n, fl, ln;

	if (s[0] == '\0' || s[0] == '#')
		return NULL;
	if (s[1] != ' ')
		goto keyword;
	switch (s[0]) {
	case 'f':
	case 'n': {
		char ***arr = s[0] == 'f' ? &ix->files : &ix->names;
		size_t *cnt = s[0] == 'f' ? &ix->nfiles : &ix->nnames;
		size_t *cap = &caps[s[0] == 'f' ? 0 : 1];
		char *dup = strdup(arg);

		if (!dup || push((void **)arr, cnt, cap, sizeof(char *))) {
			free(dup);
			return "out of memory";
		}
		(*arr)[(*cnt)++] = dup;
		return NULL;
	}
	case 'd':
		if (sscanf(arg, "%u %u %u", &n, &fl, &ln) != 3 || !idx_ok(ix, n, fl))
			return "bad definition line";
		if (push((void **)&ix->defs, &ix->ndefs, &caps[2], sizeof(*ix->defs)))
			return "out of memory";
		ix->defs[ix->ndefs++] = (struct ot_src_def){n, fl, ln};
		return NULL;
	case 's':
		if (sscanf(arg, "%" SCNx64 " %" SCNx64 " %u %u %u %u", &a, &b, &d, &n, &fl, &ln) !=
			6 ||
		    !idx_ok(ix, n, fl) || b <= a)
			return "bad scope line";
		if (push((void **)&ix->scopes, &ix->nscopes, &caps[3], sizeof(*ix->scopes)))
			return "out of memory";
		ix->scopes[ix->nscopes++] = (struct ot_src_scope){a, b, d, n, fl, ln};
		return NULL;
	case 'l':
		if (sscanf(arg, "%" SCNx64 " %u %u", &a, &fl, &ln) != 3 || !idx_ok(ix, 0, fl))
			return "bad line-table line";
		if (push((void **)&ix->lines, &ix->nlines, &caps[4], sizeof(*ix->lines)))
			return "out of memory";
		ix->lines[ix->nlines++] = (struct ot_src_line){a, fl, ln};
		return NULL;
	case 'p': {
		char *sig = strchr(arg, ' ');

		if (sscanf(arg, "%u", &n) != 1 || !sig || !idx_ok(ix, n, 0))
			return "bad prototype line";
		if (push((void **)&ix->protos, &ix->nprotos, &caps[5], sizeof(*ix->protos)) ||
		    !(sig = strdup(sig + 1)))
			return "out of memory";
		ix->protos[ix->nprotos++] = (struct ot_src_proto){n, sig};
		return NULL;
	}
	}
keyword:
	if (!strncmp(s, "kernel ", 7)) {
		free(ix->kernel);
		ix->kernel = strdup(s + 7);
		return ix->kernel ? NULL : "out of memory";
	}
	if (!strncmp(s, "text ", 5))
		return sscanf(s + 5, "%" SCNx64, &ix->text) == 1 ? NULL : "bad text line";
	return "unknown line";
}

int ot_srcindex_load(const char *path, struct ot_srcindex *ix, const char **why)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0, caps[6] = {0};
	ssize_t len;
	const char *err = NULL;

	memset(ix, 0, sizeof(*ix));
	if (!f) {
		*why = "cannot open it";
		return -1;
	}
	len = getline(&line, &cap, f);
	if (len <= 0 || strncmp(line, OT_SRCINDEX_MAGIC, strlen(OT_SRCINDEX_MAGIC)) != 0)
		err = "not an opentrail source index (first line is not '" OT_SRCINDEX_MAGIC "')";
	while (!err && (len = getline(&line, &cap, f)) > 0) {
		if (line[len - 1] == '\n')
			line[len - 1] = '\0';
		err = parse_line(ix, line, caps);
	}
	free(line);
	fclose(f);
	if (!err && (!ix->kernel || !ix->nnames || !ix->nfiles))
		err = "incomplete (no kernel, names or files)";
	if (err) {
		*why = err;
		ot_srcindex_free(ix);
		return -1;
	}
	if (ix->nscopes)
		qsort(ix->scopes, ix->nscopes, sizeof(*ix->scopes), cmp_scope);
	if (!(ix->reach = malloc((ix->nscopes + 1) * sizeof(*ix->reach)))) {
		*why = "out of memory";
		ot_srcindex_free(ix);
		return -1;
	}
	for (size_t i = 0; i < ix->nscopes; i++)
		ix->reach[i] = i && ix->reach[i - 1] > ix->scopes[i].high ? ix->reach[i - 1]
									  : ix->scopes[i].high;
	for (size_t i = 1; i < ix->nlines; i++)
		if (ix->lines[i].addr <
		    ix->lines[i - 1].addr) { /* the builder writes them sorted */
			qsort(ix->lines, ix->nlines, sizeof(*ix->lines), cmp_line);
			break;
		}
	sort_names = ix->names;
	if (ix->ndefs)
		qsort(ix->defs, ix->ndefs, sizeof(*ix->defs), cmp_def);
	sort_names = NULL;
	return 0;
}

void ot_srcindex_free(struct ot_srcindex *ix)
{
	for (size_t i = 0; i < ix->nfiles; i++)
		free(ix->files[i]);
	for (size_t i = 0; i < ix->nnames; i++)
		free(ix->names[i]);
	free(ix->files);
	free(ix->names);
	free(ix->scopes);
	free(ix->reach);
	free(ix->lines);
	free(ix->defs);
	for (size_t i = 0; i < ix->nprotos; i++)
		free(ix->protos[i].sig);
	free(ix->protos);
	free(ix->kernel);
	memset(ix, 0, sizeof(*ix));
}

/* The line-table row covering ADDR, or NULL. */
static const struct ot_src_line *line_of(const struct ot_srcindex *ix, uint64_t addr)
{
	size_t lo = 0, hi = ix->nlines;

	while (lo < hi) { /* first row with addr > ADDR */
		size_t mid = lo + (hi - lo) / 2;

		if (ix->lines[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo || !ix->lines[lo - 1].line)
		return NULL;
	return &ix->lines[lo - 1];
}

size_t ot_srcindex_frames(const struct ot_srcindex *ix, uint64_t addr, struct ot_src_frame *out,
			  size_t max)
{
	/* The scopes holding ADDR, one per depth: the innermost range at each depth. */
	enum { MAX_DEPTH = 64 };
	const struct ot_src_scope *at[MAX_DEPTH] = {0};
	unsigned deepest = 0;
	bool any = false;

	size_t lo = 0, hi = ix->nscopes;

	while (lo < hi) { /* lo: the first scope starting after ADDR */
		size_t mid = lo + (hi - lo) / 2;

		if (ix->scopes[mid].low <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* Backwards, while some earlier scope still reaches past ADDR; at each depth the
	 * scope starting last is the innermost. */
	for (size_t i = lo; i-- > 0 && ix->reach[i] > addr;) {
		const struct ot_src_scope *s = &ix->scopes[i];

		if (addr >= s->high || s->depth >= MAX_DEPTH || at[s->depth])
			continue;
		at[s->depth] = s;
		any = true;
		if (s->depth > deepest)
			deepest = s->depth;
	}
	if (!any || !at[0])
		return 0;
	/* Frame k is the function at depth deepest-k; its line is where the frame
	 * inside it was inlined (for the innermost: the line table's line). */
	const struct ot_src_line *row = line_of(ix, addr);
	size_t n = 0;

	for (unsigned d = deepest + 1; d-- > 0 && n < max;) {
		if (!at[d])
			return 0; /* a gap in the chain: the index is inconsistent here */
		out[n].func = ix->names[at[d]->name];
		out[n].inlined = d > 0;
		if (d == deepest) {
			out[n].file = row ? ix->files[row->file] : NULL;
			out[n].line = row ? row->line : 0;
		} else {
			out[n].file = ix->files[at[d + 1]->file];
			out[n].line = at[d + 1]->line;
		}
		n++;
	}
	return n;
}

/* NAME without a compiler clone suffix (.isra.0, .constprop.0, .part.0, .cold). */
static size_t base_len(const char *name)
{
	const char *dot = strchr(name, '.');

	return dot ? (size_t)(dot - name) : strlen(name);
}

bool ot_srcindex_definition(const struct ot_srcindex *ix, const char *name, const char **file,
			    unsigned *line)
{
	size_t lo = 0, hi = ix->ndefs, bl = base_len(name);

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *m = ix->names[ix->defs[mid].name];
		int c = strncmp(m, name, bl);

		if (!c && m[bl])
			c = 1; /* m is longer: after NAME */
		if (!c) {
			*file = ix->files[ix->defs[mid].file];
			*line = ix->defs[mid].line;
			return true;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

const char *ot_srcindex_proto(const struct ot_srcindex *ix, const char *name)
{
	for (size_t i = 0; i < ix->nprotos; i++)
		if (!strcmp(ix->names[ix->protos[i].name], name))
			return ix->protos[i].sig;
	return NULL;
}

uint64_t ot_srcindex_unrandomise(const struct ot_srcindex *ix, uint64_t addr, uint64_t ktext)
{
	return ktext ? addr - (ktext - ix->text) : addr;
}
