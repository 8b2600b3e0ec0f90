// SPDX-License-Identifier: MIT
/* Source lines from the cached kernel source (see srctext.h). */
#include "srcmap/srctext.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "srcmap/srccache.h"

struct src_file {
	char *path;   /* relative to the kernel tree */
	char **lines; /* NULL: not at hand */
	unsigned n;
};

struct ot_srctext {
	char *kernel;
	struct src_file *files;
	size_t nfiles;
};

struct ot_srctext *ot_srctext_new(const char *kernel)
{
	struct ot_srctext *st = calloc(1, sizeof(*st));

	if (st && !(st->kernel = strdup(kernel ? kernel : ""))) {
		free(st);
		return NULL;
	}
	return st;
}

void ot_srctext_free(struct ot_srctext *st)
{
	if (!st)
		return;
	for (size_t i = 0; i < st->nfiles; i++) {
		for (unsigned k = 0; k < st->files[i].n; k++)
			free(st->files[i].lines[k]);
		free(st->files[i].lines);
		free(st->files[i].path);
	}
	free(st->files);
	free(st->kernel);
	free(st);
}

static void read_lines(struct src_file *sf, const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t cap = 0, room = 0;
	ssize_t len;

	if (!f)
		return;
	while ((len = getline(&buf, &cap, f)) >= 0) {
		char *s = buf;

		while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
			buf[--len] = '\0';
		while (*s == ' ' || *s == '\t')
			s++;
		if (sf->n == room) {
			size_t nr = room ? 2 * room : 1024;
			char **nl = realloc(sf->lines, nr * sizeof(*nl));

			if (!nl)
				break;
			sf->lines = nl;
			room = nr;
		}
		if (!(sf->lines[sf->n] = strdup(s)))
			break;
		sf->n++;
	}
	free(buf);
	fclose(f);
}

static struct src_file *file_of(struct ot_srctext *st, const char *file)
{
	char path[4096];
	struct src_file *nf;

	for (size_t i = 0; i < st->nfiles; i++)
		if (!strcmp(st->files[i].path, file))
			return &st->files[i];
	nf = realloc(st->files, (st->nfiles + 1) * sizeof(*nf));
	if (!nf)
		return NULL;
	st->files = nf;
	nf = &st->files[st->nfiles];
	memset(nf, 0, sizeof(*nf));
	if (!(nf->path = strdup(file)))
		return NULL;
	st->nfiles++;
	if (!ot_srccache_source_path(st->kernel, file, path, sizeof(path)))
		read_lines(nf, path);
	return nf;
}

const char *ot_srctext_line(struct ot_srctext *st, const char *file, unsigned line)
{
	struct src_file *sf = st && file ? file_of(st, file) : NULL;

	return sf && line >= 1 && line <= sf->n ? sf->lines[line - 1] : NULL;
}

unsigned ot_srctext_nlines(struct ot_srctext *st, const char *file)
{
	struct src_file *sf = st && file ? file_of(st, file) : NULL;

	return sf ? sf->n : 0;
}
