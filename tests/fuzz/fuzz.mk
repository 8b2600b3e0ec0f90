# The fuzzers (tests/fuzz/README.md): libFuzzer + ASan/UBSan harnesses for the log
# parser and for the whole offline pipeline, built with clang.
#   make fuzz FUZZ_SECONDS=600      # each harness for that long, corpus kept in build/fuzz/
FUZZ_SAN     := -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_OBJS    := $(CORE_SRCS:%.c=$(BUILD)/fuzzobj/%.o)
FUZZ_TARGETS := $(BUILD)/fuzz/fuzz_parse $(BUILD)/fuzz/fuzz_pipeline
FUZZ_SECONDS ?= 60

$(BUILD)/fuzzobj/%.o: %.c | $(BUILD)/.deps
	@mkdir -p $(dir $@)
	$(CLANG) $(CSTD) $(WARN) -O1 -g -fsanitize=fuzzer-no-link,address,undefined \
		-fno-omit-frame-pointer $(INCS) -MMD -MP -c -o $@ $<

$(BUILD)/fuzz/%: tests/fuzz/%.c $(FUZZ_OBJS)
	@mkdir -p $(dir $@)
	$(CLANG) $(CSTD) $(WARN) -O1 -g $(FUZZ_SAN) $(INCS) -o $@ $^ $(LDLIBS) -lbpf -lelf -lz

# the objects are kept between builds, not removed as intermediates
.SECONDARY: $(FUZZ_OBJS)

fuzz-build: $(FUZZ_TARGETS)

fuzz: $(FUZZ_TARGETS)
	./tests/fuzz/run.sh $(FUZZ_SECONDS)

CHECK_DEPS += $(FUZZ_TARGETS)

.PHONY: fuzz fuzz-build
