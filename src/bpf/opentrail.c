// SPDX-License-Identifier: MIT
/* The BPF backend (src/probe/backend.h): calibrate, resolve each role on this
 * kernel (src/probe/resolve.h), give each function a program slot, its attach
 * target and its recipe, open -> set rodata -> load -> attach, then turn
 * ring-buffer records into opentrail lines named by the probe spec. */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/resource.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/types.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "bpf/opentrail.h"
#include "bpf/opentrail.skel.h"
#include "probe/attachfact.h"
#include "probe/backend.h"
#include "probe/calibrate.h"
#include "probe/fieldfmt.h"
#include "probe/glob.h"
#include "probe/lineplace.h"
#include "probe/resolve.h"
#include "probe/spec.h"
#include "record/logwrite.h"
#include "util/bgqueue.h"

#define OT_STR(x)  #x
#define OT_XSTR(x) OT_STR(x)

struct bpf_state {
	struct opentrail_bpf *skel;
	struct ring_buffer *rb;
	struct bpf_link *links[2 * OT_RCP_SLOTS + 2];
	int link_slot[2 * OT_RCP_SLOTS + 2]; /* the slot a link is of (attach_slot), else -1 */
	size_t nlinks;
	FILE *log;
	unsigned long records;
	struct ot_resolved *res; /* one per requested role */
	bool *unslotted;	 /* per role: left out for want of a slot (assign_slots) */
	size_t nres;
	int res_of_slot[OT_RCP_SLOTS]; /* index into RES */
	int nslots;
	bool ring_direct; /* records built whole in the ring, not in the tasks' scratch copies */
	bool preemptible; /* an fentry program may be preempted here (calibrate.h) */
	bool cpu_scratch; /* no program can be preempted: scratch copies per CPU */
	long long drained_ms; /* when the reader last took what was pending */
	struct ot_lineplan *lines; /* line probes (NULL: none) */
	struct bpf_link **line_links;
	size_t nline_links;
	/* Held across the cases of a run (bpf_hold): loaded and attached once, a case
	 * switches its slots on for its process (held_open) and off again (bpf_close). */
	bool held;
	bool verbose;
	/* held: every line point attached in the run, by cookie; the current case's */
	struct held_point {
		unsigned long long addr;
		struct bpf_link *link;
		char why[128];
		char of[64];   /* the function whose line set placed it */
		bool shared;   /* placed by the line sets of more than one function */
		bool retiring; /* queued to the detacher (its link is the detacher's) */
	} *held_pts;
	size_t nheld_pts;
	size_t nheld_live; /* of them attached, the retiring included */
	/* held: points no later case needs, detached while no case is traced (bpf_retire) */
	struct ot_bgqueue *detacher;
	size_t *case_pts;
	size_t ncase_pts;
	bool line_prog;		 /* the line program loaded */
	/* Without attach cookies (before 5.15), or OPENTRAIL_BPF_LINES=addr: the line
	 * program tells the points apart by their address (line_hit_addr, line_ids). */
	bool line_by_addr;
	/* The kprobe slots share kprobe_shared/kretprobe_shared, the slot their
	 * attach cookie (5.15 on), instead of a program pair each. */
	bool kprobe_shared;
	unsigned long long ktext; /* for each case's run.fact */
	unsigned long missed0;	 /* the kernel's skip counts when the case began */
};

/* The reader takes what is pending without a wakeup at most this often. Each time it
 * runs (first, at SCHED_FIFO, while tracing) it preempts the traced program on its
 * CPU: on one CPU, lines formatted during a burst would lengthen the calls they
 * interrupt (the latencies the report gives) and the program's run. The BPF side
 * wakes it as soon as half the ring is pending, and the run ends with a drain. */
#define DRAIN_EVERY_MS 1000

/* The four programs of slot N: fentry, fexit, kprobe, kretprobe; the last two the
 * shared pair where the kprobe'd slots share one. */
static void slot_progs(const struct bpf_state *st, int n, struct bpf_program *p[4])
{
	struct opentrail_bpf *s = st->skel;

#define PROGS_OF(k)                                                                                \
	case k:                                                                                    \
		p[0] = s->progs.fentry_##k;                                                        \
		p[1] = s->progs.fexit_##k;                                                         \
		p[2] = s->progs.kprobe_##k;                                                        \
		p[3] = s->progs.kretprobe_##k;                                                     \
		break;
	switch (n) {
		OT_RCP_SLOT_LIST(PROGS_OF)
	default:
		memset(p, 0, 4 * sizeof(p[0]));
	}
#undef PROGS_OF
	if (st->kprobe_shared) {
		p[2] = s->progs.kprobe_shared;
		p[3] = s->progs.kretprobe_shared;
	}
}

static int libbpf_verbose(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	return vfprintf(stderr, fmt, ap);
}

/* Without -v: libbpf's warnings, but not a refused kprobe's: the log says which were refused,
 * and why (the attach fact, a line point's refused=); -v shows them all. */
static int libbpf_warnings(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char msg[512];

	if (level == LIBBPF_DEBUG || level == LIBBPF_INFO)
		return 0;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (strstr(msg, "failed to create kprobe '") || strstr(msg, "failed to create kretprobe '"))
		return 0;
	return fputs(msg, stderr);
}

/* FUNC.line id=N: point N of the plan ran (its line.fact says where). */
static int write_line_hit(struct bpf_state *st, const struct ot_bpf_line_hit *h, size_t size)
{
	char comm[OT_BPF_COMM_LEN + 1];
	struct ot_line l;

	if (size < sizeof(*h) || !st->lines || h->slot >= st->lines->n)
		return 0;
	memcpy(comm, h->comm, OT_BPF_COMM_LEN);
	comm[OT_BPF_COMM_LEN] = '\0';
	ot_line_begin(&l, st->lines->pts[h->slot].of, "line", h->pid, h->tid, comm);
	ot_line_int(&l, "ts", (int64_t)h->ts);
	ot_line_int(&l, "id", h->slot);
	if (ot_line_write(&l, st->log))
		return -EIO;
	st->records++;
	return 0;
}

static int handle_event(void *ctx, void *data, size_t size)
{
	struct bpf_state *st = ctx;
	const struct ot_bpf_event *e = data;
	const struct ot_resolved *r;
	const struct ot_field_spec *f;
	const struct ot_rcp_field *rf;
	char comm[OT_BPF_COMM_LEN + 1];
	struct ot_line l;
	bool is_ret;

	if (e->type == OT_BPF_REC_LINE)
		return write_line_hit(st, data, size);
	/* Records carry their string slots only as far as they are used. */
	if (size < OT_BPF_HDR_LEN || e->slot >= (uint32_t)st->nslots)
		return 0;
	r = &st->res[st->res_of_slot[e->slot]];
	is_ret = e->type == OT_BPF_REC_RET;
	f = is_ret ? r->probe->ret : r->probe->entry;
	rf = is_ret ? r->rcp.ret : r->rcp.entry;
	memcpy(comm, e->comm, OT_BPF_COMM_LEN);
	comm[OT_BPF_COMM_LEN] = '\0';

	/* Records name the function the kernel ran; the trace maps it to its role. */
	ot_line_begin(&l, r->name, is_ret ? "ret" : "entry", e->pid, e->tid, comm);
	ot_line_int(&l, "ts", (int64_t)e->ts);
	if (is_ret)
		ot_line_ptr(&l, "ret", e->ret);
	for (int i = 0; i < OT_MAX_FIELDS && f[i].key; i++) {
		if (!(e->present & (1u << i)))
			continue;
		if (f[i].kind == OT_FK_STR) {
			int k = rf[i].str & 1;
			size_t at = OT_BPF_HDR_LEN + (size_t)k * OT_BPF_STR_MAX;
			size_t n = e->slen[k] < OT_BPF_STR_MAX ? e->slen[k] : OT_BPF_STR_MAX;

			if (at + n > size)
				n = size > at ? size - at : 0;
			ot_line_strn(&l, f[i].key, e->s[k], n);
		} else {
			ot_line_field(&l, &f[i], e->w[i]);
		}
	}
	if (!is_ret && e->nframes) {
		unsigned long long fr[OT_BPF_FRAMES], caller;
		int n = e->nframes < OT_BPF_FRAMES ? (int)e->nframes : OT_BPF_FRAMES;

		for (int i = 0; i < n; i++)
			fr[i] = e->frames[i];
		/* An unwound stack (a caller the BPF side could not check: fentry
		 * [prog, trampoline, FUNC+5, caller, ...], kprobe [FUNC+1, caller, ...]);
		 * one that stops right after the function did not reach the caller: no
		 * caller then. */
		if (e->direct) /* [in the function, caller]: read from the trampoline's frame
				* (checked on the BPF side) or the kprobe's stack pointer */
			caller = n == 2 && fr[1] >= r->text_lo && fr[1] < r->text_hi ? fr[1] : 0;
		else
			caller = n >= 3 ? ot_resolve_caller(r, fr, n) : 0;
		if (caller)
			ot_line_ptr(&l, "caller", caller);
	}
	if (ot_line_write(&l, st->log))
		return -EIO;
	st->records++;
	return 0;
}

/* The ring buffer's size: OT_BPF_RINGBUF, or $OPENTRAIL_BPF_RINGBUF bytes (a power of
 * two, at least a page: e.g. 4096 to see records lost). 0 when the variable is wrong. */
static unsigned long ring_size(void)
{
	const char *v = getenv("OPENTRAIL_BPF_RINGBUF");
	long page = sysconf(_SC_PAGESIZE);
	unsigned long n;
	char *end;

	if (!v || !*v)
		return OT_BPF_RINGBUF;
	errno = 0;
	n = strtoul(v, &end, 0);
	if (errno || *end || n < (unsigned long)(page > 0 ? page : 4096) || (n & (n - 1)) ||
	    n > (1UL << 30))
		return 0;
	return n;
}

/* The in-kernel filters' rodata (trace --path, --errors-only): which slots are
 * operation roots (syscall-level roles), which of their entry fields is the path,
 * and the compiled glob. */
static void set_filters(struct bpf_state *st, const struct ot_backend_opts *o)
{
	struct opentrail_bpf__rodata *ro = st->skel->rodata;
	struct ot_glob g;
	char why[256];

	if (!o->path_glob && !o->errors_only)
		return;
	ro->filter_on = 1;
	ro->filter_errors_only = o->errors_only;
	if (o->path_glob && !ot_glob_compile(o->path_glob, &g, why, sizeof(why))) {
		ro->filter_path = 1;
		memcpy((void *)ro->glob_lit, g.lit, sizeof(g.lit));
		ro->glob_star = g.star;
		ro->glob_ntok = g.ntok;
	}
	for (int s = 0; s < st->nslots; s++) {
		const struct ot_resolved *r = &st->res[st->res_of_slot[s]];
		int fi = ot_probe_field_index(r->probe->entry, "path");

		if (!r->probe->user_call)
			continue;
		ro->filter_root[s] = r->ret_kind == OT_RET_INT ? 2 : 1;
		if (fi >= 0 && r->probe->entry[fi].kind == OT_FK_STR &&
		    r->rcp.entry[fi].src != OT_SRC_NONE)
			ro->filter_path_field[s] = (__u8)(fi + 1);
	}
}

/* Is a root (a syscall-level role) attached, for the filters to find operations? */
static bool root_attached(const struct bpf_state *st)
{
	for (int s = 0; s < st->nslots; s++) {
		const struct ot_resolved *r = &st->res[st->res_of_slot[s]];

		if (r->probe->user_call && r->mode != OT_ATTACH_SKIP)
			return true;
	}
	return false;
}

/* open -> rodata (target, recipes, filters) -> autoload and attach targets -> load. */
static int load_skeleton(struct bpf_state *st, const struct ot_backend_opts *o, unsigned long ring)
{
	pid_t target = o->target;
	bool children = o->follow_children;
	struct bpf_program *prog, *p[4];
	int err;

	st->skel = opentrail_bpf__open();
	if (!st->skel)
		return -errno;
	st->skel->bss->targ_tgid = (__u32)target;
	st->skel->rodata->follow_children = children && target > 0;
	/* Half the ring pending wakes the reader (DRAIN_EVERY_MS takes the rest): the
	 * lines are formatted after the traced program's burst rather than in it. */
	st->skel->rodata->wakeup_bytes = ring / 2;
	st->skel->rodata->ring_direct = st->ring_direct;
	err = bpf_map__set_max_entries(st->skel->maps.events, (__u32)ring);
	if (err) {
		opentrail_bpf__destroy(st->skel);
		st->skel = NULL;
		return err;
	}
	bpf_object__for_each_program(prog, st->skel->obj) bpf_program__set_autoload(prog, false);
	bpf_program__set_autoload(st->skel->progs.on_fork, children && target > 0);
	/* Per-CPU copies unless some program can be preempted: a kprobe's never is, an
	 * fentry program only on a preemptible kernel. */
	st->cpu_scratch = !st->ring_direct;
	for (int s = 0; s < st->nslots; s++)
		if (st->res[st->res_of_slot[s]].mode == OT_ATTACH_FENTRY && st->preemptible)
			st->cpu_scratch = false;
	st->skel->rodata->cpu_scratch = st->cpu_scratch;
	bpf_program__set_autoload(st->skel->progs.on_task_free,
				  !st->ring_direct && !st->cpu_scratch);
	set_filters(st, o);
	bpf_program__set_autoload(st->skel->progs.line_hit, st->line_prog && !st->line_by_addr);
	bpf_program__set_autoload(st->skel->progs.line_hit_addr, st->line_prog && st->line_by_addr);
	for (int s = 0; s < st->nslots; s++) {
		struct ot_resolved *r = &st->res[st->res_of_slot[s]];

		st->skel->bss->slot_on[s] = !st->held; /* held: switched on per case */

		memcpy((void *)&st->skel->rodata->recipes[s], &r->rcp, sizeof(r->rcp));
		st->skel->rodata->func_lo[s] = r->start;
		st->skel->rodata->func_hi[s] = r->end;
		slot_progs(st, s, p);
		if (r->mode == OT_ATTACH_FENTRY) {
			bpf_program__set_autoload(p[0], true);
			bpf_program__set_autoload(p[1], true);
			bpf_program__set_attach_target(p[0], 0, r->name);
			bpf_program__set_attach_target(p[1], 0, r->name);
		} else if (r->mode == OT_ATTACH_KPROBE) {
			bpf_program__set_autoload(p[2], true);
			bpf_program__set_autoload(p[3], true);
		}
	}
	err = opentrail_bpf__load(st->skel);
	if (err) {
		opentrail_bpf__destroy(st->skel);
		st->skel = NULL;
	}
	return err;
}

/* A kprobe or kretprobe on R's function; COOKIE: its slot, for the shared programs. */
static bool any_kprobe(const struct bpf_state *st)
{
	for (int s = 0; s < st->nslots; s++)
		if (st->res[st->res_of_slot[s]].mode == OT_ATTACH_KPROBE)
			return true;
	return false;
}

static struct bpf_link *attach_kprobe(struct bpf_program *p, const struct ot_resolved *r, bool ret,
				      __u64 cookie)
{
	LIBBPF_OPTS(bpf_kprobe_opts, opts, .retprobe = ret, .bpf_cookie = cookie);

	if (r->several && r->addr) {
		/* One of several functions of this name: by address. */
		opts.offset = r->addr;
		return bpf_program__attach_kprobe_opts(p, NULL, &opts);
	}
	return bpf_program__attach_kprobe_opts(p, r->sym, &opts);
}

static int attach_slot(struct bpf_state *st, int s)
{
	struct ot_resolved *r = &st->res[st->res_of_slot[s]];
	struct bpf_program *p[4];
	struct bpf_link *entry, *ret;

	slot_progs(st, s, p);
	if (r->mode == OT_ATTACH_FENTRY) {
		entry = bpf_program__attach(p[0]);
		ret = entry ? bpf_program__attach(p[1]) : NULL;
	} else {
		/* The slot as the cookie only for the shared pair: a kernel without
		 * attach cookies refuses any link that asks for one. */
		__u64 cookie = st->kprobe_shared ? (__u64)s : 0;

		/* The return first: the kernel runs the handlers of one address newest
		 * first, and the entry's must see the return address before the
		 * kretprobe puts its trampoline's there (see kprobe_caller). */
		ret = attach_kprobe(p[3], r, true, cookie);
		entry = ret ? attach_kprobe(p[2], r, false, cookie) : NULL;
	}
	if (!entry || !ret) {
		char before[sizeof(r->why)];
		int err = errno;

		bpf_link__destroy(entry); /* the one that was attached, if any */
		bpf_link__destroy(ret);
		snprintf(before, sizeof(before), "%s", r->why);
		/* A long reason is cut: it only explains, nothing parses its end. */
		if (snprintf(r->why, sizeof(r->why), "%s refused (%s)%s%s",
			     r->mode == OT_ATTACH_FENTRY ? "fentry" : "kprobe", strerror(err),
			     *before ? ": " : "", before) >= (int)sizeof(r->why))
			r->why[sizeof(r->why) - 2] = '.';
		for (char *c = r->why; *c; c++)
			if (*c == ',')
				*c = ';';
		r->mode = OT_ATTACH_SKIP;
		return -1;
	}
	st->link_slot[st->nlinks] = s;
	st->links[st->nlinks++] = entry;
	st->link_slot[st->nlinks] = s;
	st->links[st->nlinks++] = ret;
	return 0;
}

/* Work on N items spread over up to SPREAD_THREADS threads, item i to thread i mod
 * T (this one included; an item whose thread could not be started is done here):
 * attaching and detaching kprobes mostly wait on the kernel, and from several
 * threads the waits overlap where the kernel lets them. */
#define SPREAD_THREADS 16

struct spread {
	void (*one)(void *ctx, size_t i);
	void *ctx;
	size_t n, stride, first;
};

static void *spread_part(void *arg)
{
	struct spread *s = arg;

	for (size_t i = s->first; i < s->n; i += s->stride)
		s->one(s->ctx, i);
	return NULL;
}

static void spread(void (*one)(void *ctx, size_t i), void *ctx, size_t n)
{
	struct spread part[SPREAD_THREADS];
	pthread_t th[SPREAD_THREADS];
	bool started[SPREAD_THREADS] = {false};
	size_t nth = n / 4 < SPREAD_THREADS ? n / 4 : SPREAD_THREADS;

	if (nth < 2)
		nth = 1;
	for (size_t k = 0; k < nth; k++) {
		part[k] = (struct spread){one, ctx, n, nth, k};
		if (k > 0)
			started[k] = !pthread_create(&th[k], NULL, spread_part, &part[k]);
	}
	for (size_t k = 0; k < nth; k++)
		if (!k || !started[k])
			spread_part(&part[k]);
	for (size_t k = 1; k < nth; k++)
		if (started[k])
			pthread_join(th[k], NULL);
}

static void destroy_one(void *ctx, size_t i)
{
	bpf_link__destroy(((struct bpf_link **)ctx)[i]);
}

/* Detaching a kprobe waits for grace periods (about 40-70 ms each under emulation). */
static void destroy_links(struct bpf_link **links, size_t n)
{
	spread(destroy_one, links, n);
}

/* The line program: by attach cookie, or by address (line_by_addr). */
static struct bpf_program *line_program(const struct bpf_state *st)
{
	return st->line_by_addr ? st->skel->progs.line_hit_addr : st->skel->progs.line_hit;
}

/* Line probes to attach: the line program at SYM+OFF (running address ADDR) as
 * COOKIE, spread over threads. */
struct line_job {
	const char *sym;
	unsigned long long off, addr;
	__u64 cookie;
	struct bpf_link *link; /* NULL: refused, WHY says why */
	char *why;	       /* 128 bytes, the point's */
};

struct attach_ctx {
	const struct bpf_state *st;
	struct line_job *jobs;
};

static void attach_one(void *ctx, size_t i)
{
	struct attach_ctx *a = ctx;
	struct line_job *j = &a->jobs[i];
	bool by_addr = a->st->line_by_addr;
	/* A kernel without attach cookies refuses a link that asks for one. */
	LIBBPF_OPTS(bpf_kprobe_opts, opts, .offset = j->off, .bpf_cookie = by_addr ? 0 : j->cookie);
	__u32 id = (__u32)j->cookie;

	/* By address: the point's id is in line_ids before its probe can fire. */
	if (by_addr && bpf_map__update_elem(a->st->skel->maps.line_ids, &j->addr, sizeof(j->addr),
					    &id, sizeof(id), BPF_ANY)) {
		snprintf(j->why, 128, "the address map is full (%s)", strerror(errno));
		return;
	}
	j->link = bpf_program__attach_kprobe_opts(line_program(a->st), j->sym, &opts);
	if (!j->link)
		snprintf(j->why, 128, "kprobe refused (%s)", strerror(errno));
}

static void attach_jobs(const struct bpf_state *st, struct line_job *jobs, size_t n)
{
	struct attach_ctx a = {st, jobs};

	spread(attach_one, &a, n);
}

/* Every placed point of the plan, its cookie its id. A point the kernel refuses keeps
 * the reason (its line.fact says refused=). */
static void attach_lines(struct bpf_state *st)
{
	struct ot_lineplan *p = st->lines;
	struct line_job *jobs;
	size_t n = 0;

	if (!p || !(st->line_links = calloc(p->n ? p->n : 1, sizeof(*st->line_links))) ||
	    !(jobs = calloc(p->n ? p->n : 1, sizeof(*jobs))))
		return;
	for (size_t i = 0; i < p->n; i++)
		if (!*p->pts[i].why)
			jobs[n++] = (struct line_job){p->pts[i].sym, p->pts[i].off, p->pts[i].addr,
						      p->pts[i].id, NULL, p->pts[i].why};
	attach_jobs(st, jobs, n);
	for (size_t i = 0; i < n; i++) {
		if (!jobs[i].link)
			continue;
		st->skel->bss->line_local[jobs[i].cookie] = (__u32)jobs[i].cookie + 1;
		st->line_links[st->nline_links++] = jobs[i].link;
	}
	free(jobs);
}

static void refuse_lines(struct ot_lineplan *p, const char *why);

/* Held: the case's points, each attached once for the run (at its first case) and
 * switched on for this case by its cookie. Points of earlier cases stay attached,
 * recording nothing: detaching a kprobe costs an RCU grace period, waited for one
 * after the other, longer than its attach. Each is a descriptor, so the points kept
 * are bounded by RLIMIT_NOFILE: past it, those this case does not need go first. */
static size_t held_find(const struct bpf_state *st, unsigned long long addr)
{
	for (size_t g = 0; g < st->nheld_pts; g++)
		if (st->held_pts[g].addr == addr && !st->held_pts[g].retiring)
			return g;
	return SIZE_MAX;
}

static void destroy_link(void *link)
{
	bpf_link__destroy(link);
}

/* The detacher's report: held point TAG is detached, its entry (and cookie) free. */
static void held_detached(void *ctx, size_t tag)
{
	struct bpf_state *st = ctx;

	st->held_pts[tag] = (struct held_point){0};
	st->nheld_live--;
}

/* The points still queued to the detacher, detached now (the detacher paused). */
static void held_drain(struct bpf_state *st)
{
	size_t max = st->nheld_pts + 1, n;
	struct bpf_link **l;
	size_t *tags;
	void **items;

	if (!st->detacher)
		return;
	l = calloc(max, sizeof(*l));
	tags = calloc(max, sizeof(*tags));
	items = calloc(max, sizeof(*items));
	if (l && tags && items) {
		n = ot_bgqueue_take(st->detacher, items, tags, max);
		for (size_t k = 0; k < n; k++)
			l[k] = items[k];
		destroy_links(l, n);
		for (size_t k = 0; k < n; k++)
			held_detached(st, tags[k]);
	}
	free(l);
	free(tags);
	free(items);
}

/* Points the held descriptors allow: the soft limit, raised to the hard one, less a
 * margin for everything else, halved: a point holds two descriptors, its perf event
 * and the BPF link on it. */
static size_t held_budget(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl))
		return 512;
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
		getrlimit(RLIMIT_NOFILE, &rl);
	}
	if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > 2 * OT_BPF_LINE_IDS + 256)
		return OT_BPF_LINE_IDS;
	return rl.rlim_cur > 512 ? ((size_t)rl.rlim_cur - 256) / 2 : 128;
}

/* Detach the held points this case does not use (NEED[g] false). */
static void held_evict(struct bpf_state *st, const bool *need)
{
	struct bpf_link **l = calloc(st->nheld_pts + 1, sizeof(*l));
	size_t n = 0;

	for (size_t g = 0; g < st->nheld_pts; g++) {
		struct held_point *h = &st->held_pts[g];

		if (need[g] || !h->addr || h->retiring)
			continue;
		if (h->link && l)
			l[n++] = h->link;
		else if (h->link)
			bpf_link__destroy(h->link);
		if (h->link)
			st->nheld_live--;
		h->addr = 0;
		h->link = NULL;
		*h->why = '\0';
	}
	destroy_links(l, n);
	free(l);
}

static void attach_held_lines(struct bpf_state *st)
{
	struct ot_lineplan *p = st->lines;
	struct line_job *jobs = calloc(p->n ? p->n : 1, sizeof(*jobs));
	bool *need = calloc(OT_BPF_LINE_IDS, sizeof(*need));
	size_t n = 0, nnew = 0, budget = held_budget(), freeg = 0;

	st->ncase_pts = 0;
	st->nline_links = 0;
	if (!jobs || !need ||
	    !(st->case_pts = realloc(st->case_pts, (p->n ? p->n : 1) * sizeof(*st->case_pts)))) {
		free(jobs);
		free(need);
		refuse_lines(p, "out of memory");
		return;
	}
	for (size_t i = 0; i < p->n; i++) {
		size_t g = *p->pts[i].why ? SIZE_MAX : held_find(st, p->pts[i].addr);

		if (g != SIZE_MAX)
			need[g] = true;
		else if (!*p->pts[i].why)
			nnew++;
	}
	if (st->nheld_live + nnew > budget)
		held_drain(st);
	if (st->nheld_live + nnew > budget)
		held_evict(st, need);
	for (size_t i = 0; i < p->n; i++) {
		struct ot_line_point *pt = &p->pts[i];
		size_t g;

		if (*pt->why || held_find(st, pt->addr) != SIZE_MAX)
			continue;
		while (freeg < st->nheld_pts && st->held_pts[freeg].addr)
			freeg++; /* an entry an eviction freed */
		g = freeg < st->nheld_pts ? freeg : st->nheld_pts;
		if (g == OT_BPF_LINE_IDS || st->nheld_live + n >= budget) {
			snprintf(pt->why, sizeof(pt->why),
				 "more line points in one run than descriptors (RLIMIT_NOFILE)");
			continue;
		}
		if (g == st->nheld_pts)
			st->nheld_pts++;
		st->held_pts[g] = (struct held_point){.addr = pt->addr};
		snprintf(st->held_pts[g].of, sizeof(st->held_pts[g].of), "%s", pt->of);
		jobs[n++] = (struct line_job){pt->sym, pt->off, pt->addr, g, NULL,
					      st->held_pts[g].why};
	}
	attach_jobs(st, jobs, n);
	for (size_t k = 0; k < n; k++) {
		st->held_pts[jobs[k].cookie].link = jobs[k].link;
		st->nheld_live += jobs[k].link != NULL;
	}
	for (size_t i = 0; i < p->n; i++) {
		struct ot_line_point *pt = &p->pts[i];
		size_t g;

		if (*pt->why || (g = held_find(st, pt->addr)) == SIZE_MAX)
			continue;
		if (!st->held_pts[g].link) {
			snprintf(pt->why, sizeof(pt->why), "%s", st->held_pts[g].why);
			continue;
		}
		if (strcmp(st->held_pts[g].of, pt->of))
			st->held_pts[g].shared = true;
		st->skel->bss->line_local[g] = pt->id + 1;
		st->case_pts[st->ncase_pts++] = g;
		st->nline_links++;
	}
	free(jobs);
	free(need);
}

#define NO_LINE_PROG "the line program did not load (run -v shows the kernel's reason)"

/* Every point refused for one reason. */
static void refuse_lines(struct ot_lineplan *p, const char *why)
{
	for (size_t i = 0; p && i < p->n; i++)
		if (!*p->pts[i].why)
			snprintf(p->pts[i].why, sizeof(p->pts[i].why), "%s", why);
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void free_state(struct bpf_state *st)
{
	long long t0 = now_ms(), t1;
	size_t nfunc_links;

	if (!st)
		return;
	destroy_links(st->line_links, st->nline_links);
	free(st->line_links);
	if (st->detacher) {
		size_t early;

		ot_bgqueue_pause(st->detacher);
		early = ot_bgqueue_done(st->detacher);
		held_drain(st);
		ot_bgqueue_free(st->detacher);
		if (st->verbose)
			fprintf(stderr,
				"bpf: %zu line probes detached during the run, %zu at its end\n",
				early, st->nheld_live);
	}
	if (st->held_pts) {
		struct bpf_link **l = calloc(st->nheld_pts + 1, sizeof(*l));
		size_t n = 0;

		for (size_t i = 0; i < st->nheld_pts; i++) {
			if (l && st->held_pts[i].link)
				l[n++] = st->held_pts[i].link;
			else if (st->held_pts[i].link)
				bpf_link__destroy(st->held_pts[i].link);
		}
		destroy_links(l, n);
		free(l);
		free(st->held_pts);
		free(st->case_pts);
	}
	t1 = now_ms();
	nfunc_links = st->nlinks;
	destroy_links(st->links, st->nlinks);
	st->nlinks = 0;
	ring_buffer__free(st->rb);
	opentrail_bpf__destroy(st->skel);
	if (st->held && st->verbose)
		fprintf(stderr,
			"bpf: released in %lld ms: line probes %lld ms, %zu function links and "
			"the programs %lld ms\n",
			now_ms() - t0, t1 - t0, nfunc_links, now_ms() - t1);
	free(st->res);
	free(st->unslotted);
	free(st);
}

/* Gives every role that can be attached a program slot. */
static void assign_slots(struct bpf_state *st)
{
	st->nslots = 0;
	for (size_t i = 0; i < st->nres; i++) {
		struct ot_resolved *r = &st->res[i];

		if (r->mode == OT_ATTACH_SKIP)
			continue;
		if (st->nslots == OT_RCP_SLOTS) {
			snprintf(r->why, sizeof(r->why), "more than %d functions in one run",
				 OT_RCP_SLOTS);
			r->mode = OT_ATTACH_SKIP;
			st->unslotted[i] = true;
			continue;
		}
		st->res_of_slot[st->nslots++] = (int)i;
	}
}


/* Loads and attaches O's functions; HELD: for a run of several cases (bpf_hold). */
static int open_new(const struct ot_backend_opts *o, bool held, void **state, char *why,
		    size_t whysz)
{
	struct bpf_state *st = calloc(1, sizeof(*st));
	struct ot_calib calib = {0};
	struct ot_resolve_env env = {0};
	unsigned long long ktext = 0;
	bool any_fentry = false;
	long long t_start = now_ms(), t_loaded;
	unsigned long ring = ring_size();
	const char *records;
	int err = -1;

	libbpf_set_print(o->verbose ? libbpf_verbose : libbpf_warnings);
	if (!st || !(st->res = calloc(o->nfuncs + 1, sizeof(*st->res))) ||
	    !(st->unslotted = calloc(o->nfuncs + 1, sizeof(*st->unslotted)))) {
		snprintf(why, whysz, "out of memory");
		goto cleanup;
	}
	st->log = o->log;
	st->nres = o->nfuncs;
	st->lines = o->lines;
	st->held = held;
	if (!ring) {
		snprintf(
		    why, whysz,
		    "OPENTRAIL_BPF_RINGBUF=%s: want a ring buffer size in bytes, a power of two "
		    "from a page to 1 GiB",
		    getenv("OPENTRAIL_BPF_RINGBUF"));
		goto cleanup;
	}

	if (ot_calibrate(&calib, why, whysz))
		goto cleanup;
	env.btf = calib.vmlinux_btf;
	/* Where a BPF program can be preempted, a task preempted inside an fentry/fexit
	 * program keeps it running on its CPU, and the kernel skips the program for every
	 * call made there meanwhile, of any task: the run then cannot pass (missed=).
	 * kprobe programs run with preemption off: they are taken there, unless
	 * OPENTRAIL_BPF_ATTACH=fentry asks for fentry anyway. */
	env.fentry = calib.fentry && (!calib.preemptible || calib.fentry_forced || !calib.kprobes);
	env.kprobes = calib.kprobes;
	env.verbose = o->verbose ? "bpf" : NULL;
	if (ot_resolve(&env, o->funcs, o->nfuncs, st->res, &ktext)) {
		snprintf(why, whysz, "cannot read the kernel's function list (/proc/kallsyms: %s)",
			 strerror(errno));
		goto cleanup;
	}
	if (o->verbose)
		fprintf(stderr, "bpf: BTF yes, fentry %s%s%s, kprobes %s\n",
			calib.fentry	   ? "yes"
			: calib.fentry_off ? "off (OPENTRAIL_BPF_ATTACH=kprobe"
					   : "refused (",
			calib.fentry || calib.fentry_off ? "" : strerror(calib.fentry_err),
			calib.fentry ? "" : ")", calib.kprobes ? "yes" : "no");
	/* Records are built in their task's scratch copy, safe whether or not a BPF
	 * program can be preempted; OPENTRAIL_BPF_RECORDS=ring builds them whole in the
	 * ring instead (the way a task without a copy takes, to test it anywhere). */
	records = getenv("OPENTRAIL_BPF_RECORDS");
	st->ring_direct = records && !strcmp(records, "ring");
	st->preemptible = calib.preemptible;
	if (o->verbose)
		fprintf(stderr, "bpf: %s: %s\n", calib.preempt_how,
			!calib.preemptible ? "fentry/fexit as available"
			: env.fentry
			    ? "fentry/fexit anyway: they skip the calls made on a CPU while a task "
			      "is preempted in the same program (counted: missed=)"
			    : "kprobes, which run with preemption off (a preempted fentry program "
			      "makes the kernel skip other calls; OPENTRAIL_BPF_ATTACH=fentry "
			      "takes it anyway)");
	assign_slots(st);
	for (int s = 0; s < st->nslots; s++)
		any_fentry |= st->res[st->res_of_slot[s]].mode == OT_ATTACH_FENTRY;
	/* held: the cases' line probes are not known yet, the program is loaded for them */
	st->line_prog = st->held || (st->lines && ot_lineplan_placed(st->lines) > 0);

	st->kprobe_shared = libbpf_probe_bpf_helper(BPF_PROG_TYPE_KPROBE,
						    BPF_FUNC_get_attach_cookie, NULL) == 1;
	const char *lines_by = getenv("OPENTRAIL_BPF_LINES");

	st->line_by_addr = !st->kprobe_shared || (lines_by && !strcmp(lines_by, "addr"));
	err = load_skeleton(st, o, ring);
	if (err && st->kprobe_shared) {
		/* a pair of programs per function, as before attach cookies */
		if (o->verbose)
			fprintf(stderr, "bpf: the shared kprobe programs did not load (%s)\n",
				strerror(-err));
		st->kprobe_shared = false;
		err = load_skeleton(st, o, ring);
	}
	if (err && st->held && st->line_prog) {
		/* Held, the line program is loaded on spec: if it is what fails, the
		 * cases' lines are refused when they come. */
		if (o->verbose)
			fprintf(stderr, "bpf: the line program did not load (%s)\n", strerror(-err));
		st->line_prog = false;
		err = load_skeleton(st, o, ring);
	}
	if (err && any_fentry && calib.kprobes) {
		/* One trampoline target the kernel will not take fails the whole load:
		 * kprobes cover the same functions. */
		if (o->verbose)
			fprintf(stderr, "bpf: fentry programs did not load (%s): using kprobes\n",
				strerror(-err));
		for (int s = 0; s < st->nslots; s++) {
			struct ot_resolved *r = &st->res[st->res_of_slot[s]];

			if (r->mode == OT_ATTACH_FENTRY) {
				r->mode = OT_ATTACH_KPROBE;
				snprintf(r->sym, sizeof(r->sym), "%s", r->name);
				snprintf(r->why, sizeof(r->why), "fentry did not load");
			}
		}
		err = load_skeleton(st, o, ring);
	}
	if (err && st->line_prog) {
		/* The line program needs attach cookies to tell the points apart. */
		if (o->verbose)
			fprintf(stderr, "bpf: the line program did not load (%s)\n", strerror(-err));
		refuse_lines(st->lines, NO_LINE_PROG);
		st->line_prog = false;
		err = load_skeleton(st, o, ring);
	}
	if (err) {
		snprintf(why, whysz, "loading the BPF programs failed (%s)%s", strerror(-err),
			 o->verbose ? "" : ": -v shows libbpf's account");
		goto cleanup;
	}
	t_loaded = now_ms();
	for (int s = 0; s < st->nslots; s++)
		attach_slot(st, s);
	if (st->lines) {
		long long t_lines = now_ms();

		attach_lines(st);
		if (o->verbose)
			fprintf(stderr, "bpf: %zu of %zu line probes attached in %lld ms\n",
				st->nline_links, st->lines->n, now_ms() - t_lines);
	}
	if ((o->path_glob || o->errors_only) && !root_attached(st)) {
		snprintf(why, whysz,
			 "the filters find operations by their syscall-level function "
			 "(do_sys_openat2), and none could be attached here (-v says why)");
		err = -1;
		goto cleanup;
	}
	if (o->verbose)
		fprintf(stderr, "bpf: records built %s\n",
			st->ring_direct	  ? "whole in the ring (OPENTRAIL_BPF_RECORDS=ring)"
			: st->cpu_scratch ? "in per-CPU scratch copies (no program can be preempted)"
					  : "in per-task scratch copies (whole in the ring past "
					    "the first " OT_XSTR(OT_BPF_TASKS) " tasks)");
	if (!st->ring_direct && !st->cpu_scratch) {
		/* Without it a freed task's copies stay (unused: keyed by its address)
		 * until the map is full, and later tasks build whole records. */
		struct bpf_link *fr = bpf_program__attach(st->skel->progs.on_task_free);

		if (fr)
			st->link_slot[st->nlinks] = -1, st->links[st->nlinks++] = fr;
		else if (o->verbose)
			fprintf(stderr,
				"bpf: sched_process_free not attached (%s): exited tasks keep "
				"their scratch copies\n",
				strerror(errno));
	}
	if (o->follow_children && o->target > 0) {
		struct bpf_link *fork = bpf_program__attach(st->skel->progs.on_fork);

		if (!fork) {
			snprintf(why, whysz,
				 "cannot follow child processes (sched_process_fork: %s)",
				 strerror(errno));
			err = -1;
			goto cleanup;
		}
		st->link_slot[st->nlinks] = -1;
		st->links[st->nlinks++] = fork;
	}
	if (o->verbose) {
		for (size_t i = 0; i < st->nres; i++)
			ot_resolve_say(&st->res[i], "bpf");
		/* The start gate waits for both: what tracing costs before the first call. */
		fprintf(stderr, "bpf: %d functions loaded in %lld ms, attached in %lld ms%s\n",
			st->nslots, t_loaded - t_start, now_ms() - t_loaded,
			st->kprobe_shared && any_kprobe(st) ? " (the kprobes share one program pair)"
							     : "");
	}
	st->rb = ring_buffer__new(bpf_map__fd(st->skel->maps.events), handle_event, st, NULL);
	if (!st->rb) {
		err = -errno;
		snprintf(why, whysz, "cannot read the BPF ring buffer (%s)", strerror(errno));
		goto cleanup;
	}
	st->ktext = ktext;
	if (st->held) /* each case writes its own, for its functions */
		goto armed_later;
	if (ot_attach_fact_write(o->log, "bpf", st->res, st->nres, ktext) ||
	    (st->lines && ot_lineplan_write_facts(st->lines, o->log))) {
		err = -EIO;
		snprintf(why, whysz, "cannot write the log");
		goto cleanup;
	}
	/* Everything attached: recording starts now, for every function at once. */
	__atomic_store_n(&st->skel->bss->armed, 1, __ATOMIC_SEQ_CST);
armed_later:
	st->drained_ms = now_ms(); /* nothing pending yet: the first drain a while from now */
	*state = st;
	st = NULL;
	err = 0;
cleanup:
	free_state(st);
	ot_calib_free(&calib);
	return err ? -1 : 0;
}

/* The held role named FUNC, or NULL. */
static struct ot_resolved *held_role(struct bpf_state *st, const char *func)
{
	for (size_t i = 0; i < st->nres; i++)
		if (st->res[i].probe && !strcmp(st->res[i].probe->func, func))
			return &st->res[i];
	return NULL;
}

static unsigned long kprobe_misses(const struct bpf_state *st);
static unsigned long prog_misses(const struct bpf_state *st);

/* A case on the held programs: its functions' slots on, for its process. Returns 1
 * when the held set does not cover the case as its own load would (a function not
 * held, or left out for want of a slot): the case then loads its own. */
static int held_open(struct bpf_state *st, const struct ot_backend_opts *o, char *why,
		     size_t whysz)
{
	struct ot_resolved *sub = calloc(o->nfuncs + 1, sizeof(*sub));
	int err = -1;

	/* No detaching while a case is traced, held or loading its own. */
	if (st->detacher)
		ot_bgqueue_pause(st->detacher);
	if (!sub) {
		snprintf(why, whysz, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < o->nfuncs; i++) {
		const struct ot_resolved *r = held_role(st, o->funcs[i]);

		if (!r || st->unslotted[r - st->res]) {
			free(sub);
			return 1;
		}
		sub[i] = *r;
	}
	if (o->path_glob || o->errors_only || o->follow_children) {
		free(sub);
		return 1; /* rodata of their own */
	}
	st->log = o->log;
	st->verbose = o->verbose;
	st->records = 0;
	st->skel->bss->lost = 0;
	st->lines = o->lines;
	for (int s = 0; s < st->nslots; s++) {
		const struct ot_resolved *r = &st->res[st->res_of_slot[s]];
		bool on = false;

		for (size_t i = 0; i < o->nfuncs && !on; i++)
			on = r->mode != OT_ATTACH_SKIP && !strcmp(r->probe->func, o->funcs[i]);
		st->skel->bss->slot_on[s] = on;
	}
	long long t0 = now_ms();
	if (st->lines) {
		if (st->line_prog && (st->held_pts || (st->held_pts = calloc(OT_BPF_LINE_IDS,
									       sizeof(*st->held_pts)))))
			attach_held_lines(st);
		else
			refuse_lines(st->lines, st->line_prog ? "out of memory" : NO_LINE_PROG);
	}
	if (ot_attach_fact_write(o->log, "bpf", sub, o->nfuncs, st->ktext) ||
	    (st->lines && ot_lineplan_write_facts(st->lines, o->log))) {
		snprintf(why, whysz, "cannot write the log");
		goto out;
	}
	if (o->verbose && st->lines)
		fprintf(stderr, "bpf: %zu of %zu line probes attached in %lld ms\n", st->nline_links,
			st->lines->n, now_ms() - t0);
	st->missed0 = kprobe_misses(st) + prog_misses(st);
	st->skel->bss->targ_tgid = (__u32)o->target;
	__atomic_store_n(&st->skel->bss->armed, 1, __ATOMIC_SEQ_CST);
	st->drained_ms = now_ms();
	err = 0;
out:
	free(sub);
	return err;
}

static int bpf_open(const struct ot_backend_opts *o, void **state, char *why, size_t whysz)
{
	if (o->held) {
		int r = held_open(o->held, o, why, whysz);

		if (r <= 0) {
			*state = r ? NULL : o->held;
			return r;
		}
		if (o->verbose)
			fprintf(stderr, "bpf: this case's functions are not all held: loading "
					"its own\n");
	}
	return open_new(o, false, state, why, whysz);
}

/* The union of a run's functions, loaded and attached once, recording nothing until
 * a case switches its own on. */
static int bpf_hold(const struct ot_backend_opts *o, void **held, char *why, size_t whysz)
{
	long long t0 = now_ms();
	int err = open_new(o, true, held, why, whysz);

	if (!err && o->verbose)
		fprintf(stderr, "bpf: the run's %zu functions loaded and attached in %lld ms\n",
			o->nfuncs, now_ms() - t0);
	return err;
}

/* Does the list of line sets LATER[0..N) ("f,g|h" each) name function OF? */
static bool named_later(const char *of, const char *const *later, size_t n)
{
	size_t len = strlen(of);

	for (size_t i = 0; i < n; i++)
		for (const char *s = later[i]; s && *s;) {
			size_t k = strcspn(s, ",|");

			if (k == len && !strncmp(s, of, len))
				return true;
			s += k + (s[k] != '\0');
		}
	return false;
}

/* Between two cases: the held points of functions no later case's line set names
 * go to the detacher, which works until the next case opens. */
static void bpf_retire(void *held, const char *const *later, size_t n)
{
	struct bpf_state *st = held;

	if (!st || !st->held_pts)
		return;
	if (!st->detacher && !(st->detacher = ot_bgqueue_new(destroy_link, held_detached, st)))
		return; /* no thread: everything is detached at the end */
	ot_bgqueue_pause(st->detacher);
	for (size_t g = 0; g < st->nheld_pts; g++) {
		struct held_point *h = &st->held_pts[g];

		if (!h->link || h->retiring || h->shared || !*h->of || named_later(h->of, later, n))
			continue;
		if (!ot_bgqueue_add(st->detacher, h->link, g))
			break;
		h->link = NULL;
		h->retiring = true;
	}
	ot_bgqueue_resume(st->detacher);
}

static void bpf_release(void *held)
{
	struct bpf_state *st = held;

	if (st)
		__atomic_store_n(&st->skel->bss->armed, 0, __ATOMIC_SEQ_CST);
	free_state(st);
}

static int bpf_poll(void *state, int timeout_ms)
{
	struct bpf_state *st = state;
	unsigned long before = st->records;
	int err = ring_buffer__poll(st->rb, timeout_ms);
	long long now = now_ms();

	/* The BPF side wakes the reader only when much is pending: take what came
	 * without a wakeup too, now and then. */
	if (err > 0)
		st->drained_ms = now;
	else if ((err == 0 || err == -EINTR) && now - st->drained_ms >= DRAIN_EVERY_MS) {
		st->drained_ms = now;
		err = ring_buffer__consume(st->rb);
	}
	if (err < 0 && err != -EINTR)
		return -1;
	return (int)(st->records - before);
}

/* Held: does program PROG belong to a slot the current case has on (or is it the
 * line program, which only the case's points reach)? A skip of another function's
 * program cannot hide a call of the case's (the shared kprobe pair belongs to every
 * kprobe'd slot: its skips count whenever the case has a slot on). */
static bool counts_for_case(const struct bpf_state *st, const struct bpf_program *prog)
{
	struct bpf_program *p[4];

	if (!st->held || prog == line_program(st))
		return true;
	for (int s = 0; s < st->nslots; s++) {
		if (!st->skel->bss->slot_on[s])
			continue;
		slot_progs(st, s, p);
		for (int k = 0; k < 4; k++)
			if (p[k] == prog)
				return true;
	}
	return false;
}

/* Runs of the programs the kernel skipped. A BPF program does not run while the
 * same program is already running on that CPU: nested in an interrupt, or, where
 * a BPF program can be preempted (preempt=full or lazy, PREEMPT_RT), while another
 * task sits preempted inside it. A skip comes before the program's pid filter: it
 * may be a call of any process, a traced one among them (or, for on_fork, a
 * process not followed), so the run cannot say it lost nothing. The kernel counts
 * them per program (bpf_prog_info.recursion_misses, 5.12 on; trampolines skip
 * nothing before). on_task_free only frees scratch copies: its skips lose nothing. */
static unsigned long prog_misses(const struct bpf_state *st)
{
	struct bpf_program *prog;
	unsigned long n = 0;

	bpf_object__for_each_program(prog, st->skel->obj)
	{
		struct bpf_prog_info info;
		__u32 len = sizeof(info);
		int fd = bpf_program__fd(prog);

		memset(&info, 0, sizeof(info));
		if (fd < 0 || prog == st->skel->progs.on_task_free || !counts_for_case(st, prog) ||
		    bpf_obj_get_info_by_fd(fd, &info, &len))
			continue;
		n += info.recursion_misses;
	}
	return n;
}

/* struct bpf_link_info as the uapi of 6.7 on lays out a kprobe's perf link (older
 * headers, this build machine's among them, do not have it): perf_event.type at
 * 16 and perf_event.kprobe.missed at 48. */
struct kprobe_link_info {
	__u32 type, id, prog_id, pad;
	__u32 pe_type, pad2;
	__u64 func_name;
	__u32 name_len, offset;
	__u64 addr;
	__u64 missed;
	__u64 cookie;
};
_Static_assert((OT_BPF_STR_MAX & (OT_BPF_STR_MAX - 1)) == 0,
	       "the BPF programs bound string reads with OT_BPF_STR_MAX - 1 as a mask");
_Static_assert(__builtin_offsetof(struct kprobe_link_info, missed) == 48,
	       "bpf_link_info.perf_event.kprobe.missed");

#define OT_LINK_TYPE_PERF_EVENT	     7 /* BPF_LINK_TYPE_PERF_EVENT */
#define OT_PERF_EVENT_KPROBE	     3 /* BPF_PERF_EVENT_KPROBE */
#define OT_PERF_EVENT_KRETPROBE	     4

/* Hits of the kprobes and kretprobes whose handler did not run: a kprobe hit
 * while another ran on that CPU, a return with no kretprobe instance free
 * (maxactive). Like a program's skip, it may be any process's call. Read from
 * the links before they go (6.7 on; 0 where the kernel does not say). */
static unsigned long kprobe_misses(const struct bpf_state *st)
{
	unsigned long n = 0;

	for (size_t i = 0; i < st->nlinks; i++) {
		struct kprobe_link_info info;
		__u32 len = sizeof(info);
		int fd = bpf_link__fd(st->links[i]);

		/* held: only the links of the case's own functions (see counts_for_case) */
		if (st->held && (st->link_slot[i] < 0 || !st->skel->bss->slot_on[st->link_slot[i]]))
			continue;

		memset(&info, 0, sizeof(info));
		if (fd < 0 || bpf_obj_get_info_by_fd(fd, &info, &len) ||
		    info.type != OT_LINK_TYPE_PERF_EVENT || len < sizeof(info) ||
		    (info.pe_type != OT_PERF_EVENT_KPROBE && info.pe_type != OT_PERF_EVENT_KRETPROBE))
			continue;
		n += info.missed;
	}
	return n;
}

/* The end of a case on the held programs: its line probes go, its slots are
 * switched off, what it recorded is drained; the functions stay attached. */
static int held_close(struct bpf_state *st, struct ot_backend_stats *stats)
{
	int err = 0;

	if (stats) {
		unsigned long now = kprobe_misses(st) + prog_misses(st);

		stats->missed = now > st->missed0 ? now - st->missed0 : 0;
	}
	for (size_t i = 0; i < st->ncase_pts; i++)
		st->skel->bss->line_local[st->case_pts[i]] = 0;
	st->ncase_pts = 0;
	st->nline_links = 0;
	if (ring_buffer__consume(st->rb) < 0)
		err = -1;
	for (int s = 0; s < st->nslots; s++)
		st->skel->bss->slot_on[s] = 0;
	if (stats) {
		stats->records = st->records;
		stats->lost = st->skel->bss->lost;
	}
	if (st->log)
		fflush(st->log);
	st->log = NULL;
	st->lines = NULL;
	return err;
}

static int bpf_close(void *state, struct ot_backend_stats *stats)
{
	struct bpf_state *st = state;
	int err = 0;

	if (!st)
		return 0;
	/* Stop recording for every function at once (as it started), then detach, so
	 * that the drain below reaches a true end. */
	__atomic_store_n(&st->skel->bss->armed, 0, __ATOMIC_SEQ_CST);
	if (st->held)
		return held_close(st, stats);
	if (stats)
		stats->missed = kprobe_misses(st);
	destroy_links(st->links, st->nlinks);
	st->nlinks = 0;
	if (ring_buffer__consume(st->rb) < 0)
		err = -1;
	if (stats) {
		stats->records = st->records;
		stats->missed += prog_misses(st);
		stats->lost = st->skel->bss->lost;
		stats->filtered_out = st->skel->bss->filtered_out;
		stats->filter_overflows = st->skel->bss->filter_overflows;
		stats->filter_path_unread = st->skel->bss->filter_path_unread;
	}
	fflush(st->log);
	free_state(st);
	return err;
}

const struct ot_backend ot_backend_bpf = {
    .name = "bpf",
    .open = bpf_open,
    .poll = bpf_poll,
    .close = bpf_close,
    .hold = bpf_hold,
    .release = bpf_release,
    .retire = bpf_retire,
};
