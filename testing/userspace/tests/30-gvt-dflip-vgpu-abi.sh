#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# gvt-dflip against the documented vGPU sysfs ABI, laid out in a tmpfs
# (GVT_DFLIP_SYSFS) with framebuffers of vkms standing in for the vGPU's:
# list, assign --vgpu/--plane, the vGPU error exits, following a geometry
# change uevent, and lease --vgpu binding the vGPU (dflip_lessee). No vGPU
# exists here: this checks the tool's side of the ABI, the kselftest checks
# the kernel's side on real hardware. The kernel's access policy refuses a
# vGPU framebuffer with ENOENT; here the id of a removed framebuffer stands
# in for it, which tests the tool's exit 7, not the kernel's policy (that
# is KUnit's dflip_host).
. /tests/lib.sh

dev=$(card vkms) || {
	not_ok "vkms device present"
	tap_done
	exit 1
}
minor=$(card_minor "$dev")
uuid=4b4f2e3a-9c1d-4e8b-a1f2-0123456789ab
bdf=0000:00:02.0
root=/tmp/fakesys
vg=$root/devices/pci0000:00/$bdf/$uuid/intel_vgpu

dumbfb_start "$dev" --bars
bars=$FB bars_pid=$FB_PID
dumbfb_start "$dev" --size 800x600 --fill 0xff3050a0
small=$FB small_pid=$FB_PID
dumbfb_start "$dev" --size 64x64 --format AR24 --fill 0xffffffff
cursor=$FB cursor_pid=$FB_PID
check "stand-in framebuffers created ($bars, $small, $cursor)" \
	[ -n "$bars" -a -n "$small" -a -n "$cursor" ]

mkdir -p "$vg" "$vg/../intel_vgpu_planes" "$root/devices/pci0000:00/$bdf/drm/card$minor" \
	"$root/bus/pci/devices"
ln -s "../../../devices/pci0000:00/$bdf" "$root/bus/pci/devices/$bdf"
echo 1 >"$vg/vgpu_id"
echo 0 >"$vg/dflip_lessee"
for p in a b c; do
	for k in primary sprite cursor; do
		echo 0 >"$vg/../intel_vgpu_planes/pipe_${p}_$k"
	done
done
echo "$bars" >"$vg/../intel_vgpu_planes/pipe_a_primary"
echo "$cursor" >"$vg/../intel_vgpu_planes/pipe_a_cursor"
export GVT_DFLIP_SYSFS=$root

gvt-dflip list >list.txt
check "list shows the vGPU, its 9 planes and pipe_a_primary's format" \
	sh -c "grep -q 'vGPU $uuid (vgpu_id 1, $bdf, $dev)' list.txt &&
	       [ \$(grep -Ec '^    [0-8]  pipe_[abc]_' list.txt) = 9 ] &&
	       grep -Eq '^    0  pipe_a_primary +$bars +XR24 1024x768' list.txt"
gvt-dflip list --json >list.json
check "list --json has the vGPU's planes with format and size" \
	json_has list.json "^\.vgpus\[0\]\.uuid=\"$uuid\"$" \
	'^\.vgpus\[0\]\.vgpu_id=1$' \
	"^\.vgpus\[0\]\.device=\"$dev\"$" \
	'^\.vgpus\[0\]\.planes\[8\]\.name="pipe_c_cursor"$' \
	"^\.vgpus\[0\]\.planes\[0\]\.fb=$bars$" \
	'^\.vgpus\[0\]\.planes\[0\]\.format="XR24"$' \
	'^\.vgpus\[0\]\.planes\[0\]\.width=1024$' \
	'^\.vgpus\[0\]\.planes\[2\]\.format="AR24"$' \
	'^\.vgpus\[0\]\.planes\[1\]\.fb=null$'

expect_rc 3 "unknown vGPU UUID exits 3" \
	gvt-dflip assign --once --vgpu 00000000-0000-0000-0000-000000000000 \
		--plane 0
expect_rc 3 "unknown plane name exits 3" \
	gvt-dflip assign --once --vgpu "$uuid" --plane pipe_d_primary
expect_rc 3 "plane number 9 exits 3" \
	gvt-dflip assign --once --vgpu "$uuid" --plane 9
expect_rc 3 "a plane without framebuffer exits 3" \
	gvt-dflip assign --once --vgpu "$uuid" --plane pipe_b_primary

bg a.out gvt-dflip assign --vgpu "$uuid" --plane pipe_a_primary
A=$BG
check "assign --vgpu --plane pipe_a_primary finds the card and assigns" \
	wait_for a.out "^assigned fb $bars to plane" 30
plane=$(assigned_field a.out 2)
crc_bars=$(stable_crc "$minor")
check "list names the vGPU plane the hardware plane shows" \
	sh -c "gvt-dflip list | grep -Eq '^  $plane .* vGPU $uuid pipe_a_primary$'"

echo "$small" >"$vg/../intel_vgpu_planes/pipe_a_primary"
# hostile uevents first: junk numbers, a plane out of range, an fb id
# that does not exist, another device; none may move or stop the plane
ueventsend "/devices/pci0000:00/$bdf/$uuid" DFLIP_PLANE=0abc DFLIP_FB_ID="$cursor"
ueventsend "/devices/pci0000:00/$bdf/$uuid" DFLIP_PLANE=0 DFLIP_FB_ID=-1
ueventsend "/devices/pci0000:00/$bdf/$uuid" DFLIP_PLANE=99 DFLIP_FB_ID="$cursor"
ueventsend "/devices/pci0000:00/$bdf/$uuid" DFLIP_PLANE=0 DFLIP_FB_ID=99999999999
ueventsend "/devices/pci0000:00/$bdf/$uuid" DFLIP_PLANE=0 DFLIP_FB_ID=999999
ueventsend "/devices/pci0000:00/$bdf/x$uuid" DFLIP_PLANE=0 DFLIP_FB_ID="$cursor"
ueventsend "$uuid" DFLIP_PLANE=0 DFLIP_FB_ID="$cursor"
sleep 1
hostile_ok() { [ "$(plane_field "$dev" "$plane" fb)" = "$bars" ] && ! exited $A; }
check "hostile uevents leave the plane as it is and the follower running" \
	hostile_ok
ueventsend "/devices/pci0000:00/$bdf/$uuid" DFLIP_PLANE=1 DFLIP_FB_ID="$cursor"
ueventsend "/devices/pci0000:00/$bdf/$uuid" DFLIP_PLANE=0 DFLIP_FB_ID="$small"
check "a geometry change uevent re-commits the plane's new framebuffer" \
	wait_for a.out "^reassigned fb $small to plane $plane " 30
check "only the event of the assigned plane was followed" \
	[ "$(grep -c reassigned a.out)" = 1 ]
crc_small=$(stable_crc "$minor")
check "the new framebuffer is on screen (CRC changed and is stable)" \
	[ -n "$crc_small" -a -n "$crc_bars" -a "$crc_small" != "$crc_bars" ]
check "the plane shows the new framebuffer" \
	[ "$(plane_field "$dev" "$plane" fb)" = "$small" ]
check "the fit is applied again to the new 800x600 framebuffer (centred at 112,84)" \
	[ "$(plane_field "$dev" "$plane" crtc_rect.x)" = 112 -a \
	  "$(plane_field "$dev" "$plane" crtc_rect.y)" = 84 -a \
	  "$(plane_field "$dev" "$plane" crtc_rect.w)" = 800 ]
stop $A
check "the follower exits 0 on SIGTERM" [ $? = 0 ]

bg c.out gvt-dflip assign --once --vgpu "$uuid" --plane pipe_a_cursor
A=$BG
wait_for c.out '^assigned' 30
check "the vGPU's cursor plane goes to a cursor hardware plane" \
	[ "$(plane_field "$dev" "$(assigned_field c.out 2)" type)" = '"cursor"' ]
stop $A

bg v.out gvt-dflip assign --once --vgpu "$uuid"
A=$BG
wait_for v.out '^assigned.*' 30 && sleep 0.5
vp=$(sed -n 's/^assigned fb [0-9]* to plane \([0-9]*\) on crtc [0-9]*$/\1/p' v.out | head -n 1)
vc=$(sed -n 's/^assigned fb [0-9]* to plane \([0-9]*\) on crtc [0-9]*$/\1/p' v.out | sed -n 2p)
check "assign --vgpu without --plane shows the primary and the cursor" \
	[ "$(grep -c '^assigned' v.out)" = 2 -a \
	  "$(plane_field "$dev" "$vp" type)" = '"primary"' -a \
	  "$(plane_field "$dev" "$vc" type)" = '"cursor"' -a \
	  "$(plane_field "$dev" "$vc" fb)" = "$cursor" ]
gvt-dflip list --json >shown.json
gvt-dflip list >shown.txt
shown_ok() {
	json_has shown.json "^\.vgpus\[0\]\.planes\[0\]\.shown\.plane=$vp\$" \
		"^\.vgpus\[0\]\.planes\[2\]\.shown\.plane=$vc\$" \
		'^\.vgpus\[0\]\.planes\[0\]\.shown\.connector_name="Virtual-1"$' \
		'^\.vgpus\[0\]\.planes\[1\]\.shown=null$' &&
	grep -Eq "^    0  pipe_a_primary .* on plane $vp crtc [0-9]+ Virtual-1\$" shown.txt
}
check "list says which hardware plane, CRTC and connector show the vGPU's pipe A" \
	shown_ok
stop $A
check "both are taken off on SIGTERM" \
	[ "$(plane_field "$dev" "$vp" fb)" = null -a "$(plane_field "$dev" "$vc" fb)" = null ]

# ENOENT for an id that sysfs reports for a vGPU plane: the kernel's
# policy refused it (exit 7); for an id no vGPU reports: unknown (exit 3)
dumbfb_start "$dev" --size 64x64 --fill 0xff000000
gone=$FB
stop $FB_PID
echo "$gone" >"$vg/../intel_vgpu_planes/pipe_b_primary"
expect_rc 7 "ENOENT on a vGPU plane's fb id exits 7 (refused by the policy)" \
	gvt-dflip assign --once --vgpu "$uuid" --plane pipe_b_primary
expect_rc 7 "ENOENT on an fb id a vGPU reports exits 7 with --fb too" \
	gvt-dflip assign --once --device "$dev" --fb "$gone"
echo 0 >"$vg/../intel_vgpu_planes/pipe_b_primary"
expect_rc 3 "ENOENT on an fb id no vGPU reports still exits 3" \
	gvt-dflip assign --once --device "$dev" --fb "$gone"

# lease --vgpu binds the vGPU to the new lessee for the lease's lifetime
gvt-dflip list --json --device "$dev" | jsoncheck >objs.flat
crtc=$(sed -n 's/^\.devices\[0\]\.crtcs\[0\]\.id=//p' objs.flat)
rm -f bound.txt
gvt-dflip lease --device "$dev" --crtc "$crtc" --vgpu "$uuid" -- \
	sh -c "cat '$vg/dflip_lessee' >bound.txt"
check "lease --vgpu exits 0 when its command does" [ $? = 0 ]
check "the vGPU is bound to the lessee while the command runs ($(cat bound.txt 2>/dev/null))" \
	[ "$(cat bound.txt 2>/dev/null)" -gt 0 ]
check "the binding is cleared when the lease is revoked" \
	[ "$(cat "$vg/dflip_lessee")" = 0 ]
gvt-dflip lease --device "$dev" --crtc "$crtc" --vgpu "$uuid" -- \
	sh -c "echo 99 >'$vg/dflip_lessee'"
check "a binding someone changed meanwhile is left alone" \
	[ "$(cat "$vg/dflip_lessee")" = 99 ]
echo 0 >"$vg/dflip_lessee"
# The same number, bound meanwhile to another master's lessee (after a VT
# switch DRM numbers lessees from 1 again): the kernel then refuses this
# lease the vGPU's framebuffers, which the id of a removed framebuffer
# stands in for here. lease must tell by identity, not by number.
planes=$vg/../intel_vgpu_planes
cp "$planes/pipe_a_primary" saved.primary
cp "$planes/pipe_a_cursor" saved.cursor
gvt-dflip lease --device "$dev" --crtc "$crtc" --vgpu "$uuid" -- \
	sh -c "cat '$vg/dflip_lessee' >bound.txt; echo $gone >'$planes/pipe_a_primary';
	       echo $gone >'$planes/pipe_a_cursor'"
check "a binding of the same number that is not this lease's is left alone" \
	[ "$(cat "$vg/dflip_lessee")" = "$(cat bound.txt)" ]
cp saved.primary "$planes/pipe_a_primary"
cp saved.cursor "$planes/pipe_a_cursor"
echo 0 >"$vg/dflip_lessee"
rm -f ran
expect_rc 125 "lease --vgpu with an unknown vGPU exits 125" \
	gvt-dflip lease --device "$dev" --crtc "$crtc" \
		--vgpu 00000000-0000-0000-0000-000000000000 -- touch ran
check "nothing ran and nothing was bound after the unknown vGPU" \
	[ ! -e ran -a "$(cat "$vg/dflip_lessee")" = 0 ]
expect_rc 125 "more than 4 --vgpu in one lease is a usage error (125)" \
	gvt-dflip lease --device "$dev" --crtc "$crtc" --vgpu "$uuid" \
		--vgpu "$uuid" --vgpu "$uuid" --vgpu "$uuid" --vgpu "$uuid" -- true
rm -f bound.txt
gvt-dflip lease --crtc "$crtc" --vgpu "$uuid" -- \
	sh -c "cat '$vg/dflip_lessee' >bound.txt"
check "lease --vgpu without --device leases on the vGPU's parent card ($dev)" \
	[ $? = 0 -a "$(cat bound.txt 2>/dev/null)" -gt 0 ]
rm -f ran
expect_rc 125 "one vGPU in two lease groups is refused" \
	gvt-dflip lease --device "$dev" --crtc "$crtc" --vgpu "$uuid" -- touch ran \
		';' --crtc "$crtc" --vgpu "$uuid" -- touch ran
check "nothing ran and nothing was bound after the vGPU in two groups" \
	[ ! -e ran -a "$(cat "$vg/dflip_lessee")" = 0 ]

# --fit: vkms cannot scale, so the default (aspect) falls back to the
# framebuffer unscaled and centred, said on stderr; --fit none keeps (0,0)
echo "$small" >"$vg/../intel_vgpu_planes/pipe_a_primary"
gvt-dflip assign --once --vgpu "$uuid" --plane pipe_a_primary >f.out 2>f.err &
A=$!
wait_for f.out '^assigned' 30
check "assign of 800x600 on 1024x768 vkms: TEST_ONLY refuses scaling, stderr says so" \
	grep -q 'cannot scale fb .* shown unscaled, centred at 112,84' f.err
fplane=$(assigned_field f.out 2)
check "the plane is at 112,84 (centred) unscaled" \
	[ "$(plane_field "$dev" "$fplane" crtc_rect.x)" = 112 -a "$(plane_field "$dev" "$fplane" crtc_rect.y)" = 84 -a \
	  "$(plane_field "$dev" "$fplane" crtc_rect.w)" = 800 ]
crc_centred=$(stable_crc "$minor")
stop $A
gvt-dflip assign --once --fit none --vgpu "$uuid" --plane pipe_a_primary >f.out 2>f.err &
A=$!
wait_for f.out '^assigned' 30
fplane=$(assigned_field f.out 2)
check "--fit none puts it at 0,0 and says nothing on stderr" \
	[ "$(plane_field "$dev" "$fplane" crtc_rect.x)" = 0 -a ! -s f.err ]
crc_none=$(stable_crc "$minor")
check "the centred and the (0,0) picture differ on screen (CRC)" \
	[ -n "$crc_none" -a -n "$crc_centred" -a "$crc_none" != "$crc_centred" ]
stop $A
echo "$bars" >"$vg/../intel_vgpu_planes/pipe_a_primary"

stop $bars_pid
stop $small_pid
stop $cursor_pid
tap_done
