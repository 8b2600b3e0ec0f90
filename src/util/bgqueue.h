/* SPDX-License-Identifier: MIT */
/* Work done by background threads while the caller allows it: items queued, each
 * handed to WORK on a thread, only between resume() and pause(). The BPF backend
 * detaches with it, while no case is traced, the line probes no later case needs
 * (detaching a kprobe waits for RCU grace periods, one probe after the other). */
#ifndef OT_UTIL_BGQUEUE_H
#define OT_UTIL_BGQUEUE_H

#include <stdbool.h>
#include <stddef.h>

struct ot_bgqueue;

/* Threads taking items: a WORK that mostly waits (a grace period) overlaps. */
#define OT_BGQUEUE_THREADS 8

/* WORK(ITEM) runs on one of the threads, each item once; then DONE(CTX, TAG), before pause() can
 * return: what DONE changes is the caller's once pause() has returned. The queue starts paused.
 * NULL if no thread can be started. */
struct ot_bgqueue *ot_bgqueue_new(void (*work)(void *item), void (*done)(void *ctx, size_t tag),
				  void *ctx);
/* ITEM (with TAG for DONE) queued. Returns false when out of memory: the caller
 * keeps ITEM. */
bool ot_bgqueue_add(struct ot_bgqueue *q, void *item, size_t tag);
/* Returns once no WORK is in progress; none starts until resume(). */
void ot_bgqueue_pause(struct ot_bgqueue *q);
void ot_bgqueue_resume(struct ot_bgqueue *q);
/* The items still queued, removed from the queue (their tags in TAGS), for the
 * caller to finish. Returns how many (at most MAX). */
size_t ot_bgqueue_take(struct ot_bgqueue *q, void **items, size_t *tags, size_t max);
/* Items the threads have finished. */
size_t ot_bgqueue_done(struct ot_bgqueue *q);
/* Stops the threads after the WORK in progress; items still queued are dropped
 * (take() them first). */
void ot_bgqueue_free(struct ot_bgqueue *q);

#endif
