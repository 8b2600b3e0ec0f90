# The unit tests: the core pipeline built again with ASan/UBSan, plus tests/unit/*.c.
SAN       := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
TEST_SRCS := $(wildcard tests/unit/*.c)
TEST_OBJS := $(CORE_SRCS:%.c=$(BUILD)/san/%.o) $(TEST_SRCS:%.c=$(BUILD)/san/%.o)

# (the test tools are built with the unit tests: the CLI suites use them)
$(BUILD)/tests/unit_tests: $(TEST_OBJS) | $(BUILD)/tests/trace_event_check
	@mkdir -p $(dir $@)
	$(CC) $(SAN) -g -o $@ $^ $(LDLIBS) -lbpf -lelf -lz

$(BUILD)/san/%.o: %.c | $(BUILD)/.deps
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) $(WARN) -O1 -g $(SAN) $(INCS) -Itests/unit -MMD -MP -c -o $@ $<

# The Trace Event Format checker of tests/cli/perfetto.sh (json-c, no sanitizers needed).
$(BUILD)/tests/trace_event_check: tests/tools/trace_event_check.c | $(BUILD)/.deps
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) $(WARN) -O1 -g -o $@ $< $(LDLIBS) -lm

CHECK_DEPS += $(BUILD)/tests/trace_event_check

check: all $(BUILD)/tests/unit_tests $(CHECK_DEPS)
	./tests/run.sh
