// SPDX-License-Identifier: GPL-2.0-only
/*
 * Following a vGPU's geometry changes: KOBJ_CHANGE uevents of the mdev
 * device carrying DFLIP_PLANE=<n> and DFLIP_FB_ID=<id>.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/netlink.h>

#include "gvt-dflip.h"

int dflip_uevent_open(void)
{
	struct sockaddr_nl sa = {
		.nl_family = AF_NETLINK,
		.nl_groups = 1,		/* the kernel's uevent group */
	};
	int sk;

	sk = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
		    NETLINK_KOBJECT_UEVENT);
	if (sk < 0)
		return -errno;
	if (bind(sk, (struct sockaddr *)&sa, sizeof(sa))) {
		int err = errno;

		close(sk);
		return -err;
	}
	return sk;
}

/*
 * Only the kernel's own messages count, except against a test sysfs tree
 * (GVT_DFLIP_SYSFS), whose vGPUs only a test program can speak for.
 */
static bool trusted_sender(const struct sockaddr_nl *from)
{
	return from->nl_pid == 0 || getenv("GVT_DFLIP_SYSFS");
}

static bool devpath_is(const char *devpath, const char *uuid)
{
	const char *base = strrchr(devpath, '/');

	return base && !strcasecmp(base + 1, uuid);
}

/*
 * Read one message. Returns 1 with the plane number in *@plane and the new
 * fb id when it is a plane change of vGPU @uuid, 0 when it is something
 * else, -errno on error.
 */
int dflip_uevent_read(int sk, const char *uuid, int *plane, uint32_t *fb)
{
	char buf[8192], *p, *end;
	bool change = false, ours = false;
	uint32_t n = DFLIP_PLANES, id = 0;
	struct sockaddr_nl from;
	struct iovec iov = { buf, sizeof(buf) - 1 };
	struct msghdr msg = {
		.msg_name = &from, .msg_namelen = sizeof(from),
		.msg_iov = &iov, .msg_iovlen = 1,
	};
	ssize_t len = recvmsg(sk, &msg, 0);

	if (len < 0)
		return errno == EAGAIN ? 0 : -errno;
	if (!trusted_sender(&from))
		return 0;
	buf[len] = '\0';
	end = buf + len;
	for (p = buf; p < end; p += strlen(p) + 1) {
		if (!strcmp(p, "ACTION=change"))
			change = true;
		else if (!strncmp(p, "DEVPATH=", 8))
			ours = devpath_is(p + 8, uuid);
		else if (!strncmp(p, "DFLIP_PLANE=", 12))
			dflip_parse_u32(p + 12, &n);
		else if (!strncmp(p, "DFLIP_FB_ID=", 12))
			dflip_parse_u32(p + 12, &id);
	}
	if (!change || !ours || n >= DFLIP_PLANES || !id)
		return 0;
	*plane = n;
	*fb = id;
	return 1;
}
