// SPDX-License-Identifier: MIT
/* errno_eprotonosupport_inet_udp -- EPROTONOSUPPORT: a stream socket over UDP.
 *
 * Setup: nothing but the (empty) case directory.
 *
 * Operations, in order (seq = user.fact seq; op#N = the N-th __sys_socket):
 *   seq 1  socket(AF_INET, SOCK_STREAM, IPPROTO_UDP)  -> -1 EPROTONOSUPPORT    op#1
 *
 * Why: __sock_create allocates the socket and calls the family's create,
 * inet_create (net/ipv4/af_inet.c), which searches the protocols registered for
 * SOCK_STREAM (TCP only): none is UDP, nor a wildcard, so err = -EPROTONOSUPPORT;
 * it asks for a module twice (request_module, net-pf-2-proto-17-type-1) and
 * searches again before it gives up.
 */
#include <netinet/in.h>
#include <sys/socket.h>

#include "triggers/trigger.h"

static void operations(struct trig *t)
{
	trig_close_unexpected(trig_op_socket(t, AF_INET, SOCK_STREAM, IPPROTO_UDP));
}

int main(int argc, char **argv)
{
	static const struct trig_case c = {"errno_eprotonosupport_inet_udp", NULL, operations, NULL};

	return trig_main(&c, argc, argv);
}
