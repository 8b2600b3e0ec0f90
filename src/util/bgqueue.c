// SPDX-License-Identifier: MIT
/* Work done by a background thread while the caller allows it (see bgqueue.h). */
#include "util/bgqueue.h"

#include <pthread.h>
#include <stdlib.h>

struct item {
	void *item;
	size_t tag;
};

struct ot_bgqueue {
	pthread_t th[OT_BGQUEUE_THREADS];
	int nth;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	void (*work)(void *item);
	void (*done)(void *ctx, size_t tag);
	void *ctx;
	struct item *q; /* q[head..n) queued */
	size_t head, n, cap;
	size_t finished;
	int busy; /* threads inside WORK */
	bool paused, stop;
};

static void *work_loop(void *arg)
{
	struct ot_bgqueue *d = arg;

	pthread_mutex_lock(&d->mu);
	for (;;) {
		struct item it;

		while (!d->stop && (d->paused || d->head == d->n))
			pthread_cond_wait(&d->cv, &d->mu);
		if (d->stop)
			break;
		it = d->q[d->head++];
		d->busy++;
		pthread_mutex_unlock(&d->mu);
		d->work(it.item);
		pthread_mutex_lock(&d->mu);
		d->done(d->ctx, it.tag);
		d->finished++;
		d->busy--;
		pthread_cond_broadcast(&d->cv); /* a pause() waiting for this one */
	}
	pthread_mutex_unlock(&d->mu);
	return NULL;
}

struct ot_bgqueue *ot_bgqueue_new(void (*work)(void *item), void (*done)(void *ctx, size_t tag),
				  void *ctx)
{
	struct ot_bgqueue *d = calloc(1, sizeof(*d));

	if (!d)
		return NULL;
	d->work = work;
	d->done = done;
	d->ctx = ctx;
	d->paused = true;
	pthread_mutex_init(&d->mu, NULL);
	pthread_cond_init(&d->cv, NULL);
	while (d->nth < OT_BGQUEUE_THREADS && !pthread_create(&d->th[d->nth], NULL, work_loop, d))
		d->nth++;
	if (!d->nth) {
		pthread_cond_destroy(&d->cv);
		pthread_mutex_destroy(&d->mu);
		free(d);
		return NULL;
	}
	return d;
}

bool ot_bgqueue_add(struct ot_bgqueue *d, void *item, size_t tag)
{
	bool ok = true;

	pthread_mutex_lock(&d->mu);
	if (d->head > 0 && d->head == d->n)
		d->head = d->n = 0;
	if (d->n == d->cap) {
		size_t cap = d->cap ? 2 * d->cap : 64;
		struct item *q = realloc(d->q, cap * sizeof(*q));

		if (q) {
			d->q = q;
			d->cap = cap;
		} else {
			ok = false;
		}
	}
	if (ok)
		d->q[d->n++] = (struct item){item, tag};
	pthread_cond_broadcast(&d->cv);
	pthread_mutex_unlock(&d->mu);
	return ok;
}

void ot_bgqueue_pause(struct ot_bgqueue *d)
{
	pthread_mutex_lock(&d->mu);
	d->paused = true;
	while (d->busy)
		pthread_cond_wait(&d->cv, &d->mu);
	pthread_mutex_unlock(&d->mu);
}

void ot_bgqueue_resume(struct ot_bgqueue *d)
{
	pthread_mutex_lock(&d->mu);
	d->paused = false;
	pthread_cond_broadcast(&d->cv);
	pthread_mutex_unlock(&d->mu);
}

size_t ot_bgqueue_take(struct ot_bgqueue *d, void **items, size_t *tags, size_t max)
{
	size_t k = 0;

	pthread_mutex_lock(&d->mu);
	while (d->head < d->n && k < max) {
		items[k] = d->q[d->head].item;
		tags[k++] = d->q[d->head++].tag;
	}
	pthread_mutex_unlock(&d->mu);
	return k;
}

size_t ot_bgqueue_done(struct ot_bgqueue *d)
{
	size_t n;

	pthread_mutex_lock(&d->mu);
	n = d->finished;
	pthread_mutex_unlock(&d->mu);
	return n;
}

void ot_bgqueue_free(struct ot_bgqueue *d)
{
	if (!d)
		return;
	pthread_mutex_lock(&d->mu);
	d->stop = true;
	pthread_cond_broadcast(&d->cv);
	pthread_mutex_unlock(&d->mu);
	for (int k = 0; k < d->nth; k++)
		pthread_join(d->th[k], NULL);
	pthread_cond_destroy(&d->cv);
	pthread_mutex_destroy(&d->mu);
	free(d->q);
	free(d);
}
