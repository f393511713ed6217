// SPDX-License-Identifier: GPL-2.0-only
/*
 * The command line: one getopt_long table for the global options and
 * every subcommand (lease parses each group with it too), which options
 * each subcommand takes, and the usage texts.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "gvt-dflip.h"

enum {
	O_FB = 256, O_VGPU, O_PLANE, O_KIND, O_CRTC, O_HWPLANE, O_CONNECTOR,
	O_LEASEFD, O_ONCE, O_FIT,
	O_DEVICE = 'd', O_JSON = 'j', O_HELP = 'h', O_VERSION = 'V',
};

static const struct option long_opts[] = {
	{ "fb", required_argument, NULL, O_FB },
	{ "vgpu", required_argument, NULL, O_VGPU },
	{ "plane", required_argument, NULL, O_PLANE },
	{ "kind", required_argument, NULL, O_KIND },
	{ "crtc", required_argument, NULL, O_CRTC },
	{ "hw-plane", required_argument, NULL, O_HWPLANE },
	{ "connector", required_argument, NULL, O_CONNECTOR },
	{ "lease-fd", required_argument, NULL, O_LEASEFD },
	{ "once", no_argument, NULL, O_ONCE },
	{ "fit", required_argument, NULL, O_FIT },
	{ "device", required_argument, NULL, O_DEVICE },
	{ "json", no_argument, NULL, O_JSON },
	{ "help", no_argument, NULL, O_HELP },
	{ "version", no_argument, NULL, O_VERSION },
	{ }
};

#define NOPTS	(ARRAY_SIZE(long_opts) - 1)
#define BIT(name)	(1u << opt_index(name))

static int opt_index(int val)
{
	unsigned int i;

	for (i = 0; i < NOPTS; i++)
		if (long_opts[i].val == val)
			return i;
	return 0;
}

/* Which options each command takes. */
static unsigned int cmd_mask(enum dflip_cmd cmd)
{
	switch (cmd) {
	case DFLIP_CMD_GLOBAL:
		return BIT(O_DEVICE) | BIT(O_JSON) | BIT(O_HELP) |
		       BIT(O_VERSION);
	case DFLIP_CMD_LIST:
		return BIT(O_DEVICE) | BIT(O_JSON) | BIT(O_HELP);
	case DFLIP_CMD_ASSIGN:
		return BIT(O_FB) | BIT(O_VGPU) | BIT(O_PLANE) | BIT(O_KIND) |
		       BIT(O_CRTC) | BIT(O_HWPLANE) | BIT(O_ONCE) |
		       BIT(O_FIT) | BIT(O_DEVICE) | BIT(O_LEASEFD) |
		       BIT(O_HELP);
	case DFLIP_CMD_UNASSIGN:
		return BIT(O_HWPLANE) | BIT(O_DEVICE) | BIT(O_LEASEFD) |
		       BIT(O_HELP);
	case DFLIP_CMD_LEASE:
		return BIT(O_DEVICE) | BIT(O_CRTC) | BIT(O_CONNECTOR) |
		       BIT(O_VGPU) | BIT(O_HELP);
	default:
		return BIT(O_HELP);
	}
}

static const char *const cmd_names[DFLIP_CMDS] = {
	[DFLIP_CMD_GLOBAL] = "gvt-dflip", [DFLIP_CMD_LIST] = "list",
	[DFLIP_CMD_ASSIGN] = "assign", [DFLIP_CMD_UNASSIGN] = "unassign",
	[DFLIP_CMD_LEASE] = "lease", [DFLIP_CMD_HELP] = "help",
};

const char *dflip_cmd_name(enum dflip_cmd cmd)
{
	return cmd_names[cmd];
}

int dflip_cmd_find(const char *name)
{
	int i;

	for (i = DFLIP_CMD_LIST; i < DFLIP_CMDS; i++)
		if (!strcmp(name, cmd_names[i]))
			return i;
	return -1;
}

static const char *const usages[DFLIP_CMDS] = {
	[DFLIP_CMD_LIST] =
"usage: gvt-dflip list [-j|--json] [-d|--device /dev/dri/cardN]\n",
	[DFLIP_CMD_ASSIGN] =
"usage: gvt-dflip assign (--fb ID [--kind primary|sprite|cursor] |\n"
"                         --vgpu UUID [--plane NAME|N])\n"
"                        [--crtc ID] [--hw-plane ID] [--once]\n"
"                        [--fit none|scale|aspect]\n"
"                        [-d|--device /dev/dri/cardN | --lease-fd N]\n",
	[DFLIP_CMD_UNASSIGN] =
"usage: gvt-dflip unassign --hw-plane ID [-d|--device /dev/dri/cardN | --lease-fd N]\n",
	[DFLIP_CMD_LEASE] =
"usage: gvt-dflip lease [-d|--device /dev/dri/cardN] --crtc ID [--connector ID]\n"
"                       [--crtc ID]... [--vgpu UUID]... -- CMD ARGS...\n"
"                       [';' --crtc ID ... -- CMD ARGS...]...\n"
"lease exits 125 when it fails itself (nothing runs), 126 when a command\n"
"cannot be executed, 127 when it is not found, else with the first\n"
"non-zero status of its commands (128 + signal for a killed one).\n",
	[DFLIP_CMD_HELP] =
"usage: gvt-dflip help [list|assign|unassign|lease]\n",
};

static const char global_usage[] =
"usage: gvt-dflip [-j|--json] [-d|--device PATH] COMMAND [OPTIONS]\n"
"       gvt-dflip -h|--help | -V|--version | help COMMAND\n"
"commands: list, assign, unassign, lease; options may be --opt=value.\n"
"\n"
"exit codes: 0 ok, 1 usage, 2 not DRM master or no device, 3 unknown vGPU,\n"
"plane or object id, 4 incompatible plane, 5 lease conflict, 6 no free\n"
"compatible plane, 7 refused by the kernel's policy, 8 other DRM failure,\n"
"9 cannot write the output; lease: 125, 126, 127 or its commands' status.\n"
"See gvt-dflip(8).\n";

void dflip_usage(FILE *f, enum dflip_cmd cmd)
{
	int i;

	if (cmd != DFLIP_CMD_GLOBAL) {
		fputs(usages[cmd], f);
		return;
	}
	for (i = DFLIP_CMD_LIST; i <= DFLIP_CMD_LEASE; i++)
		fputs(usages[i], f);
	fputs(global_usage, f);
}

void dflip_opts_init(struct dflip_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->lease_fd = -1;
	o->fit = DFLIP_FIT_ASPECT;
}

/* "gvt-dflip: CMD: what (see gvt-dflip help CMD)"; returns 1 (usage). */
int dflip_usage_err(enum dflip_cmd cmd, const char *fmt, ...)
{
	va_list ap;

	fputs("gvt-dflip: ", stderr);
	if (cmd != DFLIP_CMD_GLOBAL && cmd != DFLIP_CMD_HELP)
		fprintf(stderr, "%s: ", cmd_names[cmd]);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs(" (see gvt-dflip help", stderr);
	if (cmd != DFLIP_CMD_GLOBAL && cmd != DFLIP_CMD_HELP)
		fprintf(stderr, " %s", cmd_names[cmd]);
	fputs(")\n", stderr);
	return EX_DFLIP_USAGE;
}

static int opt_id(enum dflip_cmd cmd, const char *s, uint32_t *id)
{
	if (dflip_parse_u32(s, id) || !*id)
		return dflip_usage_err(cmd, "bad id '%s'", s);
	return 0;
}

static int opt_fd(enum dflip_cmd cmd, const char *s, int *fd)
{
	uint32_t v;

	if (dflip_parse_u32(s, &v) || v > 65535)
		return dflip_usage_err(cmd, "--lease-fd: bad fd '%s'", s);
	*fd = v;
	return 0;
}

static int opt_device(enum dflip_cmd cmd, const char *s, const char **dev)
{
	if (!*s)
		return dflip_usage_err(cmd, "--device: empty path");
	if (strlen(s) >= PATH_MAX)
		return dflip_usage_err(cmd, "--device: path longer than PATH_MAX: '%.40s...'",
				 s);
	*dev = s;
	return 0;
}

static int opt_vgpu(enum dflip_cmd cmd, const char *s, struct dflip_opts *o)
{
	if (o->nvgpus == DFLIP_LEASE_VGPUS)
		return dflip_usage_err(cmd, "at most %d --vgpu per lease group",
				       DFLIP_LEASE_VGPUS);
	o->vgpu[o->nvgpus++] = s;
	return 0;
}

/* --crtc: one for assign, a list for a lease group */
static int opt_crtc(enum dflip_cmd cmd, const char *s, struct dflip_opts *o)
{
	int ret = opt_id(cmd, s, &o->crtc);

	if (ret || cmd != DFLIP_CMD_LEASE)
		return ret;
	if (o->ncrtcs == DFLIP_LEASE_CRTCS)
		return dflip_usage_err(cmd, "at most %d --crtc per lease group",
				       DFLIP_LEASE_CRTCS);
	o->crtcs[o->ncrtcs++] = o->crtc;
	return 0;
}

static int set_opt(enum dflip_cmd cmd, int c, struct dflip_opts *o)
{
	switch (c) {
	case O_FB:
		return opt_id(cmd, optarg, &o->fb);
	case O_VGPU:
		return opt_vgpu(cmd, optarg, o);
	case O_PLANE:
		o->plane = optarg;
		return 0;
	case O_KIND:
		o->kind = optarg;
		return 0;
	case O_CRTC:
		return opt_crtc(cmd, optarg, o);
	case O_HWPLANE:
		return opt_id(cmd, optarg, &o->hw_plane);
	case O_CONNECTOR:
		return opt_id(cmd, optarg, &o->connector);
	case O_LEASEFD:
		return opt_fd(cmd, optarg, &o->lease_fd);
	case O_FIT:
		if (dflip_fit_parse(optarg, &o->fit))
			return dflip_usage_err(cmd, "--fit is none, scale or aspect, not '%s'",
					 optarg);
		return 0;
	case O_DEVICE:
		return opt_device(cmd, optarg, &o->device);
	case O_ONCE:
		o->once = true;
		return 0;
	case O_JSON:
		o->json = true;
		return 0;
	case O_HELP:
		o->help = true;
		return 0;
	case O_VERSION:
		o->version = true;
		return 0;
	}
	return dflip_usage_err(cmd, "option %s not handled", long_opts[opt_index(c)].name);
}

/* Option @c of @cmd: is it one of its options, and given only once? */
static int take_option(enum dflip_cmd cmd, int c, struct dflip_opts *o)
{
	unsigned int bit = 1u << opt_index(c);
	char name[40];

	snprintf(name, sizeof(name), "--%s", long_opts[opt_index(c)].name);
	if (!(cmd_mask(cmd) & bit))
		return dflip_usage_err(cmd, "does not take %s", name);
	/* a lease group takes several CRTCs and vGPUs */
	if ((o->seen & bit) &&
	    !(cmd == DFLIP_CMD_LEASE && (c == O_VGPU || c == O_CRTC)))
		return dflip_usage_err(cmd, "%s given twice", name);
	o->seen |= bit;
	return set_opt(cmd, c, o);
}

/* The long options that --@w (up to any '=') abbreviates, in @buf. */
static int candidates(const char *w, char *buf, size_t len)
{
	size_t n = strcspn(w, "=");
	unsigned int i;
	int found = 0;

	buf[0] = '\0';
	for (i = 0; i < NOPTS; i++) {
		if (strncmp(long_opts[i].name, w, n))
			continue;
		snprintf(buf + strlen(buf), len - strlen(buf), "%s--%s",
			 found++ ? ", " : "", long_opts[i].name);
	}
	return found;
}

static int bad_word(enum dflip_cmd cmd, const char *w)
{
	char buf[3] = { '-', optopt, 0 }, names[256];

	if (!w || w[0] != '-' || w[1] != '-')
		return dflip_usage_err(cmd, "unknown option '%s'", buf);
	if (!optopt && candidates(w + 2, names, sizeof(names)) > 1)
		return dflip_usage_err(cmd, "'%.*s' is ambiguous (%s)",
				       (int)strcspn(w, "="), w, names);
	if (strchr(w, '=') && optopt)
		return dflip_usage_err(cmd, "option '%s' takes no value", w);
	return dflip_usage_err(cmd, "unknown option '%s'", w);
}

/*
 * Parse the options of @cmd in argv[1..argc-1] into @o, stopping at the
 * first argument that is not an option. With @next, its index is stored
 * there; without, any such argument is an error. Returns 0 or 1 (usage).
 */
int dflip_opts_parse(int argc, char **argv, enum dflip_cmd cmd,
		     struct dflip_opts *o, int *next)
{
	int c, ret;

	optind = 0;	/* glibc: start over */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:d:jhV", long_opts, NULL)) != -1) {
		if (c == '?')
			return bad_word(cmd, argv[optind - 1]);
		if (c == ':')
			return dflip_usage_err(cmd, "option '%s' needs a value",
					 argv[optind - 1]);
		ret = take_option(cmd, c, o);
		if (ret)
			return ret;
	}
	if (next)
		*next = optind;
	else if (optind < argc)
		return dflip_usage_err(cmd, "unexpected argument '%s'", argv[optind]);
	return 0;
}

/*
 * Inside a lease, assign and unassign use GVT_DFLIP_LEASE_FD when neither
 * --device nor --lease-fd is given. Returns 0 or 1 (bad variable).
 */
int dflip_env_lease_fd(struct dflip_opts *o)
{
	const char *s = getenv("GVT_DFLIP_LEASE_FD");
	uint32_t v;

	if (o->device || o->lease_fd >= 0 || !s)
		return 0;
	if (dflip_parse_u32(s, &v) || v > 65535)
		return dflip_err(EX_DFLIP_USAGE,
				 "GVT_DFLIP_LEASE_FD='%s' in the environment is no file descriptor number (unset it, or give --device)",
				 s);
	o->lease_fd = v;
	return 0;
}
