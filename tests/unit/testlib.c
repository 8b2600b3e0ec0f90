// SPDX-License-Identifier: MIT
#include "testlib.h"

#include <stdlib.h>

#include "probe/spec.h"

static struct ot_test tests[512];
static size_t ntests;

void ot_test_register(const char *name, void (*fn)(int *failed))
{
	if (ntests < sizeof(tests) / sizeof(tests[0]))
		tests[ntests++] = (struct ot_test){name, fn};
}

int main(int argc, char **argv)
{
	size_t passed = 0, failed = 0;

	/* as opentrail's main does: logs without descriptions are typed by the spec */
	ot_kinds_set_legacy(ot_probe_legacy_kinds());

	for (size_t i = 0; i < ntests; i++) {
		if (argc > 1 && !strstr(tests[i].name, argv[1]))
			continue;
		int f = 0;
		tests[i].fn(&f);
		printf("%s %s\n", f ? "FAIL" : "PASS", tests[i].name);
		if (f)
			failed++;
		else
			passed++;
	}
	printf("%zu passed, %zu failed\n", passed, failed);
	return failed ? 1 : 0;
}

int ot_test_write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	fputs(text, f);
	return fclose(f);
}
