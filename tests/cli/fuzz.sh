#!/bin/sh
# The fuzzers as regression tests (about 45 s): the seed corpus and every past
# crash replayed once, then each harness for a short bounded time.
. tests/lib.sh

t_begin fuzz_replays_corpus_and_past_crashes
t_expect_status 0 tests/fuzz/replay.sh
t_grep 'fuzz_pipeline: replayed' $T_TMP/t_out
t_end

t_begin fuzz_parse_15s_no_crash_hang_or_leak
t_expect_status 0 tests/fuzz/run.sh 15 parse
t_grep 'number_of_executed_units' $T_TMP/t_out
t_end

t_begin fuzz_pipeline_25s_no_crash_hang_or_leak
t_expect_status 0 tests/fuzz/run.sh 25 pipeline
t_grep 'number_of_executed_units' $T_TMP/t_out
t_end
