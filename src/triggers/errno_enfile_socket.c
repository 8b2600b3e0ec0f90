// SPDX-License-Identifier: MIT
/* errno_enfile_socket -- ENFILE from socket(): no struct file for the new socket.
 *
 * Setup: 256 files held open (see errno_enfile_file_max), fs.file-max is lowered
 * to 1, then the trigger becomes uid/gid 65534 (the limit does not apply to
 * CAP_SYS_ADMIN).
 *
 * Operations, in order (seq = user.fact seq; op#N = the N-th __sys_socket):
 *   seq 1  socket(AF_INET, SOCK_STREAM, 0)  -> -1 ENFILE    op#1
 *
 * Cleanup (after the D gate): back to root, fs.file-max set back.
 *
 * Why: the socket and its sock are made (sock_alloc, inet_create: no file is
 * needed for them), the descriptor is reserved, then sock_alloc_file asks
 * alloc_empty_file (fs/file_table.c, through alloc_file_pseudo) for the struct
 * file and gets ERR_PTR(-ENFILE); sock_alloc_file releases the socket. The limit
 * is the whole machine's: this case is for the lab guest.
 */
#include <netinet/in.h>
#include <sys/socket.h>

#include "triggers/trigger.h"

static struct trig_enfile enfile;

static int setup(struct trig *t)
{
	return trig_enfile_begin(t, &enfile);
}

static void operations(struct trig *t)
{
	trig_close_unexpected(trig_op_socket(t, AF_INET, SOCK_STREAM, 0));
}

static int cleanup(struct trig *t)
{
	return trig_enfile_end(t, &enfile);
}

int main(int argc, char **argv)
{
	static const struct trig_case c = {"errno_enfile_socket", setup, operations, cleanup};

	return trig_main(&c, argc, argv);
}
