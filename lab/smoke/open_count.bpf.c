// SPDX-License-Identifier: GPL-2.0
/* The lab's smoke test: an fentry program on do_sys_openat2 (the heart of
 * open(), openat(), openat2()) counting its calls. The host kernel refuses
 * fentry; a lab guest must load, attach and count. No vmlinux.h: the context
 * is the raw argument array. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} open_calls SEC(".maps");

SEC("fentry/do_sys_openat2")
int count_open(unsigned long long *ctx)
{
	__u32 key = 0;
	__u64 *n = bpf_map_lookup_elem(&open_calls, &key);

	(void)ctx;
	if (n)
		__sync_fetch_and_add(n, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
