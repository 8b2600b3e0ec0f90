// SPDX-License-Identifier: MIT
/* errno_eperm_raw_socket -- EPERM: a raw socket without CAP_NET_RAW.
 *
 * Setup: the trigger becomes uid/gid 65534 (no capabilities left).
 *
 * Operations, in order (seq = user.fact seq; op#N = the N-th __sys_socket):
 *   seq 1  socket(AF_INET, SOCK_RAW, IPPROTO_ICMP)  -> -1 EPERM    op#1
 *
 * Cleanup (after the D gate): back to root.
 *
 * Why: __sock_create allocates the socket and calls inet_create
 * (net/ipv4/af_inet.c), which finds the raw protocol and refuses a SOCK_RAW
 * socket to a caller without CAP_NET_RAW in its network namespace: -EPERM; the
 * socket is released.
 */
#include <netinet/in.h>
#include <sys/socket.h>

#include "triggers/trigger.h"

#define NOBODY 65534

static struct trig_cred saved;

static int setup(struct trig *t)
{
	return trig_switch_ids(t, NOBODY, NOBODY, &saved);
}

static void operations(struct trig *t)
{
	trig_close_unexpected(trig_op_socket(t, AF_INET, SOCK_RAW, IPPROTO_ICMP));
}

static int cleanup(struct trig *t)
{
	return trig_restore_ids(t, &saved);
}

int main(int argc, char **argv)
{
	static const struct trig_case c = {"errno_eperm_raw_socket", setup, operations, cleanup};

	return trig_main(&c, argc, argv);
}
