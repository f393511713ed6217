#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Turn the overlay and patches/ into the upstream series.

    series.py check                 validate series.map against the repo
    series.py build --git DIR --pristine DIR --out DIR

series.map maps every overlay file and every patches/ entry to one logical
commit.  `build` keeps a git repository of the pristine base (tag `base`),
recreates branch `dflip` with one commit per entry of series.map (only when
an input changed) and writes `git format-patch` output with a cover letter.
"""

import argparse
import fnmatch
import hashlib
import os
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


def parse_map(repo):
    """Return [(message file, [overlay patterns], [patches])]."""
    commits = []
    with open(os.path.join(repo, 'series.map')) as f:
        for n, raw in enumerate(f, 1):
            line = raw.split('#', 1)[0].rstrip()
            if not line.strip():
                continue
            words = line.split()
            if not raw[0].isspace():
                if words[0] != 'commit' or len(words) != 2:
                    die(f'series.map:{n}: expected "commit MESSAGE-FILE"')
                commits.append((words[1], [], []))
            elif not commits:
                die(f'series.map:{n}: entry before the first commit')
            elif words[0] == 'patch' and len(words) == 2:
                commits[-1][2].append(words[1])
            elif len(words) == 1:
                commits[-1][1].append(words[0])
            else:
                die(f'series.map:{n}: cannot parse "{line.strip()}"')
    return commits


def assign_files(repo, commits):
    """Map each commit index -> overlay files (repo paths); check coverage."""
    files = lay.overlay_files(repo)
    by_commit = {i: [] for i in range(len(commits))}
    errors = []
    for dst, src in sorted(files.items()):
        owners = [i for i, c in enumerate(commits)
                  if any(fnmatch.fnmatchcase(src, p) for p in c[1])]
        if len(owners) != 1:
            errors.append(f'{src} is matched by {len(owners)} commits '
                          'in series.map (must be exactly one)')
            continue
        by_commit[owners[0]].append((src, dst))
    for i, c in enumerate(commits):
        for p in c[1]:
            if not any(fnmatch.fnmatchcase(s, p) for s, _ in by_commit[i]):
                errors.append(f'{c[0]}: pattern {p} matches no file')
        if not os.path.exists(os.path.join(repo, c[0])):
            errors.append(f'{c[0]}: message file missing')
    used = [p for c in commits for p in c[2]]
    if used != lay.series(repo):
        errors.append('the patches named in series.map, in order, must be '
                      'exactly patches/series')
    if errors:
        die('\n  '.join(['series.map does not match the repository:'] +
                        errors))
    return by_commit


def changed_files(repo, by_commit, args):
    """In-tree paths the series adds (and, unless --new, changes)."""
    paths = {dst for i in by_commit for _, dst in by_commit[i]}
    if not args.new:
        for p in lay.series(repo):
            paths.update(lay.patched_files(os.path.join(repo, 'patches', p)))
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


def inputs_hash(repo, commits, by_commit):
    h = hashlib.sha256()
    names = ['series.map', 'patches/series']
    names += [c[0] for c in commits]
    names += ['patches/' + p for c in commits for p in c[2]]
    names += [s for i in by_commit for s, _ in by_commit[i]]
    names += ['commits/cover-letter.txt']
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


def build_branch(gitdir, repo, commits, by_commit):
    git(gitdir, 'am', '--abort', check=False)
    git(gitdir, 'checkout', '-q', '-f', '-B', 'dflip', 'base')
    git(gitdir, 'reset', '-q', '--hard', 'base')
    git(gitdir, 'clean', '-q', '-f', '-d', '-x')
    if git(gitdir, 'status', '--porcelain', capture=True).strip():
        die(f'{gitdir} is not clean at the base after a hard reset')
    for i, (msg, _, patches) in enumerate(commits):
        for src, dst in by_commit[i]:
            os.makedirs(os.path.dirname(os.path.join(gitdir, dst)),
                        exist_ok=True)
            shutil.copy2(os.path.join(repo, src), os.path.join(gitdir, dst))
        for p in patches:
            res = subprocess.run(['git', 'apply', '--recount',
                                  '--whitespace=nowarn',
                                  os.path.join(repo, 'patches', p)],
                                 cwd=gitdir, capture_output=True, text=True)
            if res.returncode:
                die(f'patches/{p} does not apply in commit {msg}:\n'
                    f'{res.stderr}')
        stage_makefiles(gitdir, repo,
                        [f for i in by_commit for f in by_commit[i]])
        git(gitdir, 'add', '-A', '-f')
        git(gitdir, 'commit', '-q', '--allow-empty', '-F',
            os.path.join(repo, msg))


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
    for src, dst in overlay:
        full = os.path.join(gitdir, dst)
        if os.path.basename(dst) != 'Makefile' or not os.path.exists(full):
            continue
        with open(os.path.join(repo, src)) as f:
            lines = f.readlines()
        keep = [line for line in lines
                if all(object_source_exists(gitdir, dst,
                                            tok.removeprefix('CFLAGS_'))
                       for tok in line.split() if tok.endswith('.o'))]
        with open(full, 'w') as f:
            f.writelines(keep)


def write_series(gitdir, repo, out):
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    git(gitdir, 'format-patch', '-q', '--cover-letter', '--base=base',
        '--no-signature', '-o', out, 'base..dflip')
    cover = os.path.join(out, '0000-cover-letter.patch')
    with open(os.path.join(repo, 'commits/cover-letter.txt')) as f:
        subject, _, blurb = f.read().partition('\n')
    text = open(cover).read()
    text = text.replace('*** SUBJECT HERE ***', subject.strip())
    text = text.replace('*** BLURB HERE ***', blurb.strip())
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
    commits = parse_map(REPO)
    by_commit = assign_files(REPO, commits)
    if args.action == 'files':
        for path in changed_files(REPO, by_commit, args):
            print(path)
        return
    if args.action == 'check':
        print(f'series: {len(commits)} commits, '
              f'{sum(len(v) for v in by_commit.values())} files, '
              f'{len(lay.series(REPO))} patches')
        return
    ensure_base(args.git, args.pristine)
    remove_stale_locks(args.git)
    digest = inputs_hash(REPO, commits, by_commit)
    stamp = os.path.join(args.git, '.git', 'dflip-inputs')
    out_stamp = os.path.join(args.out, '.dflip-inputs')
    fresh = all(os.path.exists(p) and open(p).read() == digest
                for p in (stamp, out_stamp))
    if fresh:
        print(f'series: up to date in {args.out}')
        return
    build_branch(args.git, REPO, commits, by_commit)
    write_series(args.git, REPO, args.out)
    for path in (stamp, out_stamp):
        with open(path, 'w') as f:
            f.write(digest)
    print(f'series: {len(commits)} patches and a cover letter in {args.out}')


if __name__ == '__main__':
    main()
