// SPDX-License-Identifier: MIT
/* errno_einval_socket_type -- EINVAL: socket() of an unknown type.
 *
 * Setup: nothing but the (empty) case directory.
 *
 * Operations, in order (seq = user.fact seq; op#N = the N-th __sys_socket):
 *   seq 1  socket(AF_INET, 11, 0)  -> -1 EINVAL    op#1
 *
 * Why: 11 is within SOCK_TYPE_MASK (0xf) and carries no SOCK_CLOEXEC or
 * SOCK_NONBLOCK bit, so __sys_socket lets it through; __sock_create
 * (net/socket.c) refuses a type at or above SOCK_MAX (SOCK_PACKET + 1 = 11) with
 * -EINVAL.
 */
#include <sys/socket.h>

#include "triggers/trigger.h"

#define UNKNOWN_TYPE 11

static void operations(struct trig *t)
{
	trig_close_unexpected(trig_op_socket(t, AF_INET, UNKNOWN_TYPE, 0));
}

int main(int argc, char **argv)
{
	static const struct trig_case c = {"errno_einval_socket_type", NULL, operations, NULL};

	return trig_main(&c, argc, argv);
}
