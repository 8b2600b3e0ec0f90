/* SPDX-License-Identifier: MIT */
/* The record layout shared by the BPF side (opentrail.bpf.c) and the user side
 * (opentrail.c): one stream of typed records through a BPF ring buffer. */
#ifndef OT_BPF_OPENTRAIL_H
#define OT_BPF_OPENTRAIL_H

/* Every kernel function the BPF side has programs for, in one list so that the
 * function ids, the program names and the user side's table cannot drift apart.
 * Names are the probe dictionary's (src/cases/probes.c). */
#define OT_BPF_FUNCS(X)                                                                            \
	X(do_sys_openat2)                                                                          \
	X(getname)                                                                                 \
	X(getname_flags)                                                                           \
	X(do_filp_open)                                                                            \
	X(path_openat)                                                                             \
	X(link_path_walk)                                                                          \
	X(open_last_lookups)                                                                       \
	X(do_open)                                                                                 \
	X(step_into)                                                                               \
	X(pick_link)                                                                               \
	X(lookup_open)                                                                             \
	X(d_lookup)                                                                                \
	X(__d_lookup)                                                                              \
	X(__d_lookup_rcu)                                                                          \
	X(d_alloc_parallel)                                                                        \
	X(__d_alloc)                                                                               \
	X(__d_add)                                                                                 \
	X(d_splice_alias)                                                                          \
	X(d_add)                                                                                   \
	X(atomic_open)                                                                             \
	X(vfs_create)                                                                              \
	X(__d_lookup_done)                                                                         \
	X(__d_lookup_unhash_wake)                                                                  \
	X(may_open)                                                                                \
	X(inode_permission)                                                                        \
	X(generic_permission)                                                                      \
	X(vfs_open)                                                                                \
	X(do_dentry_open)                                                                          \
	X(fd_install)                                                                              \
	X(d_delete)                                                                                \
	X(__dentry_kill)                                                                           \
	X(__lookup_mnt)                                                                            \
	X(vfs_tmpfile)                                                                             \
	X(fput)                                                                                    \
	X(fput_close)                                                                              \
	X(do_unlinkat)                                                                             \
	X(do_renameat2)                                                                            \
	X(vfs_rename)                                                                              \
	X(d_move)                                                                                  \
	X(full_name_hash)                                                                          \
	X(__sys_socket)                                                                            \
	X(sock_alloc)                                                                              \
	X(inet_create)                                                                             \
	X(sock_alloc_file)

#define OT_BPF_FUNC_ID(f) OT_FN_##f,
enum ot_bpf_func { OT_BPF_FUNCS(OT_BPF_FUNC_ID) OT_FN_COUNT };
#undef OT_BPF_FUNC_ID

/* Record types (one stream, like retsnoop's rec_type). */
enum ot_bpf_rec_type {
	OT_BPF_REC_ENTRY = 1, /* a function was entered */
	OT_BPF_REC_RET = 2,   /* a function returned (ret holds the raw return register) */
};

#define OT_BPF_WORDS	 10  /* one word per dictionary field (OT_MAX_FIELDS) */
#define OT_BPF_STRS	 2   /* at most two string fields per record */
#define OT_BPF_STR_MAX	 256 /* NAME_MAX + 1: a dentry name always fits */
#define OT_BPF_COMM_LEN	 16
#define OT_BPF_MAX_ARGS	 5 /* arguments read per call (no probed function needs a 6th) */
#define OT_BPF_MAX_DEPTH 8 /* nesting of one function on one thread (kretprobe pairing) */

/* One record. Slot i of FUNC's entry (or ret) layout -- the table in opentrail.c,
 * which names each slot with its probe-dictionary key -- is w[i] when bit i of
 * PRESENT is set; a string slot is instead the k-th string s[k], where k counts the
 * string slots before it, of length slen[k]. A slot whose bit is clear could not
 * be read (e.g. the dentry of an ERR_PTR return). */
struct ot_bpf_event {
	__u32 type; /* enum ot_bpf_rec_type */
	__u32 func; /* enum ot_bpf_func */
	__u32 pid;  /* tgid */
	__u32 tid;
	__u64 ts; /* bpf_ktime_get_ns() */
	__u64 ret;
	__u32 present;
	__u16 slen[OT_BPF_STRS];
	char comm[OT_BPF_COMM_LEN];
	__u64 w[OT_BPF_WORDS];
	char s[OT_BPF_STRS][OT_BPF_STR_MAX];
};

#endif
