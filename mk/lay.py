#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Lay the project's overlay and patches onto a kernel tree, atomically.

    lay.py --repo REPO --pristine PRISTINE --tree TREE

Every file that patches/series touches is taken from PRISTINE, the overlay's
new files are added at their in-tree paths, and the patches are applied in
order, all in a staging directory.  Only when every hunk applied is TREE
changed, and then only the files whose content differs (so that kbuild
rebuilds only what changed).  Files laid by an earlier run and no longer
part of the overlay are removed.  When a hunk does not apply, the patch,
file and hunk are named and TREE is left untouched.  REPO is a checkout
(its files as git lists them) or a plain copy of the overlay and patches,
such as the DKMS package's source directory (every file under it).
"""

import argparse
import filecmp
import os
import re
import shutil
import subprocess
import sys
import tempfile

MANIFEST = '.dflip-laid'


# Repository paths under the overlay's top directories that are not part of
# the kernel tree: tools/igt/ holds the IGT test for igt-gpu-tools
# upstream (and its compile check), so it is neither laid into the kernel
# tree nor exported in the series, and series.map does not list it.
NOT_KERNEL = ('tools/igt/',)


def repo_files(repo):
    """Every file of REPO: git's list in a checkout, else (an unpacked copy
    of the overlay, as the DKMS package ships it) every file under it."""
    if os.path.exists(os.path.join(repo, '.git')):
        out = subprocess.run(['git', 'ls-files', '--cached', '--others',
                              '--exclude-standard', '-z'],
                             cwd=repo, check=True, capture_output=True).stdout
        return out.decode().split('\0')
    rels = []
    for top, dirs, names in os.walk(repo):
        dirs[:] = [d for d in dirs if d not in ('.git', '__pycache__')]
        for name in names:
            rels.append(os.path.relpath(os.path.join(top, name), repo))
    return rels


def overlay_files(repo):
    """Map in-tree path -> repo path for every file of the overlay."""
    files = {}
    for rel in repo_files(repo):
        if not rel or not os.path.exists(os.path.join(repo, rel)):
            continue
        if rel.startswith(NOT_KERNEL):
            continue
        if rel == 'Kconfig':
            files['drivers/gpu/drm/i915/Kconfig.dflip'] = rel
        elif rel.split('/')[0] in ('drivers', 'include', 'Documentation',
                                   'tools'):
            files[rel] = rel
    return files


def series(repo):
    path = os.path.join(repo, 'patches', 'series')
    if not os.path.exists(path):
        return []
    names = []
    with open(path) as f:
        for line in f:
            line = line.split('#', 1)[0].strip()
            if line:
                names.append(line)
    return names


def patched_files(patch):
    files = []
    with open(patch) as f:
        for line in f:
            m = re.match(r'^\+\+\+ b/(\S+)', line)
            if m:
                files.append(m.group(1))
    return files


def explain_failure(name, patch, stage):
    """Name the file and hunk of the first hunk that does not apply."""
    res = subprocess.run(['git', 'apply', '--recount', '--check', '-v', patch],
                         cwd=stage, capture_output=True, text=True)
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
    for name in series(repo):
        patch = os.path.join(repo, 'patches', name)
        for rel in patched_files(patch):
            src = os.path.join(pristine, rel)
            dst = os.path.join(stage, rel)
            if not os.path.exists(dst):
                if not os.path.exists(src):
                    sys.exit(f'lay: patches/{name} touches {rel}, which the '
                             'base tree does not have')
                os.makedirs(os.path.dirname(dst), exist_ok=True)
                shutil.copy2(src, dst)
                laid[rel] = True
    for rel, src in overlay_files(repo).items():
        if os.path.exists(os.path.join(pristine, rel)):
            sys.exit(f'lay: {src} would replace the upstream file {rel}; '
                     'change upstream files with a patch under patches/')
        dst = os.path.join(stage, rel)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copy2(os.path.join(repo, src), dst)
        laid[rel] = True
    for name in series(repo):
        patch = os.path.join(repo, 'patches', name)
        res = subprocess.run(['git', 'apply', '--recount', '--whitespace=nowarn', patch],
                             cwd=stage, capture_output=True, text=True)
        if res.returncode:
            explain_failure(name, patch, stage)
    return laid


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
