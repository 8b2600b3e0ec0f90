// SPDX-License-Identifier: MIT
/* trace_event_check FILE [--report REPORT.json] [--slices N] [--entries N] [--rets N]
 *                        [--paired N] [--threads N] [--user N]
 *
 * Checks that FILE follows the rules of the JSON Trace Event Format (the format
 * Perfetto UI and chrome://tracing load), independently of the code that wrote it:
 *   - strict JSON; the top level an array of events, or an object whose "traceEvents"
 *     is one (displayTimeUnit, if given, "ms" or "ns");
 *   - every event an object with "name" (string), "ph" (one known phase letter),
 *     "pid" and "tid" (integers); "ts" (number, microseconds) on all but metadata;
 *     "cat" a string and "args" an object when present;
 *   - X events with a "dur" >= 0; B/E balanced per (pid, tid), each E closing the
 *     innermost open B; instants with "s" among g, p, t;
 *   - metadata: process_name / thread_name with args.name a string; every thread that
 *     has events named, and every process;
 *   - the slices of one thread nested: two slices either apart or one inside the
 *     other, never partly overlapping (compared in nanoseconds, the precision of
 *     microseconds with three decimals).
 * Then counts: call slices (cat "call"), those with an entry / a return line, paired,
 * threads, user instants, each compared with the wanted number when given; with
 * --report, the calls and threads of opentrail's JSON report of the same log.
 * Prints what it counted, and every violation; exits 0 when all hold, 1 otherwise,
 * 2 on bad usage. */
#include <json-c/json.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int errors;

#define BAD(...)                                                                                   \
	do {                                                                                       \
		if (errors++ < 20) {                                                               \
			fprintf(stderr, "trace_event_check: " __VA_ARGS__);                        \
			fputc('\n', stderr);                                                       \
		}                                                                                  \
	} while (0)

struct slice {
	int64_t pid, tid, s, e;
	size_t order;
};

struct thread {
	int64_t pid, tid;
	bool named, has_events;
	int64_t *open; /* B events still open: their start */
	size_t nopen, capopen;
	const char **open_name;
};

static struct slice *slices;
static size_t nslices, capslices;
static struct thread *threads;
static size_t nthreads;
static int64_t *named_procs, *procs;
static size_t nnamed_procs, nprocs;

static struct thread *thread_of(int64_t pid, int64_t tid)
{
	for (size_t i = 0; i < nthreads; i++)
		if (threads[i].pid == pid && threads[i].tid == tid)
			return &threads[i];
	threads = realloc(threads, (nthreads + 1) * sizeof(*threads));
	if (!threads)
		abort();
	memset(&threads[nthreads], 0, sizeof(*threads));
	threads[nthreads].pid = pid;
	threads[nthreads].tid = tid;
	return &threads[nthreads++];
}

static void add_pid(int64_t **v, size_t *n, int64_t pid)
{
	for (size_t i = 0; i < *n; i++)
		if ((*v)[i] == pid)
			return;
	*v = realloc(*v, (*n + 1) * sizeof(**v));
	if (!*v)
		abort();
	(*v)[(*n)++] = pid;
}

static void add_slice(int64_t pid, int64_t tid, int64_t s, int64_t e)
{
	if (nslices == capslices) {
		capslices = capslices ? 2 * capslices : 1024;
		slices = realloc(slices, capslices * sizeof(*slices));
		if (!slices)
			abort();
	}
	slices[nslices] = (struct slice){pid, tid, s, e, nslices};
	nslices++;
}

static bool number(json_object *o)
{
	return o &&
	       (json_object_is_type(o, json_type_int) || json_object_is_type(o, json_type_double));
}

/* Microseconds as integer nanoseconds. */
static int64_t ns(json_object *o)
{
	return (int64_t)llround(json_object_get_double(o) * 1000.0);
}

static json_object *get(json_object *o, const char *key)
{
	json_object *v = NULL;

	return json_object_object_get_ex(o, key, &v) ? v : NULL;
}

struct counts {
	size_t events, calls, entries, rets, paired, user, meta;
};

static void check_event(size_t i, json_object *ev, struct counts *c)
{
	json_object *name = get(ev, "name"), *ph = get(ev, "ph"), *pid = get(ev, "pid"),
		    *tid = get(ev, "tid"), *ts = get(ev, "ts"), *dur = get(ev, "dur"),
		    *cat = get(ev, "cat"), *args = get(ev, "args");
	const char *p;

	if (!json_object_is_type(ev, json_type_object)) {
		BAD("event %zu is not an object", i);
		return;
	}
	if (!name || !json_object_is_type(name, json_type_string))
		BAD("event %zu: no \"name\" string", i);
	if (!ph || !json_object_is_type(ph, json_type_string) ||
	    strlen(p = json_object_get_string(ph)) != 1 || !strchr("BEXiIMCbenstfPOND", *p)) {
		BAD("event %zu: no \"ph\" of one known phase letter", i);
		return;
	}
	if (!pid || !json_object_is_type(pid, json_type_int) || !tid ||
	    !json_object_is_type(tid, json_type_int)) {
		BAD("event %zu: \"pid\" and \"tid\" must be integers", i);
		return;
	}
	if (*p != 'M' && !number(ts)) {
		BAD("event %zu: no \"ts\" number", i);
		return;
	}
	if (cat && !json_object_is_type(cat, json_type_string))
		BAD("event %zu: \"cat\" is not a string", i);
	if (args && !json_object_is_type(args, json_type_object))
		BAD("event %zu: \"args\" is not an object", i);
	int64_t P = json_object_get_int64(pid), T = json_object_get_int64(tid);
	struct thread *th = thread_of(P, T);
	const char *nm = name ? json_object_get_string(name) : "";

	if (*p != 'M') {
		th->has_events = true;
		add_pid(&procs, &nprocs, P);
	}
	switch (*p) {
	case 'X':
		if (!number(dur) || json_object_get_double(dur) < 0) {
			BAD("event %zu (%s): an X event needs a \"dur\" >= 0", i, nm);
			return;
		}
		add_slice(P, T, ns(ts), ns(ts) + ns(dur));
		break;
	case 'B':
		if (th->nopen == th->capopen) {
			th->capopen = th->capopen ? 2 * th->capopen : 16;
			th->open = realloc(th->open, th->capopen * sizeof(*th->open));
			th->open_name = realloc(th->open_name, th->capopen * sizeof(char *));
			if (!th->open || !th->open_name)
				abort();
		}
		th->open_name[th->nopen] = nm;
		th->open[th->nopen++] = ns(ts);
		break;
	case 'E':
		if (!th->nopen) {
			BAD("event %zu: E on %lld/%lld with no open B", i, (long long)P,
			    (long long)T);
			return;
		}
		th->nopen--;
		if (name && strcmp(nm, th->open_name[th->nopen]))
			BAD("event %zu: E \"%s\" closes B \"%s\"", i, nm, th->open_name[th->nopen]);
		if (ns(ts) < th->open[th->nopen])
			BAD("event %zu: E before its B", i);
		add_slice(P, T, th->open[th->nopen], ns(ts));
		break;
	case 'i':
	case 'I': {
		json_object *s = get(ev, "s");

		if (s && (!json_object_is_type(s, json_type_string) ||
			  strlen(json_object_get_string(s)) != 1 ||
			  !strchr("gpt", *json_object_get_string(s))))
			BAD("event %zu: instant scope \"s\" not g, p or t", i);
		if (cat && !strcmp(json_object_get_string(cat), "user"))
			c->user++;
		break;
	}
	case 'M': {
		json_object *an = args ? get(args, "name") : NULL;

		c->meta++;
		if (!strcmp(nm, "process_name") || !strcmp(nm, "thread_name")) {
			if (!an || !json_object_is_type(an, json_type_string) ||
			    !*json_object_get_string(an))
				BAD("event %zu: %s without args.name", i, nm);
			else if (!strcmp(nm, "thread_name"))
				th->named = true;
			else
				add_pid(&named_procs, &nnamed_procs, P);
		}
		break;
	}
	default:
		break;
	}
	if (cat && !strcmp(json_object_get_string(cat), "call") && (*p == 'X' || *p == 'B')) {
		json_object *pa = args ? get(args, "paired") : NULL;
		json_object *le = args ? get(args, "line_entry") : NULL;
		json_object *lr = args ? get(args, "line_ret") : NULL;

		c->calls++;
		c->paired += pa && json_object_get_boolean(pa);
		c->entries += le && json_object_is_type(le, json_type_int);
		c->rets += lr && json_object_is_type(lr, json_type_int);
	}
}

static int cmp_slice(const void *a, const void *b)
{
	const struct slice *x = a, *y = b;

	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	if (x->tid != y->tid)
		return x->tid < y->tid ? -1 : 1;
	if (x->s != y->s)
		return x->s < y->s ? -1 : 1;
	if (x->e != y->e) /* the longer first: it is the caller */
		return x->e > y->e ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* Per thread, in start order: each slice ends inside the innermost slice still open. */
static void check_nesting(void)
{
	struct slice **stack = malloc((nslices + 1) * sizeof(*stack));
	size_t sp = 0;

	if (!stack)
		abort();
	qsort(slices, nslices, sizeof(*slices), cmp_slice);
	for (size_t i = 0; i < nslices; i++) {
		struct slice *s = &slices[i];

		if (i && (s->pid != slices[i - 1].pid || s->tid != slices[i - 1].tid))
			sp = 0;
		while (sp && s->s >= stack[sp - 1]->e) /* the open slice ended before */
			sp--;
		if (sp && s->e > stack[sp - 1]->e)
			BAD("thread %lld/%lld: slice [%lld, %lld] ns overlaps [%lld, %lld] ns "
			    "partly",
			    (long long)s->pid, (long long)s->tid, (long long)s->s, (long long)s->e,
			    (long long)stack[sp - 1]->s, (long long)stack[sp - 1]->e);
		stack[sp++] = s;
	}
	free(stack);
}

/* opentrail's JSON report: its calls (every level of "children") and paired ones. */
static void count_report_calls(json_object *arr, size_t *calls, size_t *paired)
{
	for (size_t i = 0; arr && i < json_object_array_length(arr); i++) {
		json_object *c = json_object_array_get_idx(arr, i), *p = get(c, "paired");

		(*calls)++;
		*paired += p && json_object_get_boolean(p);
		count_report_calls(get(c, "children"), calls, paired);
	}
}

static json_object *parse_strict(const char *path)
{
	FILE *f = fopen(path, "r");
	struct json_tokener *tok = json_tokener_new_ex(JSON_TOKENER_DEFAULT_DEPTH);
	json_object *o = NULL;
	enum json_tokener_error jerr = json_tokener_continue;
	char buf[1 << 16];
	size_t n;

	if (!f || !tok) {
		fprintf(stderr, "trace_event_check: cannot read %s\n", path);
		exit(2);
	}
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	while (jerr == json_tokener_continue && (n = fread(buf, 1, sizeof(buf), f)) > 0) {
		o = json_tokener_parse_ex(tok, buf, (int)n);
		jerr = json_tokener_get_error(tok);
	}
	if (jerr == json_tokener_success) { /* nothing but white space may follow */
		size_t at = json_tokener_get_parse_end(tok);

		for (; at < n; at++)
			if (!strchr(" \t\r\n", buf[at]))
				jerr = json_tokener_error_parse_unexpected;
		while (jerr == json_tokener_success && (n = fread(buf, 1, sizeof(buf), f)) > 0)
			for (size_t i = 0; i < n; i++)
				if (!strchr(" \t\r\n", buf[i]))
					jerr = json_tokener_error_parse_unexpected;
	}
	fclose(f);
	if (jerr != json_tokener_success) {
		fprintf(stderr, "trace_event_check: %s is not valid JSON: %s\n", path,
			jerr == json_tokener_continue ? "it ends too early"
						      : json_tokener_error_desc(jerr));
		json_object_put(o);
		o = NULL;
	}
	json_tokener_free(tok);
	return o;
}

static void want(const char *what, size_t got, long want_n)
{
	if (want_n >= 0 && got != (size_t)want_n)
		BAD("%zu %s, want %ld", got, what, want_n);
}

int main(int argc, char **argv)
{
	long w_slices = -1, w_entries = -1, w_rets = -1, w_paired = -1, w_threads = -1, w_user = -1;
	const char *path = NULL, *report = NULL;
	struct counts c = {0};
	json_object *root, *events;
	size_t named_threads = 0, event_threads = 0;

	for (int i = 1; i < argc; i++) {
		long *slot = !strcmp(argv[i], "--slices")    ? &w_slices
			     : !strcmp(argv[i], "--entries") ? &w_entries
			     : !strcmp(argv[i], "--rets")    ? &w_rets
			     : !strcmp(argv[i], "--paired")  ? &w_paired
			     : !strcmp(argv[i], "--threads") ? &w_threads
			     : !strcmp(argv[i], "--user")    ? &w_user
							     : NULL;

		if (slot && i + 1 < argc)
			*slot = strtol(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--report") && i + 1 < argc)
			report = argv[++i];
		else if (argv[i][0] != '-' && !path)
			path = argv[i];
		else {
			fprintf(stderr,
				"usage: trace_event_check FILE [--report REPORT.json] "
				"[--slices|--entries|--rets|--paired|--threads|--user N]\n");
			return 2;
		}
	}
	if (!path) {
		fprintf(stderr, "trace_event_check: no FILE\n");
		return 2;
	}
	if (!(root = parse_strict(path)))
		return 1;
	events = json_object_is_type(root, json_type_array) ? root : get(root, "traceEvents");
	if (!events || !json_object_is_type(events, json_type_array)) {
		fprintf(stderr, "trace_event_check: neither an array of events nor an object "
				"with a \"traceEvents\" array\n");
		return 1;
	}
	if (events != root) {
		json_object *u = get(root, "displayTimeUnit");

		if (u && (!json_object_is_type(u, json_type_string) ||
			  (strcmp(json_object_get_string(u), "ms") &&
			   strcmp(json_object_get_string(u), "ns"))))
			BAD("displayTimeUnit is neither \"ms\" nor \"ns\"");
	}
	c.events = json_object_array_length(events);
	for (size_t i = 0; i < c.events; i++)
		check_event(i, json_object_array_get_idx(events, i), &c);
	for (size_t i = 0; i < nthreads; i++) {
		struct thread *th = &threads[i];

		if (th->nopen)
			BAD("thread %lld/%lld: %zu B event(s) never closed by an E",
			    (long long)th->pid, (long long)th->tid, th->nopen);
		if (th->has_events && !th->named)
			BAD("thread %lld/%lld has events but no thread_name", (long long)th->pid,
			    (long long)th->tid);
		named_threads += th->named;
		event_threads += th->has_events;
	}
	for (size_t i = 0; i < nprocs; i++) {
		bool named = false;

		for (size_t j = 0; j < nnamed_procs; j++)
			named |= named_procs[j] == procs[i];
		if (!named)
			BAD("process %lld has events but no process_name", (long long)procs[i]);
	}
	check_nesting();
	printf("%s: %zu events, %zu slices (%zu calls: %zu with an entry, %zu with a "
	       "return, %zu paired), %zu user instants, %zu threads, %zu processes, %zu "
	       "metadata\n",
	       path, c.events, nslices, c.calls, c.entries, c.rets, c.paired, c.user, event_threads,
	       nprocs, c.meta);
	want("call slices", c.calls, w_slices);
	want("call slices with an entry", c.entries, w_entries);
	want("call slices with a return", c.rets, w_rets);
	want("paired call slices", c.paired, w_paired);
	want("threads with events", event_threads, w_threads);
	want("user instants", c.user, w_user);
	if (report) {
		json_object *r = parse_strict(report);
		size_t calls = 0, paired = 0;

		if (!r)
			return 1;
		count_report_calls(get(r, "calls"), &calls, &paired);
		want("call slices (the JSON report's calls)", c.calls, (long)calls);
		want("paired call slices (the JSON report's paired calls)", c.paired, (long)paired);
		want("threads (the JSON report's)", event_threads,
		     (long)json_object_array_length(get(r, "threads")));
		json_object_put(r);
	}
	json_object_put(root);
	if (errors > 20)
		fprintf(stderr, "trace_event_check: ... %d violations in all\n", errors);
	return errors ? 1 : 0;
}
