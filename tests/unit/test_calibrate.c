// SPDX-License-Identifier: MIT
/* Whether a BPF program can be preempted on this kernel: where it can, fentry/fexit
 * skip calls, which -v says (and the run counts as missed: src/bpf/opentrail.c). */
#include "probe/calibrate.h"
#include "testlib.h"

static bool preemptible(const char *ver, const char *sched, const char *cmdline)
{
	char how[96];

	return ot_calib_preemptible(ver, sched, cmdline, how, sizeof(how));
}

TEST(calib_preemption_model)
{
	/* Debian's 5.10 cloud kernel: voluntary, nothing in the version string. */
	CHECK(!preemptible("#1 SMP Debian 5.10.244-1 (2025-09-29)", NULL, NULL));
	/* 6.x: dynamic, voluntary by default, full or lazy on request. */
	CHECK(!preemptible("#1 SMP PREEMPT_DYNAMIC Debian 6.1.158-1 (2025-11-09)",
			   "none (voluntary) full\n", "root=/dev/vda ro"));
	CHECK(preemptible("#1 SMP PREEMPT_DYNAMIC Debian 6.1.158-1 (2025-11-09)",
			  "none voluntary (full)\n", NULL));
	CHECK(preemptible("#1 SMP PREEMPT_DYNAMIC Debian 7.2.13-1", "none voluntary full (lazy)\n",
			  NULL));
	/* No debugfs: the command line, else unknown, which counts as preemptible. */
	CHECK(preemptible("#1 SMP PREEMPT_DYNAMIC Debian 6.12.118-1", NULL,
			  "BOOT_IMAGE=/vmlinuz preempt=full quiet"));
	CHECK(!preemptible("#1 SMP PREEMPT_DYNAMIC Debian 6.12.118-1", NULL,
			   "BOOT_IMAGE=/vmlinuz preempt=voluntary"));
	CHECK(!preemptible("#1 SMP PREEMPT_DYNAMIC Debian 6.12.118-1", NULL,
			   "nopreempt=full preempt=none"));
	CHECK(preemptible("#1 SMP PREEMPT_DYNAMIC Debian 6.12.118-1", NULL, "quiet"));
	/* Real time and static full preemption. */
	CHECK(preemptible("#1 SMP PREEMPT_RT Debian 6.12.118-1", "none (voluntary) full", NULL));
	CHECK(preemptible("#1 SMP PREEMPT Debian 6.1.0", NULL, NULL));
	CHECK(preemptible(NULL, NULL, NULL));
}
