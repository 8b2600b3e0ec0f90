// SPDX-License-Identifier: MIT
/* errno_eafnosupport_family -- EAFNOSUPPORT: socket() of an unknown family.
 *
 * Setup: nothing but the (empty) case directory.
 *
 * Operations, in order (seq = user.fact seq; op#N = the N-th __sys_socket):
 *   seq 1  socket(255, SOCK_STREAM, 0)  -> -1 EAFNOSUPPORT    op#1
 *
 * Why: __sock_create (net/socket.c) refuses a family at or above NPROTO (AF_MAX,
 * 46 on 6.1) with -EAFNOSUPPORT before allocating anything.
 */
#include <sys/socket.h>

#include "triggers/trigger.h"

#define UNKNOWN_FAMILY 255

static void operations(struct trig *t)
{
	trig_close_unexpected(trig_op_socket(t, UNKNOWN_FAMILY, SOCK_STREAM, 0));
}

int main(int argc, char **argv)
{
	static const struct trig_case c = {"errno_eafnosupport_family", NULL, operations, NULL};

	return trig_main(&c, argc, argv);
}
