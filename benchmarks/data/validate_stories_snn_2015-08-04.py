"""Validate stories_snn_2015-08-04.jsonl against the corpus and the .md.

Re-derives the selection (date_extracted[:10] == '2015-08-04' and source in
aljazirah/alriyadh) from the gzip corpus and checks that the JSONL covers
exactly it, in line order, with correct outlets and first-appearance story ids.
Also checks the counts stated in the .md and that every multi-article story
listed in its §4 has exactly the members the JSONL gives it, and that every
`line[sN]` reference in the .md agrees with the JSONL.
Usage: python validate.py [path/to/saudinewsnet.jsonl.gz]
"""
import gzip, json, os, re, sys
from collections import Counter, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, '..', '..', '..', 'shared', 'data', 'saudinewsnet', 'saudinewsnet.jsonl.gz')
JSONL = os.path.join(HERE, 'stories_snn_2015-08-04.jsonl')
MD = os.path.join(HERE, 'stories_snn_2015-08-04.md')

sel = []
with gzip.open(CORPUS, 'rt', encoding='utf-8') as f:
    for line, raw in enumerate(f):
        d = json.loads(raw)
        if d['date_extracted'][:10] == '2015-08-04' and d['source'] in ('aljazirah', 'alriyadh'):
            sel.append((line, d['source']))

rows = [json.loads(x) for x in open(JSONL, encoding='utf-8')]
errors = []
if [(r['line'], r['outlet']) for r in rows] != sel:
    errors.append('JSONL (line, outlet) sequence differs from the re-derived selection')
for r in rows:
    if set(r) != {'line', 'outlet', 'story'}:
        errors.append(f'unexpected keys in {r}')
    if not re.fullmatch(r's[1-9][0-9]*', r['story']):
        errors.append(f'bad story id {r}')
# story ids numbered by first appearance
seen = []
for r in rows:
    if r['story'] not in seen:
        seen.append(r['story'])
if seen != [f's{i}' for i in range(1, len(seen) + 1)]:
    errors.append('story ids are not numbered 1..N by first appearance')

members = defaultdict(list)
for r in rows:
    members[r['story']].append(r['line'])
sizes = Counter(len(v) for v in members.values())
multi = {k: v for k, v in members.items() if len(v) > 1}
stats = {
    'articles': len(rows),
    'stories': len(members),
    'multi': len(multi),
    'in_multi': sum(len(v) for v in multi.values()),
    'singletons': sizes[1],
    'pairs': sum(len(v) * (len(v) - 1) // 2 for v in members.values()),
}
print('selected', len(sel), Counter(o for _, o in sel))
print(stats, 'histogram', sorted(sizes.items()))

md = open(MD, encoding='utf-8').read()
expect = {
    'articles': r'Articles: \*\*(\d+)\*\*',
    'stories': r'Stories: \*\*(\d+)\*\*',
    'multi': r'Multi-article stories: \*\*(\d+)\*\* \(covering',
    'in_multi': r'\(covering (\d+) articles',
    'singletons': r'Singleton stories: \*\*(\d+)\*\*',
    'pairs': r'; (\d+) same-story pairs',
}
for k, pat in expect.items():
    m = re.search(pat, md)
    if not m or int(m.group(1)) != stats[k]:
        errors.append(f'.md count {k} = {m.group(1) if m else None}, JSONL gives {stats[k]}')
for size, n in sizes.items():
    if not re.search(rf'\| {size} \| {n} \| {size * n} \|', md):
        errors.append(f'histogram row for size {size} missing or wrong in .md')

# §4 member lists
sec4 = md.split('## 4.')[1].split('## 5.')[0]
listed = dict(re.findall(r'- \*\*(s\d+)\*\* \(\d+;[^\n]*\n\s+([\d, ]+)', sec4))
if set(listed) != set(multi):
    errors.append(f'§4 lists {sorted(set(listed) ^ set(multi))} differently from the JSONL')
for sid, txt in listed.items():
    got = sorted(int(x) for x in re.findall(r'\d+', txt))
    if got != sorted(multi.get(sid, [])):
        errors.append(f'§4 members of {sid} {got} != JSONL {sorted(multi.get(sid, []))}')
    m = re.search(rf'- \*\*{sid}\*\* \((\d+);', sec4)
    if int(m.group(1)) != len(multi.get(sid, [])):
        errors.append(f'§4 size of {sid} wrong')
# line[sN] references anywhere in the .md
lab = {r['line']: r['story'] for r in rows}
for line, sid in re.findall(r'\b(\d{5})\[(s\d+)\]', md):
    if lab.get(int(line)) != sid:
        errors.append(f'.md reference {line}[{sid}] but JSONL says {lab.get(int(line))}')

if errors:
    print('FAIL')
    for e in errors:
        print(' -', e)
    sys.exit(1)
print('OK: JSONL covers exactly the selection; .md counts, §4 members and references agree')
