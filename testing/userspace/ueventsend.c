// SPDX-License-Identifier: GPL-2.0-only
/*
 * ueventsend: multicast a KOBJ_CHANGE-shaped uevent to the uevent netlink
 * group, the way the kernel announces a vGPU plane's new framebuffer:
 *
 *   ueventsend DEVPATH KEY=VALUE...
 *
 * Only for tests against a GVT_DFLIP_SYSFS tree: gvt-dflip ignores
 * uevents from userspace otherwise. Needs CAP_NET_ADMIN.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/netlink.h>

static int add(char *buf, size_t len, size_t *n, const char *s)
{
	size_t l = strlen(s) + 1;

	if (*n + l > len)
		return -1;
	memcpy(buf + *n, s, l);
	*n += l;
	return 0;
}

int main(int argc, char **argv)
{
	struct sockaddr_nl dst = { .nl_family = AF_NETLINK, .nl_groups = 1 };
	char buf[4096], line[1024];
	size_t n = 0;
	int sk, i, bad;

	if (argc < 2) {
		fprintf(stderr, "usage: ueventsend DEVPATH KEY=VALUE...\n");
		return 1;
	}
	snprintf(line, sizeof(line), "change@%s", argv[1]);
	bad = add(buf, sizeof(buf), &n, line) ||
	      add(buf, sizeof(buf), &n, "ACTION=change");
	snprintf(line, sizeof(line), "DEVPATH=%s", argv[1]);
	bad = bad || add(buf, sizeof(buf), &n, line) ||
	      add(buf, sizeof(buf), &n, "SUBSYSTEM=mdev");
	for (i = 2; i < argc && !bad; i++)
		bad = add(buf, sizeof(buf), &n, argv[i]);
	if (bad) {
		fprintf(stderr, "ueventsend: message too long\n");
		return 1;
	}
	sk = socket(AF_NETLINK, SOCK_DGRAM, NETLINK_KOBJECT_UEVENT);
	if (sk < 0 || sendto(sk, buf, n, 0, (struct sockaddr *)&dst,
			     sizeof(dst)) < 0) {
		fprintf(stderr, "ueventsend: %s\n", strerror(errno));
		return 1;
	}
	close(sk);
	return 0;
}
