#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Turn patches/ and the overlay into the upstream series.

    series.py check                 validate patches/ against the repo
    series.py files [--kind c] [--no-tests] [--new] [--not-adapted]
    series.py files --adaptations   the new files of patches/dropin/
    series.py build --git DIR --pristine DIR --out DIR [--prev PREV]
    series.py refresh --git DIR [--dry-run]

patches/NNNN-*.patch is the series, one file per exported commit in the
order of its number (mk/lay.py parse_patch(): message, "new PATH" lines,
diff of upstream files); patches/0000-cover-letter.txt is the cover
letter's subject line and text.  `build` keeps a git repository of the
pristine base (tag `base`), recreates branch `dflip` with one commit per
patch (only when an input changed) and writes `git format-patch` output
with the cover letter, to which it adds a diffstat per patch; with --prev
(an earlier exported series: a directory of its patch files, or a revision
of this repository or of the series repository) also the range-diff
against it, in the cover letter and in range-diff.txt.  `refresh` writes
branch dflip back into patches/ and the overlay after its commits were
amended there (refresh()).
"""

import argparse
import fnmatch
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile

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
    # the build-only adaptations own new files too, but are not exported
    by_patch, errors = lay.assign(repo, patches + lay.read_dropin(repo))
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
    """In-tree paths the series adds (and, unless --new, changes); with
    --adaptations, the files patches/dropin/ adds."""
    if args.adaptations:
        by_patch, _ = lay.assign(repo)
        yield from sorted(rel for name, rels in by_patch.items()
                          if name.startswith('dropin/') for rel in rels)
        return
    paths = {rel for _, _, new in series for rel in new}
    if not args.new:
        for _, p, _ in series:
            paths.update(p['files'])
    if args.not_adapted:
        # as the series leaves them: the build-only adaptations change them
        for _, p in lay.read_dropin(repo):
            paths.difference_update(p['files'])
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


def import_prev(gitdir, prev, pristine):
    """Make branch dflip-prev the earlier series PREV; return its range.

    PREV is a directory of `git format-patch` files (an earlier out/series,
    or a version fetched from the list), a revision of this repository
    (whose own mk/series.py exports it), or a revision of the series
    repository.  Patch files are applied to a scratch index, commit by
    commit, without touching the work tree.
    """
    if os.path.isdir(prev):
        return import_patches(gitdir, os.path.abspath(prev))
    res = subprocess.run(['git', '-C', REPO, 'rev-parse', '--verify', '-q',
                          prev + '^{commit}'], capture_output=True, text=True)
    if res.returncode == 0:
        rev = res.stdout.strip()
        with tempfile.TemporaryDirectory(prefix='dflip-prev-') as tmp:
            src = os.path.join(tmp, 'src')
            os.makedirs(src)
            arch = subprocess.run(['git', '-C', REPO, 'archive', rev],
                                  capture_output=True, check=True).stdout
            subprocess.run(['tar', '-x', '-C', src], input=arch, check=True)
            print(f'series: exporting {prev} ({rev[:12]}) with its own '
                  'mk/series.py', flush=True)
            # its branch dflip and stamp are ours to rebuild afterwards
            stamp = os.path.join(gitdir, '.git', 'dflip-inputs')
            if os.path.exists(stamp):
                os.unlink(stamp)
            subprocess.run([sys.executable, os.path.join(src, 'mk/series.py'),
                            'build', '--git', gitdir, '--pristine', pristine,
                            '--out', os.path.join(tmp, 'out')], check=True,
                           )
            if os.path.exists(stamp):
                os.unlink(stamp)
            return import_patches(gitdir, os.path.join(tmp, 'out'))
    if git(gitdir, 'rev-parse', '--verify', '-q', prev + '^{commit}',
           check=False, capture=True).strip():
        return f'base..{prev}'
    die(f'PREV={prev} is neither a directory of patches nor a revision of '
        f'{REPO} or of {gitdir}')


def import_patches(gitdir, d):
    names = sorted(n for n in os.listdir(d)
                   if re.match(r'^[0-9]{4}-.*\.patch$', n)
                   and not n.startswith('0000-'))
    if not names:
        die(f'PREV={d} holds no NNNN-*.patch')
    index = os.path.join(gitdir, '.git', 'dflip-prev-index')
    env = {'GIT_INDEX_FILE': index}
    parent = git(gitdir, 'rev-parse', 'base', capture=True).strip()
    with tempfile.TemporaryDirectory(prefix='dflip-prev-') as tmp:
        msg, diff = os.path.join(tmp, 'msg'), os.path.join(tmp, 'diff')
        for name in names:
            with open(os.path.join(d, name)) as f:
                info = subprocess.run(['git', '-C', gitdir, 'mailinfo', msg,
                                       diff], stdin=f, capture_output=True,
                                      text=True, check=True).stdout
            hdr = dict(line.split(': ', 1) for line in info.splitlines()
                       if ': ' in line)
            git(gitdir, 'read-tree', parent, env=env)
            res = subprocess.run(['git', '-C', gitdir, 'apply', '--cached',
                                  diff], capture_output=True, text=True,
                                 env=dict(os.environ, **env))
            if res.returncode:
                die(f'{d}/{name} does not apply to the previous patches:\n'
                    f'{res.stderr}')
            tree = git(gitdir, 'write-tree', env=env, capture=True).strip()
            body = open(msg).read()
            message = hdr.get('Subject', name) + '\n\n' + body
            parent = subprocess.run(
                ['git', '-C', gitdir, 'commit-tree', tree, '-p', parent],
                input=message, capture_output=True, text=True, check=True,
                env=dict(os.environ, **ENV)).stdout.strip()
    os.unlink(index)
    git(gitdir, 'update-ref', 'refs/heads/dflip-prev', parent)
    print(f'series: the previous series ({len(names)} patches from {d}) is '
          'branch dflip-prev', flush=True)
    return 'base..dflip-prev'


def diffstat_table(gitdir):
    """One line per commit: its number, size and subject."""
    lines = []
    revs = git(gitdir, 'rev-list', '--reverse', 'base..dflip',
               capture=True).split()
    for n, rev in enumerate(revs, 1):
        stat = git(gitdir, 'diff', '--shortstat', rev + '^', rev,
                   capture=True)
        files = re.search(r'(\d+) files? changed', stat)
        ins = re.search(r'(\d+) insertions?', stat)
        dels = re.search(r'(\d+) deletions?', stat)
        subject = git(gitdir, 'log', '-1', '--format=%s', rev,
                      capture=True).strip()
        nf = int(files.group(1)) if files else 0
        size = (f'+{int(ins.group(1)) if ins else 0}/'
                f'-{int(dels.group(1)) if dels else 0}')
        lines.append(f'  {n:04d} {nf:3d} file{"s" if nf != 1 else " "} '
                     f'{size:<11s} {subject}')
    return lines


def write_series(gitdir, repo, series, out, prev_range=None):
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    extra = [f'--range-diff={prev_range}'] if prev_range else []
    git(gitdir, 'format-patch', '-q', '--cover-letter', '--base=base',
        '--no-signature', *extra, '-o', out, 'base..dflip')
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
    blurb = blurb.strip() + '\n\n' + '\n'.join(
        ['Diffstat per patch (files changed, lines added/removed):', ''] +
        diffstat_table(gitdir))
    text = open(cover).read()
    text = text.replace('*** SUBJECT HERE ***', subject.strip())
    text = text.replace('*** BLURB HERE ***', blurb)
    with open(cover, 'w') as f:
        f.write(text)
    if prev_range:
        rd = git(gitdir, 'range-diff', '--no-color', prev_range,
                 'base..dflip', capture=True)
        with open(os.path.join(out, 'range-diff.txt'), 'w') as f:
            f.write(f'# git range-diff {prev_range} base..dflip\n' + rd)


def in_base(gitdir, path):
    return subprocess.run(['git', '-C', gitdir, 'cat-file', '-e',
                           f'base:{path}'], capture_output=True).returncode == 0


def refreshed_patch(gitdir, commit, p, owner, index):
    """The text of one patch file made from COMMIT of the series git: its
    message, its "new" lines (the old globs that still match, plus a line
    per added file none matches) and its diff of upstream files.  OWNER
    maps each new file to the number of the patch that adds it."""
    status = git(gitdir, 'diff-tree', '--no-commit-id', '--name-status',
                 '--no-renames', '-r', commit, capture=True).splitlines()
    upstream, added = [], []
    for line in status:
        st, path = line.split('\t', 1)
        if in_base(gitdir, path):
            upstream.append(path)
        elif st == 'A':
            added.append(path)
            owner[path] = index
        elif os.path.basename(path) != 'Makefile':
            # a Makefile gains lines as sources arrive (stage_makefiles())
            die(f'commit {index} ({commit[:12]}) changes {path}, which '
                f'patch {owner.get(path, "?")} adds: a new file is laid '
                'whole by its patch, so fold the change into that commit')
    globs = [g for g in p['new']
             if any(fnmatch.fnmatchcase(a, g) for a in added)]
    globs += [a for a in added
              if not any(fnmatch.fnmatchcase(a, g) for g in globs)]
    diff = ''
    if upstream:
        diff = git(gitdir, 'diff', '--no-color', '--no-renames',
                   f'{commit}^', commit, '--', *upstream, capture=True)
        diff = ''.join(line for line in diff.splitlines(True)
                       if not line.startswith('index '))
    msg = git(gitdir, 'log', '-1', '--format=%B', commit, capture=True)
    head = ''.join(f'new {g}\n' for g in globs)
    return (msg.rstrip('\n') + '\n---\n' + head +
            ('\n' if head and diff else '') + diff)


def refresh(gitdir, repo, series, dry_run):
    """Write branch dflip of the series git back into patches/ and the
    overlay: after commits there were amended (git rebase -i base), each
    patch file gets its commit's message, new files and upstream diff, and
    each file of the overlay its content at the branch's tip.  Returns the
    repository paths that differ (and, unless DRY_RUN, were written)."""
    commits = git(gitdir, 'rev-list', '--reverse', 'base..dflip',
                  capture=True).split()
    if len(commits) != len(series):
        die(f'branch dflip has {len(commits)} commits and patches/ '
            f'{len(series)}: add or remove the patch file first')
    with tempfile.TemporaryDirectory(prefix='dflip-names-') as tmp:
        git(gitdir, 'format-patch', '-q', '-o', tmp, 'base..dflip')
        names = sorted(os.listdir(tmp))
    owner, writes, removes = {}, {}, []
    for i, (commit, (name, p, _), made) in enumerate(
            zip(commits, series, names), 1):
        text = refreshed_patch(gitdir, commit, p, owner, i)
        writes['patches/' + made] = text
        if made != name:
            removes.append('patches/' + name)
    for path in owner:
        writes[path] = git(gitdir, 'show', f'dflip:{path}', capture=True)
    differ = [r for r in removes]
    for rel, text in writes.items():
        full = os.path.join(repo, rel)
        if not os.path.exists(full) or open(full).read() != text:
            differ.append(rel)
    if not dry_run:
        for rel in differ:
            if rel in removes:
                os.unlink(os.path.join(repo, rel))
                continue
            os.makedirs(os.path.dirname(os.path.join(repo, rel)),
                        exist_ok=True)
            with open(os.path.join(repo, rel), 'w') as f:
                f.write(writes[rel])
    return differ


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('action', choices=['check', 'build', 'files', 'refresh'])
    ap.add_argument('--dry-run', action='store_true',
                    help='refresh: only list what would change')
    ap.add_argument('--kind', choices=['c', 'all'], default='all')
    ap.add_argument('--no-tests', action='store_true')
    ap.add_argument('--adaptations', action='store_true',
                    help='only the files patches/dropin/ adds')
    ap.add_argument('--not-adapted', action='store_true',
                    help='leave out the files patches/dropin/ changes')
    ap.add_argument('--new', action='store_true',
                    help='only files the series adds')
    ap.add_argument('--git')
    ap.add_argument('--pristine')
    ap.add_argument('--out')
    ap.add_argument('--prev', help='the previous version, for a range-diff')
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
    if args.action == 'refresh':
        differ = refresh(args.git, REPO, series, args.dry_run)
        print(f'series: {len(differ)} files '
              f'{"differ from" if args.dry_run else "refreshed from"} '
              f'branch dflip of {args.git}' +
              ''.join(f'\n  {rel}' for rel in differ))
        return
    ensure_base(args.git, args.pristine)
    remove_stale_locks(args.git)
    prev_range = (import_prev(args.git, args.prev, args.pristine)
                  if args.prev else None)
    digest = inputs_hash(REPO, series)
    stamp = os.path.join(args.git, '.git', 'dflip-inputs')
    out_stamp = os.path.join(args.out, '.dflip-inputs')
    fresh = all(os.path.exists(p) and open(p).read() == digest
                for p in (stamp, out_stamp))
    if fresh and not prev_range:
        print(f'series: up to date in {args.out}')
        return
    if not (os.path.exists(stamp) and open(stamp).read() == digest):
        build_branch(args.git, REPO, series)
    write_series(args.git, REPO, series, args.out, prev_range)
    for path in (stamp, out_stamp):
        with open(path, 'w') as f:
            f.write(digest)
    print(f'series: {len(series)} patches and a cover letter in {args.out}' +
          (f', range-diff against {args.prev} in range-diff.txt'
           if prev_range else ''))


if __name__ == '__main__':
    main()
