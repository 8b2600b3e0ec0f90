/* SPDX-License-Identifier: MIT */
/* The start gate (docs/trigger-protocol.md), as both sides see it: the runner
 * (src/live/case_run.c) and every trigger (src/triggers/trigger.c). A trigger
 * writes R when its setup is done and D when its operations are, on the ready
 * descriptor; the runner answers each with one G on the gate descriptor. */
#ifndef OT_LIVE_GATE_H
#define OT_LIVE_GATE_H

#define OT_GATE_READY_FD 3   /* the trigger writes "R\n", later "D\n" */
#define OT_GATE_FD	 4   /* the runner writes one 'G' for each gate */
#define OT_GATE_READY	 'R' /* setup done, waiting for the probes */
#define OT_GATE_DONE	 'D' /* operations done, waiting for the probes to stop */
#define OT_GATE_GO	 'G'

#endif
