// SPDX-License-Identifier: MIT
/* The trace in the JSON Trace Event Format (see report_perfetto.h): the model's calls
 * and facts, drawn on a clock in nanoseconds, written in microseconds. */
#include "report/report_perfetto.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "probe/spec.h"
#include "report/fields.h"
#include "report/jsonw.h"
#include "report/model.h"
#include "report/report_json.h"
#include "report/runinfo.h"
#include "report/srcrender.h"
#include "report/tree.h"
#include "trace/decode.h"
#include "util/hashmap.h"

/* Each event on a line of its own (the top object's keys, then the events). */
#define EVENT_LINES 2
#define UNKNOWN	    INT64_MIN

/* A call of a syscall-level function (or its stand-in): where its slice ends, for
 * the user.fact that reports its result. */
struct user_end {
	size_t index;
	int64_t end;
};

/* Writing the events of a trace's operations, one operation at a time. */
struct events {
	struct ot_jw *w;
	bool line_clock; /* the log has no timestamps: one microsecond per log line */
	struct ot_show_memo *memo;
	const size_t *ops;   /* op#N per call index (the whole trace of a case), or NULL:
			      * the trace's own (ot_call.op, a streamed trace's) */
	int64_t *thread_end; /* per thread (its place in trace->threads): its last slice's end */
	size_t nthreads;
	struct span {
		int64_t lo, hi; /* the earliest and latest time known in the subtree */
		int64_t s, e;	/* the slice */
		int64_t cursor; /* where the next child may start */
	} * sp;
	size_t spcap;
	struct user_end *ends;
	size_t nends, capends;
	struct level {
		const char *func;
		bool user;
	} level[64]; /* is a function user-level? (a few distinct functions) */
	size_t nlevel;
	size_t slices, adjusted;
};

static int64_t rec_time(const struct events *ev, const struct ot_record *r)
{
	if (!r)
		return UNKNOWN;
	if (ev->line_clock)
		return (int64_t)r->line * 1000;
	if (!r->has_ts || !(r->ts > -9e9 && r->ts < 9e9)) /* NaN fails both */
		return UNKNOWN;
	return (int64_t)(r->ts * 1e9 + (r->ts < 0 ? -0.5 : 0.5)); /* to the nearest */
}

/* Does FUNC return what a user-level call saw (a syscall-level probe), or stand in for
 * one (as the trace counts them for user_agrees)? */
static bool user_level(struct events *ev, const char *func)
{
	bool user = false;

	for (size_t i = 0; i < ev->nlevel; i++)
		if (ev->level[i].func == func)
			return ev->level[i].user;
	for (size_t i = 0; i < ot_probe_count(); i++) {
		const struct ot_probe *q = ot_probe_at(i);
		const char *si = q->user_call ? ot_probe_user_stand_in(q->func) : NULL;

		if (q->user_call && (!strcmp(q->func, func) || (si && !strcmp(si, func))))
			user = true;
	}
	if (ev->nlevel < sizeof(ev->level) / sizeof(ev->level[0]))
		ev->level[ev->nlevel++] = (struct level){func, user};
	return user;
}

/* Why a slice's times are not the two measured ones, or NULL. */
static const char *time_note(const struct ot_call *c, int64_t s0, int64_t e0, bool adjusted)
{
	if (!c->entry)
		return "no entry in the log: drawn without duration at its return";
	if (!c->ret)
		return "no return in the log: drawn until the last record under it";
	if (s0 == UNKNOWN || e0 == UNKNOWN)
		return "a record without a timestamp: drawn from the records around it";
	if (adjusted)
		return "timestamps out of order: moved to nest in its caller";
	return NULL;
}

static void call_event(struct events *ev, const struct ot_trace *t, const struct ot_call *c,
		       const struct span *s, const char *note)
{
	struct ot_jw *w = ev->w;
	size_t op = ev->ops && c->index < t->ncalls ? ev->ops[c->index] : c->op;
	char text[96];

	ot_jw_obj_begin(w);
	OT_JW_KEY(w, "name");
	ot_jw_str(w, c->func);
	OT_JW_KEY(w, "cat");
	ot_jw_str(w, "call");
	OT_JW_KEY(w, "ph");
	ot_jw_str(w, "X");
	OT_JW_KEY(w, "ts");
	ot_jw_milli(w, s->s);
	OT_JW_KEY(w, "dur");
	ot_jw_milli(w, s->e - s->s);
	OT_JW_KEY(w, "pid");
	ot_jw_int(w, c->pid);
	OT_JW_KEY(w, "tid");
	ot_jw_int(w, c->tid);
	OT_JW_KEY(w, "args");
	ot_jw_obj_begin(w);
	if (op) {
		OT_JW_KEY(w, "op");
		ot_jw_int(w, (int64_t)op);
	}
	if (c->entry) {
		OT_JW_KEY(w, "entry");
		ot_json_fields_object(w, ev->memo, c->entry, false);
	}
	if (c->ret) {
		uint64_t v = c->dec.raw;

		OT_JW_KEY(w, "ret");
		ot_call_ret_value(c, text, sizeof(text));
		ot_jw_str(w, text);
		OT_JW_KEY(w, "ret_raw");
		if (c->dec.cls == OT_RC_UNKNOWN && !ot_rec_u64(c->ret, "ret", &v))
			ot_jw_null(w);
		else
			ot_jw_hex(w, v);
		if (c->dec.cls == OT_RC_ERR) {
			OT_JW_KEY(w, "errno");
			ot_jw_str(w, ot_errno_name(c->dec.err));
		}
		for (size_t i = 0; i < c->ret->nfields; i++)
			if (strcmp(c->ret->fields[i].key, "ret")) { /* fields beside ret */
				OT_JW_KEY(w, "ret_fields");
				ot_json_fields_object(w, ev->memo, c->ret, true);
				break;
			}
	}
	ot_json_call_log_lines(w, c);
	OT_JW_KEY(w, "paired");
	ot_jw_bool(w, ot_call_paired(c));
	if (c->in_flight) {
		OT_JW_KEY(w, "in_flight");
		ot_jw_str(w, c->in_flight == OT_IN_FLIGHT_AT_ATTACH ? "at_attach" : "at_detach");
	}
	if (note) {
		OT_JW_KEY(w, "time");
		ot_jw_str(w, note);
	}
	ot_src_json_call(w, t, c);
	ot_jw_obj_end(w);
	ot_jw_obj_end(w);
	ev->slices++;
}

static int64_t clamp(int64_t v, int64_t lo, int64_t hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* One operation (ROOT of thread TH and its subtree) as slices. A call's slice is its
 * entry's time to its return's; one without either is drawn from the records under it
 * (see time_note); then every slice is kept inside its caller's and after its previous
 * sibling's, so that a thread's slices always nest, whatever the timestamps say. */
static void add_op(struct events *ev, const struct ot_trace *t, size_t th,
		   const struct ot_call *root)
{
	size_t n = root->last - root->pre + 1;

	if (n > ev->spcap) {
		ev->spcap = n > 2 * ev->spcap ? n : 2 * ev->spcap;
		ev->sp = realloc(ev->sp, ev->spcap * sizeof(*ev->sp));
		if (!ev->sp)
			abort();
	}
	if (th >= ev->nthreads) {
		size_t nn = th + 1 > 2 * ev->nthreads ? th + 1 : 2 * ev->nthreads;

		ev->thread_end = realloc(ev->thread_end, nn * sizeof(*ev->thread_end));
		if (!ev->thread_end)
			abort();
		for (size_t i = ev->nthreads; i < nn; i++)
			ev->thread_end[i] = UNKNOWN;
		ev->nthreads = nn;
	}
	for (size_t k = 0; k < n; k++)
		ev->sp[k].lo = INT64_MAX, ev->sp[k].hi = INT64_MIN;
	/* the times known in each subtree: children come after their caller */
	for (size_t k = n; k-- > 0;) {
		const struct ot_call *c = t->preorder[root->pre + k];
		struct span *s = &ev->sp[k];
		int64_t a = rec_time(ev, c->entry), b = rec_time(ev, c->ret);

		if (a != UNKNOWN)
			s->lo = a < s->lo ? a : s->lo, s->hi = a > s->hi ? a : s->hi;
		if (b != UNKNOWN)
			s->lo = b < s->lo ? b : s->lo, s->hi = b > s->hi ? b : s->hi;
		if (c != root) {
			struct span *p = &ev->sp[c->parent->pre - root->pre];

			p->lo = s->lo < p->lo ? s->lo : p->lo;
			p->hi = s->hi > p->hi ? s->hi : p->hi;
		}
	}
	for (size_t k = 0; k < n; k++) {
		const struct ot_call *c = t->preorder[root->pre + k];
		struct span *s = &ev->sp[k],
			    *p = c != root ? &ev->sp[c->parent->pre - root->pre] : NULL;
		int64_t s0 = rec_time(ev, c->entry), e0 = rec_time(ev, c->ret);
		int64_t lo = p ? p->cursor : ev->thread_end[th], hi = p ? p->e : INT64_MAX;
		int64_t a, b;

		if (lo == UNKNOWN)
			lo = INT64_MIN;
		if (!c->entry) /* a return alone: when it began is not known */
			a = e0 != UNKNOWN ? e0 : lo;
		else
			a = s0 != UNKNOWN ? s0 : s->lo != INT64_MAX ? s->lo : lo;
		/* past the last record under it: a child drawn without duration at that
		 * time stays inside it, not at its edge */
		b = e0 != UNKNOWN ? e0 : s->hi != INT64_MIN ? s->hi + (c->nkids ? 1 : 0) : a;
		if (a == INT64_MIN) /* nothing known at all on this thread yet */
			a = b = 0;
		s->s = clamp(a, lo, hi);
		s->e = clamp(b, s->s, hi);
		s->cursor = s->s;
		if (p)
			p->cursor = s->e;
		else
			ev->thread_end[th] = s->e;
		bool adjusted = s->s != a || s->e != b;
		ev->adjusted += adjusted;
		call_event(ev, t, c, s, time_note(c, s0, e0, adjusted));
		if (c->ret && user_level(ev, c->func)) {
			if (ev->nends == ev->capends) {
				ev->capends = ev->capends ? 2 * ev->capends : 64;
				ev->ends = realloc(ev->ends, ev->capends * sizeof(*ev->ends));
				if (!ev->ends)
					abort();
			}
			ev->ends[ev->nends++] = (struct user_end){c->index, s->e};
		}
	}
}

static bool first_call_timed(const struct ot_log *log)
{
	for (size_t i = 0; i < log->nrecs; i++)
		if (log->recs[i].kind == OT_REC_ENTRY || log->recs[i].kind == OT_REC_RET)
			return log->recs[i].has_ts;
	return false;
}

static int events_init(struct events *ev, const struct ot_log *log, struct ot_jw *w)
{
	memset(ev, 0, sizeof(*ev));
	ev->w = w;
	ev->line_clock = !first_call_timed(log);
	ev->memo = ot_show_memo_new();
	return ev->memo ? 0 : -1;
}

static void events_free(struct events *ev)
{
	free(ev->memo);
	free(ev->thread_end);
	free(ev->sp);
	free(ev->ends);
}

/* --- streamed: the spool ----------------------------------------------------------- */

struct ot_perfetto_spool {
	FILE *f;
	struct ot_jw w; /* as if inside the report's "traceEvents" */
	struct events ev;
};

struct ot_perfetto_spool *ot_perfetto_spool_new(const struct ot_log *log)
{
	struct ot_perfetto_spool *sp = calloc(1, sizeof(*sp));

	if (!sp)
		return NULL;
	sp->f = tmpfile();
	if (!sp->f || events_init(&sp->ev, log, &sp->w)) {
		if (sp->f)
			fclose(sp->f);
		events_free(&sp->ev);
		free(sp);
		return NULL;
	}
	ot_jw_init_at(&sp->w, sp->f, 2);
	ot_jw_set_lines(&sp->w, EVENT_LINES);
	return sp;
}

void ot_perfetto_spool_add_op(struct ot_perfetto_spool *sp, const struct ot_trace *t,
			      const struct ot_call *root)
{
	add_op(&sp->ev, t, ot_trace_thread_index(t, root), root);
}

void ot_perfetto_spool_free(struct ot_perfetto_spool *sp)
{
	if (!sp)
		return;
	ot_jw_free(&sp->w);
	if (sp->f)
		fclose(sp->f);
	events_free(&sp->ev);
	free(sp);
}

/* The spooled events into W's open array; -1 when the spool cannot be read back. */
static int copy_spool(struct ot_jw *w, struct ot_perfetto_spool *sp)
{
	static char buf[1 << 16];
	size_t k;

	ot_jw_flush(&sp->w);
	if (fflush(sp->f) || ferror(sp->f) || fseek(sp->f, 0, SEEK_SET))
		return -1;
	ot_jw_flush(w);
	while ((k = fread(buf, 1, sizeof(buf), sp->f)) > 0)
		fwrite_unlocked(buf, 1, k, w->f);
	if (ferror(sp->f))
		return -1;
	ot_jw_restart_level(w);
	if (sp->ev.slices)
		w->first[w->depth - 1] = 0;
	return 0;
}

/* --- what the program saw ------------------------------------------------------------ */

static int cmp_end(const void *a, const void *b)
{
	const struct user_end *x = a, *y = b;

	return x->index < y->index ? -1 : x->index > y->index;
}

static const struct user_end *end_of(const struct events *ev, size_t index)
{
	struct user_end key = {index, 0};

	return bsearch(&key, ev->ends, ev->nends, sizeof(key), cmp_end);
}

/* The returned calls of each user-level function, in log order. */
struct returned {
	const char *func;
	const struct ot_user_ret **v;
	size_t n, cap;
};

static struct returned *returned_by_func(const struct ot_trace *t, size_t *nout)
{
	const struct ot_trace_stats *st = &t->stats;
	struct returned *r = NULL;
	size_t n = 0;

	for (size_t j = 0; j < st->nuser_rets; j++) {
		size_t k = 0;

		while (k < n && strcmp(r[k].func, st->user_rets[j].func))
			k++;
		if (k == n) {
			r = realloc(r, (n + 1) * sizeof(*r));
			if (!r)
				abort();
			r[n++] = (struct returned){st->user_rets[j].func, NULL, 0, 0};
		}
		if (r[k].n == r[k].cap) {
			r[k].cap = r[k].cap ? 2 * r[k].cap : 64;
			r[k].v = realloc(r[k].v, r[k].cap * sizeof(*r[k].v));
			if (!r[k].v)
				abort();
		}
		r[k].v[r[k].n++] = &st->user_rets[j];
	}
	*nout = n;
	return r;
}

/* The kernel call that served user.fact number K of the family of syscall-level
 * function FN, paired as the claim user_agrees pairs them: the K-th returned call of
 * FN, or of its stand-in one level down when FN has no call at all. */
static const struct ot_user_ret *served_by(const struct ot_trace *t, const struct returned *r,
					   size_t nr, const char *fn, size_t k)
{
	const struct ot_trace_stats *st = &t->stats;
	bool called = false;

	for (size_t j = 0; j < st->ncalled; j++)
		called |= !strcmp(st->called[j], fn);
	if (!called && !(fn = ot_probe_user_stand_in(fn)))
		return NULL;
	for (size_t j = 0; j < nr; j++)
		if (!strcmp(r[j].func, fn))
			return k < r[j].n ? r[j].v[k] : NULL;
	return NULL;
}

/* Each user.fact as an instant on its thread when its call returned; the number of
 * those with no kernel call to place them by. */
static size_t user_events(struct events *ev, const struct ot_trace *t)
{
	size_t nprobes = ot_probe_count(), unplaced = 0, nr;
	size_t *seen = calloc(nprobes + 1, sizeof(*seen));
	struct returned *r = returned_by_func(t, &nr);
	struct ot_jw *w = ev->w;

	if (!seen)
		abort();
	if (ev->nends) /* none when no call returned: qsort takes no NULL array */
		qsort(ev->ends, ev->nends, sizeof(*ev->ends), cmp_end);
	for (size_t i = 0; i < t->nfacts; i++) {
		const struct ot_record *f = t->facts[i];
		const char *call = ot_rec_str(f, "call"), *en = ot_rec_str(f, "errname");
		const struct ot_field *ret = ot_rec_field(f, "ret");
		const struct ot_probe *sp = NULL;
		const struct ot_user_ret *u;
		const struct user_end *at;
		char name[160];

		if (!f->func || !ot_is_user_fact(f))
			continue;
		for (size_t j = 0; call && j < nprobes && !sp; j++)
			if (ot_probe_serves(ot_probe_at(j), call))
				sp = ot_probe_at(j);
		u = sp ? served_by(t, r, nr, sp->func, seen[sp - ot_probe_at(0)]++) : NULL;
		at = u ? end_of(ev, u->index) : NULL;
		if (!at) {
			unplaced++;
			continue;
		}
		snprintf(name, sizeof(name), "%s() = %s%s%s", call,
			 ret && ret->raw ? ret->raw : "?", en && *en ? " " : "", en ? en : "");
		ot_jw_obj_begin(w);
		OT_JW_KEY(w, "name");
		ot_jw_str(w, name);
		OT_JW_KEY(w, "cat");
		ot_jw_str(w, "user");
		OT_JW_KEY(w, "ph");
		ot_jw_str(w, "i");
		OT_JW_KEY(w, "s");
		ot_jw_str(w, "t");
		OT_JW_KEY(w, "ts");
		ot_jw_milli(w, at->end);
		OT_JW_KEY(w, "pid");
		ot_jw_int(w, f->pid);
		OT_JW_KEY(w, "tid");
		ot_jw_int(w, f->tid);
		OT_JW_KEY(w, "args");
		ot_jw_obj_begin(w);
		OT_JW_KEY(w, "fact");
		ot_json_fields_object(w, NULL, f, false);
		OT_JW_KEY(w, "line");
		ot_jw_int(w, f->line);
		OT_JW_KEY(w, "kernel_call");
		ot_jw_str(w, u->func);
		OT_JW_KEY(w, "kernel_line_ret");
		ot_jw_int(w, u->ret_line);
		ot_jw_obj_end(w);
		ot_jw_obj_end(w);
	}
	for (size_t j = 0; j < nr; j++)
		free(r[j].v);
	free(r);
	free(seen);
	return unplaced;
}

/* --- the tracks' names ---------------------------------------------------------------- */

static void meta_event(struct ot_jw *w, const char *what, uint32_t pid, uint32_t tid,
		       const char *name)
{
	ot_jw_obj_begin(w);
	OT_JW_KEY(w, "name");
	ot_jw_str(w, what);
	OT_JW_KEY(w, "ph");
	ot_jw_str(w, "M");
	OT_JW_KEY(w, "pid");
	ot_jw_int(w, pid);
	OT_JW_KEY(w, "tid");
	ot_jw_int(w, tid);
	OT_JW_KEY(w, "args");
	ot_jw_obj_begin(w);
	OT_JW_KEY(w, "name");
	ot_jw_str(w, name && *name ? name : "?");
	ot_jw_obj_end(w);
	ot_jw_obj_end(w);
}

/* A process named by the comm of its main thread (tid == pid), else of its first
 * thread; each thread by its comm. Threads known only from user.fact lines too. */
static void meta_events(struct ot_jw *w, const struct ot_trace *t)
{
	struct ot_map procs = {0}, threads = {0};
	struct proc {
		uint32_t pid, tid;
		const char *comm;
	} *proc = NULL;
	size_t nproc = 0;

	for (size_t i = 0; i < t->nthreads + t->nfacts; i++) {
		const struct ot_thread *th = i < t->nthreads ? &t->threads[i] : NULL;
		const struct ot_record *f = th ? NULL : t->facts[i - t->nthreads];
		uint32_t pid = th ? th->pid : f->pid, tid = th ? th->tid : f->tid;
		const char *comm = th ? th->comm : f->comm;
		uint32_t key[2] = {pid, tid};
		bool added;
		size_t *at;

		if (f && !ot_is_user_fact(f))
			continue;
		ot_map_get(&threads, key, sizeof(key), &added);
		if (!added)
			continue;
		meta_event(w, "thread_name", pid, tid, comm);
		at = ot_map_get(&procs, &pid, sizeof(pid), &added);
		if (added) {
			proc = realloc(proc, (nproc + 1) * sizeof(*proc));
			if (!proc)
				abort();
			*at = nproc;
			proc[nproc++] = (struct proc){pid, tid, comm};
		} else if (tid == pid && proc[*at].tid != pid) {
			proc[*at].tid = tid;
			proc[*at].comm = comm;
		}
	}
	for (size_t i = 0; i < nproc; i++)
		meta_event(w, "process_name", proc[i].pid, proc[i].pid, proc[i].comm);
	free(proc);
	ot_map_free(&procs);
	ot_map_free(&threads);
}

/* --- the report ----------------------------------------------------------------------- */

int ot_report_perfetto_with(FILE *f, const struct ot_report_input *in,
			    const struct ot_report_model *m)
{
	const struct ot_trace *t = in->trace;
	struct ot_perfetto_spool *sp = m->perfetto;
	struct events whole, *ev = sp ? &sp->ev : &whole;
	size_t *ops = NULL, unplaced;
	struct ot_jw w;
	int err = 0;

	ot_jw_init(&w, f);
	ot_jw_set_lines(&w, EVENT_LINES);
	if (!sp && events_init(&whole, in->log, &w)) {
		ot_jw_free(&w);
		return -1;
	}
	ot_jw_obj_begin(&w);
	OT_JW_KEY(&w, "traceEvents");
	ot_jw_arr_begin(&w);
	if (sp) {
		err = copy_spool(&w, sp);
		sp->ev.w = &w; /* the user.fact instants go to the report */
	} else {
		ops = ot_op_numbers(t, in->kase ? in->kase->anchor : NULL);
		whole.ops = ops;
		for (size_t i = 0; i < t->nthreads; i++)
			for (size_t j = 0; j < t->threads[i].nroots; j++)
				add_op(&whole, t, i, t->threads[i].roots[j]);
	}
	unplaced = user_events(ev, t);
	meta_events(&w, t);
	ot_jw_arr_end(&w);
	OT_JW_KEY(&w, "displayTimeUnit");
	ot_jw_str(&w, "ns");
	OT_JW_KEY(&w, "otherData");
	ot_jw_obj_begin(&w);
	OT_JW_KEY(&w, "log");
	ot_jw_str(&w, in->log->name ? in->log->name : "-");
	OT_JW_KEY(&w, "case");
	ot_jw_str(&w, m->ri.case_id);
	OT_JW_KEY(&w, "verdict");
	ot_jw_str(&w, ot_case_verdict_name(m->ri.verdict));
	OT_JW_KEY(&w, "kernel");
	ot_jw_str(&w, m->ri.kernel);
	OT_JW_KEY(&w, "backend");
	ot_jw_str(&w, m->ri.backend);
	OT_JW_KEY(&w, "clock");
	ot_jw_str(&w, ev->line_clock ? "log lines (the log has no timestamps): 1 us per line"
				     : "the records' timestamps");
	OT_JW_KEY(&w, "call_slices");
	ot_jw_uint(&w, ev->slices);
	OT_JW_KEY(&w, "slices_moved_to_nest");
	ot_jw_uint(&w, ev->adjusted);
	OT_JW_KEY(&w, "user_facts_not_drawn");
	ot_jw_uint(&w, unplaced);
	ot_jw_obj_end(&w);
	ot_jw_obj_end(&w);
	if (!sp)
		events_free(&whole);
	free(ops);
	return ot_jw_finish(&w) || err ? -1 : 0;
}

int ot_report_perfetto(FILE *f, const struct ot_report_input *in)
{
	struct ot_report_model *m = ot_report_model_build(in);
	int rc;

	if (!m)
		return -1;
	rc = ot_report_perfetto_with(f, in, m);
	ot_report_model_free(m);
	return rc;
}
