// SPDX-License-Identifier: MIT
/* What every live run shares (see session.h). */
#include "live/session.h"

#include <errno.h>
#include <sched.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/utsname.h>

#include "probe/spec.h"
#include "record/logwrite.h"

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	interrupted = sig;
}

void ot_run_catch_signals(void)
{
	struct sigaction sa = {0};

	sa.sa_handler = on_signal; /* no SA_RESTART: a wait returns EINTR and looks */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

int ot_run_interrupted(void)
{
	return interrupted;
}

const char *ot_run_signal_name(int sig)
{
	return sig == SIGINT ? "SIGINT" : "SIGTERM";
}

long long ot_live_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void ot_run_new_id(char *buf, size_t sz)
{
	struct timespec ts;
	unsigned r = 0;
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);

	if (fd >= 0) {
		if (read(fd, &r, sizeof(r)) != (ssize_t)sizeof(r))
			r = 0;
		close(fd);
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	snprintf(buf, sz, "%d-%lld.%09ld-%08x", (int)getpid(), (long long)ts.tv_sec, ts.tv_nsec, r);
}

int ot_live_reader_first(bool on)
{
	struct sched_param sp = {.sched_priority = on ? 1 : 0};

	return sched_setscheduler(0, on ? SCHED_FIFO | SCHED_RESET_ON_FORK : SCHED_OTHER, &sp) ? -1
											       : 0;
}

/* FUNCS[I] is a function already described by FUNCS[0..I) (a role and its name). */
static bool described_before(const char *const *funcs, size_t i, const struct ot_probe *p)
{
	for (size_t j = 0; j < i; j++)
		if (ot_probe_find(funcs[j]) == p)
			return true;
	return false;
}

static int write_spec_fact(FILE *log, const struct ot_probe *p)
{
	char names[256], entry[512], ret[512];
	struct ot_line l;

	if (!ot_probe_names(p, names, sizeof(names)) ||
	    !ot_probe_describe(p, false, entry, sizeof(entry)) ||
	    !ot_probe_describe(p, true, ret, sizeof(ret)))
		return -1;
	ot_line_begin(&l, "spec", "fact", (uint32_t)getpid(), (uint32_t)getpid(), "opentrail");
	ot_line_str(&l, "role", p->func);
	ot_line_str(&l, "names", names);
	ot_line_str(&l, "entry", entry);
	ot_line_str(&l, "ret", ret);
	return ot_line_write(&l, log);
}

int ot_write_run_start(FILE *log, const char *run_id, bool running, const char *const *funcs,
		       size_t nfuncs)
{
	struct ot_line l;
	int ret;

	ot_line_begin(&l, "run", "fact", (uint32_t)getpid(), (uint32_t)getpid(), "opentrail");
	ot_line_str(&l, "run_id", run_id);
	if (running)
		ot_line_str(&l, "process", "running");
	ret = ot_line_write(&l, log);
	for (size_t i = 0; i < nfuncs; i++) {
		const struct ot_probe *p = ot_probe_find(funcs[i]);

		if (p && !described_before(funcs, i, p) && write_spec_fact(log, p))
			ret = -1;
	}
	return ret;
}

int ot_write_run_fact(FILE *log, const struct ot_run_end *e)
{
	const struct ot_backend_opts *f = e->filter;
	struct utsname u;
	struct ot_line l;
	char when[32] = "unknown";
	time_t t = time(NULL);
	struct tm tm;

	if (uname(&u))
		snprintf(u.release, sizeof(u.release), "unknown");
	if (gmtime_r(&t, &tm))
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	ot_line_begin(&l, "run", "fact", (uint32_t)getpid(), (uint32_t)getpid(), "opentrail");
	ot_line_str(&l, "kernel", u.release);
	ot_line_str(&l, "backend", e->backend);
	if (e->case_id)
		ot_line_str(&l, "case", e->case_id);
	ot_line_str(&l, "time", when);
	ot_line_int(&l, "records", (int64_t)e->records);
	ot_line_int(&l, "lost", (int64_t)e->lost);
	if (e->stats && e->stats->missed)
		ot_line_int(&l, "missed", (int64_t)e->stats->missed);
	if (e->detached)
		ot_line_str(&l, "detached", e->detached);
	else if (interrupted)
		ot_line_str(&l, "interrupted", ot_run_signal_name(interrupted));
	if (e->lines_unavailable)
		ot_line_str(&l, "lines_unavailable", e->lines_unavailable);
	if (f && f->path_glob)
		ot_line_str(&l, "filter_path", f->path_glob);
	if (f && f->errors_only)
		ot_line_int(&l, "filter_errors_only", 1);
	if (f && (f->path_glob || f->errors_only) && e->stats) {
		ot_line_int(&l, "filtered_out", (int64_t)e->stats->filtered_out);
		ot_line_int(&l, "filter_overflows", (int64_t)e->stats->filter_overflows);
		ot_line_int(&l, "filter_path_unread", (int64_t)e->stats->filter_path_unread);
	}
	return ot_line_write(&l, log);
}

int ot_split_list(const char *list, char **buf, const char ***funcs)
{
	size_t n = 1;
	char *save = NULL;

	*buf = strdup(list ? list : "");
	if (!*buf)
		return -1;
	for (const char *p = *buf; *p; p++)
		n += *p == ',';
	*funcs = calloc(n, sizeof(**funcs));
	if (!*funcs) {
		free(*buf);
		return -1;
	}
	n = 0;
	for (char *tok = strtok_r(*buf, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save))
		(*funcs)[n++] = tok;
	return (int)n;
}

enum ot_poll_end ot_live_poll(const struct ot_backend *be, void *state, bool (*done)(void *),
			      void *arg, int step_ms, long long timeout_ms)
{
	long long deadline = timeout_ms < 0 ? -1 : ot_live_now_ms() + timeout_ms;

	for (;;) {
		if (interrupted)
			return OT_POLL_INTERRUPTED;
		if (done(arg))
			return OT_POLL_DONE;
		if (deadline >= 0 && ot_live_now_ms() >= deadline)
			return OT_POLL_TIMEOUT;
		if (be->poll(state, step_ms) < 0 && !interrupted)
			return OT_POLL_FAILED;
	}
}
