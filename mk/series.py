#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Turn patches/ and the overlay into the upstream series.

    series.py check                 validate patches/ against the repo
    series.py files [--kind c] [--no-tests] [--new]
    series.py build --git DIR --pristine DIR --out DIR

patches/NNNN-*.patch is the series, one file per exported commit in the
order of its number (mk/lay.py parse_patch(): message, "new PATH" lines,
diff of upstream files); patches/0000-cover-letter.txt is the cover
letter's subject line and text.  `build` keeps a git repository of the
pristine base (tag `base`), recreates branch `dflip` with one commit per
patch (only when an input changed) and writes `git format-patch` output
with the cover letter.
"""

import argparse
import hashlib
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lay  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ENV = {
    'GIT_AUTHOR_NAME': 'GVT-g Direct Flip Team',
    'GIT_AUTHOR_EMAIL': 'gvt-dflip@lists.example.org',
    'GIT_COMMITTER_NAME': 'GVT-g Direct Flip Team',
    'GIT_COMMITTER_EMAIL': 'gvt-dflip@lists.example.org',
    'GIT_AUTHOR_DATE': '2026-11-25T12:00:00+00:00',
    'GIT_COMMITTER_DATE': '2026-11-25T12:00:00+00:00',
}


def die(msg):
    sys.exit(f'series: {msg}')


COVER = 'patches/0000-cover-letter.txt'


def load(repo):
    """Return [(name, parsed patch, [new files])], or die on an error."""
    patches = lay.read_series(repo)
    by_patch, errors = lay.assign(repo, patches)
    if not patches:
        errors.append('patches/ has no NNNN-*.patch')
    for name, p in patches:
        if not p['new'] and not p['diff']:
            errors.append(f'patches/{name}: adds and changes nothing')
    if not os.path.exists(os.path.join(repo, COVER)):
        errors.append(f'{COVER} is missing')
    else:
        errors += cover_references(repo, patches)
    if errors:
        die('\n  '.join(['patches/ does not match the repository:'] +
                        errors))
    return [(name, p, by_patch[name]) for name, p in patches]


def cover_references(repo, patches):
    """Every 'patch N ("subject")' of the cover letter names patch N."""
    with open(os.path.join(repo, COVER)) as f:
        text = ' '.join(f.read().split())
    errors = []
    for num, subject in re.findall(r'[Pp]atch (\d+) \("([^"]+)"\)', text):
        i = int(num)
        have = (patches[i - 1][1]['message'].partition('\n')[0]
                if 0 < i <= len(patches) else None)
        if have != subject:
            errors.append(f'{COVER}: patch {num} is "{have}", not '
                          f'"{subject}"')
    return errors


def changed_files(repo, series, args):
    """In-tree paths the series adds (and, unless --new, changes)."""
    paths = {rel for _, _, new in series for rel in new}
    if not args.new:
        for _, p, _ in series:
            paths.update(p['files'])
    for path in sorted(paths):
        if args.kind == 'c' and not path.endswith('.c'):
            continue
        if args.no_tests and '/tests/' in path:
            continue
        if args.new and path.startswith('tools/'):
            continue
        yield path


def git(gitdir, *args, env=None, capture=False, check=True):
    full = dict(os.environ, **ENV, **(env or {}))
    res = subprocess.run(['git', '-C', gitdir] + list(args), env=full,
                         capture_output=capture or not check, text=True)
    if res.returncode and check:
        die(f'git {" ".join(args)} failed' +
            (f':\n{res.stderr}' if capture else ''))
    return res.stdout if capture else None


def ensure_base(gitdir, pristine):
    version = open(os.path.join(pristine, '.dflip-base')).read().strip()
    stamp = os.path.join(gitdir, '.git', 'dflip-base')
    if os.path.exists(stamp) and open(stamp).read().strip() == version:
        return
    print(f'series: creating the base repository {gitdir} ({version})',
          flush=True)
    shutil.rmtree(gitdir, ignore_errors=True)
    shutil.copytree(pristine, gitdir, symlinks=True)
    os.unlink(os.path.join(gitdir, '.dflip-base'))
    git(gitdir, 'init', '-q')
    git(gitdir, 'config', 'core.autocrlf', 'false')
    git(gitdir, 'config', 'gc.auto', '0')
    # Speed over size: the base is written once per package version.
    git(gitdir, 'config', 'core.looseCompression', '0')
    git(gitdir, 'add', '-A', '-f')
    git(gitdir, 'commit', '-q', '-m',
        f'Linux {version} (Debian linux-source-6.12)')
    git(gitdir, 'tag', '-f', 'base')
    with open(stamp, 'w') as f:
        f.write(version + '\n')


def inputs_hash(repo, series):
    h = hashlib.sha256()
    names = ['mk/series.py', COVER]
    names += ['patches/' + name for name, _, _ in series]
    names += [rel for _, _, new in series for rel in new]
    for name in names:
        h.update(name.encode() + b'\0')
        with open(os.path.join(repo, name), 'rb') as f:
            h.update(f.read() + b'\0')
    return h.hexdigest()


def remove_stale_locks(gitdir):
    """Callers hold series.lock, so no git runs in gitdir: a *.lock file
    there was left by a killed run and would fail every git command."""
    for top, _, files in os.walk(os.path.join(gitdir, '.git')):
        for name in files:
            if name.endswith('.lock'):
                path = os.path.join(top, name)
                print(f'series: removing the stale {path}', flush=True)
                os.unlink(path)


def build_branch(gitdir, repo, series):
    git(gitdir, 'am', '--abort', check=False)
    git(gitdir, 'checkout', '-q', '-f', '-B', 'dflip', 'base')
    git(gitdir, 'reset', '-q', '--hard', 'base')
    git(gitdir, 'clean', '-q', '-f', '-d', '-x')
    if git(gitdir, 'status', '--porcelain', capture=True).strip():
        die(f'{gitdir} is not clean at the base after a hard reset')
    added = []
    for name, p, new in series:
        for rel in new:
            os.makedirs(os.path.dirname(os.path.join(gitdir, rel)),
                        exist_ok=True)
            shutil.copy2(os.path.join(repo, rel), os.path.join(gitdir, rel))
        added += new
        if p['diff']:
            res = subprocess.run(['git', 'apply', '--recount',
                                  '--whitespace=nowarn'], input=p['diff'],
                                 cwd=gitdir, capture_output=True, text=True)
            if res.returncode:
                die(f'the diff of patches/{name} does not apply:\n'
                    f'{res.stderr}')
        stage_makefiles(gitdir, repo, added)
        git(gitdir, 'add', '-A', '-f')
        subprocess.run(['git', '-C', gitdir, 'commit', '-q', '--allow-empty',
                        '-F', '-'], input=p['message'], text=True, check=True,
                       env=dict(os.environ, **ENV))


def object_source_exists(gitdir, makefile, obj):
    """Does OBJ (a kbuild .o path) have its .c in the tree yet?

    Objects are relative to the Makefile's directory or, for a Makefile
    included from a parent's (as gvt/dflip/Makefile is), to an ancestor.
    """
    d = os.path.dirname(makefile)
    while d and d != 'drivers':
        if os.path.exists(os.path.join(gitdir, d, obj[:-2] + '.c')):
            return True
        d = os.path.dirname(d)
    return False


def stage_makefiles(gitdir, repo, overlay):
    """Give each commit only the kbuild lines whose sources it has.

    A new Makefile of the overlay lists every object of the finished
    series; at an earlier commit a line naming an object whose source is
    not there yet (also as CFLAGS_obj.o) is left out, so that every commit
    builds. The lines come from the repository's Makefile each time, so a
    line left out at one commit comes back at the commit that adds its
    source.
    """
    for dst in overlay:
        full = os.path.join(gitdir, dst)
        if os.path.basename(dst) != 'Makefile' or not os.path.exists(full):
            continue
        with open(os.path.join(repo, dst)) as f:
            lines = f.readlines()
        keep = [line for line in lines
                if all(object_source_exists(gitdir, dst,
                                            tok.removeprefix('CFLAGS_'))
                       for tok in line.split() if tok.endswith('.o'))]
        with open(full, 'w') as f:
            f.writelines(keep)


def write_series(gitdir, repo, series, out):
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    git(gitdir, 'format-patch', '-q', '--cover-letter', '--base=base',
        '--no-signature', '-o', out, 'base..dflip')
    made = sorted(n for n in os.listdir(out) if not n.startswith('0000-'))
    want = [name for name, _, _ in series]
    wrong = [f'git mv patches/{w} patches/{m}'
             for w, m in zip(want, made) if w != m]
    if len(made) != len(want) or wrong:
        die('the exported names differ from the names in patches/ (one '
            'numbering and one name: rename after a subject change):\n  ' +
            '\n  '.join(wrong))
    cover = os.path.join(out, '0000-cover-letter.patch')
    with open(os.path.join(repo, COVER)) as f:
        subject, _, blurb = f.read().partition('\n')
    blurb = blurb.strip()
    text = open(cover).read()
    text = text.replace('*** SUBJECT HERE ***', subject.strip())
    text = text.replace('*** BLURB HERE ***', blurb)
    with open(cover, 'w') as f:
        f.write(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('action', choices=['check', 'build', 'files'])
    ap.add_argument('--kind', choices=['c', 'all'], default='all')
    ap.add_argument('--no-tests', action='store_true')
    ap.add_argument('--new', action='store_true',
                    help='only files the series adds')
    ap.add_argument('--git')
    ap.add_argument('--pristine')
    ap.add_argument('--out')
    args = ap.parse_args()
    if args.out:
        args.out = os.path.abspath(args.out)
    series = load(REPO)
    if args.action == 'files':
        for path in changed_files(REPO, series, args):
            print(path)
        return
    if args.action == 'check':
        print(f'series: {len(series)} patches, '
              f'{sum(len(new) for _, _, new in series)} new files, '
              f'{sum(len(p["files"]) for _, p, _ in series)} upstream file '
              'changes')
        return
    ensure_base(args.git, args.pristine)
    remove_stale_locks(args.git)
    digest = inputs_hash(REPO, series)
    stamp = os.path.join(args.git, '.git', 'dflip-inputs')
    out_stamp = os.path.join(args.out, '.dflip-inputs')
    fresh = all(os.path.exists(p) and open(p).read() == digest
                for p in (stamp, out_stamp))
    if fresh:
        print(f'series: up to date in {args.out}')
        return
    if not (os.path.exists(stamp) and open(stamp).read() == digest):
        build_branch(args.git, REPO, series)
    write_series(args.git, REPO, series, args.out)
    for path in (stamp, out_stamp):
        with open(path, 'w') as f:
            f.write(digest)
    print(f'series: {len(series)} patches and a cover letter in {args.out}')


if __name__ == '__main__':
    main()
