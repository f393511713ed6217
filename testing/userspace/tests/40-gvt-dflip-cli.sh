#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# gvt-dflip's command line and hostile inputs: options, lease groups, the
# environment, sysfs contents (fake trees under GVT_DFLIP_SYSFS), JSON
# escaping and schema, write errors. Runs in the userspace tier and on the
# build host (make -C tools/gvt check, where there may be no DRM device).
. "${GVT_DFLIP_TEST_LIB:-/tests/lib.sh}"
rst=${GVT_DFLIP_SRC:-/share}/gvt-dflip.rst
tmp=$(mktemp -d /tmp/cli.XXXXXX)
cd "$tmp" || exit 1
unset GVT_DFLIP_LEASE_FD GVT_DFLIP_SYSFS

# a KMS device to get past device checks, else a file that is none
dev=$(card vkms 2>/dev/null) || dev=/dev/null

# out CMD...: stdout+stderr of CMD in out.txt, its status in RC
out() { "$@" >out.txt 2>&1; RC=$?; }
# says RC TEXT: the last command exited RC and said TEXT (fixed string)
says() { [ "$RC" = "$1" ] && grep -qF -- "$2" out.txt || { sed 's/^/# /' out.txt; false; }; }

out gvt-dflip --version
check "--version prints the version" says 0 "gvt-dflip "
out gvt-dflip -V
check "-V prints the version" says 0 "gvt-dflip "
out gvt-dflip help assign
check "help assign prints assign's usage only" \
	sh -c 'grep -q "gvt-dflip assign" out.txt && ! grep -q "gvt-dflip lease" out.txt'
out gvt-dflip assign --help
check "assign --help prints assign's usage only" \
	sh -c 'grep -q "gvt-dflip assign" out.txt && ! grep -q "gvt-dflip list" out.txt'
for h in --help -h; do
	out gvt-dflip lease $h
	check "lease $h prints lease's usage and exits 0" says 0 "gvt-dflip lease"
done
out gvt-dflip help frob
check "help of an unknown command names it" says 1 "'frob'"
out gvt-dflip frob
check "an unknown command is named" says 1 "'frob'"
out gvt-dflip list --bogus
check "an unknown option is named" says 1 "'--bogus'"
out gvt-dflip list --fb 3
check "an option of another command is named" says 1 "does not take --fb"
out gvt-dflip assign --fb=abc
check "--opt=value works and a bad value is named" says 1 "'abc'"
out gvt-dflip assign --fb 1 --fb 2
check "a repeated single-valued option is refused" says 1 "--fb given twice"
out gvt-dflip -j list -j
check "a global option repeated after the command is refused" says 1 "given twice"
out gvt-dflip assign --fit wide --fb 1
check "a bad --fit value is named" says 1 "'wide'"
out gvt-dflip assign --fb
check "a missing value names the option" says 1 "'--fb' needs a value"
out gvt-dflip assign --kind bogus --fb 1
check "a bad --kind value is named" says 1 "'bogus'"
out gvt-dflip help list extra
check "a second word after help is named" says 1 "'extra'"
out gvt-dflip assign --h 1
check "an ambiguous abbreviation is called so, with its candidates" \
	says 1 "'--h' is ambiguous (--hw-plane, --help)"
out gvt-dflip unassign
check "a usage error of a command points to that command's help" \
	says 1 "(see gvt-dflip help unassign)"
out gvt-dflip list --device=/nonexistent/card0
check "list of a device that cannot be opened says why" \
	says 2 "cannot open /nonexistent/card0: No such file or directory"
sec=$(sed -n 's/^:Manual section: *//p' "$rst")
check "the man page is section 8, as installed (gvt-dflip.8), and --help says so" \
	sh -c "[ '$sec' = 8 ] && gvt-dflip --help | grep -qF 'gvt-dflip(8)'"
GVT_DFLIP_SYSFS=$tmp/none gvt-dflip -j list >g.json
check "global -j before the command gives JSON" sh -c 'jsoncheck <g.json >/dev/null'

# lease groups are validated completely before anything is created
out gvt-dflip lease ';' ';'
check "lease ';' ';' says a group has no command, exits 125" says 125 "group 1: ';' before '--'"
out gvt-dflip lease --device "$dev" --crtc 51 -- ';' --crtc 52 -- touch ran
check "a group with an empty command is refused (125), naming the group" \
	says 125 "group 1: no command after '--'"
check "no command ran after the empty group" [ ! -e ran ]
out gvt-dflip lease --device "$dev" --crtc 51 -- true ';' --crtc 51 -- true
check "the same CRTC in two groups is refused" says 125 "crtc 51 is in lease groups 1 and 2"
out gvt-dflip lease --device "$dev" --crtc 51 --bogus 1 -- true
check "an unknown lease option is named" says 125 "'--bogus'"
out gvt-dflip lease --device "$dev" --crtc=51 --connector=3 --connector=4 -- true
check "lease takes --opt=value and refuses a repeated --connector" \
	says 125 "--connector given twice"
out gvt-dflip lease --device "$dev" --crtc 51 --crtc 52 --connector 3 -- true
check "--connector with two --crtc in a group is refused" \
	says 125 "group 1: --connector goes with a single --crtc"
out gvt-dflip lease --device "$dev" --crtc 51 --crtc 51 -- true
check "one CRTC twice in a group is refused" says 125 "crtc 51 is in lease groups 1 and 1"
out gvt-dflip lease --device "$dev" --crtc 51 -- true ';' --crtc 53 --crtc 51 -- true
check "a CRTC of a two-CRTC group in another group is refused" \
	says 125 "crtc 51 is in lease groups 1 and 2"
out gvt-dflip lease --device "$dev" --crtc 51
check "a lease group without '--' CMD is refused" says 125 "no '--' CMD"

# a fake sysfs tree with one vGPU whose parent's card is card7
uuid=4b4f2e3a-9c1d-4e8b-a1f2-0123456789ab
uuid2=5b4f2e3a-9c1d-4e8b-a1f2-0123456789ab
mkvgpu() {	# ROOT BDF UUID CARD
	d=$1/devices/pci0000:00/$2
	mkdir -p "$d/$3/intel_vgpu" "$d/$3/intel_vgpu_planes" "$d/drm/$4" \
		"$1/bus/pci/devices"
	ln -sfn "../../../devices/pci0000:00/$2" "$1/bus/pci/devices/$2"
	echo 1 >"$d/$3/intel_vgpu/vgpu_id"
	echo 0 >"$d/$3/intel_vgpu/dflip_lessee"
	for p in a b c; do
		for k in primary sprite cursor; do
			echo 0 >"$d/$3/intel_vgpu_planes/pipe_${p}_$k"
		done
	done
}
fake=$tmp/sys
mkvgpu "$fake" 0000:00:02.0 "$uuid" card7
mkvgpu "$fake" 0000:00:02.0 "$uuid2" card7
lessee=$fake/devices/pci0000:00/0000:00:02.0/$uuid/intel_vgpu/dflip_lessee
export GVT_DFLIP_SYSFS=$fake
out gvt-dflip lease --device "$dev" --crtc 51 --vgpu "$uuid" -- touch ran \
	';' --crtc 52 --vgpu "$uuid" -- touch ran
check "the same vGPU in two lease groups is refused, nothing runs or binds" \
	sh -c "grep -qF 'vGPU $uuid is in lease groups 1 and 2' out.txt && [ $RC = 125 ] &&
	       [ ! -e ran ] && [ \$(cat $lessee) = 0 ]"
out gvt-dflip lease --device "$dev" --crtc 51 --vgpu "$uuid" --vgpu "$uuid" -- true
check "the same vGPU twice in one group is refused" says 125 "lease groups 1 and 1"
out gvt-dflip lease --crtc 51 --vgpu "$uuid" -- touch ran
check "lease --vgpu without --device opens the vGPU's parent card" \
	says 125 "/dev/dri/card7"
mkvgpu "$fake" 0000:00:03.0 00000000-1111-2222-3333-444444444444 card8
out gvt-dflip lease --crtc 51 --vgpu "$uuid" -- true ';' \
	--crtc 52 --vgpu 00000000-1111-2222-3333-444444444444 -- true
check "vGPUs of two cards in one lease process are refused" says 125 "different cards"

# --device paths are not cut
long=/tmp/$(printf '%0100d' 0)/card0
out gvt-dflip assign --once --device "$long" --fb 1
check "a 100-character --device path is opened whole" says 2 "$long"
huge=$(printf '%05000d' 0)
out gvt-dflip assign --once --device "/$huge" --fb 1
check "a --device path longer than PATH_MAX is refused" says 1 "longer than PATH_MAX"

# the environment
GVT_DFLIP_LEASE_FD=3 gvt-dflip list >/dev/null 2>out.txt
check "list works inside a lease (GVT_DFLIP_LEASE_FD set)" [ $? = 0 ]
for v in abc "" -1 70000; do
	GVT_DFLIP_LEASE_FD=$v gvt-dflip assign --once --fb 1 >out.txt 2>&1
	RC=$?
	check "GVT_DFLIP_LEASE_FD='$v' is blamed on the variable" \
		says 1 "GVT_DFLIP_LEASE_FD='$v'"
done

# JSON: escaping, unsigned ids, null for unknown, the schema
vg=$fake/devices/pci0000:00/0000:00:02.0/$uuid
echo 4294967295 >"$vg/intel_vgpu/vgpu_id"
echo abc >"$fake/devices/pci0000:00/0000:00:02.0/$uuid2/intel_vgpu/vgpu_id"
q=$fake/devices/pci0000:00/'q",x\'
mkdir -p "$q"
mv "$fake/devices/pci0000:00/0000:00:03.0/00000000-1111-2222-3333-444444444444" "$q/"
ln -s "../../../devices/pci0000:00/q\",x\\" "$fake/bus/pci/devices/q\",x\\"
printf '12abc\n' >"$vg/intel_vgpu_planes/pipe_a_sprite"
printf '99999999999999999999\n' >"$vg/intel_vgpu_planes/pipe_b_primary"
: >"$vg/intel_vgpu_planes/pipe_b_sprite"
rm "$vg/intel_vgpu_planes/pipe_c_primary"
rm "$vg/intel_vgpu_planes/pipe_c_sprite"
mkfifo "$vg/intel_vgpu_planes/pipe_c_sprite"
printf '7' >"$vg/intel_vgpu_planes/pipe_a_primary"
timeout 20 gvt-dflip list --json >list.json 2>out.txt
RC=$?
check "list --json over hostile sysfs contents exits 0 (no hang on a FIFO)" \
	[ $RC = 0 ]
check "list --json output is JSON with the BDF's quote and backslash escaped" \
	json_has list.json '^\.vgpus\[[0-9]\]\.bdf="q",x\\"$' '^\.version=1$'
check "a vgpu_id above INT_MAX is printed unsigned" \
	json_has list.json '^\.vgpus\[[0-9]\]\.vgpu_id=4294967295$'
check "an unreadable vgpu_id is null" \
	json_has list.json '^\.vgpus\[[0-9]\]\.vgpu_id=null$'
i=$(jsoncheck <list.json | sed -n "s/^\.vgpus\[\([0-9]\)\]\.uuid=\"$uuid\"$/\1/p")
check "junk, overflowing, empty, missing and FIFO plane files are null" \
	sh -c "[ \$(jsoncheck <list.json | grep -c '^\.vgpus\[$i\]\.planes\[[1-8]\]\.fb=null$') = 8 ] &&
	       jsoncheck <list.json | grep -q '^\.vgpus\[$i\]\.planes\[0\]\.fb=7$'"
sed -n '/^JSON OUTPUT$/,/^EXAMPLES$/p' "$rst" |
	grep '^    \.' >schema.txt
check "the JSON schema is in gvt-dflip.rst" [ -s schema.txt ]
check "list --json with vGPUs matches the documented schema" \
	json_schema list.json schema.txt
GVT_DFLIP_SYSFS=$tmp/none gvt-dflip list --json >empty.json
check "list --json without vGPUs matches the documented schema" \
	json_schema empty.json schema.txt
ordered() { json_order list.json schema.txt && json_order empty.json schema.txt; }
check "list --json keys come in the documented order (with and without vGPUs)" \
	ordered

# output errors
if [ -w /dev/full ]; then
	gvt-dflip list --json >/dev/full 2>out.txt
	RC=$?
	check "list --json >/dev/full exits 9 with a message" says 9 "cannot write"
	for a in --help -V "help lease" "lease --help" "list"; do
		gvt-dflip $a >/dev/full 2>out.txt
		RC=$?
		check "gvt-dflip $a >/dev/full exits 9 with a message" \
			says 9 "cannot write"
	done
else
	ok "list --json >/dev/full # SKIP no /dev/full"
fi

# more vGPUs than any fixed table: every one is listed and found
many=$tmp/many
for i in $(seq 10 49); do
	mkvgpu "$many" 0000:00:02.0 "000000$i-0000-0000-0000-000000000000" card7
done
GVT_DFLIP_SYSFS=$many gvt-dflip list --json >many.json
check "list --json shows all of 40 vGPUs" \
	[ "$(jsoncheck <many.json | grep -c '^\.vgpus\[[0-9]*\]\.uuid=')" = 40 ]
found=0
for i in $(seq 10 49); do
	GVT_DFLIP_SYSFS=$many gvt-dflip assign --once \
		--vgpu "000000$i-0000-0000-0000-000000000000" --plane 0 \
		>out.txt 2>&1
	grep -q "has no framebuffer" out.txt && found=$((found + 1))
done
check "assign --vgpu finds each of 40 vGPUs ($found found)" [ $found = 40 ]

# hosts without GVT or without DRM
GVT_DFLIP_SYSFS=$tmp/none gvt-dflip list >out.txt 2>&1
check "list on a host without GVT says so" \
	grep -q "GVT-g is not there" out.txt
# another driver's mdev types (a NIC, another GPU) are no GVT-g
mkdir -p "$tmp/gvt/bus/pci/devices/0000:03:00.0/mdev_supported_types/nvidia-35" \
	"$tmp/gvt/bus/pci/devices/0000:00:02.0"
GVT_DFLIP_SYSFS=$tmp/gvt gvt-dflip list >out.txt 2>&1
check "list on a host with another driver's mdev types says GVT-g is not there" \
	grep -q "GVT-g is not there" out.txt
GVT_DFLIP_SYSFS=$tmp/gvt gvt-dflip list --json >out.txt 2>&1
check "list --json there says gvt false" json_has out.txt '^\.gvt=false$'
mkdir -p "$tmp/gvt/bus/pci/devices/0000:00:02.0/mdev_supported_types/i915-GVTg_V5_4"
GVT_DFLIP_SYSFS=$tmp/gvt gvt-dflip list >out.txt 2>&1
check "list on a GVT host without vGPUs says where to create one" \
	grep -q "GVT-g is there: create one in .*0000:00:02.0/mdev_supported_types" out.txt
out env GVT_DFLIP_SYSFS=$tmp/none gvt-dflip assign --once --vgpu "$uuid" --plane 0
check "assign --vgpu on a host without GVT says that GVT is not there" \
	says 3 "GVT-g is not there"
# without DRM cards: here, or in a mount namespace with an empty /dev/dri
nodrm_how=
if ! ls /dev/dri/card* >/dev/null 2>&1; then
	nodrm_how=here
elif [ "$(id -u)" = 0 ] && unshare -m true 2>/dev/null; then
	nodrm_how=unshare
fi
nodrm() {
	if [ $nodrm_how = here ]; then
		"$@"
	else
		unshare -m sh -c 'mount -t tmpfs none /dev/dri && exec "$@"' sh "$@"
	fi
}
if [ -n "$nodrm_how" ]; then
	nodrm env GVT_DFLIP_SYSFS="$tmp/none" gvt-dflip list >out.txt 2>&1
	check "list without a DRM card says so ($nodrm_how)" grep -q "no DRM card" out.txt
	nodrm env GVT_DFLIP_SYSFS="$tmp/none" gvt-dflip list --json >nodrm.json
	check "list --json without a DRM card has no devices and no GVT" \
		json_has nodrm.json '^\.devices=\[\]$' '^\.gvt=false$'
	out nodrm env GVT_DFLIP_SYSFS="$tmp/none" gvt-dflip assign --once --fb 1
	check "assign without a DRM card says so (exit 2)" says 2 "no DRM device"
else
	ok "list without a DRM card says so # SKIP DRM cards, no mount namespace"
fi
cd / && rm -rf "$tmp"
tap_done
