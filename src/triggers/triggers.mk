# The trigger programs (docs/trigger-protocol.md): one static binary per case,
# build/triggers/<case>, each linked with the shared part (trigger.c).
# One program per case, one file each: every src/triggers/*.c but the library is a
# trigger, named as its case's `trigger` member in src/cases/catalogue.c (adding a
# case is its trigger file and its catalogue row; tests/cli/triggers.sh checks
# that the two lists are the same).
TRIGGER_LIB_SRCS := src/triggers/trigger.c
TRIGGER_CASES    := $(sort $(basename $(notdir $(filter-out $(TRIGGER_LIB_SRCS),$(wildcard src/triggers/*.c)))))
TRIGGERS       := $(TRIGGER_CASES:%=$(BUILD)/triggers/%)
TRIGGER_CFLAGS := $(CSTD) $(WARN) -O2 -Isrc
TRIGGER_LIB    := $(BUILD)/triggers/obj/trigger.o

ALL_EXTRA += $(TRIGGERS)

all: triggers
triggers: $(TRIGGERS)

$(TRIGGER_LIB): src/triggers/trigger.c src/triggers/trigger.h src/live/gate.h src/trace/errnos.h
	@mkdir -p $(dir $@)
	$(CC) $(TRIGGER_CFLAGS) -c -o $@ $<

$(TRIGGERS): $(BUILD)/triggers/%: src/triggers/%.c src/triggers/trigger.h src/live/gate.h $(TRIGGER_LIB)
	$(CC) $(TRIGGER_CFLAGS) -static -o $@ $< $(TRIGGER_LIB)

.PHONY: triggers
