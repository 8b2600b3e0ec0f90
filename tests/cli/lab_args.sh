#!/bin/sh
# The lab's own arguments: checked before anything is downloaded or booted, one
# line of reason first, exit 2, the usage after it. No VM is started (about 1 s).
. tests/lib.sh
D=$(mktemp -d); trap 'rm -rf "$D"' EXIT
export OPENTRAIL_CACHE=$D/cache # nothing may be downloaded: the cache stays empty

lab_fails() { # WANT_FIRST_LINE ARGS...: exit 2, the reason first, nothing fetched
	first=$1; shift
	t_expect_status 2 $OT lab "$@"
	head -n 1 $T_TMP/t_err | grep -q -- "$first" ||
		t_fail "first line of stderr for '$*' is '$(head -n 1 $T_TMP/t_err)', want '$first'"
	grep -q 'line [0-9]*:' $T_TMP/t_err && t_fail "a shell error for '$*': $(cat $T_TMP/t_err)"
	[ ! -e $D/cache ] || t_fail "'$*' touched the kernel cache"
}

t_begin lab_option_without_value
lab_fails '^lab: --kernel needs a value' --kernel
t_grep '^Usage: opentrail lab' $T_TMP/t_err
lab_fails '^lab: --out needs a directory' --out
lab_fails '^lab: --kernel needs a value' --kernel --out $D/o -- true
lab_fails '^lab: --timeout needs' --timeout
t_end

t_begin lab_bad_values_before_download
lab_fails "^lab: --timeout wants whole seconds, not 'abc'" --timeout abc -- true
lab_fails "^lab: --kernel wants a series" --kernel nine -- true
lab_fails "^lab: --smp wants a number" --smp x -- true
lab_fails "^lab: --kernel $D/none: no such kernel image" --kernel $D/none -- true
lab_fails "^lab: --add $D/none: no such" --add $D/none -- true
t_end

t_begin lab_out_is_a_file_before_boot
touch $D/afile
lab_fails "^lab: --out $D/afile is not a directory" --out $D/afile -- true
[ ! -s $D/afile ] || t_fail "the file was written"
t_end
