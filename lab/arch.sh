# shellcheck shell=bash
# What differs between the lab's architectures (Debian's names: amd64, arm64),
# in one place: the emulator and its package, the machine, the serial lines the
# guest protocol uses, the modules those need, the ELF machine of the guest's
# programs. Sourced by opentrail-lab; uses say/die from there.
# shellcheck disable=SC2034 # LAB_ARCHES, LAB_MACHINE_ARGS, LAB_GUEST_APPEND are read there

LAB_ARCHES="amd64 arm64"

# host_arch: the Debian architecture of this machine.
host_arch()
{
	case $(uname -m) in
	x86_64) echo amd64 ;;
	aarch64 | arm64) echo arm64 ;;
	*) uname -m ;;
	esac
}

# arch_of_version VERSION: the architecture an exact kernel version names
# (6.12.117+deb13-cloud-arm64 -> arm64), or nothing.
arch_of_version()
{
	case $1 in
	*-amd64) echo amd64 ;;
	*-arm64) echo arm64 ;;
	esac
}

# arch_qemu ARCH: the emulator; arch_qemu_package ARCH: the Debian package with it.
arch_qemu()
{
	case $1 in
	amd64) echo qemu-system-x86_64 ;;
	arm64) echo qemu-system-aarch64 ;;
	esac
}
arch_qemu_package()
{
	case $1 in
	amd64) echo qemu-system-x86 ;;
	arm64) echo qemu-system-arm ;;
	esac
}

# arch_elf_machine ARCH: e_machine of ARCH's ELF files (little endian, as od
# prints bytes 18-19): the guest only gets programs it can run.
arch_elf_machine()
{
	case $1 in
	amd64) echo 3e00 ;;
	arm64) echo b700 ;;
	esac
}

# elf_machine FILE: bytes 18-19 of FILE if it is an ELF file.
elf_machine()
{
	[ "$(head -c 4 "$1" 2>/dev/null | od -An -tx1 | tr -d ' \n')" = 7f454c46 ] || return 1
	od -An -tx1 -j 18 -N 2 "$1" | tr -d ' \n'
}

# runs_on_guest FILE: FILE is an ELF program of the guest's architecture, or no
# ELF file at all (a script).
runs_on_guest()
{
	local m
	m=$(elf_machine "$1") || return 0
	[ "$m" = "$(arch_elf_machine "$LAB_ARCH")" ]
}

# arch_syscall_prefix ARCH: what the kernel's syscall entry points are named
# with on ARCH (__x64_sys_openat, __arm64_sys_openat).
arch_syscall_prefix()
{
	case $1 in
	amd64) echo __x64_sys_ ;;
	arm64) echo __arm64_sys_ ;;
	esac
}

# arch_guest_modules ARCH: modules the guest protocol needs on ARCH beyond the
# disks' (arm64's virt machine has one UART: the command's stdout and stderr go
# to virtio consoles).
arch_guest_modules()
{
	case $1 in
	arm64) echo virtio_console ;;
	esac
}

# arch_machine_args ARCH CONSOLE_ID STDOUT_ID STDERR_ID: qemu's machine, and the
# three serial lines on the given chardevs. Sets LAB_MACHINE_ARGS, and
# LAB_GUEST_APPEND (the kernel's console; where the guest's init writes the
# command's stdout and stderr, passed to it as environment variables).
arch_machine_args()
{
	local arch=$1 con=$2 gout=$3 gerr=$4
	case $arch in
	amd64)
		LAB_MACHINE_ARGS=(-serial "chardev:$con" -serial "chardev:$gout" -serial "chardev:$gerr")
		LAB_GUEST_APPEND="console=ttyS0"
		;;
	arm64)
		LAB_MACHINE_ARGS=(-M virt -serial "chardev:$con"
			-device virtio-serial-pci -device "virtconsole,chardev=$gout" -device "virtconsole,chardev=$gerr")
		LAB_GUEST_APPEND="console=ttyAMA0 lab_stdout=/dev/hvc0 lab_stderr=/dev/hvc1"
		;;
	esac
}

# arch_add_disk ARCH FILE OPTIONS: one more virtio disk (vda, vdb, ... in the
# order added) appended to LAB_DISK_ARGS.
arch_add_disk()
{
	local n=${#LAB_DISK_ARGS[@]}
	case $1 in
	amd64) LAB_DISK_ARGS+=(-drive "file=$2,format=raw,if=virtio$3") ;;
	*) LAB_DISK_ARGS+=(-drive "file=$2,format=raw,if=none,id=disk$n$3" -device "virtio-blk-pci,drive=disk$n") ;;
	esac
}
