// SPDX-License-Identifier: MIT
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "testlib.h"
#include "util/outfile.h"

static char *slurp(const char *path)
{
	static char buf[256];
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static int entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d)))
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	if (d)
		closedir(d);
	return n;
}

TEST(outfile_replaces_only_when_complete)
{
	char dir[] = "/tmp/ot-outfile-XXXXXX", path[256], why[512];
	struct ot_outfile o;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/r.md", dir);
	CHECK_INT(ot_outfile_open(&o, path, why, sizeof(why)), 0);
	fputs("old\n", o.f);
	CHECK_INT(ot_outfile_commit(&o, why, sizeof(why)), 0);
	CHECK_STR(slurp(path), "old\n");
	/* a new version under way is invisible, and dropped it leaves the old one */
	CHECK_INT(ot_outfile_open(&o, path, why, sizeof(why)), 0);
	fputs("new, half", o.f);
	fflush(o.f);
	CHECK_STR(slurp(path), "old\n");
	ot_outfile_abort(&o);
	CHECK_STR(slurp(path), "old\n");
	CHECK_INT(entries(dir), 1);
	unlink(path);
	rmdir(dir);
}

TEST(outfile_pair_appears_together_or_not_at_all)
{
	char dir[] = "/tmp/ot-outfile-XXXXXX", p[2][256], why[512];
	struct ot_outfile o[2];

	CHECK(mkdtemp(dir) != NULL);
	snprintf(p[0], sizeof(p[0]), "%s/x.md", dir);
	snprintf(p[1], sizeof(p[1]), "%s/x.json", dir);
	CHECK_INT(mkdir(p[1], 0755), 0); /* the .json's name is taken by a directory */
	for (int i = 0; i < 2; i++) {
		CHECK_INT(ot_outfile_open(&o[i], p[i], why, sizeof(why)), 0);
		fputs("report\n", o[i].f);
		CHECK_INT(ot_outfile_finish(&o[i], why, sizeof(why)), 0);
	}
	CHECK_INT(ot_outfile_commit_all(o, 2, why, sizeof(why)), -1);
	CHECK(strstr(why, "x.json") && strstr(why, "Is a directory"));
	CHECK(access(p[0], F_OK) != 0); /* no half pair */
	CHECK_INT(entries(dir), 1);	/* no temporary file either */
	rmdir(p[1]);
	rmdir(dir);
}

TEST(outfile_names_file_and_errno)
{
	char why[512];
	struct ot_outfile o;

	CHECK_INT(ot_outfile_open(&o, "/nonexistent-dir/r.md", why, sizeof(why)), -1);
	CHECK(strstr(why, "/nonexistent-dir/r.md") && strstr(why, "No such file or directory"));
}

/* A file being written is never inherited by a program started meanwhile (a case's
 * trigger starts while its log is open). */
TEST(outfile_not_inherited)
{
	char dir[] = "/tmp/ot-outfile-XXXXXX", path[300], why[200];
	struct ot_outfile o;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/x.log", dir);
	CHECK_INT(ot_outfile_open(&o, path, why, sizeof(why)), 0);
	CHECK(fcntl(fileno(o.f), F_GETFD) & FD_CLOEXEC);
	ot_outfile_abort(&o);
	CHECK_INT(entries(dir), 0);
	rmdir(dir);
}
