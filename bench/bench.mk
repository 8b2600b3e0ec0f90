# The benchmarks' own programs: build/bench/open_loop, the tracing-cost workload
# that bench/trace_cost.sh carries into the lab guest (static, like the triggers).
$(BUILD)/bench/open_loop: bench/open_loop.c
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) $(WARN) -O2 -static -o $@ $<

all: $(BUILD)/bench/open_loop
