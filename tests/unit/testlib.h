/* SPDX-License-Identifier: MIT */
/* A very small unit-test harness: TEST(name) { ... } registers a test; CHECK*
 * record failures with file:line; the runner prints "N passed, N failed". */
#ifndef OT_TESTLIB_H
#define OT_TESTLIB_H

#include <stdio.h>
#include <string.h>

struct ot_test {
	const char *name;
	void (*fn)(int *failed);
};

void ot_test_register(const char *name, void (*fn)(int *failed));

#define TEST(name)                                                                                 \
	static void test_##name(int *ot_failed_);                                                  \
	__attribute__((constructor)) static void register_##name(void)                             \
	{                                                                                          \
		ot_test_register(#name, test_##name);                                              \
	}                                                                                          \
	static void test_##name(int *ot_failed_)

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "  %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); \
			*ot_failed_ = 1;                                                           \
		}                                                                                  \
	} while (0)

#define CHECK_INT(a, b)                                                                            \
	do {                                                                                       \
		long long a_ = (long long)(a), b_ = (long long)(b);                                \
		if (a_ != b_) {                                                                    \
			fprintf(stderr, "  %s:%d: %s == %lld, expected %s == %lld\n", __FILE__,    \
				__LINE__, #a, a_, #b, b_);                                         \
			*ot_failed_ = 1;                                                           \
		}                                                                                  \
	} while (0)

#define CHECK_STR(a, b)                                                                            \
	do {                                                                                       \
		const char *a_ = (a), *b_ = (b);                                                   \
		if (!a_ || !b_ || strcmp(a_, b_) != 0) {                                           \
			fprintf(stderr, "  %s:%d: %s == \"%s\", expected \"%s\"\n", __FILE__,      \
				__LINE__, #a, a_ ? a_ : "(null)", b_ ? b_ : "(null)");             \
			*ot_failed_ = 1;                                                           \
		}                                                                                  \
	} while (0)

/* Writes TEXT into the file PATH; 0 or -1. */
int ot_test_write_file(const char *path, const char *text);

/* Path of a fixture file under tests/fixtures (the runner is started from the tree's root). */
#define FIXTURE(name) ("tests/fixtures/" name)

#endif
