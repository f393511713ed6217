// SPDX-License-Identifier: GPL-2.0-only
/*
 * gvt-dflip: command line. Assigns the framebuffers of GVT-g vGPU planes
 * (or any framebuffer id) to host hardware planes and keeps them there.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/signalfd.h>

#include "gvt-dflip.h"

static const char usage[] =
"usage: gvt-dflip list [--json] [--device /dev/dri/cardN]\n"
"       gvt-dflip assign (--fb ID [--kind primary|sprite|cursor] |\n"
"                         --vgpu UUID --plane NAME|N)\n"
"                        [--crtc ID] [--hw-plane ID] [--once]\n"
"                        [--device /dev/dri/cardN | --lease-fd N]\n"
"       gvt-dflip unassign --hw-plane ID [--device /dev/dri/cardN | --lease-fd N]\n"
"       gvt-dflip lease [--device /dev/dri/cardN] --crtc ID [--connector ID]\n"
"                       [--vgpu UUID]... -- CMD ARGS...\n"
"                       [';' --crtc ID ... -- CMD ARGS...]\n"
"       gvt-dflip --help\n"
"\n"
"exit codes: 0 ok, 1 usage, 2 not DRM master or no device, 3 unknown vGPU,\n"
"plane or object id, 4 incompatible plane, 5 lease conflict, 6 no free\n"
"compatible plane, 7 refused by the kernel's policy, 8 other DRM failure.\n"
"See gvt-dflip(1).\n";

struct assign_opts {
	uint32_t fb, crtc, hw_plane;
	const char *uuid, *plane, *device, *kind;
	int lease_fd;
	bool once;
};

static int bad_usage(const char *msg)
{
	dflip_err(EX_DFLIP_USAGE, "%s (see --help)", msg);
	return EX_DFLIP_USAGE;
}

static int opt_id(const char *name, const char *s, uint32_t *id)
{
	if (dflip_parse_u32(s, id) || !*id)
		return dflip_err(EX_DFLIP_USAGE, "%s: bad id '%s'", name, s);
	return 0;
}

static int opt_fd(const char *s, int *fd)
{
	uint32_t v;

	if (dflip_parse_u32(s, &v) || v > 65535)
		return dflip_err(EX_DFLIP_USAGE, "--lease-fd: bad fd '%s'", s);
	*fd = v;
	return 0;
}

enum {
	O_FB = 256, O_VGPU, O_PLANE, O_KIND, O_CRTC, O_HWPLANE, O_DEVICE,
	O_LEASEFD, O_ONCE, O_JSON,
};

static const struct option long_opts[] = {
	{ "fb", required_argument, NULL, O_FB },
	{ "vgpu", required_argument, NULL, O_VGPU },
	{ "plane", required_argument, NULL, O_PLANE },
	{ "kind", required_argument, NULL, O_KIND },
	{ "crtc", required_argument, NULL, O_CRTC },
	{ "hw-plane", required_argument, NULL, O_HWPLANE },
	{ "device", required_argument, NULL, O_DEVICE },
	{ "lease-fd", required_argument, NULL, O_LEASEFD },
	{ "once", no_argument, NULL, O_ONCE },
	{ "json", no_argument, NULL, O_JSON },
	{ "help", no_argument, NULL, 'h' },
	{ }
};

static int parse_opt(int c, struct assign_opts *o, bool *json)
{
	switch (c) {
	case O_FB:
		return opt_id("--fb", optarg, &o->fb);
	case O_VGPU:
		o->uuid = optarg;
		return 0;
	case O_PLANE:
		o->plane = optarg;
		return 0;
	case O_KIND:
		o->kind = optarg;
		return 0;
	case O_CRTC:
		return opt_id("--crtc", optarg, &o->crtc);
	case O_HWPLANE:
		return opt_id("--hw-plane", optarg, &o->hw_plane);
	case O_DEVICE:
		o->device = optarg;
		return 0;
	case O_LEASEFD:
		return opt_fd(optarg, &o->lease_fd);
	case O_ONCE:
		o->once = true;
		return 0;
	case O_JSON:
		*json = true;
		return 0;
	case 'h':
		fputs(usage, stdout);
		exit(EX_DFLIP_OK);
	default:
		return bad_usage("unknown option or missing value");
	}
}

static int parse_opts(int argc, char **argv, struct assign_opts *o,
		      bool *json)
{
	int c, ret;

	memset(o, 0, sizeof(*o));
	o->lease_fd = -1;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", long_opts, NULL)) != -1) {
		ret = parse_opt(c, o, json);
		if (ret)
			return ret;
	}
	if (optind < argc)
		return bad_usage("unexpected argument");
	if (o->device && o->lease_fd >= 0)
		return bad_usage("--device and --lease-fd exclude each other");
	if (o->lease_fd < 0 && !o->device && getenv("GVT_DFLIP_LEASE_FD"))
		return opt_fd(getenv("GVT_DFLIP_LEASE_FD"), &o->lease_fd);
	return 0;
}

static int parse_kind(const char *s, enum dflip_kind *kind)
{
	static const char *const names[] = { "primary", "sprite", "cursor" };
	int i;

	*kind = DFLIP_KIND_ANY;
	for (i = 0; s && i < DFLIP_KINDS; i++)
		if (!strcmp(s, names[i]))
			*kind = i;
	if (s && *kind == DFLIP_KIND_ANY)
		return bad_usage("--kind is primary, sprite or cursor");
	return 0;
}

/* --vgpu/--plane or --fb to a framebuffer id and kind. */
static int resolve_fb(struct assign_opts *o, struct dflip_vgpu *v,
		      struct dflip_assignment *a, int *plane)
{
	*plane = -1;
	if (!!o->fb == !!o->uuid || !!o->uuid != !!o->plane ||
	    (o->kind && o->uuid))
		return bad_usage("assign needs --fb ID [--kind K] or --vgpu UUID --plane P");
	if (o->fb) {
		a->fb = o->fb;
		return parse_kind(o->kind, &a->kind);
	}
	if (dflip_vgpu_find(o->uuid, v))
		return dflip_err(EX_DFLIP_UNKNOWN, "unknown vGPU %s", o->uuid);
	*plane = dflip_plane_parse(o->plane);
	if (*plane < 0)
		return dflip_err(EX_DFLIP_UNKNOWN, "unknown vGPU plane '%s'",
				 o->plane);
	a->fb = v->fb[*plane];
	a->kind = dflip_plane_kind(*plane);
	if (!a->fb)
		return dflip_err(EX_DFLIP_UNKNOWN,
				 "plane %s of vGPU %s has no framebuffer",
				 o->plane, o->uuid);
	if (!o->device && o->lease_fd < 0 && v->card[0])
		o->device = v->card;
	return 0;
}

static int signal_fd(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, NULL);
	return signalfd(-1, &set, SFD_CLOEXEC);
}

static void announce(const char *what, struct dflip_assignment *a)
{
	printf("%s fb %u to plane %u on crtc %u\n", what, a->fb, a->plane,
	       a->crtc);
	fflush(stdout);
}

/*
 * Follow the vGPU only with --vgpu and without --once. The socket is open
 * before sysfs is read, so that no change in between is missed.
 */
static int follow_open(struct assign_opts *o)
{
	int sk;

	if (o->once || !o->uuid)
		return -1;
	sk = dflip_uevent_open();
	if (sk < 0)
		dflip_err(0, "not following vGPU changes: %s", strerror(-sk));
	return sk;
}

static void follow(struct dflip_dev *d, struct dflip_assignment *a, int sk,
		   const char *uuid, int plane)
{
	uint32_t fb;

	while (dflip_uevent_read(sk, uuid, plane, &fb) > 0) {
		if (fb != a->fb && !dflip_reassign(d, a, fb))
			announce("reassigned", a);
	}
}

/* Stay with the DRM file open until signalled, following the vGPU. */
static int resident(struct dflip_dev *d, struct dflip_assignment *a,
		    int sfd, int sk, const char *uuid, int plane)
{
	struct pollfd pfd[2] = { { .fd = sfd, .events = POLLIN },
				 { .fd = sk, .events = POLLIN } };

	announce("assigned", a);
	for (;;) {
		if (poll(pfd, 2, -1) < 0 && errno != EINTR)
			break;
		if (pfd[0].revents)
			break;
		if (pfd[1].fd >= 0 && pfd[1].revents)
			follow(d, a, pfd[1].fd, uuid, plane);
	}
	return dflip_unassign(d, a);
}

static int cmd_assign(int argc, char **argv)
{
	struct dflip_assignment a = { 0 };
	struct assign_opts o;
	struct dflip_vgpu v;
	struct dflip_dev d;
	int plane, sfd, sk, ret;
	bool json = false;

	ret = parse_opts(argc, argv, &o, &json);
	if (!ret && json)
		ret = bad_usage("--json is for list");
	if (ret)
		return ret;
	sfd = signal_fd();
	if (sfd < 0)
		return dflip_err(EX_DFLIP_DRM, "signalfd: %s", strerror(errno));
	sk = follow_open(&o);
	ret = resolve_fb(&o, &v, &a, &plane);
	if (!ret)
		ret = dflip_dev_open(&d, o.device, o.lease_fd);
	if (ret)
		return ret;
	ret = dflip_dev_master(&d);
	if (!ret)
		ret = dflip_assign(&d, &a, o.crtc, o.hw_plane);
	if (!ret)
		ret = resident(&d, &a, sfd, sk, o.uuid, plane);
	dflip_dev_close(&d);
	return ret;
}

static int cmd_unassign(int argc, char **argv)
{
	struct assign_opts o;
	struct dflip_dev d;
	bool json = false;
	int ret;

	ret = parse_opts(argc, argv, &o, &json);
	if (ret)
		return ret;
	if (!o.hw_plane || o.fb || o.uuid || o.plane || o.crtc || o.kind ||
	    o.once || json)
		return bad_usage("unassign takes --hw-plane ID and a device");
	ret = dflip_dev_open(&d, o.device, o.lease_fd);
	if (ret)
		return ret;
	ret = dflip_dev_master(&d);
	if (!ret)
		ret = dflip_disable_plane(&d, o.hw_plane);
	dflip_dev_close(&d);
	return ret;
}

static int cmd_list(int argc, char **argv)
{
	struct assign_opts o;
	bool json = false;
	int ret;

	ret = parse_opts(argc, argv, &o, &json);
	if (ret)
		return ret;
	if (o.fb || o.uuid || o.plane || o.crtc || o.hw_plane || o.kind ||
	    o.once || o.lease_fd >= 0)
		return bad_usage("list takes --json and --device only");
	return dflip_list(o.device, json);
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";

	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") ||
	    !strcmp(cmd, "help")) {
		fputs(usage, stdout);
		return 0;
	}
	if (!strcmp(cmd, "list"))
		return cmd_list(argc - 1, argv + 1);
	if (!strcmp(cmd, "assign"))
		return cmd_assign(argc - 1, argv + 1);
	if (!strcmp(cmd, "unassign"))
		return cmd_unassign(argc - 1, argv + 1);
	if (!strcmp(cmd, "lease"))
		return dflip_lease_main(argc - 2, argv + 2);
	fputs(usage, stderr);
	return EX_DFLIP_USAGE;
}
