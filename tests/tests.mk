# The unit tests: the core pipeline built again with ASan/UBSan, plus tests/unit/*.c.
SAN       := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
TEST_SRCS := $(wildcard tests/unit/*.c)
TEST_OBJS := $(CORE_SRCS:%.c=$(BUILD)/san/%.o) $(TEST_SRCS:%.c=$(BUILD)/san/%.o)

$(BUILD)/tests/unit_tests: $(TEST_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(SAN) -g -o $@ $^ $(LDLIBS) -lbpf -lelf -lz

$(BUILD)/san/%.o: %.c | $(BUILD)/.deps
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) $(WARN) -O1 -g $(SAN) $(INCS) -Itests/unit -MMD -MP -c -o $@ $<

check: all $(BUILD)/tests/unit_tests $(CHECK_DEPS)
	./tests/run.sh
