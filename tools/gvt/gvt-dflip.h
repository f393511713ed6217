/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * gvt-dflip: assign GVT-g vGPU plane framebuffers to host KMS planes.
 */
#ifndef GVT_DFLIP_H
#define GVT_DFLIP_H

#include <stdbool.h>
#include <stdint.h>
#include <limits.h>
#include <stdio.h>

#ifndef __printf
#define __printf(a, b)	__attribute__((format(printf, a, b)))
#endif

/* Exit codes, documented in gvt-dflip.rst */
enum {
	EX_DFLIP_OK = 0,
	EX_DFLIP_USAGE = 1,
	EX_DFLIP_MASTER = 2,	/* not DRM master, cannot open the device */
	EX_DFLIP_UNKNOWN = 3,	/* unknown vGPU, vGPU plane or object id */
	EX_DFLIP_INCOMPAT = 4,	/* plane cannot show this framebuffer */
	EX_DFLIP_LEASE = 5,	/* object already leased */
	EX_DFLIP_NOPLANE = 6,	/* every compatible plane is busy */
	EX_DFLIP_ACCESS = 7,	/* refused by the kernel's policy */
	EX_DFLIP_DRM = 8,	/* any other DRM failure */
	EX_DFLIP_OUTPUT = 9,	/* cannot write the output (stdout) */
};

/* lease's own exits, apart from its commands' statuses (as env(1)) */
enum {
	EX_LEASE_FAILED = 125,	/* lease itself failed, nothing runs */
	EX_LEASE_NOEXEC = 126,	/* a command was found but cannot run */
	EX_LEASE_NOTFOUND = 127,	/* a command was not found */
};

#define DFLIP_PIPES		3
#define DFLIP_KINDS		3
#define DFLIP_PLANES		(DFLIP_PIPES * DFLIP_KINDS)
#define DFLIP_LEASE_VGPUS	4	/* --vgpu per lease group */
#define DFLIP_LEASE_CRTCS	4	/* --crtc per lease group */

enum dflip_kind {
	DFLIP_KIND_PRIMARY = 0,
	DFLIP_KIND_SPRITE = 1,
	DFLIP_KIND_CURSOR = 2,
	DFLIP_KIND_ANY = 3,	/* a bare --fb without --kind */
};

struct dflip_vgpu {
	char uuid[40];
	char bdf[16];
	char dir[4096];		/* .../<BDF>/<UUID>/intel_vgpu */
	char card[300];		/* /dev/dri/cardN of the parent, "" if none */
	uint32_t vgpu_id;
	bool has_id;		/* vgpu_id was readable */
	uint32_t fb[DFLIP_PLANES];	/* 0 when unreadable */
};

/* An open DRM file: a card or a lease. */
struct dflip_dev {
	int fd;
	bool atomic;
	bool lessee;
	char path[PATH_MAX];
};

/* How a framebuffer is placed in the CRTC's mode (fit.c) */
enum dflip_fit {
	DFLIP_FIT_ASPECT = 0,	/* scaled to fill, aspect kept, centred */
	DFLIP_FIT_SCALE,	/* scaled to the whole mode */
	DFLIP_FIT_NONE,		/* unscaled at (0,0), clipped */
	DFLIP_FIT_CENTRE,	/* unscaled, centred: the fallback */
};

struct dflip_rect {
	uint32_t x, y, w, h;
};

/* What the tool put on screen, to be taken off again. */
struct dflip_assignment {
	uint32_t fb;
	uint32_t plane;
	uint32_t crtc;
	uint32_t connector;	/* set when we lit the crtc */
	uint32_t mode_blob;	/* idem */
	bool lit_crtc;
	enum dflip_kind kind;
	enum dflip_fit fit;
};

/* The command line (opts.c): one option table for every subcommand. */
enum dflip_cmd {
	DFLIP_CMD_GLOBAL, DFLIP_CMD_LIST, DFLIP_CMD_ASSIGN,
	DFLIP_CMD_UNASSIGN, DFLIP_CMD_LEASE, DFLIP_CMD_HELP, DFLIP_CMDS,
};

struct dflip_opts {
	uint32_t fb, crtc, hw_plane, connector;
	const char *vgpu[DFLIP_LEASE_VGPUS];
	int nvgpus;
	uint32_t crtcs[DFLIP_LEASE_CRTCS];	/* lease: every --crtc */
	int ncrtcs;
	const char *plane, *device, *kind;
	int lease_fd;
	enum dflip_fit fit;
	bool once, json, help, version;
	unsigned int seen;	/* options given, one bit each */
};

/* opts.c */
void dflip_opts_init(struct dflip_opts *o);
int dflip_opts_parse(int argc, char **argv, enum dflip_cmd cmd,
		     struct dflip_opts *o, int *next);
int dflip_cmd_find(const char *name);
const char *dflip_cmd_name(enum dflip_cmd cmd);
void dflip_usage(FILE *f, enum dflip_cmd cmd);
__printf(2, 3) int dflip_usage_err(enum dflip_cmd cmd, const char *fmt, ...);
int dflip_env_lease_fd(struct dflip_opts *o);

/* fit.c */
int dflip_fit(enum dflip_fit fit, uint32_t fw, uint32_t fh, uint32_t mw,
	      uint32_t mh, struct dflip_rect *src, struct dflip_rect *dst);
bool dflip_fit_scales(const struct dflip_rect *src,
		      const struct dflip_rect *dst);
int dflip_fit_parse(const char *s, enum dflip_fit *fit);
const char *dflip_fit_name(enum dflip_fit fit);

/* json.c */
void dflip_json_str(FILE *f, const char *s);

/* util */
__printf(2, 3) int dflip_err(int code, const char *fmt, ...);
int dflip_parse_u32(const char *s, uint32_t *out);
int dflip_errno_code(int err);

/* sysfs.c */
const char *dflip_sysfs_root(void);
int dflip_plane_name(unsigned int n, char *buf, size_t len);
int dflip_plane_parse(const char *s);
enum dflip_kind dflip_plane_kind(unsigned int n);
int dflip_vgpu_scan(struct dflip_vgpu **v);
int dflip_vgpu_find(const char *uuid, struct dflip_vgpu *out);
bool dflip_gvt_present(char *bdf, size_t len);
bool dflip_vgpu_has_fb(uint32_t fb);
int dflip_vgpu_bind_lessee(const struct dflip_vgpu *v, uint32_t lessee);
int dflip_vgpu_lessee(const struct dflip_vgpu *v, uint32_t *lessee);
int dflip_vgpu_unbind(const struct dflip_vgpu *v);

/* kms.c */
int dflip_dev_open(struct dflip_dev *d, const char *path, int lease_fd);
int dflip_dev_default(char *path, size_t len);
int dflip_dev_master(struct dflip_dev *d);
void dflip_dev_close(struct dflip_dev *d);
uint32_t dflip_prop_find(int fd, uint32_t obj, uint32_t type,
			 const char *name, uint64_t *val);
uint64_t dflip_prop(int fd, uint32_t obj, uint32_t type, const char *name,
		    bool *found);
const char *dflip_plane_type_name(uint64_t type);
struct _drmModeFB2 *dflip_getfb2(int fd, uint32_t fb);
int dflip_fb_format(int fd, uint32_t fb, char *buf, size_t len);

/* assign.c */
int dflip_assign(struct dflip_dev *d, struct dflip_assignment *a,
		 uint32_t want_crtc, uint32_t want_plane);
int dflip_reassign(struct dflip_dev *d, struct dflip_assignment *a,
		   uint32_t fb);
int dflip_unassign(struct dflip_dev *d, struct dflip_assignment *a);
int dflip_disable_plane(struct dflip_dev *d, uint32_t plane);

/* list.c */
int dflip_list(const char *device, bool json);

/* lease.c */
int dflip_lease_main(int argc, char **argv, const char *device);

/* uevent.c */
int dflip_uevent_open(void);
int dflip_uevent_read(int sk, const char *uuid, int *plane, uint32_t *fb);

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

#endif
