// SPDX-License-Identifier: MIT
/* Line probes in the kernel module: the user side's words (see kmodlines.h). */
#include "probe/kmodlines.h"

#include <stdlib.h>
#include <string.h>

ssize_t ot_kmod_lines_choose(struct ot_lineplan *p, size_t max, FILE *ksyms, bool **byaddr)
{
	size_t *grp = calloc(p->n + 1, sizeof(*grp)), *count = calloc(p->n + 1, sizeof(*count));
	const char **names = calloc(p->n + 1, sizeof(*names));
	size_t taken = 0, ng = 0;
	char line[512];
	ssize_t ret = -1;

	*byaddr = calloc(p->n + 1, sizeof(**byaddr));
	if (!grp || !count || !names || !*byaddr)
		goto out;
	for (size_t i = 0; i < p->n; i++) {
		struct ot_line_point *pt = &p->pts[i];

		if (*pt->why)
			continue;
		if (taken == max) {
			snprintf(pt->why, sizeof(pt->why),
				 "more than %zu line probes in one run (module)", max);
			continue;
		}
		taken++;
		/* The names the points use, one per run of points (address order). */
		if (!ng || strcmp(names[ng - 1], pt->sym))
			names[ng++] = pt->sym;
		grp[i] = ng - 1;
	}
	/* How many kernel symbols have each name, of any kind (kallsyms' own lookup
	 * by name does not ask the kind). */
	while (ksyms && fgets(line, sizeof(line), ksyms)) {
		char name[256];

		if (sscanf(line, "%*x %*c %255s", name) != 1)
			continue;
		for (size_t g = 0; g < ng; g++)
			count[g] += !strcmp(names[g], name);
	}
	for (size_t i = 0; i < p->n; i++)
		(*byaddr)[i] = !*p->pts[i].why && count[grp[i]] != 1;
	ret = (ssize_t)taken;
out:
	if (ret < 0) {
		free(*byaddr);
		*byaddr = NULL;
	}
	free(grp);
	free(count);
	free(names);
	return ret;
}

char *ot_kmod_lines_param(const struct ot_lineplan *p, const bool *byaddr)
{
	size_t cap = 1 + p->n * (48 + sizeof(p->pts[0].sym)), len = 0, sent = 0;
	char *s = malloc(cap);
	const char *prev = NULL;

	if (!s)
		return NULL;
	*s = '\0';
	for (size_t i = 0; i < p->n; i++) {
		const struct ot_line_point *pt = &p->pts[i];

		if (*pt->why)
			continue;
		len +=
		    (size_t)snprintf(s + len, cap - len, "%s%u", sent++ ? "," : " lines=", pt->id);
		if (byaddr[i]) {
			len += (size_t)snprintf(s + len, cap - len, "@%llx", pt->addr);
			continue;
		}
		len += (size_t)snprintf(s + len, cap - len, "=%s+%llx",
					prev && !strcmp(prev, pt->sym) ? "" : pt->sym, pt->off);
		prev = pt->sym;
	}
	return s;
}

void ot_kmod_lines_refused(struct ot_lineplan *p, const char *list)
{
	for (const char *s = list; *s; s += *s == ',') {
		char *end;
		unsigned long id = strtoul(s, &end, 10);
		long e;

		if (end == s || *end != ':')
			return;
		s = end + 1;
		e = strtol(s, &end, 10);
		if (end == s)
			return;
		s = end;
		if (id >= p->n || e >= 0)
			continue;
		struct ot_line_point *pt = &p->pts[id];

		snprintf(pt->why, sizeof(pt->why), "kprobe refused (%s)", strerror((int)-e));
		for (char *c = pt->why; (c = strchr(c, ','));)
			*c = ';'; /* a why never holds a comma (lineplan.h) */
	}
}

/* The end of the quoted value starting at P (its escapes skipped), or NULL. */
static const char *quoted_end(const char *p)
{
	if (*p != '"')
		return NULL;
	for (p++; *p && *p != '"'; p++)
		if (*p == '\\' && p[1])
			p++;
	return *p ? p + 1 : NULL;
}

bool ot_kmod_line_hit(const struct ot_lineplan *p, const char *msg, char *out, size_t outsz)
{
	const char *c, *ts;
	char *end;
	unsigned long id;
	int n;

	if (strncmp(msg, "line id=", 8) || msg[8] < '0' || msg[8] > '9')
		return false;
	id = strtoul(msg + 8, &end, 10);
	/* pid= and tid= are numbers: the first " comm=" is the field. */
	if (strncmp(end, " pid=", 5) || id >= p->n || !(c = strstr(end, " comm=")) ||
	    !(c = quoted_end(c + 6)) || strncmp(c, " ts=", 4))
		return false;
	ts = c + 4;
	n = snprintf(out, outsz, "%s.line%.*s ts=%.*s id=%lu", p->pts[id].of, (int)(c - end), end,
		     (int)strcspn(ts, " "), ts, id);
	return n > 0 && (size_t)n < outsz;
}
