# opentrail -- see README.md.  `make` builds build/opentrail (static, so that
# the lab VM's initramfs can run it); `make check` runs every test suite.
CC      ?= gcc
CLANG   ?= clang
BUILD   := build
CSTD    := -std=c11 -D_GNU_SOURCE
WARN    := -Wall -Wextra -Werror
CFLAGS  ?= -O2 -g
# The lab kernels: every Debian series from the oldest supported to the newest.
LAB_KERNELS ?= 5.10 6.1 6.12 newest
export LAB_KERNELS
# `make ARCH=arm64`: the cross build (cross.mk), in build/arm64/.
include cross.mk
INCS    := -Isrc -I$(BUILD) $(CROSS_INCS)
LDLIBS  := -ljson-c

# Core pipeline (no kernel access): util (arena, hash map, atomic files) ->
# record -> trace -> claims -> report; the live-run layer (src/live/) and the CLI over it.
CORE_SRCS := $(wildcard src/util/*.c src/record/*.c src/trace/*.c src/probe/*.c src/cases/*.c src/claims/*.c src/report/*.c src/srcmap/*.c)
CLI_SRCS  := src/main.c $(wildcard src/live/*.c src/cli/*.c src/site/*.c)
CORE_OBJS := $(CORE_SRCS:%.c=$(BUILD)/obj/%.o)
CLI_OBJS  := $(CLI_SRCS:%.c=$(BUILD)/obj/%.o)

all: $(BUILD)/opentrail
# the source-index builder reads the debug info on the build machine: not cross-built
ifeq ($(CROSS),)
all: $(BUILD)/opentrail-srcindex
endif

# The Debian packages the build, the tests and the lab need (installed once, as root).
$(BUILD)/.deps: scripts/install-deps.sh $(CROSS_DEPS)
	./scripts/install-deps.sh
	@mkdir -p $(BUILD) && touch $@
deps: $(BUILD)/.deps

# The main job: every case, in the lab VM, on both kernels, with both backends,
# cross-checked; reports under out/<kernel>/{bpf,kmod}/.
run-all: all kmod-lab
	./scripts/run-all.sh

# Each part adds its own rules and objects (BACKEND_OBJS, BACKEND_LIBS, CHECK_DEPS).
-include src/bpf/bpf.mk
-include src/kmod/kmod.mk
-include src/triggers/triggers.mk
-include lab/lab.mk
-include bench/bench.mk
include tests/fuzz/fuzz.mk
# last: `check` depends on every part's CHECK_DEPS
include tests/tests.mk

$(BUILD)/opentrail: $(CORE_OBJS) $(CLI_OBJS) $(BACKEND_OBJS)
	$(CC) $(CFLAGS) -static $(LDFLAGS) -o $@ $^ $(BACKEND_LIBS) $(LDLIBS) -lm

# The source-index builder: the only part that reads DWARF (libdw), so a helper of its
# own, linked dynamically; build/opentrail reads the indexes it writes.
SRCINDEX_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard src/srcindex/*.c))
$(BUILD)/opentrail-srcindex: $(SRCINDEX_OBJS)
	$(CC) $(CFLAGS) -o $@ $^ -ldw -lelf

$(BUILD)/obj/%.o: %.c | $(BUILD)/.deps
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) $(WARN) $(CFLAGS) $(INCS) -MMD -MP -c -o $@ $<

-include $(shell find $(BUILD)/obj $(BUILD)/san $(BUILD)/fuzzobj -name '*.d' 2>/dev/null)

format:
	clang-format -i $$(git ls-files '*.c' '*.h' | grep -v '^src/kmod/module/')

clean:
	rm -rf $(BUILD)

.PHONY: all check deps run-all format clean
