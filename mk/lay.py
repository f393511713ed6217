#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Lay the project's overlay and patches onto a kernel tree, atomically.

    lay.py --repo REPO --pristine PRISTINE --tree TREE

The series is patches/NNNN-*.patch, in the order of their numbers: each holds
one commit's message, the new files it adds ("new PATH" lines naming files
kept at their in-tree paths in REPO) and the diff of the upstream files it
changes (parse_patch()).  Every upstream file a diff changes is taken from
PRISTINE, the new files of every patch are added, and the diffs are applied
in order, all in a staging directory; then the build-only adaptations of
patches/dropin/ (same format, never exported by mk/series.py), whose
diffs may also change files of the overlay.  Only when every hunk applied is TREE
changed, and then only the files whose content differs (so that kbuild
rebuilds only what changed).  Files laid by an earlier run and no longer
part of the overlay are removed.  When a hunk does not apply, the patch,
file and hunk are named and TREE is left untouched.  REPO is a checkout
(its files as git lists them) or a plain copy of the overlay and patches,
such as the DKMS package's source directory (every file under it).
"""

import argparse
import filecmp
import fnmatch
import os
import re
import shutil
import subprocess
import sys
import tempfile

MANIFEST = '.dflip-laid'
PATCHES = 'patches'
# Build-only adaptations, applied after the series in every build and never
# exported: patches/dropin/NNNN-*.patch, in the format of the series.
DROPIN = 'patches/dropin'
# Top directories of the repository that hold kernel files (the overlay).
KERNEL_DIRS = ('drivers', 'include', 'Documentation', 'tools')

# Repository paths under KERNEL_DIRS that are not part of the kernel tree:
# tools/igt/ holds the IGT test for igt-gpu-tools upstream (and its compile
# check), so no patch adds it: it is neither laid nor exported.
NOT_KERNEL = ('tools/igt/',)


def repo_files(repo):
    """Every file of REPO: git's list in a checkout, else (an unpacked copy
    of the overlay, as the DKMS package ships it) every file under it."""
    if os.path.exists(os.path.join(repo, '.git')):
        out = subprocess.run(['git', 'ls-files', '--cached', '--others',
                              '--exclude-standard', '-z'],
                             cwd=repo, check=True, capture_output=True).stdout
        return [r for r in out.decode().split('\0')
                if r and os.path.exists(os.path.join(repo, r))]
    rels = []
    for top, dirs, names in os.walk(repo):
        dirs[:] = [d for d in dirs if d not in ('.git', '__pycache__')]
        for name in names:
            rels.append(os.path.relpath(os.path.join(top, name), repo))
    return rels


def patch_names(repo, where=PATCHES):
    """The patches of the series (or of patches/dropin), in order:
    NNNN-*.patch, numbered 0001 up without a gap (the number is the order,
    stored nowhere else)."""
    d = os.path.join(repo, where)
    if not os.path.isdir(d):
        return []
    names = sorted(n for n in os.listdir(d)
                   if re.match(r'^[0-9]{4}-.*\.patch$', n))
    for i, name in enumerate(names, 1):
        if int(name[:4]) != i:
            sys.exit(f'lay: {where}/{name}: expected number {i:04d} '
                     '(the patches are numbered 0001 up, without a gap)')
    return names


def parse_patch(path):
    """Split one patch of the series into its parts.

    A patch is the commit message, a line "---", then one "new PATH" line
    per new file it adds (PATH at its in-tree path, which is also its
    repository path; shell globs allowed), then the diff of the upstream
    files it changes (from the first "diff --git" line to the end).
    Returns dict(message, new, diff, files).
    """
    with open(path) as f:
        text = f.read()
    msg, sep, rest = text.partition('\n---\n')
    if not sep:
        sys.exit(f'lay: {path}: no "---" line after the commit message')
    head, mark, diff = rest.partition('diff --git ')
    diff = mark + diff
    new = []
    for n, line in enumerate(head.splitlines(), 1):
        words = line.split()
        if not words or words[0].startswith('#'):
            continue
        if words[0] != 'new' or len(words) != 2:
            sys.exit(f'lay: {path}: after "---": expected "new PATH" or the '
                     f'diff, found "{line}"')
        new.append(words[1])
    files = re.findall(r'^\+\+\+ b/(\S+)', diff, re.M)
    return {'message': msg.rstrip('\n') + '\n', 'new': new, 'diff': diff,
            'files': files}


def read_series(repo):
    """[(patch name, parsed patch)] in order."""
    return [(n, parse_patch(os.path.join(repo, PATCHES, n)))
            for n in patch_names(repo)]


def read_dropin(repo):
    """[('dropin/NAME', parsed patch)] of the build-only adaptations."""
    return [('dropin/' + n, parse_patch(os.path.join(repo, DROPIN, n)))
            for n in patch_names(repo, DROPIN)]


def read_all(repo):
    """The series, then the build-only adaptations: what every build lays."""
    return read_series(repo) + read_dropin(repo)


def kernel_files(repo):
    """Repository files under KERNEL_DIRS, less NOT_KERNEL."""
    return sorted(r for r in repo_files(repo)
                  if r.split('/')[0] in KERNEL_DIRS
                  and not r.startswith(NOT_KERNEL))


def assign(repo, patches=None):
    """Map each patch name -> the new files it adds; list the errors.

    Every kernel file of the repository is added by exactly one patch, and
    every "new" line names at least one file.
    """
    patches = read_all(repo) if patches is None else patches
    files = kernel_files(repo)
    by_patch = {name: [] for name, _ in patches}
    errors = []
    for rel in files:
        owners = [name for name, p in patches
                  if any(fnmatch.fnmatchcase(rel, g) for g in p['new'])]
        if len(owners) != 1:
            errors.append(f'{rel} is added by {len(owners)} patches '
                          f'({", ".join(owners) or "none"}), must be one')
            continue
        by_patch[owners[0]].append(rel)
    for name, p in patches:
        for g in p['new']:
            if not any(fnmatch.fnmatchcase(r, g) for r in by_patch[name]):
                errors.append(f'{PATCHES}/{name}: "new {g}" matches no file')
    return by_patch, errors


def overlay_files(repo):
    """Map in-tree path -> repo path for every file of the overlay (the
    same path: the overlay is kept at its in-tree paths)."""
    by_patch, errors = assign(repo)
    if errors:
        sys.exit('lay: the patches do not match the repository:\n  ' +
                 '\n  '.join(errors))
    return {rel: rel for rels in by_patch.values() for rel in rels}


def explain_failure(name, diff, stage):
    """Name the file and hunk of the first hunk that does not apply."""
    res = subprocess.run(['git', 'apply', '--recount', '--check', '-v'],
                         input=diff, cwd=stage, capture_output=True,
                         text=True)
    hunk = None
    for line in res.stderr.splitlines():
        m = re.match(r'error: while searching for:', line)
        if m:
            continue
        m = re.match(r'error: patch failed: (\S+):(\d+)', line)
        if m:
            hunk = (m.group(1), m.group(2))
            break
    if hunk:
        sys.exit(f'lay: patches/{name} does not apply: file {hunk[0]}, '
                 f'hunk at line {hunk[1]}\n{res.stderr.strip()}')
    sys.exit(f'lay: patches/{name} does not apply\n{res.stderr.strip()}')


def build_stage(repo, pristine, stage):
    laid = {}
    patches = read_all(repo)
    overlay = overlay_files(repo)
    for name, p in patches:
        for rel in p['files']:
            if rel in overlay and name.startswith('dropin/'):
                continue    # an adaptation's change to a new file
            src = os.path.join(pristine, rel)
            dst = os.path.join(stage, rel)
            if not os.path.exists(dst):
                if not os.path.exists(src):
                    sys.exit(f'lay: {PATCHES}/{name} changes {rel}, which '
                             'the base tree does not have')
                os.makedirs(os.path.dirname(dst), exist_ok=True)
                shutil.copy2(src, dst)
                laid[rel] = True
    for rel, src in overlay.items():
        if os.path.exists(os.path.join(pristine, rel)):
            sys.exit(f'lay: {src} would replace the upstream file {rel}; '
                     'change upstream files with the diff of a patch')
        dst = os.path.join(stage, rel)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copy2(os.path.join(repo, src), dst)
        laid[rel] = True
    for name, p in patches:
        if p['diff']:
            apply_diff(name, p['diff'], stage)
    return laid


def apply_diff(name, diff, tree):
    """git apply one patch's diff in TREE, or exit naming its failed hunk."""
    res = subprocess.run(['git', 'apply', '--recount', '--whitespace=nowarn'],
                         input=diff, cwd=tree, capture_output=True, text=True)
    if res.returncode:
        explain_failure(name, diff, tree)


def sync(stage, laid, pristine, tree):
    old = set()
    mpath = os.path.join(tree, MANIFEST)
    if os.path.exists(mpath):
        with open(mpath) as f:
            old = {line.strip() for line in f if line.strip()}
    changed = 0
    for rel in sorted(laid):
        src = os.path.join(stage, rel)
        dst = os.path.join(tree, rel)
        if os.path.exists(dst) and filecmp.cmp(src, dst, shallow=False):
            continue
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copyfile(src, dst)
        shutil.copymode(src, dst)
        changed += 1
    for rel in sorted(old - set(laid)):
        dst = os.path.join(tree, rel)
        base = os.path.join(pristine, rel)
        if os.path.exists(base):
            if not filecmp.cmp(base, dst, shallow=False):
                shutil.copyfile(base, dst)
                changed += 1
        elif os.path.exists(dst):
            os.unlink(dst)
            changed += 1
    with open(mpath + '.new', 'w') as f:
        f.write(''.join(rel + '\n' for rel in sorted(laid)))
    os.replace(mpath + '.new', mpath)
    return changed


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--repo', required=True)
    ap.add_argument('--pristine', required=True)
    ap.add_argument('--tree', required=True)
    args = ap.parse_args()
    args.repo = os.path.abspath(args.repo)
    with tempfile.TemporaryDirectory(prefix='dflip-lay-') as stage:
        laid = build_stage(args.repo, args.pristine, stage)
        changed = sync(stage, laid, args.pristine, args.tree)
    print(f'lay: {len(laid)} files laid into {args.tree}, {changed} changed')


if __name__ == '__main__':
    main()
