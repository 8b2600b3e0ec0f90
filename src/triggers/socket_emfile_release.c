// SPDX-License-Identifier: MIT
/* socket_emfile_release -- the socket puzzle: socket() fails with EMFILE after the
 * socket and its sock were made. Is everything released, nothing leaked?
 *
 * Setup: the soft RLIMIT_NOFILE is lowered to L, the lowest descriptor number not
 * in use, so that every descriptor below the limit is taken (0-2, the gate's 3
 * and 4).
 *
 * Operations, in order (seq = user.fact seq; op#N = the N-th __sys_socket):
 *   seq 1  socket(AF_INET, SOCK_STREAM, 0)  -> -1 EMFILE    op#1
 *
 * Cleanup (after the D gate): the limit is set back.
 *
 * Why: __sys_socket (net/socket.c) creates the socket first (__sock_create ->
 * sock_alloc, then inet_create makes its struct sock) and only then asks for a
 * descriptor: sock_map_fd -> get_unused_fd_flags -> alloc_fd returns -EMFILE, so
 * sock_map_fd calls sock_release(sock): inet_release closes the sock
 * (tcp_close), the last reference frees it (sk_free), and iput() drops the
 * socket's inode. No file is made, nothing is installed in the fd table.
 */
#include <netinet/in.h>
#include <sys/socket.h>

#include "triggers/trigger.h"

static int setup(struct trig *t)
{
	return trig_fds_exhaust(t);
}

static void operations(struct trig *t)
{
	trig_close_unexpected(trig_op_socket(t, AF_INET, SOCK_STREAM, 0));
}

static int cleanup(struct trig *t)
{
	return trig_fds_restore(t);
}

int main(int argc, char **argv)
{
	static const struct trig_case c = {"socket_emfile_release", setup, operations, cleanup};

	return trig_main(&c, argc, argv);
}
