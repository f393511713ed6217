// SPDX-License-Identifier: GPL-2.0-only
/*
 * gvt-dflip lease: lease CRTCs with their connectors and planes to a
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

struct lease_group {
	struct dflip_opts o;
	char **argv;
	uint32_t obj[MAX_OBJECTS];
	int nobj;
	uint32_t lessee;
	int fd;		/* the lease's file, kept to tell its bindings */
	pid_t pid;
	int status;
};

static int group_err(int n, const char *msg)
{
	return dflip_err(EX_DFLIP_USAGE, "lease group %d: %s (see gvt-dflip help lease)",
			 n + 1, msg);
}

/*
 * One group "[OPTIONS] -- CMD ARGS..." at argv[*i]: its options parsed
 * with the common table, its command ended by ";" or the end. Returns 0,
 * or 1 after a message; -1 for --help.
 */
static int parse_group(int argc, char **argv, int *i, int n,
		       struct lease_group *g, const char **device)
{
	char *sub[argc + 2];
	int k = 0, ret;

	memset(g, 0, sizeof(*g));
	dflip_opts_init(&g->o);
	g->fd = -1;
	sub[k++] = "lease";
	while (*i < argc && strcmp(argv[*i], "--") && strcmp(argv[*i], ";"))
		sub[k++] = argv[(*i)++];
	sub[k] = NULL;
	ret = dflip_opts_parse(k, sub, DFLIP_CMD_LEASE, &g->o, NULL);
	if (ret)
		return ret;
	if (g->o.help)
		return -1;
	if (g->o.device && *device)
		return group_err(n, "--device given twice (one device for all leases)");
	if (g->o.device)
		*device = g->o.device;
	if (*i >= argc || strcmp(argv[*i], "--"))
		return group_err(n, *i < argc ? "';' before '--' CMD" :
				 "no '--' CMD");
	if (!g->o.ncrtcs)
		return group_err(n, "needs --crtc ID");
	if (g->o.connector && g->o.ncrtcs > 1)
		return group_err(n, "--connector goes with a single --crtc");
	g->argv = &argv[++(*i)];
	while (*i < argc && strcmp(argv[*i], ";"))
		(*i)++;
	if (*i < argc)
		argv[(*i)++] = NULL;
	if (!g->argv[0] || !g->argv[0][0])
		return group_err(n, "no command after '--'");
	return 0;
}

/* Every group parsed before anything is created. Returns the count or -exit. */
static int parse_groups(int argc, char **argv, const char **device,
			struct lease_group *g)
{
	int i = 0, n = 0, ret;

	if (!argc)
		return -dflip_err(EX_DFLIP_USAGE,
				  "lease needs --crtc ID -- CMD (see gvt-dflip help lease)");
	while (i < argc) {
		if (n == MAX_GROUPS)
			return -dflip_err(EX_DFLIP_USAGE, "at most %d lease groups",
					  MAX_GROUPS);
		ret = parse_group(argc, argv, &i, n, &g[n], device);
		if (ret < 0) {
			dflip_usage(stdout, DFLIP_CMD_LEASE);
			return 0;
		}
		if (ret)
			return -ret;
		n++;
	}
	return n;
}

/* No CRTC and no vGPU in two groups (nor twice in one). */
static int check_unique(const struct lease_group *g, int n)
{
	int i, j, a, b;

	for (i = 0; i < n; i++) {
		for (a = 0; a < g[i].o.ncrtcs; a++)
			for (j = i; j < n; j++)
				for (b = j == i ? a + 1 : 0; b < g[j].o.ncrtcs; b++)
					if (g[i].o.crtcs[a] == g[j].o.crtcs[b])
						return dflip_err(EX_DFLIP_USAGE,
								 "crtc %u is in lease groups %d and %d",
								 g[i].o.crtcs[a], i + 1, j + 1);
		for (a = 0; a < g[i].o.nvgpus; a++)
			for (j = i; j < n; j++)
				for (b = j == i ? a + 1 : 0; b < g[j].o.nvgpus; b++)
					if (!strcasecmp(g[i].o.vgpu[a], g[j].o.vgpu[b]))
						return dflip_err(EX_DFLIP_USAGE,
								 "vGPU %s is in lease groups %d and %d: a vGPU can be bound to one lease only",
								 g[i].o.vgpu[a], i + 1, j + 1);
	}
	return 0;
}

static int crtc_index(drmModeRes *res, uint32_t crtc)
{
	int i;

	for (i = 0; i < res->count_crtcs; i++)
		if (res->crtcs[i] == crtc)
			return i;
	return -1;
}

static bool in_list(const uint32_t *ids, int n, uint32_t id)
{
	while (n-- > 0)
		if (ids[n] == id)
			return true;
	return false;
}

/*
 * The connector of the CRTC, else the first connected one that fits and
 * is not in @taken yet (another CRTC's).
 */
static uint32_t lease_connector(int fd, drmModeRes *res, int idx,
				const uint32_t *taken, int ntaken)
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
					 c->connection == DRM_MODE_CONNECTED &&
					 !in_list(taken, ntaken, c->connector_id))
					any = c->connector_id;
			}
			drmModeFreeEncoder(e);
		}
		drmModeFreeConnector(c);
	}
	return found ? found : any;
}

/*
 * The objects of one of the group's CRTCs, appended to g->obj: the CRTC,
 * its connector, and its planes that no earlier CRTC took. @taken are the
 * objects found before (earlier groups and CRTCs). Returns 0 or an exit
 * code.
 */
static int crtc_objects(int fd, drmModeRes *res, drmModePlaneRes *pr,
			struct lease_group *g, uint32_t crtc,
			const uint32_t *taken, int ntaken)
{
	int idx = crtc_index(res, crtc);
	uint32_t conn = g->o.connector, i;
	drmModePlane *p;

	if (idx < 0)
		return dflip_err(EX_DFLIP_UNKNOWN, "unknown crtc %u", crtc);
	if (!conn)
		conn = lease_connector(fd, res, idx, taken, ntaken);
	if (!conn)
		return dflip_err(EX_DFLIP_DRM, "no connector for crtc %u", crtc);
	if (g->nobj + 2 > MAX_OBJECTS)
		return dflip_err(EX_DFLIP_DRM, "too many objects in one lease");
	g->obj[g->nobj++] = crtc;
	g->obj[g->nobj++] = conn;
	for (i = 0; i < pr->count_planes && g->nobj < MAX_OBJECTS; i++) {
		p = drmModeGetPlane(fd, pr->planes[i]);
		if (p && (p->possible_crtcs & (1u << idx)) &&
		    !in_list(g->obj, g->nobj, p->plane_id))
			g->obj[g->nobj++] = p->plane_id;
		drmModeFreePlane(p);
	}
	return 0;
}

/* The objects of every group, before any lease is created. */
static int find_objects(int fd, struct lease_group *g, int n)
{
	uint32_t taken[MAX_GROUPS * MAX_OBJECTS];
	drmModeRes *res = drmModeGetResources(fd);
	drmModePlaneRes *pr = drmModeGetPlaneResources(fd);
	int i, c, ntaken = 0, ret = 0;

	if (!res || !pr)
		ret = dflip_err(EX_DFLIP_DRM, "no KMS resources");
	for (i = 0; i < n && !ret; i++) {
		g[i].nobj = 0;
		for (c = 0; c < g[i].o.ncrtcs && !ret; c++) {
			/* this group's objects so far are taken too */
			memcpy(&taken[ntaken], g[i].obj,
			       g[i].nobj * sizeof(taken[0]));
			ret = crtc_objects(fd, res, pr, &g[i], g[i].o.crtcs[c],
					   taken, ntaken + g[i].nobj);
		}
		memcpy(&taken[ntaken], g[i].obj, g[i].nobj * sizeof(taken[0]));
		ntaken += g[i].nobj;
	}
	drmModeFreePlaneResources(pr);
	drmModeFreeResources(res);
	return ret;
}

/* For messages about a group's lease: its first CRTC stands for all. */
static const char *more_crtcs(const struct lease_group *g)
{
	return g->o.ncrtcs > 1 ? " (or another crtc of the group)" : "";
}

static int create_lease(int fd, struct lease_group *g)
{
	g->fd = drmModeCreateLease(fd, g->obj, g->nobj, O_CLOEXEC,
				   &g->lessee);
	if (g->fd >= 0)
		return 0;
	switch (errno) {
	case EBUSY:
		return dflip_err(EX_DFLIP_LEASE,
				 "crtc %u%s or its objects are already leased",
				 g->o.crtcs[0], more_crtcs(g));
	case ENOENT:
		return dflip_err(EX_DFLIP_UNKNOWN,
				 "crtc %u%s or its connector does not exist",
				 g->o.crtcs[0], more_crtcs(g));
	case EACCES:
	case EPERM:
		return dflip_err(EX_DFLIP_MASTER, "not allowed to lease: %s",
				 strerror(errno));
	default:
		return dflip_err(EX_DFLIP_DRM, "cannot lease crtc %u%s: %s",
				 g->o.crtcs[0], more_crtcs(g), strerror(errno));
	}
}

/* Every --vgpu of every group names a vGPU: else exit 3, nothing leased. */
static int check_vgpus(const struct lease_group *g, int n, char *card,
		       size_t len)
{
	struct dflip_vgpu v;
	const char *first = NULL;
	int i, j;

	card[0] = '\0';
	for (i = 0; i < n; i++) {
		for (j = 0; j < g[i].o.nvgpus; j++) {
			if (dflip_vgpu_find(g[i].o.vgpu[j], &v))
				return dflip_err(EX_DFLIP_UNKNOWN,
						 "unknown vGPU %s", g[i].o.vgpu[j]);
			if (!first)
				snprintf(card, len, "%s", v.card);
			if (!first)
				first = g[i].o.vgpu[j];
			else if (strcmp(card, v.card))
				return dflip_err(EX_DFLIP_USAGE,
						 "vGPUs %s (%s) and %s (%s) are on different cards: one lease process per card",
						 first, card[0] ? card : "no card",
						 g[i].o.vgpu[j], v.card[0] ? v.card : "no card");
		}
	}
	if (first && !card[0])
		return dflip_err(EX_DFLIP_MASTER,
				 "vGPU %s has no DRM card in sysfs (<BDF>/drm/cardN): give --device",
				 first);
	return 0;
}

/* Let the new lessee, and only it, show the group's vGPUs. */
static int bind_vgpus(struct lease_group *g)
{
	struct dflip_vgpu v;
	int i, err;

	for (i = 0; i < g->o.nvgpus; i++) {
		if (dflip_vgpu_find(g->o.vgpu[i], &v))
			return dflip_err(EX_DFLIP_UNKNOWN, "unknown vGPU %s",
					 g->o.vgpu[i]);
		err = -dflip_vgpu_bind_lessee(&v, g->lessee);
		if (!err)
			continue;
		if (err == ENOENT)
			return dflip_err(EX_DFLIP_MASTER,
					 "cannot bind vGPU %s to lessee %u: the lease is gone or another DRM master holds the device",
					 g->o.vgpu[i], g->lessee);
		return dflip_err(err == EACCES || err == EPERM ?
				 EX_DFLIP_ACCESS : EX_DFLIP_DRM,
				 "cannot bind vGPU %s to lessee %u: %s",
				 g->o.vgpu[i], g->lessee, strerror(err));
	}
	return 0;
}

/*
 * Is @v bound to this group's lease? The number in dflip_lessee does not
 * say: DRM numbers lessees per master, so after a VT switch another
 * master's lessee may have the same number, and be bound. The kernel lets
 * only the lessee the vGPU is bound to look up its framebuffers, so the
 * lease's own file asks (GETFB2). Returns 1 yes, 0 no, -1 no framebuffer
 * to ask about.
 */
static int bound_here(const struct lease_group *g, const char *uuid)
{
	struct dflip_vgpu v;
	drmModeFB2 *f;
	int try, i, asked = 0;
	uint32_t cur;

	/* twice: a framebuffer id may change under us (geometry change) */
	for (try = 0; try < 2; try++) {
		if (dflip_vgpu_find(uuid, &v) || dflip_vgpu_lessee(&v, &cur) ||
		    cur != g->lessee)
			return 0;
		for (i = 0; i < DFLIP_PLANES; i++) {
			if (!v.fb[i])
				continue;
			f = dflip_getfb2(g->fd, v.fb[i]);
			drmModeFreeFB2(f);
			if (f)
				return 1;
			asked++;
		}
	}
	return asked ? 0 : -1;
}

/*
 * Unbind the group's vGPUs that are still bound to its lease, and only
 * those (not rebound since, to this or another master's lessee).
 */
static void unbind_vgpus(struct lease_group *g)
{
	struct dflip_vgpu v;
	int i, here;

	for (i = 0; i < g->o.nvgpus; i++) {
		here = bound_here(g, g->o.vgpu[i]);
		if (here < 0)
			dflip_err(0, "vGPU %s left bound to lessee %u: it has no framebuffer to tell whether that is this lease (the binding lets nobody show it once the lease is revoked)",
				  g->o.vgpu[i], g->lessee);
		if (here > 0 && !dflip_vgpu_find(g->o.vgpu[i], &v))
			dflip_vgpu_unbind(&v);
	}
}

/* Unbind, revoke and close the group's lease, if it has one. */
static void lease_revoke(int fd, struct lease_group *g)
{
	if (g->lessee) {
		unbind_vgpus(g);
		/* ENOENT: gone already, which is what revoking is for */
		if (drmModeRevokeLease(fd, g->lessee) && errno != ENOENT)
			dflip_err(EX_DFLIP_DRM, "cannot revoke lease %u: %s",
				  g->lessee, strerror(errno));
	}
	if (g->fd >= 0)
		close(g->fd);
	g->fd = -1;
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
	dflip_err(EX_LEASE_NOTFOUND, "cannot run %s: %s", g->argv[0],
		  strerror(errno));
	_exit(errno == ENOENT ? EX_LEASE_NOTFOUND : EX_LEASE_NOEXEC);
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
		if (g[i].pid < 0) {
			g[i].pid = 0;
			g[i].status = dflip_err(EX_LEASE_FAILED, "fork: %s",
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

/*
 * Lease, bind and run. Returns 0 or an exit code of the tool: lease's own
 * failure, which dflip_lease_main() reports as 125.
 */
static int lease_setup(struct dflip_dev *d, struct lease_group *g, int n,
		       const char *device)
{
	char card[sizeof(((struct dflip_vgpu *)0)->card)];
	int i, ret;

	ret = check_unique(g, n);
	if (!ret)
		ret = check_vgpus(g, n, card, sizeof(card));
	if (ret)
		return ret;
	ret = dflip_dev_open(d, device ? device : card[0] ? card : NULL, -1);
	if (ret)
		return ret;
	ret = dflip_dev_master(d);
	if (!ret)
		ret = find_objects(d->fd, g, n);
	for (i = 0; i < n && !ret; i++) {
		ret = create_lease(d->fd, &g[i]);
		if (!ret)
			ret = bind_vgpus(&g[i]);
	}
	if (ret) {
		/* all or nothing: no lease survives a failed one */
		while (i-- > 0)
			lease_revoke(d->fd, &g[i]);
		dflip_dev_close(d);
	}
	return ret;
}

/*
 * gvt-dflip lease: 125 when lease itself fails (nothing ran), else the
 * first non-zero status of the commands (126/127: not executable/found).
 */
int dflip_lease_main(int argc, char **argv, const char *device)
{
	struct lease_group g[MAX_GROUPS];
	struct dflip_dev d;
	int n, ret;

	n = parse_groups(argc, argv, &device, g);
	if (!n)
		return EX_DFLIP_OK;	/* --help */
	if (n < 0)
		return EX_LEASE_FAILED;
	ret = lease_setup(&d, g, n, device);
	if (ret)
		return EX_LEASE_FAILED;
	ret = run_groups(d.fd, g, n);
	dflip_dev_close(&d);
	return ret;
}
