// SPDX-License-Identifier: MIT
/* The glob of `trace --path`: the same one-pass matcher the BPF side runs, against
 * fnmatch(3), and the globs it refuses. */
#include <fnmatch.h>
#include <stdlib.h>

#include "probe/glob.h"
#include "testlib.h"

static int glob_ok(const char *pat)
{
	struct ot_glob g;
	char why[256];

	return ot_glob_compile(pat, &g, why, sizeof(why));
}

static void glob_agrees(int *ot_failed_, const char *pat, const char *s)
{
	struct ot_glob g;
	char why[256];

	if (ot_glob_compile(pat, &g, why, sizeof(why))) {
		fprintf(stderr, "  glob '%s' refused: %s\n", pat, why);
		*ot_failed_ = 1;
		return;
	}
	if (ot_glob_match(&g, s, strlen(s)) != !fnmatch(pat, s, 0)) {
		fprintf(stderr, "  glob '%s' on '%s': %d, fnmatch says %d\n", pat, s,
			ot_glob_match(&g, s, strlen(s)), !fnmatch(pat, s, 0));
		*ot_failed_ = 1;
	}
}

TEST(live_glob_as_fnmatch)
{
	static const char *const pats[] = {
	    "/etc/*",	  "*",		 "?",
	    "/etc/host*", "*name",	 "/e?c/*e",
	    "*/*/*",	  "[/]etc*",	 "[!/]*",
	    "[^a]*",	  "/etc/[a-h]*", "[]]x",
	    "[!]]x",	  "*a*b*c",	 "a**b",
	    "\\*x",	  "[a\\]]y",	 "/proc/*/fd/*",
	    "[a-c-]z",	  "*.so.[0-9]*", "/usr/lib/*/libc.so.6",
	};
	static const char *const strs[] = {
	    "",
	    "/",
	    "/etc/hostname",
	    "/etc/",
	    "/etc",
	    "etc/hostname",
	    "/proc/version",
	    "a",
	    "x",
	    "]x",
	    "ax",
	    "aXbYc",
	    "ab",
	    "abc",
	    "cba",
	    "*x",
	    "ay",
	    "]y",
	    "\\y",
	    "/proc/1/fd/3",
	    "-z",
	    "bz",
	    "libm.so.6",
	    "/usr/lib/x86_64-linux-gnu/libc.so.6",
	    "/etc/ssl/certs/a.pem",
	};
	char rnd[4][64];

	for (size_t i = 0; i < sizeof(pats) / sizeof(pats[0]); i++)
		for (size_t j = 0; j < sizeof(strs) / sizeof(strs[0]); j++)
			glob_agrees(ot_failed_, pats[i], strs[j]);
	/* Random globs over a small alphabet, where backtracking matchers go wrong. */
	srand(7);
	for (int n = 0; n < 20000; n++) {
		static const char alpha[] = "ab/*?";
		int lp = rand() % 8, ls = rand() % 10;

		for (int k = 0; k < lp; k++)
			rnd[0][k] = alpha[rand() % 5];
		rnd[0][lp] = '\0';
		for (int k = 0; k < ls; k++)
			rnd[1][k] = alpha[rand() % 3];
		rnd[1][ls] = '\0';
		if (lp)
			glob_agrees(ot_failed_, rnd[0], rnd[1]);
	}
	/* A glob of the longest length still matches; the end bit is bit 63. */
	memset(rnd[2], 'a', OT_GLOB_MAX);
	rnd[2][OT_GLOB_MAX] = '\0';
	glob_agrees(ot_failed_, rnd[2], rnd[2]);
	rnd[2][OT_GLOB_MAX - 1] = '?';
	glob_agrees(ot_failed_, rnd[2], rnd[2]);
}

TEST(live_glob_refuses_what_it_cannot_match)
{
	char longer[OT_GLOB_MAX + 2];

	memset(longer, 'a', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	CHECK(glob_ok("") < 0);
	CHECK(glob_ok(longer) < 0);
	CHECK(glob_ok("/etc/[a") < 0);
	CHECK(glob_ok("[[:alpha:]]") < 0);
	CHECK(glob_ok("[z-a]") < 0);
	CHECK(glob_ok("x\\") < 0);
	CHECK(glob_ok("/etc/*") == 0);
}
