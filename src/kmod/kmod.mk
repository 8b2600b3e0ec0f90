# The kernel-module backend: its user side (linked into build/opentrail) and
# the module itself, built out of tree against one kernel's headers (with the
# compiler they were made with when this machine has it, else lab/cc-compat).
#   make kmod [KDIR=<headers>]  -> build/kmod/<release>/opentrail_kprobes.ko
#   make kmod-lab               -> the same for each lab kernel ($(LAB_KERNELS))
#   make ARCH=arm64 kmod-lab    -> for each arm64 lab kernel, in build/arm64/kmod/
# Headers of another architecture than this machine's are built with its cross
# compiler (aarch64-linux-gnu-gcc for arm64 on x86-64).
# opentrail looks for the module next to its binary, in kmod/<release>/.
BACKEND_OBJS += $(BUILD)/obj/src/kmod/kmod_backend.o
ifeq ($(filter -lbpf,$(BACKEND_LIBS)),)
BACKEND_LIBS += -lbpf -lelf -lz
endif

# The kernel's name for this machine's architecture: headers of another one
# (read from their configuration) are built with the cross compiler.
KMOD_HOST_ARCH := $(shell uname -m | sed 's/x86_64/x86/; s/aarch64/arm64/')
KMOD_SRCS    := src/kmod/module/opentrail_kprobes.c src/kmod/module/Kbuild src/probe/recipe.h \
		src/record/lineformat.h
KDIR         ?= $(wildcard /lib/modules/$(shell uname -r)/build)
KMOD_LAB     ?= $(LAB_KERNELS)
# make ARCH=arm64 kmod-lab: the arm64 lab kernels' modules, in build/arm64/kmod/.
KMOD_LAB_ARCH := $(if $(CROSS),--arch $(BPF_ARCH))
# The headers' own idea of the release (their include/config/kernel.release
# may lack the Debian ABI suffix).
kmod_release  = $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"/\1/p' $(1)/include/generated/utsrelease.h 2>/dev/null)

# M= writes next to the sources, so the module is built in a copy of them.
kmod:
	@[ -n "$(KDIR)" ] && [ -d "$(KDIR)" ] || { echo "kmod: no kernel headers: give KDIR=<linux-headers dir> (see make kmod-lab)" >&2; exit 2; }
	@rel='$(call kmod_release,$(KDIR))'; \
	[ -n "$$rel" ] || { echo "kmod: $(KDIR) has no include/generated/utsrelease.h" >&2; exit 2; }; \
	karch=$$(sed -n 's/^CONFIG_ARM64=y$$/arm64/p; s/^CONFIG_X86_64=y$$/x86/p' $(KDIR)/include/config/auto.conf); \
	kcross=; kccx=gcc; \
	if [ -n "$$karch" ] && [ "$$karch" != $(KMOD_HOST_ARCH) ]; then \
		kcross=$(if $(filter arm64,$(KMOD_HOST_ARCH)),x86_64,aarch64)-linux-gnu-; kccx=$${kcross}gcc; \
		command -v $$kccx >/dev/null || { echo "kmod: $(KDIR) is for $$karch: install gcc-$${kcross%-}" | sed 's/_/-/' >&2; exit 2; }; \
	fi; \
	kcc=$$(sed -n 's/^CONFIG_CC_VERSION_TEXT="\{0,1\}\([^ ]*\) .*/\1/p' $(KDIR)/include/config/auto.conf); \
	case $$kcc in "$$kcross"*) ;; *) kcc=$$kcross$$kcc ;; esac; \
	command -v "$$kcc" >/dev/null 2>&1 || kcc=$(CURDIR)/lab/cc-compat; \
	out=$(BUILD)/kmod/$$rel; mkdir -p $$out/src && cp $(KMOD_SRCS) $$out/src/ && \
	OPENTRAIL_KMOD_CC=$$kccx $(MAKE) -C $(KDIR) M=$(CURDIR)/$$out/src CC=$$kcc \
		$${karch:+ARCH=$$karch} $${kcross:+CROSS_COMPILE=$$kcross} CONFIG_DEBUG_INFO_BTF_MODULES= modules && \
	cp $$out/src/opentrail_kprobes.ko $$out/opentrail_kprobes.ko && \
	echo "kmod: $$out/opentrail_kprobes.ko"

kmod-lab:
	@for k in $(KMOD_LAB); do \
		kdir=$$(lab/opentrail-lab headers $(KMOD_LAB_ARCH) --kernel $$k) || exit 2; \
		$(MAKE) --no-print-directory kmod KDIR="$$kdir" || exit 1; \
	done

.PHONY: kmod kmod-lab

# The tests run the module in the lab: build it for each lab kernel first.
CHECK_DEPS += kmod-lab
