# The lab: lab/opentrail-lab boots a Debian cloud kernel under qemu (see
# docs/lab.md). Built here: the smoke test's BPF program and its static loader,
# build/lab/open_count, which tests/lab/ runs inside the guest.
LAB_OUT        := $(BUILD)/lab
LAB_BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_x86 -Wall -Werror \
		  -I/usr/include/$(shell $(CC) -print-multiarch)

$(LAB_OUT)/open_count.bpf.o: lab/smoke/open_count.bpf.c
	@mkdir -p $(dir $@)
	$(CLANG) $(LAB_BPF_CFLAGS) -c $< -o $@

$(LAB_OUT)/open_count.skel.h: $(LAB_OUT)/open_count.bpf.o
	$(or $(BPFTOOL),bpftool) gen skeleton $< name open_count_bpf > $@.tmp && mv $@.tmp $@

$(LAB_OUT)/open_count: lab/smoke/open_count.c $(LAB_OUT)/open_count.skel.h
	$(CC) $(CSTD) $(WARN) $(CFLAGS) -I$(LAB_OUT) -static -o $@ $< -lbpf -lelf -lz

lab: $(LAB_OUT)/open_count

CHECK_DEPS += $(LAB_OUT)/open_count

.PHONY: lab
