// SPDX-License-Identifier: GPL-2.0-only
/*
 * gvt-dflip: command line. Assigns the framebuffers of GVT-g vGPU planes
 * (or any framebuffer id) to host hardware planes and keeps them there.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/signalfd.h>

#include "gvt-dflip.h"

#ifndef DFLIP_VERSION
#define DFLIP_VERSION	"1.1"
#endif

static int parse_kind(const char *s, enum dflip_kind *kind)
{
	static const char *const names[] = { "primary", "sprite", "cursor" };
	int i;

	*kind = DFLIP_KIND_ANY;
	for (i = 0; s && i < DFLIP_KINDS; i++)
		if (!strcmp(s, names[i]))
			*kind = i;
	if (s && *kind == DFLIP_KIND_ANY)
		return dflip_usage_err(DFLIP_CMD_ASSIGN,
				       "--kind is primary, sprite or cursor, not '%s'",
				       s);
	return 0;
}

/* --vgpu/--plane or --fb to a framebuffer id and kind. */
static int resolve_fb(struct dflip_opts *o, struct dflip_vgpu *v,
		      struct dflip_assignment *a, int *plane)
{
	const char *uuid = o->nvgpus ? o->vgpu[0] : NULL;
	char bdf[64];

	*plane = -1;
	a->fit = o->fit;
	if (!!o->fb == !!uuid || (o->plane && !uuid) || (o->kind && uuid))
		return dflip_usage_err(DFLIP_CMD_ASSIGN,
				       "needs --fb ID [--kind K] or --vgpu UUID [--plane P]");
	if (o->fb) {
		a->fb = o->fb;
		return parse_kind(o->kind, &a->kind);
	}
	if (dflip_vgpu_find(uuid, v) && !dflip_gvt_present(bdf, sizeof(bdf)))
		return dflip_err(EX_DFLIP_UNKNOWN,
				 "unknown vGPU %s: GVT-g is not there (no PCI device offers i915 mdev types in %s/bus/pci/devices)",
				 uuid, dflip_sysfs_root());
	if (dflip_vgpu_find(uuid, v))
		return dflip_err(EX_DFLIP_UNKNOWN, "unknown vGPU %s", uuid);
	*plane = dflip_plane_parse(o->plane ? o->plane : "pipe_a_primary");
	if (*plane < 0)
		return dflip_err(EX_DFLIP_UNKNOWN, "unknown vGPU plane '%s'",
				 o->plane);
	a->fb = v->fb[*plane];
	a->kind = dflip_plane_kind(*plane);
	if (!a->fb)
		return dflip_err(EX_DFLIP_UNKNOWN,
				 "plane %s of vGPU %s has no framebuffer",
				 o->plane ? o->plane : "pipe_a_primary", uuid);
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

/* The line scripts wait for; 0, or -1 when stdout cannot take it. */
static int announce(const char *what, struct dflip_assignment *a)
{
	printf("%s fb %u to plane %u on crtc %u\n", what, a->fb, a->plane,
	       a->crtc);
	if (fflush(stdout) || ferror(stdout))
		return -1;
	return 0;
}

/*
 * Follow the vGPU only with --vgpu and without --once. The socket is open
 * before sysfs is read, so that no change in between is missed.
 */
static int follow_open(struct dflip_opts *o)
{
	int sk;

	if (o->once || !o->nvgpus)
		return -1;
	sk = dflip_uevent_open();
	if (sk < 0)
		dflip_err(0, "not following vGPU changes: %s", strerror(-sk));
	return sk;
}

/* What assign holds: the plane it was asked for, or the vGPU's primary and cursor. */
struct held {
	struct dflip_assignment a[2];
	int vplane[2];		/* vGPU plane number, -1 for --fb */
	int n;
};

static int follow(struct dflip_dev *d, struct held *h, int sk,
		  const char *uuid)
{
	uint32_t fb;
	int plane, i;

	while (dflip_uevent_read(sk, uuid, &plane, &fb) > 0) {
		for (i = 0; i < h->n; i++) {
			if (h->vplane[i] != plane || fb == h->a[i].fb)
				continue;
			if (!dflip_reassign(d, &h->a[i], fb) &&
			    announce("reassigned", &h->a[i]))
				return -1;
		}
	}
	return 0;
}

/* Stay with the DRM file open until signalled, following the vGPU. */
static int resident(struct dflip_dev *d, struct held *h, int sfd, int sk,
		    const char *uuid)
{
	struct pollfd pfd[2] = { { .fd = sfd, .events = POLLIN },
				 { .fd = sk, .events = POLLIN } };
	int i, ret = 0, err, out = 0;

	for (i = 0; i < h->n && !out; i++)
		out = announce("assigned", &h->a[i]);
	while (!out) {
		if (poll(pfd, 2, -1) < 0 && errno != EINTR)
			break;
		if (pfd[0].revents)
			break;
		if (pfd[1].fd >= 0 && pfd[1].revents)
			out = follow(d, h, pfd[1].fd, uuid);
	}
	if (out)
		ret = dflip_err(EX_DFLIP_OUTPUT,
				"cannot write to stdout (%s): taking the assignment off",
				strerror(errno));
	for (i = h->n - 1; i >= 0; i--) {
		err = dflip_unassign(d, &h->a[i]);
		if (!ret)
			ret = err;
	}
	return ret;
}

/*
 * --vgpu without --plane: the primary of pipe A, and its cursor on the
 * same CRTC when the vGPU has one and a cursor plane there is free (the
 * kernel moves it with the guest's cursor position). No cursor is no
 * error.
 */
static void add_cursor(struct dflip_dev *d, struct dflip_vgpu *v,
		       struct held *h)
{
	struct dflip_assignment *c = &h->a[1];
	int n = dflip_plane_parse("pipe_a_cursor");

	if (!v->fb[n])
		return;
	*c = (struct dflip_assignment){ .fb = v->fb[n],
					.kind = DFLIP_KIND_CURSOR };
	if (dflip_assign(d, c, h->a[0].crtc, 0)) {
		dflip_err(0, "cursor of vGPU %s not shown: no free cursor plane on crtc %u",
			  v->uuid, h->a[0].crtc);
		return;
	}
	h->vplane[1] = n;
	h->n = 2;
}

static int cmd_assign(struct dflip_opts *o)
{
	static struct dflip_vgpu v;	/* o->device may point into it */
	struct held h = { .n = 1 };
	struct dflip_dev d;
	int sfd, sk, ret;

	ret = dflip_env_lease_fd(o);
	if (!ret && o->device && o->lease_fd >= 0)
		ret = dflip_usage_err(DFLIP_CMD_ASSIGN,
				      "--device and --lease-fd exclude each other");
	if (ret)
		return ret;
	sfd = signal_fd();
	if (sfd < 0)
		return dflip_err(EX_DFLIP_DRM, "signalfd: %s", strerror(errno));
	sk = follow_open(o);
	ret = resolve_fb(o, &v, &h.a[0], &h.vplane[0]);
	if (!ret)
		ret = dflip_dev_open(&d, o->device, o->lease_fd);
	if (ret)
		return ret;
	ret = dflip_dev_master(&d);
	if (!ret)
		ret = dflip_assign(&d, &h.a[0], o->crtc, o->hw_plane);
	if (!ret && o->nvgpus && !o->plane)
		add_cursor(&d, &v, &h);
	if (!ret)
		ret = resident(&d, &h, sfd, sk, o->nvgpus ? o->vgpu[0] : NULL);
	dflip_dev_close(&d);
	return ret;
}

static int cmd_unassign(struct dflip_opts *o)
{
	struct dflip_dev d;
	int ret;

	ret = dflip_env_lease_fd(o);
	if (!ret && o->device && o->lease_fd >= 0)
		ret = dflip_usage_err(DFLIP_CMD_UNASSIGN,
				      "--device and --lease-fd exclude each other");
	if (!ret && !o->hw_plane)
		ret = dflip_usage_err(DFLIP_CMD_UNASSIGN, "needs --hw-plane ID");
	if (ret)
		return ret;
	ret = dflip_dev_open(&d, o->device, o->lease_fd);
	if (ret)
		return ret;
	ret = dflip_dev_master(&d);
	if (!ret)
		ret = dflip_disable_plane(&d, o->hw_plane);
	dflip_dev_close(&d);
	return ret;
}

/* help [CMD]: that command's usage, or all of it. */
static int cmd_help(int argc, char **argv)
{
	int cmd = argc > 1 ? dflip_cmd_find(argv[1]) : DFLIP_CMD_GLOBAL;

	if (argc > 2)
		return dflip_usage_err(DFLIP_CMD_HELP,
				       "help takes one command name, not also '%s'",
				       argv[2]);
	if (cmd < 0) {
		dflip_err(EX_DFLIP_USAGE, "help: unknown command '%s'", argv[1]);
		dflip_usage(stderr, DFLIP_CMD_GLOBAL);
		return EX_DFLIP_USAGE;
	}
	dflip_usage(stdout, cmd);
	return EX_DFLIP_OK;
}

static int run(enum dflip_cmd cmd, int argc, char **argv,
	       struct dflip_opts *o)
{
	int ret;

	if (cmd == DFLIP_CMD_HELP)
		return cmd_help(argc, argv);
	if (cmd == DFLIP_CMD_LEASE)
		return dflip_lease_main(argc - 1, argv + 1, o->device);
	ret = dflip_opts_parse(argc, argv, cmd, o, NULL);
	if (ret)
		return ret;
	if (o->help) {
		dflip_usage(stdout, cmd);
		return EX_DFLIP_OK;
	}
	switch (cmd) {
	case DFLIP_CMD_LIST:
		return dflip_list(o->device, o->json);
	case DFLIP_CMD_ASSIGN:
		return cmd_assign(o);
	default:
		return cmd_unassign(o);
	}
}

/* Usage, version and list output that stdout did not take is an error. */
static int output_checked(int ret)
{
	if (!fflush(stdout) && !ferror(stdout))
		return ret;
	if (ret)
		return ret;
	return dflip_err(EX_DFLIP_OUTPUT, "cannot write to stdout: %s",
			 strerror(errno));
}

/* gvt-dflip [GLOBAL OPTIONS] COMMAND [OPTIONS] */
int main(int argc, char **argv)
{
	struct dflip_opts o;
	int next, cmd, ret;

	dflip_opts_init(&o);
	ret = dflip_opts_parse(argc, argv, DFLIP_CMD_GLOBAL, &o, &next);
	if (ret)
		return ret;
	if (o.version) {
		printf("gvt-dflip %s\n", DFLIP_VERSION);
		return output_checked(EX_DFLIP_OK);
	}
	if (o.help) {
		dflip_usage(stdout, DFLIP_CMD_GLOBAL);
		return output_checked(EX_DFLIP_OK);
	}
	if (next >= argc) {
		dflip_err(EX_DFLIP_USAGE, "no command given");
		dflip_usage(stderr, DFLIP_CMD_GLOBAL);
		return EX_DFLIP_USAGE;
	}
	cmd = dflip_cmd_find(argv[next]);
	if (cmd < 0) {
		dflip_err(EX_DFLIP_USAGE, "unknown command '%s' (see gvt-dflip help)",
			  argv[next]);
		return EX_DFLIP_USAGE;
	}
	if (o.json && cmd != DFLIP_CMD_LIST)
		return dflip_usage_err(DFLIP_CMD_GLOBAL,
				       "--json is for list, not %s", argv[next]);
	ret = run(cmd, argc - next, argv + next, &o);
	return output_checked(ret);
}
