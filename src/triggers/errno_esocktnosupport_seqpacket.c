// SPDX-License-Identifier: MIT
/* errno_esocktnosupport_seqpacket -- ESOCKTNOSUPPORT: a socket type the family has
 * no protocol for.
 *
 * Setup: nothing but the (empty) case directory.
 *
 * Operations, in order (seq = user.fact seq; op#N = the N-th __sys_socket):
 *   seq 1  socket(AF_INET, SOCK_SEQPACKET, 0)  -> -1 ESOCKTNOSUPPORT    op#1
 *
 * Why: SOCK_SEQPACKET (5) is a valid type, so __sock_create calls the family's
 * create; inet_create (net/ipv4/af_inet.c) starts with err = -ESOCKTNOSUPPORT and
 * finds nothing registered for that type in inetsw[] (only SCTP would be, and with
 * its own protocol number), asks for a module twice, and returns it. The man page
 * does not list ESOCKTNOSUPPORT for socket(2); the kernel returns it.
 */
#include <sys/socket.h>

#include "triggers/trigger.h"

static void operations(struct trig *t)
{
	trig_close_unexpected(trig_op_socket(t, AF_INET, SOCK_SEQPACKET, 0));
}

int main(int argc, char **argv)
{
	static const struct trig_case c = {"errno_esocktnosupport_seqpacket", NULL, operations,
					   NULL};

	return trig_main(&c, argc, argv);
}
