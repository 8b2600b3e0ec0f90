// SPDX-License-Identifier: MIT
/* The tracing-cost workload (bench/trace_cost.sh): N open()+close() of one
 * existing file, timed, after W untimed ones that warm the dcache and the
 * tracers' buffers. Prints one line:
 *
 *   open_loop n=N start_ns=T wall_ns=X cpu_ns=Y preempted=P
 *
 * X is the wall-clock time per iteration; Y the CPU time this process spent per
 * iteration (user and kernel, probe handlers included: they run in its context,
 * while a tracer's reader process does not). START_NS is CLOCK_REALTIME when the
 * program began (with `--now` taken before a tracer started, the time it took to
 * attach and release the program). P counts the times another task took the CPU
 * from the loop (involuntary context switches): on one CPU, what separates X from Y.
 * `open_loop --now` prints only CLOCK_REALTIME.
 * Static, so that it runs in the lab guest's busybox initramfs. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

static long long ns_of(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static long preemptions(void)
{
	struct rusage ru;

	return getrusage(RUSAGE_SELF, &ru) ? 0 : ru.ru_nivcsw;
}

static int usage(void)
{
	fprintf(stderr, "usage: open_loop [-n N] [-w WARMUP] FILE | open_loop --now\n");
	return 2;
}

static long count_arg(const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	return errno || *end || v < 0 ? -1 : v;
}

int main(int argc, char **argv)
{
	long long start = ns_of(CLOCK_REALTIME), w0 = 0, c0 = 0, w1, c1;
	long p0 = 0, p1;
	long n = 5000, warm = 200;
	const char *file = NULL;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--now")) {
			printf("%lld\n", start);
			return 0;
		} else if (!strcmp(argv[i], "-n") && i + 1 < argc) {
			n = count_arg(argv[++i]);
		} else if (!strcmp(argv[i], "-w") && i + 1 < argc) {
			warm = count_arg(argv[++i]);
		} else if (argv[i][0] != '-' && !file) {
			file = argv[i];
		} else {
			return usage();
		}
	}
	if (!file || n <= 0 || warm < 0)
		return usage();
	for (long i = 0; i < warm + n; i++) {
		int fd;

		if (i == warm) {
			w0 = ns_of(CLOCK_MONOTONIC);
			c0 = ns_of(CLOCK_PROCESS_CPUTIME_ID);
			p0 = preemptions();
		}
		fd = open(file, O_RDONLY);
		if (fd < 0) {
			fprintf(stderr, "open_loop: %s: %s\n", file, strerror(errno));
			return 1;
		}
		close(fd);
	}
	w1 = ns_of(CLOCK_MONOTONIC);
	c1 = ns_of(CLOCK_PROCESS_CPUTIME_ID);
	p1 = preemptions();
	printf("open_loop n=%ld start_ns=%lld wall_ns=%lld cpu_ns=%lld preempted=%ld\n", n, start,
	       (w1 - w0) / n, (c1 - c0) / n, p1 - p0);
	return 0;
}
