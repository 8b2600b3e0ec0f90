// SPDX-License-Identifier: MIT
/* open_count: load and attach open_count.bpf.c (fentry/do_sys_openat2), open a
 * few files, and print how many calls the program counted:
 *   open_count: fentry/do_sys_openat2 attached, count=N
 * Exit 0 when N > 0, 1 when nothing was counted, 2 when it could not attach. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <bpf/libbpf.h>
#include "open_count.skel.h"

#define OPENS 5

static int quiet_libbpf(enum libbpf_print_level level, const char *fmt, va_list args)
{
	if (level == LIBBPF_DEBUG)
		return 0;
	return vfprintf(stderr, fmt, args);
}

int main(void)
{
	struct open_count_bpf *skel;
	unsigned long long count = 0;
	unsigned int key = 0;
	int err, i, status = 2;

	libbpf_set_print(quiet_libbpf);
	skel = open_count_bpf__open_and_load();
	if (!skel) {
		fprintf(stderr, "open_count: load failed: %s\n", strerror(errno));
		return 2;
	}
	err = open_count_bpf__attach(skel);
	if (err) {
		fprintf(stderr, "open_count: attach failed: %s\n", strerror(-err));
		goto cleanup;
	}
	for (i = 0; i < OPENS; i++) {
		int fd = open("/proc/self/stat", O_RDONLY);

		if (fd >= 0)
			close(fd);
	}
	err = bpf_map__lookup_elem(skel->maps.open_calls, &key, sizeof(key), &count, sizeof(count),
				   0);
	if (err) {
		fprintf(stderr, "open_count: map lookup failed: %s\n", strerror(-err));
		goto cleanup;
	}
	printf("open_count: fentry/do_sys_openat2 attached, count=%llu\n", count);
	status = count > 0 ? 0 : 1;
cleanup:
	open_count_bpf__destroy(skel);
	return status;
}
