#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Record and summarize test results of the make check tiers.

Each tier writes DIR/<tier>.results, one line per test:
    PASS <name>
    FAIL <name>: <reason>
    SKIP <name>: <reason>

    results.py kunit-json TIER JSON LOG OUT   convert kunit.py --json output
    results.py summary DIR TIER...            print per-tier counts, the
                                              skips with their reasons and the
                                              final "N passed, N failed" line
"""

import json
import os
import re
import sys

SANITIZER = re.compile(
    r'BUG: KASAN|UBSAN:|WARNING: possible circular locking|'
    r'WARNING: possible recursive locking|inconsistent lock state|'
    r'BUG: sleeping function called|BUG: spinlock|suspicious RCU usage|'
    r'BUG: workqueue leaked|Kernel panic|BUG: kernel NULL pointer')


SKIP_LINE = re.compile(r'^\s*ok \d+ (\S+) # SKIP ?(.*)$')
skip_reasons = {}


def read_skip_reasons(log):
    if not os.path.exists(log):
        return
    with open(log, errors='replace') as f:
        for line in f:
            m = SKIP_LINE.match(re.sub(r'^\[[^]]*\] ', '', line))
            if m:
                skip_reasons[m.group(1)] = m.group(2).strip()


def walk(node, prefix, out):
    name = node.get('name', '')
    if name == 'KUnit Test Group':
        name = ''
    path = f'{prefix}.{name}' if prefix and name else (name or prefix)
    for case in node.get('test_cases', []):
        status = case.get('status', 'FAIL')
        cname = f'{path}.{case.get("name")}'
        if status == 'PASS':
            out.append(f'PASS {cname}')
        elif status == 'SKIP':
            reason = skip_reasons.get(case.get('name')) or 'no reason given'
            reason = ' '.join(str(reason).split())[:200]
            out.append(f'SKIP {cname}: {reason}')
        else:
            out.append(f'FAIL {cname}: {status}')
    for sub in node.get('sub_groups', []):
        walk(sub, path, out)


def sanitizer_reports(log):
    hits = []
    if not os.path.exists(log):
        return hits
    with open(log, errors='replace') as f:
        for line in f:
            if SANITIZER.search(line):
                hits.append(line.strip())
    return hits


def kunit_json(tier, path, log, out):
    lines = []
    read_skip_reasons(log)
    try:
        with open(path) as f:
            data = json.load(f)
        walk(data, '', lines)
    except (OSError, ValueError) as e:
        lines.append(f'FAIL {tier}: no KUnit results ({e})')
    if not lines:
        lines.append(f'FAIL {tier}: ran no test')
    for hit in sanitizer_reports(log):
        lines.append(f'FAIL {tier}.sanitizer: {hit}')
    with open(out, 'w') as f:
        f.write('\n'.join(lines) + '\n')


def summary(d, tiers):
    total = {'PASS': 0, 'FAIL': 0, 'SKIP': 0}
    skips, fails = [], []
    for tier in tiers:
        path = os.path.join(d, f'{tier}.results')
        counts = {'PASS': 0, 'FAIL': 0, 'SKIP': 0}
        if not os.path.exists(path):
            counts['FAIL'] += 1
            fails.append(f'{tier}: the tier did not run (no results)')
        else:
            with open(path) as f:
                for line in f:
                    kind, _, rest = line.strip().partition(' ')
                    if kind not in counts:
                        continue
                    counts[kind] += 1
                    if kind == 'SKIP':
                        skips.append(f'{tier}: {rest}')
                    elif kind == 'FAIL':
                        fails.append(f'{tier}: {rest}')
            if sum(counts.values()) == 0:
                counts['FAIL'] += 1
                fails.append(f'{tier}: ran nothing')
        for k in total:
            total[k] += counts[k]
        took = ''
        try:
            with open(os.path.join(d, f'{tier}.time')) as f:
                took = f' in {int(f.read())} s'
        except (OSError, ValueError):
            pass
        print(f'tier {tier}: {counts["PASS"]} passed, {counts["FAIL"]} '
              f'failed, {counts["SKIP"]} skipped{took}')
    for s in skips:
        print(f'skipped: {s}')
    for s in fails:
        print(f'FAILED: {s}')
    print(f'{total["SKIP"]} skipped (see the reasons above)')
    print(f'{total["PASS"]} passed, {total["FAIL"]} failed')
    return 1 if total['FAIL'] else 0


def main():
    if len(sys.argv) >= 6 and sys.argv[1] == 'kunit-json':
        kunit_json(*sys.argv[2:6])
    elif len(sys.argv) >= 4 and sys.argv[1] == 'summary':
        sys.exit(summary(sys.argv[2], sys.argv[3:]))
    else:
        sys.exit(__doc__)


if __name__ == '__main__':
    main()
