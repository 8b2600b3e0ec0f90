// SPDX-License-Identifier: MIT
#include "site/site.h"

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "site/html.h"
#include "site/model.h"

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && !strcmp(s + n - k, suffix);
}

/* Is REL (e.g. "runs/x.svg") a file this build wrote? */
static bool written(const struct site *s, const char *rel)
{
	char name[512], slug[160];

	for (size_t i = 0; i < s->n; i++) {
		const struct site_report *r = &s->r[i];
		snprintf(name, sizeof(name), "%.*s.dot", (int)(strlen(r->graph) - 4), r->graph);
		if (!strcmp(rel, r->page) || !strcmp(rel, r->graph) || !strcmp(rel, name))
			return true;
	}
	for (size_t c = 0; c < s->ncases; c++) {
		site_slug(s->cases[c], slug, sizeof(slug));
		snprintf(name, sizeof(name), "compare/%s.html", slug);
		if (!strcmp(rel, name))
			return true;
	}
	return false;
}

/* Pages of an earlier build whose reports are gone (a kernel no longer run) would
 * still show their old verdicts: remove them. Only the site's own kinds of files in
 * its own folders are touched. */
static void remove_stale(const struct site *s)
{
	static const char *const dirs[] = {"runs", "compare"};
	char path[4400], rel[600];

	for (size_t d = 0; d < 2; d++) {
		snprintf(path, sizeof(path), "%s/%s", s->out, dirs[d]);
		DIR *dir = opendir(path);
		struct dirent *e;
		if (!dir)
			continue;
		while ((e = readdir(dir))) {
			if (!ends_with(e->d_name, ".html") && !ends_with(e->d_name, ".svg") &&
			    !ends_with(e->d_name, ".dot"))
				continue;
			snprintf(rel, sizeof(rel), "%s/%s", dirs[d], e->d_name);
			if (written(s, rel))
				continue;
			snprintf(path, sizeof(path), "%s/%s", s->out, rel);
			unlink(path);
		}
		closedir(dir);
	}
}

int ot_site_build(const char *out, char *const *dirs, int ndirs, char *err, size_t errsz)
{
	struct site s = {0};
	int rc = -1;

	if (site_load(&s, dirs, ndirs, err, errsz))
		goto out;
	s.out = out;
	for (size_t i = 0; i < s.n; i++)
		if (site_write_run(&s, &s.r[i], err, errsz))
			goto out;
	for (size_t c = 0; c < s.ncases; c++)
		if (site_write_compare(&s, s.cases[c], err, errsz))
			goto out;
	if (site_write_atlas(&s, err, errsz))
		goto out;
	rc = site_write_index(&s, err, errsz);
	if (!rc)
		remove_stale(&s);
out:
	site_free(&s);
	return rc;
}
