// SPDX-License-Identifier: GPL-2.0-only
/*
 * gvt-dflip lease: lease a CRTC with its connector and planes to a
 * command, one lease per "--crtc ... -- CMD ..." group, all from one DRM
 * master, bind the group's vGPUs (--vgpu) to the new lessee, and unbind
 * and revoke each lease when its command ends.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>
#include <sys/wait.h>
#include <xf86drm.h>
#include <xf86drmMode.h>

#include "gvt-dflip.h"

#define MAX_GROUPS	8
#define MAX_OBJECTS	64
#define MAX_LEASE_VGPUS	4

struct lease_group {
	uint32_t crtc;
	uint32_t connector;
	const char *vgpu[MAX_LEASE_VGPUS];
	int nvgpus;
	char **argv;
	uint32_t lessee;
	int fd;
	pid_t pid;
	int status;
};

static int parse_id(const char *opt, const char *s, uint32_t *id)
{
	if (dflip_parse_u32(s, id) || !*id)
		return dflip_err(EX_DFLIP_USAGE, "%s: bad id '%s'", opt, s);
	return 0;
}

static int add_vgpu(struct lease_group *g, const char *uuid)
{
	if (g->nvgpus == MAX_LEASE_VGPUS)
		return dflip_err(EX_DFLIP_USAGE, "at most %d --vgpu per lease",
				 MAX_LEASE_VGPUS);
	g->vgpu[g->nvgpus++] = uuid;
	return 0;
}

/*
 * Parse "[--device D] --crtc ID [--connector ID] [--vgpu UUID]... -- CMD
 * ARGS..." groups separated by a lone ";" argument. Returns the group
 * count or -exit.
 */
static int parse_groups(int argc, char **argv, const char **device,
			struct lease_group *g)
{
	int i = 0, n = 0;

	while (i < argc) {
		if (n == MAX_GROUPS)
			return -dflip_err(EX_DFLIP_USAGE, "too many leases");
		memset(&g[n], 0, sizeof(g[n]));
		g[n].fd = -1;
		for (; i < argc && strcmp(argv[i], "--"); i += 2) {
			const char *val = i + 1 < argc ? argv[i + 1] : NULL;
			int ret = 0;

			if (!val)
				return -dflip_err(EX_DFLIP_USAGE,
						  "%s needs a value", argv[i]);
			if (!strcmp(argv[i], "--crtc"))
				ret = parse_id("--crtc", val, &g[n].crtc);
			else if (!strcmp(argv[i], "--connector"))
				ret = parse_id("--connector", val,
					       &g[n].connector);
			else if (!strcmp(argv[i], "--vgpu"))
				ret = add_vgpu(&g[n], val);
			else if (!strcmp(argv[i], "--device"))
				*device = val;
			else
				ret = dflip_err(EX_DFLIP_USAGE,
						"lease: unknown option %s",
						argv[i]);
			if (ret)
				return -ret;
		}
		if (!g[n].crtc || i + 1 >= argc)
			return -dflip_err(EX_DFLIP_USAGE,
					  "lease needs --crtc ID -- CMD");
		g[n].argv = &argv[++i];
		while (i < argc && strcmp(argv[i], ";"))
			i++;
		if (i < argc)
			argv[i++] = NULL;
		n++;
	}
	if (!n)
		return -dflip_err(EX_DFLIP_USAGE, "lease needs --crtc ID -- CMD");
	return n;
}

static int crtc_index(drmModeRes *res, uint32_t crtc)
{
	int i;

	for (i = 0; i < res->count_crtcs; i++)
		if (res->crtcs[i] == crtc)
			return i;
	return -1;
}

/* The connector of the CRTC, else the first connected one that fits. */
static uint32_t lease_connector(int fd, drmModeRes *res, int idx)
{
	uint32_t found = 0, any = 0;
	drmModeConnector *c;
	drmModeEncoder *e;
	int i, j;

	for (i = 0; i < res->count_connectors && !found; i++) {
		c = drmModeGetConnector(fd, res->connectors[i]);
		for (j = 0; c && j < c->count_encoders && !found; j++) {
			e = drmModeGetEncoder(fd, c->encoders[j]);
			if (e && (e->possible_crtcs & (1u << idx))) {
				if (e->encoder_id == c->encoder_id &&
				    e->crtc_id == res->crtcs[idx])
					found = c->connector_id;
				else if (!any && !c->encoder_id &&
					 c->connection == DRM_MODE_CONNECTED)
					any = c->connector_id;
			}
			drmModeFreeEncoder(e);
		}
		drmModeFreeConnector(c);
	}
	return found ? found : any;
}

static int lease_objects(int fd, struct lease_group *g, uint32_t *obj)
{
	drmModeRes *res = drmModeGetResources(fd);
	drmModePlaneRes *pr = drmModeGetPlaneResources(fd);
	drmModePlane *p;
	int idx, n = 0;
	uint32_t i;

	if (!res || !pr) {
		n = -dflip_err(EX_DFLIP_DRM, "no KMS resources");
		goto out;
	}
	idx = crtc_index(res, g->crtc);
	if (idx < 0) {
		n = -dflip_err(EX_DFLIP_UNKNOWN, "unknown crtc %u", g->crtc);
		goto out;
	}
	if (!g->connector)
		g->connector = lease_connector(fd, res, idx);
	if (!g->connector) {
		n = -dflip_err(EX_DFLIP_DRM, "no connector for crtc %u",
			       g->crtc);
		goto out;
	}
	obj[n++] = g->crtc;
	obj[n++] = g->connector;
	for (i = 0; i < pr->count_planes && n < MAX_OBJECTS; i++) {
		p = drmModeGetPlane(fd, pr->planes[i]);
		if (p && (p->possible_crtcs & (1u << idx)))
			obj[n++] = p->plane_id;
		drmModeFreePlane(p);
	}
out:
	drmModeFreePlaneResources(pr);
	drmModeFreeResources(res);
	return n;
}

static int create_lease(int fd, struct lease_group *g)
{
	uint32_t obj[MAX_OBJECTS];
	int n = lease_objects(fd, g, obj);

	if (n < 0)
		return -n;
	g->fd = drmModeCreateLease(fd, obj, n, O_CLOEXEC, &g->lessee);
	if (g->fd >= 0)
		return 0;
	switch (errno) {
	case EBUSY:
		return dflip_err(EX_DFLIP_LEASE,
				 "crtc %u or its objects are already leased",
				 g->crtc);
	case ENOENT:
		return dflip_err(EX_DFLIP_UNKNOWN,
				 "connector %u or crtc %u does not exist",
				 g->connector, g->crtc);
	case EACCES:
	case EPERM:
		return dflip_err(EX_DFLIP_MASTER, "not allowed to lease: %s",
				 strerror(errno));
	default:
		return dflip_err(EX_DFLIP_DRM, "cannot lease crtc %u: %s",
				 g->crtc, strerror(errno));
	}
}

/* Every --vgpu of every group names a vGPU: else exit 3, nothing leased. */
static int check_vgpus(const struct lease_group *g, int n)
{
	struct dflip_vgpu v;
	int i, j;

	for (i = 0; i < n; i++)
		for (j = 0; j < g[i].nvgpus; j++)
			if (dflip_vgpu_find(g[i].vgpu[j], &v))
				return dflip_err(EX_DFLIP_UNKNOWN,
						 "unknown vGPU %s", g[i].vgpu[j]);
	return 0;
}

/* Let the new lessee, and only it, show the group's vGPUs. */
static int bind_vgpus(struct lease_group *g)
{
	struct dflip_vgpu v;
	int i, err;

	for (i = 0; i < g->nvgpus; i++) {
		if (dflip_vgpu_find(g->vgpu[i], &v))
			return dflip_err(EX_DFLIP_UNKNOWN, "unknown vGPU %s",
					 g->vgpu[i]);
		err = -dflip_vgpu_bind_lessee(&v, g->lessee);
		if (!err)
			continue;
		return dflip_err(err == EACCES || err == EPERM ?
				 EX_DFLIP_ACCESS : EX_DFLIP_DRM,
				 "cannot bind vGPU %s to lessee %u: %s",
				 g->vgpu[i], g->lessee, strerror(err));
	}
	return 0;
}

/* Unbind the group's vGPUs still bound to its lessee (ids are reused). */
static void unbind_vgpus(struct lease_group *g)
{
	struct dflip_vgpu v;
	int i;

	for (i = 0; i < g->nvgpus; i++)
		if (!dflip_vgpu_find(g->vgpu[i], &v))
			dflip_vgpu_unbind_lessee(&v, g->lessee);
}

static void lease_revoke(int fd, struct lease_group *g)
{
	if (!g->lessee)
		return;
	unbind_vgpus(g);
	/* ENOENT: the lease ended with the last file of its command */
	if (drmModeRevokeLease(fd, g->lessee) && errno != ENOENT)
		dflip_err(EX_DFLIP_DRM, "cannot revoke lease %u: %s",
			  g->lessee, strerror(errno));
	g->lessee = 0;
}

static void run_child(struct lease_group *g, const sigset_t *old)
{
	char num[16];

	fcntl(g->fd, F_SETFD, 0);
	snprintf(num, sizeof(num), "%d", g->fd);
	setenv("GVT_DFLIP_LEASE_FD", num, 1);
	sigprocmask(SIG_SETMASK, old, NULL);
	execvp(g->argv[0], g->argv);
	dflip_err(127, "cannot run %s: %s", g->argv[0], strerror(errno));
	_exit(127);
}

static int exit_status(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}

/* How long commands get to unassign after SIGTERM before their leases go */
#define GRACE_SECONDS	2

static void reap(int fd, struct lease_group *g, int n, int *running)
{
	int status, i;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (i = 0; i < n; i++) {
			if (g[i].pid != pid)
				continue;
			g[i].pid = 0;
			g[i].status = exit_status(status);
			lease_revoke(fd, &g[i]);
			(*running)--;
		}
	}
}

/*
 * Wait for all children and revoke each lease as its command ends. On
 * SIGINT/SIGTERM the commands get SIGTERM and GRACE_SECONDS to take their
 * planes off; then whatever is still leased is revoked.
 */
static void supervise(int fd, struct lease_group *g, int n,
		      const sigset_t *set)
{
	struct timespec grace = { .tv_sec = GRACE_SECONDS };
	bool stopping = false;
	int running = n, sig, i;

	while (running > 0) {
		sig = stopping ? sigtimedwait(set, NULL, &grace) :
				 sigwaitinfo(set, NULL);
		if (sig < 0 && errno == EAGAIN) {
			for (i = 0; i < n; i++)
				lease_revoke(fd, &g[i]);
			stopping = false;
		} else if ((sig == SIGINT || sig == SIGTERM) && !stopping) {
			for (i = 0; i < n; i++)
				if (g[i].pid > 0)
					kill(g[i].pid, SIGTERM);
			stopping = true;
		}
		reap(fd, g, n, &running);
	}
}

static int run_groups(int fd, struct lease_group *g, int n)
{
	sigset_t set, old;
	int i, ret = 0;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, &old);
	for (i = 0; i < n; i++) {
		g[i].pid = fork();
		if (!g[i].pid)
			run_child(&g[i], &old);
		close(g[i].fd);
		if (g[i].pid < 0) {
			g[i].pid = 0;
			g[i].status = dflip_err(EX_DFLIP_DRM, "fork: %s",
						strerror(errno));
			lease_revoke(fd, &g[i]);
		}
	}
	supervise(fd, g, n, &set);
	sigprocmask(SIG_SETMASK, &old, NULL);
	for (i = 0; i < n && !ret; i++)
		ret = g[i].status;
	return ret;
}

int dflip_lease_main(int argc, char **argv)
{
	struct lease_group g[MAX_GROUPS];
	const char *device = NULL;
	struct dflip_dev d;
	int n, i, ret;

	n = parse_groups(argc, argv, &device, g);
	if (n < 0)
		return -n;
	ret = check_vgpus(g, n);
	if (ret)
		return ret;
	ret = dflip_dev_open(&d, device, -1);
	if (!ret)
		ret = dflip_dev_master(&d);
	if (ret)
		return ret;
	for (i = 0; i < n && !ret; i++) {
		ret = create_lease(d.fd, &g[i]);
		if (!ret)
			ret = bind_vgpus(&g[i]);
	}
	if (ret) {
		/* all or nothing: no lease survives a failed one */
		while (i-- > 0) {
			if (g[i].fd >= 0)
				close(g[i].fd);
			lease_revoke(d.fd, &g[i]);
		}
	} else {
		ret = run_groups(d.fd, g, n);
	}
	dflip_dev_close(&d);
	return ret;
}
