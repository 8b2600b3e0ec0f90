// SPDX-License-Identifier: MIT
/* The background queue (src/util/bgqueue.h): nothing runs while paused, pause()
 * waits for the items in progress, take() returns what was left. */
#include <stdatomic.h>
#include <stdint.h>
#include <time.h>

#include "testlib.h"
#include "util/bgqueue.h"

static atomic_int running; /* items inside work() now */
static atomic_int worked;  /* items work() finished */
static int done_tags[64];  /* DONE's record, in the caller's memory */
static size_t ndone;

static void nap_ms(long ms)
{
	struct timespec ts = {0, ms * 1000000L};

	nanosleep(&ts, NULL);
}

static void slow_work(void *item)
{
	(void)item;
	atomic_fetch_add(&running, 1);
	nap_ms(5);
	atomic_fetch_add(&worked, 1);
	atomic_fetch_sub(&running, 1);
}

static void record_done(void *ctx, size_t tag)
{
	(void)ctx;
	if (ndone < 64)
		done_tags[ndone++] = (int)tag;
}

TEST(bgqueue_runs_only_between_resume_and_pause)
{
	struct ot_bgqueue *q = ot_bgqueue_new(slow_work, record_done, NULL);
	void *items[64];
	size_t tags[64], n, seen;

	CHECK(q != NULL);
	if (!q)
		return;
	for (size_t i = 0; i < 40; i++)
		CHECK(ot_bgqueue_add(q, (void *)(uintptr_t)(i + 1), i));
	nap_ms(30); /* created paused: nothing may run */
	CHECK_INT(atomic_load(&worked), 0);
	ot_bgqueue_resume(q);
	while (atomic_load(&worked) < 3)
		nap_ms(1);
	ot_bgqueue_pause(q);
	/* once pause() returns, no item is in progress and none starts */
	CHECK_INT(atomic_load(&running), 0);
	seen = (size_t)atomic_load(&worked);
	CHECK_INT(ot_bgqueue_done(q), seen);
	CHECK_INT(ndone, seen); /* every finished item reported before pause() returned */
	nap_ms(30);
	CHECK_INT(atomic_load(&worked), (long long)seen);
	/* the first SEEN items of the queue, each once (the threads finish in any order) */
	{
		int hit[64] = {0};

		for (size_t k = 0; k < ndone; k++)
			if (done_tags[k] >= 0 && done_tags[k] < (int)seen)
				hit[done_tags[k]]++;
		for (size_t k = 0; k < seen; k++)
			CHECK_INT(hit[k], 1);
	}
	n = ot_bgqueue_take(q, items, tags, 64);
	CHECK_INT(n + seen, 40);
	CHECK_INT(tags[0], seen);
	CHECK((uintptr_t)items[0] == seen + 1);
	/* empty now: resuming does nothing, freeing stops the thread */
	ot_bgqueue_resume(q);
	nap_ms(20);
	CHECK_INT(atomic_load(&worked), (long long)seen);
	ot_bgqueue_free(q);
}
