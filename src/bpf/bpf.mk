# The BPF backend: build/vmlinux.h from the build machine's BTF (CO-RE relocates
# the field offsets for whichever kernel the object is loaded on), the BPF object,
# its skeleton, and the user side linked into build/opentrail. A cross build
# (cross.mk) uses the build machine's BTF too: CO-RE relocates kernel structs
# whatever their architecture, and the registers are read through src/bpf/arch.h.
BPFTOOL    ?= bpftool
LLVM_STRIP ?= llvm-strip
# The kernel's architecture (bpf_tracing.h's __TARGET_ARCH_*): the build machine's
# (a native build on arm64 is arm64), or the cross build's (cross.mk sets arm64).
BPF_ARCH   ?= $(if $(filter aarch64 arm64,$(shell uname -m)),arm64,x86)
BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_$(BPF_ARCH) -Wall -Werror
BTF_SOURCE ?= /sys/kernel/btf/vmlinux

$(BUILD)/vmlinux.h: | $(BUILD)/.deps
	@mkdir -p $(dir $@)
	$(BPFTOOL) btf dump file $(BTF_SOURCE) format c > $@.tmp && mv $@.tmp $@

$(BUILD)/bpf/opentrail.bpf.o: src/bpf/opentrail.bpf.c src/bpf/opentrail.h src/bpf/arch.h src/probe/recipe.h src/probe/callsite.h $(BUILD)/vmlinux.h
	@mkdir -p $(dir $@)
	$(CLANG) $(BPF_CFLAGS) -I$(BUILD) -Isrc/bpf -Isrc -c $< -o $@
	$(LLVM_STRIP) -g $@

$(BUILD)/bpf/opentrail.skel.h: $(BUILD)/bpf/opentrail.bpf.o
	$(BPFTOOL) gen skeleton $< name opentrail_bpf > $@.tmp && mv $@.tmp $@

$(BUILD)/obj/src/bpf/opentrail.o: $(BUILD)/bpf/opentrail.skel.h

BACKEND_OBJS += $(BUILD)/obj/src/bpf/opentrail.o
BACKEND_LIBS += -lbpf -lelf -lz
