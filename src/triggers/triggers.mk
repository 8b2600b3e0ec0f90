# The trigger programs (docs/trigger-protocol.md): one static binary per case,
# build/triggers/<case>, each linked with the shared part (trigger.c).
TRIGGER_CASES := case7_symlink_fast case17_missing_file stage2_minimal_open stage2_te_miss \
		 stage2_tm_miss stage2_lm_miss stage2_a_miss stage2_lifecycle stage2_rebuild \
		 perm_rdwr_ok perm_rdwr_denied socket_inet_stream
# The repository's other cases (CASES.md, second table).
TRIGGER_CASES += case1_relative case2_deep_miss case3_deep_hit case4_create_flow \
		 case5_mount_jump case6_symlink_loop case8_create_excl case8_long_name \
		 case10_rename case11_bulk_rename case13_salt case14_symmetry \
		 case16_exists_vs_missing case16_openat2_front_door demo_at_fdcwd \
		 demo_dup_names demo_o_path demo_o_tmpfile demo_toctou
# The errno atlas: one error of open/openat/openat2/socket each, provoked for real.
TRIGGER_CASES += errno_enotdir_file_component errno_enotdir_o_directory \
		 errno_eisdir_wronly_dir errno_enametoolong_component errno_eloop_o_nofollow \
		 errno_emfile_rlimit errno_ebadf_dirfd errno_efault_bad_path \
		 errno_einval_tmpfile_rdonly errno_e2big_open_how errno_einval_resolve_flag \
		 errno_exdev_beneath errno_eloop_no_symlinks errno_eagain_resolve_cached \
		 errno_eafnosupport_family errno_einval_socket_type \
		 errno_eprotonosupport_inet_udp
TRIGGERS       := $(TRIGGER_CASES:%=$(BUILD)/triggers/%)
TRIGGER_CFLAGS := $(CSTD) $(WARN) -O2 -Isrc
TRIGGER_LIB    := $(BUILD)/triggers/obj/trigger.o

ALL_EXTRA += $(TRIGGERS)

all: triggers
triggers: $(TRIGGERS)

$(TRIGGER_LIB): src/triggers/trigger.c src/triggers/trigger.h src/live/gate.h
	@mkdir -p $(dir $@)
	$(CC) $(TRIGGER_CFLAGS) -c -o $@ $<

$(TRIGGERS): $(BUILD)/triggers/%: src/triggers/%.c src/triggers/trigger.h src/live/gate.h $(TRIGGER_LIB)
	$(CC) $(TRIGGER_CFLAGS) -static -o $@ $< $(TRIGGER_LIB)

.PHONY: triggers
