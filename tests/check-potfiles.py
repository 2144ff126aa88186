#!/usr/bin/env python3
# Every file with user-visible strings must be listed in po/POTFILES.in, and
# every file listed there must exist; otherwise its strings are never
# offered to translators.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import pathlib
import re
import sys

root = pathlib.Path(sys.argv[1])
listed = set()
for line in (root / 'po' / 'POTFILES.in').read_text().splitlines():
    line = line.strip()
    if line and not line.startswith('#'):
        listed.add(line)

marks = re.compile(r'(?<![A-Za-z0-9_])(_|N_|C_|NC_|g_dngettext)\s*\(')
needed = set()
for path in sorted((root / 'src').rglob('*')):
    rel = path.relative_to(root).as_posix()
    if path.suffix == '.c' and marks.search(path.read_text(errors='replace')):
        needed.add(rel)
    elif path.suffix == '.ui' and 'translatable="yes"' in path.read_text(errors='replace'):
        needed.add(rel)
for path in (root / 'data').glob('*.in.in'):
    needed.add(path.relative_to(root).as_posix())

problems = []
for rel in sorted(needed - listed):
    problems.append(f'po/POTFILES.in: {rel} has translatable strings but is not listed')
for rel in sorted(listed):
    if not (root / rel).exists():
        problems.append(f'po/POTFILES.in: {rel} is listed but does not exist')

for p in problems:
    print(p)
print(f'check-potfiles: {len(needed)} files with strings, {len(listed)} listed, '
      f'{len(problems)} problems')
sys.exit(1 if problems else 0)
