// SPDX-License-Identifier: MIT
/* socket_inet_stream -- socket(AF_INET, SOCK_STREAM, 0).
 *
 * Setup: nothing but the (empty) case directory.
 *
 * Operations, in order (user.fact seq = op number):
 *   op#1  socket(AF_INET, SOCK_STREAM, 0)  -> fd >= 0   (extra fields family=2 type=1 protocol=0)
 *   op#2  close(fd)                        -> 0
 *
 * Why: one socket() call shows the chain sock_alloc -> inet_create ->
 * sock_alloc_file -> fd_install: the same struct socket is allocated, given its
 * sk by inet_create, wrapped in a file and installed at the fd the user gets.
 */
#include <sys/socket.h>

#include "triggers/trigger.h"

static void operations(struct trig *t)
{
	trig_op_close_opened(t, trig_op_socket(t, AF_INET, SOCK_STREAM, 0));
}

int main(int argc, char **argv)
{
	static const struct trig_case c = {"socket_inet_stream", NULL, operations, NULL};

	return trig_main(&c, argc, argv);
}
