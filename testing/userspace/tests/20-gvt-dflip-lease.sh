#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# gvt-dflip lease on a two-output virtio-gpu: two leases from one master,
# each lessee assigns only what it leases and is refused the other's
# objects; lease conflict, not master, incompatible format, no free plane.
. /tests/lib.sh

dev=$(card virtio_gpu) || {
	not_ok "virtio-gpu device present"
	tap_done
	exit 1
}
ok "virtio-gpu device present ($dev)"

# QEMU without a display enables only the first virtio output: plug a
# "monitor" into the others the way the kernel allows, via sysfs
n=${dev#/dev/dri/card}
for s in /sys/class/drm/card$n-*/status; do
	[ "$(cat "$s")" = connected ] || echo on >"$s"
done
check "every virtio-gpu connector is connected" \
	sh -c "! grep -vx connected /sys/class/drm/card$n-*/status"

gvt-dflip list --json --device "$dev" | jsoncheck >objs.flat
crtc0=$(sed -n 's/^\.devices\[0\]\.crtcs\[0\]\.id=//p' objs.flat)
crtc1=$(sed -n 's/^\.devices\[0\]\.crtcs\[1\]\.id=//p' objs.flat)
if [ -z "$crtc0" ] || [ -z "$crtc1" ]; then
	not_ok "virtio-gpu has two CRTCs (max_outputs=2)"
	tap_done
	exit 1
fi
ok "virtio-gpu has two CRTCs ($crtc0, $crtc1)"

# primary plane of a CRTC (its only possible CRTC)
primary_of() {
	awk -F= -v c="$1" '
	{ v[$1] = $2 }
	$1 ~ /\.possible_crtcs\[0\]$/ && $2 == c {
		p = $1; sub(/possible_crtcs\[0\]$/, "", p)
		if (v[p "type"] == "\"primary\"") id = v[p "id"]
	}
	END { print id }' objs.flat
}
p0=$(primary_of "$crtc0")
p1=$(primary_of "$crtc1")

# virtio's primary planes must cover the CRTC: framebuffers of the size of
# the preferred mode that assign gives a CRTC it lights
mode0=$(sed -n 's/^\.devices\[0\]\.connectors\[0\]\.preferred_mode="\(.*\)"$/\1/p' objs.flat)
mode1=$(sed -n 's/^\.devices\[0\]\.connectors\[1\]\.preferred_mode="\(.*\)"$/\1/p' objs.flat)
dumbfb_start "$dev" --bars --size "$mode0"
fb0=$FB fb0_pid=$FB_PID
dumbfb_start "$dev" --fill 0xff00ff00 --size "$mode1"
fb1=$FB fb1_pid=$FB_PID
dumbfb_start "$dev" --fill 0xff808080 --size "$mode0"
fb2=$FB fb2_pid=$FB_PID
dumbfb_start "$dev" --size 64x64 --format AR24 --fill 0xff0000ff
cur=$FB cur_pid=$FB_PID
check "helper framebuffers created ($fb0 $mode0, $fb1 $mode1, $fb2, $cur)" \
	[ -n "$fb0" -a -n "$fb1" -a -n "$fb2" -a -n "$cur" ]

cat >vm.sh <<'VM'
#!/bin/sh
# a "VM" holding one lease: $1 own CRTC, $2 own fb, $3 other CRTC,
# $4 other's primary plane, $5 name
. /tests/lib.sh
[ -n "$GVT_DFLIP_LEASE_FD" ] && ok "$5: lease fd $GVT_DFLIP_LEASE_FD in the environment" ||
	not_ok "$5: lease fd in the environment"
expect_rc 7 "$5: the other lease's CRTC is refused (exit 7)" \
	gvt-dflip assign --once --fb "$2" --crtc "$3"
expect_rc 7 "$5: the other lease's plane is refused (exit 7)" \
	gvt-dflip assign --once --fb "$2" --hw-plane "$4"
gvt-dflip assign --fb "$2" >"$5.out" &
pid=$!
wait_for "$5.out" '^assigned' 30
check "$5: assign lands on its own CRTC" \
	[ "$(assigned_field "$5.out" 3)" = "$1" ]
touch "$5.ready"
wait_file /tmp/lease.done 120
kill -TERM $pid
wait $pid
check "$5: the resident assign exits 0 on SIGTERM" [ $? = 0 ]
VM
chmod +x vm.sh
rm -f /tmp/lease.done vm0.ready vm1.ready
gvt-dflip lease --device "$dev" --crtc "$crtc0" -- ./vm.sh "$crtc0" "$fb0" "$crtc1" "$p1" vm0 \
	';' --crtc "$crtc1" -- ./vm.sh "$crtc1" "$fb1" "$crtc0" "$p0" vm1 &
lease=$!
wait_file vm0.ready 60 && wait_file vm1.ready 60
check "both lessees show their framebuffer at once" \
	[ "$(plane_field "$dev" "$p0" fb)" = "$fb0" -a \
	  "$(plane_field "$dev" "$p1" fb)" = "$fb1" ]
expect_rc 125 "lease while another gvt-dflip holds DRM master exits 125" \
	gvt-dflip lease --device "$dev" --crtc "$crtc0" -- true
touch /tmp/lease.done
wait $lease
check "lease exits 0 when its commands do" [ $? = 0 ]

expect_rc 125 "leasing one CRTC twice exits 125 and runs nothing" \
	gvt-dflip lease --device "$dev" --crtc "$crtc0" -- touch ran \
		';' --crtc "$crtc0" -- touch ran
check "no command ran after the lease conflict" [ ! -e ran ]
expect_rc 125 "leasing an unknown CRTC exits 125" \
	gvt-dflip lease --device "$dev" --crtc 999999 -- true
rm -f ran
expect_rc 125 "an unknown CRTC in the second group exits 125 before the first is leased" \
	gvt-dflip lease --device "$dev" --crtc "$crtc0" -- touch ran \
		';' --crtc 999999 -- touch ran
check "no command ran after the bad second group" [ ! -e ran ]
gvt-dflip lease --device "$dev" --crtc "$crtc0" -- true ';' --crtc "$crtc1" -- ';' 2>err.txt
check "a group with an empty command is refused (125) before any lease, no crash" \
	sh -c "[ $? = 125 ] && grep -q 'group 2: no command' err.txt"
check "the master can lease again after the refused groups" \
	gvt-dflip lease --device "$dev" --crtc "$crtc0" -- true
expect_rc 127 "a command that is not found exits 127" \
	gvt-dflip lease --device "$dev" --crtc "$crtc0" -- /nonexistent/cmd
printf 'x' >noexec.sh
chmod -x noexec.sh
expect_rc 126 "a command that cannot be executed exits 126" \
	gvt-dflip lease --device "$dev" --crtc "$crtc0" -- ./noexec.sh
expect_rc 5 "a command's own status 5 is passed through, not taken for lease's" \
	gvt-dflip lease --device "$dev" --crtc "$crtc0" -- sh -c 'exit 5'
expect_rc 0 "list works inside a lease" \
	gvt-dflip lease --device "$dev" --crtc "$crtc0" -- sh -c 'gvt-dflip list >/dev/null' 
expect_rc 42 "lease exits with its command's status" \
	gvt-dflip lease --device "$dev" --crtc "$crtc0" -- sh -c 'exit 42'
# a command that ignores SIGTERM loses its lease after the grace period
cat >stubborn.sh <<'STUB'
#!/bin/sh
. /tests/lib.sh
trap '' TERM
touch stubborn.ready
wait_file stubborn.go 60
timeout 20 gvt-dflip assign --once --fb "$1" --crtc "$2"
echo $? >stubborn.rc
STUB
chmod +x stubborn.sh
rm -f stubborn.ready stubborn.go stubborn.rc
gvt-dflip lease --device "$dev" --crtc "$crtc0" -- ./stubborn.sh "$fb0" "$crtc0" &
lease=$!
wait_file stubborn.ready 30
kill -TERM $lease
sleep 3
touch stubborn.go
wait $lease
check "on SIGTERM the lease is revoked after the grace period (exit 7 in it)" \
	[ "$(cat stubborn.rc 2>/dev/null)" = 7 ]

check "the leases are revoked: the master can assign again" \
	sh -c "gvt-dflip assign --once --device $dev --fb $fb0 >m.out &
	       pid=\$!; . /tests/lib.sh; wait_for m.out '^assigned' 30;
	       r=\$?; kill -TERM \$pid; wait \$pid && [ \$r = 0 ]"

# a commit the driver refuses leaves nothing behind: virtio's primary
# plane must cover the CRTC, which the commit that lights it would not
dumbfb_start "$dev" --size 640x480
small=$FB small_pid=$FB_PID
expect_rc 8 "a commit the driver refuses (plane smaller than the mode) exits 8" \
	gvt-dflip assign --once --device "$dev" --fb "$small" --crtc "$crtc0"
check "after the refused commit the CRTC is still off and the plane free" \
	[ "$(crtc_active "$dev" 0)" = false -a \
	  "$(plane_field "$dev" "$p0" fb)" = null ]
stop $small_pid

expect_rc 4 "cursor framebuffer on a primary plane exits 4" \
	gvt-dflip assign --once --device "$dev" --fb "$cur" --kind cursor \
		--hw-plane "$p0"
expect_rc 4 "ARGB framebuffer on virtio's XRGB-only primary exits 4" \
	gvt-dflip assign --once --device "$dev" --fb "$cur" --kind primary \
		--hw-plane "$p0"

cat >full.sh <<'FULL'
#!/bin/sh
. /tests/lib.sh
gvt-dflip assign --fb "$1" >full.out &
pid=$!
wait_for full.out '^assigned' 30
expect_rc 6 "no free compatible plane in the lease exits 6" \
	gvt-dflip assign --once --fb "$2"
expect_rc 6 "a busy --hw-plane exits 6" \
	gvt-dflip assign --once --fb "$2" --hw-plane "$(assigned_field full.out 2)"
kill -TERM $pid
wait $pid
FULL
chmod +x full.sh
gvt-dflip lease --device "$dev" --crtc "$crtc0" -- ./full.sh "$fb0" "$fb2"
check "the lease with a full CRTC ends cleanly" [ $? = 0 ]

# a VM that drives two virtual pipes, one per monitor: one lease of both
# CRTCs bound to the vGPU, pipe A's and pipe B's primary assigned beside
# each other (a fake sysfs tree names the virtio framebuffers as the
# vGPU's planes), and list says which pipe is on which monitor
uuid=4b4f2e3a-9c1d-4e8b-a1f2-0123456789ab
bdf=0000:00:02.0
root=/tmp/fakesys-multi
vg=$root/devices/pci0000:00/$bdf/$uuid
mkdir -p "$vg/intel_vgpu" "$vg/intel_vgpu_planes" \
	"$root/devices/pci0000:00/$bdf/drm/card$(card_minor "$dev")" "$root/bus/pci/devices"
ln -s "../../../devices/pci0000:00/$bdf" "$root/bus/pci/devices/$bdf"
echo 1 >"$vg/intel_vgpu/vgpu_id"
echo 0 >"$vg/intel_vgpu/dflip_lessee"
for p in a b c; do
	for k in primary sprite cursor; do
		echo 0 >"$vg/intel_vgpu_planes/pipe_${p}_$k"
	done
done
echo "$fb0" >"$vg/intel_vgpu_planes/pipe_a_primary"
echo "$fb1" >"$vg/intel_vgpu_planes/pipe_b_primary"
cat >multi.sh <<'MULTI'
#!/bin/sh
# $1 UUID, $2 pipe A's CRTC, $3 pipe B's CRTC, $4 the card
. /tests/lib.sh
card=$4
gvt-dflip assign --once --vgpu "$1" --plane pipe_a_primary --crtc "$2" >pa.out &
a=$!
gvt-dflip assign --once --vgpu "$1" --plane pipe_b_primary --crtc "$3" >pb.out &
b=$!
wait_for pa.out '^assigned' 30 && wait_for pb.out '^assigned' 30
check "multi: pipe A and pipe B are assigned beside each other in one lease" \
	[ "$(assigned_field pa.out 3)" = "$2" -a "$(assigned_field pb.out 3)" = "$3" ]
gvt-dflip list --json >multi.json
gvt-dflip list >multi.txt
jsoncheck <multi.json >multi.flat
# shown FIELD VPLANE: a field of .vgpus[0].planes[VPLANE].shown
shown() { sed -n "s/^\.vgpus\[0\]\.planes\[$2\]\.shown\.$1=//p" multi.flat; }
# conn ID FIELD: a field of connector ID of $card (ids are per device)
conn() {
	awk -F= -v dev="\"$card\"" -v id="$1" -v f="$2" '
	{ v[$1] = $2 }
	$1 ~ /^\.devices\[[0-9]+\]\.path$/ && $2 == dev {
		d = substr($1, 1, length($1) - 4)
	}
	d != "" && index($1, d "connectors[") == 1 && $1 ~ /\.id$/ && $2 == id {
		p = substr($1, 1, length($1) - 2)
	}
	END { if (p != "") print v[p f] }' multi.flat
}
ca=$(shown connector 0) cb=$(shown connector 3)
na=$(shown connector_name 0) nb=$(shown connector_name 3)
check "multi: list --json says pipe A is on one monitor ($na), pipe B on the other ($nb)" \
	[ -n "$ca" -a -n "$cb" -a "$ca" != "$cb" -a "$(shown crtc 0)" = "$2" -a \
	  "$(shown crtc 3)" = "$3" -a "$(conn "$ca" crtc)" = "$2" -a \
	  "$(conn "$cb" crtc)" = "$3" -a "$(conn "$ca" name)" = "$na" -a \
	  "$(conn "$cb" name)" = "$nb" ]
na=${na#\"} na=${na%\"} nb=${nb#\"} nb=${nb%\"}
check "multi: list's table says so too" \
	sh -c "grep -Eq '^    0  pipe_a_primary .* crtc $2 $na\$' multi.txt &&
	       grep -Eq '^    3  pipe_b_primary .* crtc $3 $nb\$' multi.txt"
kill -TERM $a $b
wait $a && wait $b
MULTI
chmod +x multi.sh
GVT_DFLIP_SYSFS=$root gvt-dflip lease --device "$dev" --crtc "$crtc0" \
	--crtc "$crtc1" --vgpu "$uuid" -- ./multi.sh "$uuid" "$crtc0" "$crtc1" "$dev"
check "a lease of two CRTCs bound to one vGPU ends cleanly" [ $? = 0 ]
check "the two-CRTC lease's binding is cleared" \
	[ "$(cat "$vg/intel_vgpu/dflip_lessee")" = 0 ]

# assign --vgpu without --plane shows the cursor where a cursor plane
# takes it: virtio's takes ARGB8888 only, so an XRGB cursor framebuffer
# leaves the primary shown alone, said on stderr, and no error
echo "$fb2" >"$vg/intel_vgpu_planes/pipe_a_cursor"
cat >nocursor.sh <<'NOCURSOR'
#!/bin/sh
# $1 UUID, $2 the primary's framebuffer
. /tests/lib.sh
gvt-dflip assign --once --vgpu "$1" >nc.out 2>nc.err &
pid=$!
wait_for nc.out '^assigned' 30 && sleep 0.5
primary_only() {
	[ "$(grep -c '^assigned' nc.out)" = 1 ] &&
		[ "$(assigned_field nc.out 1)" = "$2" ] &&
		grep -q "cursor of vGPU $1 not shown" nc.err && ! exited $pid
}
check "no cursor plane takes the vGPU's cursor: the primary alone, said on stderr" \
	primary_only "$@"
kill -TERM $pid
wait $pid
NOCURSOR
chmod +x nocursor.sh
GVT_DFLIP_SYSFS=$root gvt-dflip lease --device "$dev" --crtc "$crtc0" \
	--vgpu "$uuid" -- ./nocursor.sh "$uuid" "$fb0"
check "that assign still exits 0 on SIGTERM" [ $? = 0 ]

stop $fb0_pid
stop $fb1_pid
stop $fb2_pid
stop $cur_pid
tap_done
