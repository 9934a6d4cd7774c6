"""Validate stories_ant_2018-06-05_07.jsonl against the corpus and the .md.

Re-derives the selection (cat internationalNews/middleEast and the date written in
`time`, parsed with email.utils.parsedate_to_datetime without timezone conversion,
in 2018-06-05..07) from the gzip corpus and checks that the JSONL covers exactly
it, in the stated order (time as aware instants, then outlet, then id), with
correct outlets, unique ids and first-appearance story ids. Checks that
same-outlet duplicates (same url, or identical text) share a story. Also checks
the counts stated in the .md, that every multi-article story listed in its §4 has
exactly the members the JSONL gives it, and that every `docno[sN]` reference in
the .md agrees with the JSONL.
Usage: python validate_stories_ant_2018-06-05_07.py [path/to/ant_multisource_v2.1.jsonl.gz]
"""
import gzip, json, os, re, sys, email.utils
from collections import Counter, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, '..', '..', '..', 'shared', 'data', 'ant', 'ant_multisource_v2.1.jsonl.gz')
JSONL = os.path.join(HERE, 'stories_ant_2018-06-05_07.jsonl')
MD = os.path.join(HERE, 'stories_ant_2018-06-05_07.md')
DAYS = {'2018-06-05', '2018-06-06', '2018-06-07'}

sel = []
with gzip.open(CORPUS, 'rt', encoding='utf-8') as f:
    for raw in f:
        d = json.loads(raw)
        if d.get('cat') not in ('internationalNews', 'middleEast'):
            continue
        dt = email.utils.parsedate_to_datetime(d['time'])   # no timezone conversion
        if dt.date().isoformat() in DAYS:
            sel.append((dt, d['path'].split('/')[0], d['docno'], d['url'], d['text']))
sel.sort(key=lambda x: (x[0], x[1], x[2]))

rows = [json.loads(x) for x in open(JSONL, encoding='utf-8')]
errors = []
if [(r['id'], r['outlet']) for r in rows] != [(s[2], s[1]) for s in sel]:
    errors.append('JSONL (id, outlet) sequence differs from the re-derived, ordered selection')
if len({r['id'] for r in rows}) != len(rows):
    errors.append('duplicate ids in JSONL')
for r in rows:
    if set(r) != {'id', 'outlet', 'story'}:
        errors.append(f'unexpected keys in {r}')
    if not re.fullmatch(r's[1-9][0-9]*', str(r['story'])):
        errors.append(f'bad story id {r}')
seen = []
for r in rows:
    if r['story'] not in seen:
        seen.append(r['story'])
if seen != [f's{i}' for i in range(1, len(seen) + 1)]:
    errors.append('story ids are not numbered 1..N by first appearance')

lab = {r['id']: r['story'] for r in rows}
# duplicates (same outlet, same url or identical text) must share a story
for key in (3, 4):
    groups = defaultdict(list)
    for s in sel:
        groups[(s[1], s[key])].append(s[2])
    for ids in groups.values():
        if len(ids) > 1 and len({lab.get(i) for i in ids}) > 1:
            errors.append(f'duplicate pair {ids} split across stories')

members = defaultdict(list)
for r in rows:
    members[r['story']].append(r['id'])
sizes = Counter(len(v) for v in members.values())
multi = {k: v for k, v in members.items() if len(v) > 1}
outlets = {r['id']: r['outlet'] for r in rows}
stats = {
    'articles': len(rows),
    'stories': len(members),
    'multi': len(multi),
    'in_multi': sum(len(v) for v in multi.values()),
    'singletons': sizes[1],
    'pairs': sum(len(v) * (len(v) - 1) // 2 for v in members.values()),
    'cross': sum(1 for v in multi.values() if len({outlets[i] for i in v}) > 1),
}
print('selected', len(sel), Counter(s[1] for s in sel))
print(stats, 'histogram', sorted(sizes.items()))

md = open(MD, encoding='utf-8').read()
expect = {
    'articles': r'Articles: \*\*(\d+)\*\*',
    'stories': r'Stories: \*\*(\d+)\*\*',
    'multi': r'Multi-article stories: \*\*(\d+)\*\* \(covering',
    'in_multi': r'\(covering (\d+) articles',
    'singletons': r'Singleton stories: \*\*(\d+)\*\*',
    'pairs': r'; (\d+) same-story pairs',
    'cross': r'spanning ≥2 outlets: (\d+)',
}
for k, pat in expect.items():
    m = re.search(pat, md)
    if not m or int(m.group(1)) != stats[k]:
        errors.append(f'.md count {k} = {m.group(1) if m else None}, JSONL gives {stats[k]}')
m = re.search(r'\*\*(\d+) articles\*\*', md)
if not m or int(m.group(1)) != len(sel):
    errors.append('.md §1 selected-article count disagrees with the corpus')
for size, n in sizes.items():
    if not re.search(rf'\| {size} \| {n} \| {size * n} \|', md):
        errors.append(f'histogram row for size {size} missing or wrong in .md')
if len(re.findall(r'^\| \d+ \| \d+ \| \d+ \|$', md, flags=re.M)) != len(sizes):
    errors.append('histogram has extra rows')

# §4 member lists
sec4 = md.split('## 4.')[1].split('## 5.')[0]
listed = dict(re.findall(r'- \*\*(s\d+)\*\* \(\d+;[^\n]*\n\s+([A-Za-z0-9, \-]+)', sec4))
if set(listed) != set(multi):
    errors.append(f'§4 lists {sorted(set(listed) ^ set(multi))} differently from the JSONL')
for sid, txt in listed.items():
    got = sorted(x.strip() for x in txt.split(',') if x.strip())
    if got != sorted(multi.get(sid, [])):
        errors.append(f'§4 members of {sid} {got} != JSONL {sorted(multi.get(sid, []))}')
    m = re.search(rf'- \*\*{sid}\*\* \((\d+);', sec4)
    if int(m.group(1)) != len(multi.get(sid, [])):
        errors.append(f'§4 size of {sid} wrong')
# docno[sN] references anywhere in the .md
refs = re.findall(r'\b([A-Z]{2}-(?:internationalNews|middleEast)-\d+-\d{8})\[(s\d+)\]', md)
for docno, sid in refs:
    if lab.get(docno) != sid:
        errors.append(f'.md reference {docno}[{sid}] but JSONL says {lab.get(docno)}')
# every docno mentioned in the .md exists in the selection
for docno in set(re.findall(r'\b[A-Z]{2}-(?:internationalNews|middleEast)-\d+-\d{8}\b', md)):
    if docno not in lab:
        errors.append(f'.md mentions {docno}, which is not in the selection')
# sN mentioned as a story in §5/§6 must exist
for sid in set(re.findall(r'\bs(\d+)\b', md.split('## 5.')[1])):
    if f's{sid}' not in members:
        errors.append(f'.md §5/§6 mentions s{sid}, which does not exist')

if errors:
    print('FAIL')
    for e in errors:
        print(' -', e)
    sys.exit(1)
print(f'OK: JSONL covers exactly the selection ({len(rows)} articles); .md counts, §4 members and {len(refs)} references agree')
