// SPDX-License-Identifier: MIT
/* opentrail lab: hands over to the lab script (lab/opentrail-lab), which boots
 * a Debian cloud kernel under qemu and runs a command inside it. The script is
 * found through $OPENTRAIL_LAB, else next to the build tree of this binary
 * (<bindir>/../lab/opentrail-lab); the binary's own directory is passed on as
 * $OPENTRAIL_BUILD so that the guest gets this very opentrail. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/commands.h"

#define LAB_SCRIPT_REL "/../lab/opentrail-lab"

/* The directory this executable lives in, from /proc/self/exe. */
static int own_dir(char *buf, size_t size)
{
	ssize_t n = readlink("/proc/self/exe", buf, size - 1);
	char *slash;

	if (n < 0 || (size_t)n >= size - 1)
		return -1;
	buf[n] = '\0';
	slash = strrchr(buf, '/');
	if (!slash)
		return -1;
	*slash = '\0';
	return 0;
}

int cmd_lab(int argc, char **argv)
{
	char bindir[PATH_MAX], script[PATH_MAX + sizeof(LAB_SCRIPT_REL)];
	const char *env = getenv("OPENTRAIL_LAB");
	char **args;

	if (own_dir(bindir, sizeof(bindir)) < 0) {
		fprintf(stderr, "opentrail lab: cannot find my own path: %s\n", strerror(errno));
		return 2;
	}
	if (env && *env)
		snprintf(script, sizeof(script), "%s", env);
	else
		snprintf(script, sizeof(script), "%s%s", bindir, LAB_SCRIPT_REL);
	if (access(script, X_OK) < 0) {
		fprintf(stderr, "opentrail lab: no lab script at %s (%s)\n", script,
			strerror(errno));
		fprintf(stderr,
			"  it comes with the source tree (lab/); OPENTRAIL_LAB may name it\n");
		return 2;
	}
	setenv("OPENTRAIL_BUILD", bindir, 0);

	/* argv[0] is "lab"; the script gets the rest unchanged. */
	args = calloc((size_t)argc + 1, sizeof(*args));
	if (!args) {
		perror("opentrail lab");
		return 2;
	}
	args[0] = script;
	for (int i = 1; i < argc; i++)
		args[i] = argv[i];
	execv(script, args);
	fprintf(stderr, "opentrail lab: cannot run %s: %s\n", script, strerror(errno));
	free(args);
	return 2;
}
