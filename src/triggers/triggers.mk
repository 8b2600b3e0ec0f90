# The trigger programs (docs/trigger-protocol.md): one static binary per case,
# build/triggers/<case>, each linked with the trigger library: the gate protocol
# (trigger.c) and the loop-device fixture two cases use (loopmount.c).
# One program per case, one file each: every src/triggers/*.c but the library is a
# trigger, named as its case's `trigger` member in src/cases/catalogue.c (adding a
# case is its trigger file and its catalogue row; tests/cli/triggers.sh checks
# that the two lists are the same).
TRIGGER_LIB_SRCS := src/triggers/trigger.c src/triggers/loopmount.c
TRIGGER_CASES    := $(sort $(basename $(notdir $(filter-out $(TRIGGER_LIB_SRCS),$(wildcard src/triggers/*.c)))))
TRIGGERS       := $(TRIGGER_CASES:%=$(BUILD)/triggers/%)
TRIGGER_CFLAGS := $(CSTD) $(WARN) -O2 -Isrc
TRIGGER_HDRS   := src/triggers/trigger.h src/triggers/loopmount.h src/live/gate.h \
                  src/record/lineformat.h
TRIGGER_OBJS   := $(TRIGGER_LIB_SRCS:src/triggers/%.c=$(BUILD)/triggers/obj/%.o)
# an archive: a trigger links only the parts it uses
TRIGGER_LIB    := $(BUILD)/triggers/obj/libtrigger.a

ALL_EXTRA += $(TRIGGERS)

all: triggers
triggers: $(TRIGGERS)

$(TRIGGER_OBJS): $(BUILD)/triggers/obj/%.o: src/triggers/%.c $(TRIGGER_HDRS) src/trace/errnos.h
	@mkdir -p $(dir $@)
	$(CC) $(TRIGGER_CFLAGS) -c -o $@ $<

$(TRIGGER_LIB): $(TRIGGER_OBJS)
	rm -f $@
	$(AR) rcs $@ $^

$(TRIGGERS): $(BUILD)/triggers/%: src/triggers/%.c $(TRIGGER_HDRS) $(TRIGGER_LIB)
	$(CC) $(TRIGGER_CFLAGS) -static -o $@ $< $(TRIGGER_LIB)

.PHONY: triggers
