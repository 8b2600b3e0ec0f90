# The cross build: `make ARCH=arm64` builds, in build/arm64/ (where the lab looks
# for an arm64 guest's programs), the static aarch64 opentrail, its triggers and
# its BPF object, with aarch64-linux-gnu-gcc. The libraries it links statically
# are Debian's arm64 builds at the host's versions, unpacked into the cache by
# scripts/arm64-sysroot.sh (never installed). Included by the Makefile before
# anything uses BUILD, CC or BPF_ARCH.
# ARCH: a Debian architecture; empty or naming the host itself (as Debian or
# the kernel's builds spell it) is the native build.
HOST_ARCH := $(shell uname -m | sed 's/x86_64/amd64/; s/aarch64/arm64/')
HOST_ARCH_NAMES := $(HOST_ARCH) $(shell uname -m) $(if $(filter amd64,$(HOST_ARCH)),x86)
ifneq ($(filter-out $(HOST_ARCH_NAMES),$(ARCH)),)
ifeq ($(filter arm64 aarch64,$(ARCH)),)
$(error ARCH=$(ARCH): only arm64 can be cross-built)
endif
CROSS         := 1
CROSS_COMPILE ?= aarch64-linux-gnu-
MULTIARCH     := aarch64-linux-gnu
# The command line's BUILD, CC and AR still win.
BUILD   := build/arm64
CC      := $(CROSS_COMPILE)gcc
AR      := $(CROSS_COMPILE)ar
BPF_ARCH := arm64
OT_CACHE ?= $(or $(OPENTRAIL_CACHE),$(or $(XDG_CACHE_HOME),$(HOME)/.cache)/opentrail)
SYSROOT  ?= $(OT_CACHE)/sysroot-arm64
# Before the compiler's system directories: Debian's cross compiler searches
# the host's /usr/include last, whose libbpf, libelf, zlib and json-c headers are
# the host's, not the arm64 packages'. The sysroot holds only those libraries'
# headers, so glibc's and the kernel's UAPI still come from the cross packages.
CROSS_INCS    := -I$(SYSROOT)/usr/include
LDFLAGS       += -L$(SYSROOT)/usr/lib/$(MULTIARCH)
CROSS_DEPS    := $(SYSROOT)/.versions

# (these rules come before the Makefile's first, `all`)
.DEFAULT_GOAL := all

# Made again when the script changes; the script itself does nothing while the
# host's versions are the ones unpacked. The host's packages first: their
# versions are the ones to take.
$(SYSROOT)/.versions: scripts/arm64-sysroot.sh scripts/install-deps.sh
	./scripts/install-deps.sh
	./scripts/arm64-sysroot.sh $(SYSROOT)
	@touch $@

sysroot: $(CROSS_DEPS)
.PHONY: sysroot
endif
