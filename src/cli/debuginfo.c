// SPDX-License-Identifier: MIT
/* opentrail debuginfo: hands over to lab/debuginfo.sh, which fetches a kernel's debug
 * package into the cache, extracts its DWARF vmlinux and builds the source index
 * (docs/source-index.md). Also used by `check` to build a missing index. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/debuginfo.h"

#define SCRIPT_REL "/../lab/debuginfo.sh"

static int script_path(char *buf, size_t size)
{
	const char *env = getenv("OPENTRAIL_DEBUGINFO");
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *slash;

	if (n < 0)
		return -1;
	self[n] = '\0';
	if (!(slash = strrchr(self, '/')))
		return -1;
	*slash = '\0';
	setenv("OPENTRAIL_BUILD", self, 0); /* the script finds opentrail-srcindex there */
	if (env && *env)
		snprintf(buf, size, "%s", env);
	else
		snprintf(buf, size, "%s%s", self, SCRIPT_REL);
	return access(buf, X_OK);
}

int cmd_debuginfo(int argc, char **argv)
{
	char script[PATH_MAX + sizeof(SCRIPT_REL)];

	if (script_path(script, sizeof(script))) {
		fprintf(stderr,
			"opentrail debuginfo: no script at %s (%s); it comes with the source "
			"tree (lab/), or set OPENTRAIL_DEBUGINFO\n",
			script, strerror(errno));
		return 2;
	}
	argv[0] = script; /* the script gets the rest unchanged */
	(void)argc;
	execv(script, argv);
	fprintf(stderr, "opentrail debuginfo: cannot run %s: %s\n", script, strerror(errno));
	return 2;
}

/* Runs the script with ARGS (args[0] is set here) and waits for it. */
static int run_script(char **args)
{
	char script[PATH_MAX + sizeof(SCRIPT_REL)];
	int st;
	pid_t pid;

	if (script_path(script, sizeof(script)))
		return -1;
	args[0] = script;
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		dup2(STDERR_FILENO,
		     STDOUT_FILENO); /* progress goes to stderr: stdout is the report */
		execv(script, args);
		_exit(127);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

int ot_debuginfo_build(const char *kernel, bool download)
{
	char *args[] = {NULL, download ? "--quiet" : "--offline", "--", (char *)kernel, NULL};

	return run_script(args);
}

int ot_debuginfo_add_addrs(const char *kernel, char *const *addrs, size_t naddrs)
{
	char **args = calloc(2 * naddrs + 6, sizeof(*args));
	size_t n = 1;
	int r;

	if (!args)
		return -1;
	args[n++] = "--offline";
	args[n++] = "--quiet";
	for (size_t i = 0; i < naddrs; i++) {
		args[n++] = "--addr";
		args[n++] = addrs[i];
	}
	args[n++] = "--";
	args[n++] = (char *)kernel;
	r = run_script(args);
	free(args);
	return r;
}
