#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# gvt-dflip on vkms: list, assign of a framebuffer from another DRM file
# checked on screen with vkms' CRC, the legacy path, unassign, and the
# error exits (not master, unknown fb, incompatible plane).
. /tests/lib.sh

dev=$(card vkms) || {
	not_ok "vkms device present"
	tap_done
	exit 1
}
minor=$(card_minor "$dev")
ok "vkms device present ($dev)"

check "--help exits 0 and documents the exit codes" \
	sh -c 'gvt-dflip --help | grep -q "5 lease conflict"'
expect_rc 1 "bad usage exits 1" gvt-dflip assign --fb 0

gvt-dflip list --device "$dev" >list.txt
rc=$?
check "list exits 0, says no vGPUs, shows CRTC, planes and connector" \
	sh -c "[ $rc = 0 ] && grep -q '^no vGPUs' list.txt &&
	       grep -q 'primary' list.txt && grep -q 'cursor' list.txt &&
	       grep -q 'overlay' list.txt && grep -q 'Virtual-[0-9]* *connected' list.txt"

gvt-dflip list --json >list.json
check "list --json is valid JSON with vgpus, crtcs, planes, connectors" \
	json_has list.json '^\.vgpus=\[\]$' \
	'^\.devices\[[0-9]\]\.path="/dev/dri/card[0-9]+"$' \
	'^\.devices\[[0-9]\]\.driver="vkms"$' \
	'^\.devices\[[0-9]\]\.crtcs\[0\]\.id=[0-9]+$' \
	'^\.devices\[[0-9]\]\.crtcs\[0\]\.active=(true|false)$' \
	'^\.devices\[[0-9]\]\.planes\[0\]\.type="(primary|overlay|cursor)"$' \
	'^\.devices\[[0-9]\]\.planes\[0\]\.possible_crtcs\[0\]=[0-9]+$' \
	'^\.devices\[[0-9]\]\.planes\[0\]\.fb=null$' \
	'^\.devices\[[0-9]\]\.connectors\[0\]\.status="connected"$'

dumbfb_start "$dev" --bars
bars=$FB bars_pid=$FB_PID
dumbfb_start "$dev" --fill 0xff000000
black=$FB black_pid=$FB_PID
dumbfb_start "$dev" --size 64x64 --format AR24 --fill 0xffff0000
cursor=$FB cursor_pid=$FB_PID
check "helper framebuffers created (bars $bars, black $black, cursor $cursor)" \
	[ -n "$bars" -a -n "$black" -a -n "$cursor" ]

# assign FB [ARGS]: resident gvt-dflip --once; PID in A, output in a.out
assign() {
	fb=$1
	shift
	bg a.out gvt-dflip assign --once --device "$dev" --fb "$fb" "$@"
	A=$!
	wait_for a.out '^assigned fb' 30
}

check "assign --fb of another DRM file's framebuffer prints its plane" \
	assign "$bars"
plane=$(assigned_field a.out 2)
crtc=$(assigned_field a.out 3)
check "the assignment is on the primary plane, the CRTC lit" \
	[ "$(plane_field "$dev" "$plane" type)" = '"primary"' -a \
	  "$(plane_field "$dev" "$plane" fb)" = "$bars" -a \
	  "$(crtc_active "$dev" 0)" = true ]
crc_bars=$(stable_crc "$minor")
check "CRC of the assigned pattern is stable over 3 frames ($crc_bars)" \
	[ -n "$crc_bars" ]

expect_rc 2 "a second assign while one holds DRM master exits 2" \
	gvt-dflip assign --once --device "$dev" --fb "$black"

stop $A
rc=$?
check "SIGTERM: assign unassigns and exits 0" [ "$rc" = 0 ]
check "after SIGTERM the plane is free and the CRTC off again" \
	[ "$(plane_field "$dev" "$plane" fb)" = null -a \
	  "$(crtc_active "$dev" 0)" = false ]

assign "$black"
crc_black=$(stable_crc "$minor")
stop $A
check "CRC of a black framebuffer differs from the pattern's" \
	[ -n "$crc_black" -a -n "$crc_bars" -a "$crc_black" != "$crc_bars" ]

GVT_DFLIP_NO_ATOMIC=1 assign "$bars"
crc_legacy=$(stable_crc "$minor")
stop $A
rc=$?
check "legacy (no atomic) assign shows the same pattern and exits 0" \
	[ "$rc" = 0 -a -n "$crc_legacy" -a "$crc_legacy" = "$crc_bars" ]

check "a cursor framebuffer goes to the cursor plane" \
	assign "$cursor" --kind cursor
cplane=$(assigned_field a.out 2)
check "that plane is of type cursor" \
	[ "$(plane_field "$dev" "$cplane" type)" = '"cursor"' ]
stop $A

primary=$(gvt-dflip list --device "$dev" | awk '$2 == "primary" { print $1; exit }')
expect_rc 4 "cursor framebuffer on the primary plane exits 4" \
	gvt-dflip assign --once --device "$dev" --fb "$cursor" --kind cursor \
		--hw-plane "$primary"
expect_rc 3 "unknown framebuffer id exits 3" \
	gvt-dflip assign --once --device "$dev" --fb 999999
expect_rc 3 "unknown hardware plane id exits 3" \
	gvt-dflip assign --once --device "$dev" --fb "$bars" --hw-plane 999999

gvt-dflip assign --once --device "$dev" --fb "$bars" >/dev/full 2>full.err &
A=$!
i=0
while ! exited $A && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
stop $A
rc=$?
full_ok() {
	[ $rc = 9 -a "$(plane_field "$dev" "$plane" fb)" = null ] &&
		grep -q "cannot write to stdout" full.err
}
check "assign with stdout on /dev/full exits 9, says so and takes the plane off" \
	full_ok

# a killed assigner leaves the plane on: unassign takes it off
assign "$bars"
kill -KILL $A
wait $A
expect_rc 0 "unassign --hw-plane after a killed assigner exits 0" \
	gvt-dflip unassign --device "$dev" --hw-plane "$plane"
check "unassign freed the plane" \
	[ "$(plane_field "$dev" "$plane" fb)" = null ]
expect_rc 3 "unassign of an unknown plane exits 3" \
	gvt-dflip unassign --device "$dev" --hw-plane 999999

# closing the framebuffer's file takes it off the screen (kernel side)
assign "$bars"
stop $bars_pid
sleep 0.5
check "the plane is released when the framebuffer's owner exits" \
	[ "$(plane_field "$dev" "$plane" fb)" = null ]
stop $A
stop $black_pid
stop $cursor_pid
tap_done
