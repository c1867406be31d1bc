#!/usr/bin/env python3
"""Every text of the web app marked for translation has its entry in each web/src/i18n/<code>.json,
and no catalog holds an entry the app no longer uses (docs/languages.md, "Web app").

Marked texts: t('…'), t("…") and mark('…') in web/src/**/*.js (one literal each, no
concatenation), and the text or aria-label of the elements of web/src/index.html marked data-i18n
or data-i18n-label. Usage: web_catalog_check.py SOURCE_DIR"""
import html
import json
import pathlib
import re
import sys

root = pathlib.Path(sys.argv[1]) / 'web' / 'src'
literal = r"""(?:'((?:[^'\\\n]|\\.)*)'|"((?:[^"\\\n]|\\.)*)")"""
call = re.compile(r'(?<![\w.])(?:t|mark)\(\s*' + literal + r'\s*[,)]')
concatenated = re.compile(r'(?<![\w.])(?:t|mark)\(\s*' + literal + r'\s*\+')
wanted = {}
failures = []
for path in sorted(root.rglob('*.js')):
    if 'vendor' in path.parts:
        continue
    text = path.read_text(encoding='utf-8')
    for match in call.finditer(text):
        raw = match.group(1) if match.group(1) is not None else match.group(2)
        message = re.sub(r'\\(.)', r'\1', raw)
        wanted.setdefault(message, f'{path.relative_to(root)}')
    for match in concatenated.finditer(text):
        failures.append(f'{path.relative_to(root)}: t() of a concatenation; write one literal')
index = (root / 'index.html').read_text(encoding='utf-8')
for match in re.finditer(r'<([a-z]+)[^>]*\bdata-i18n\b(?!-)[^>]*>([^<]*)<', index):
    wanted.setdefault(html.unescape(' '.join(match.group(2).split())), 'index.html')
for match in re.finditer(r'<[a-z]+[^>]*\baria-label="([^"]*)"[^>]*\bdata-i18n-label\b', index):
    wanted.setdefault(html.unescape(match.group(1)), 'index.html')

for catalog in sorted((root / 'i18n').glob('*.json')):
    messages = json.loads(catalog.read_text(encoding='utf-8'))
    for message, where in sorted(wanted.items()):
        if not messages.get(message):
            failures.append(f'{catalog.name}: no translation of {message!r} ({where})')
        elif set(re.findall(r'\{\w+\}', message)) != set(re.findall(r'\{\w+\}', messages[message])):
            failures.append(f'{catalog.name}: the placeholders of {message!r} differ')
    for message in sorted(set(messages) - set(wanted)):
        failures.append(f'{catalog.name}: {message!r} is not used by the app any more')
for failure in failures:
    print('FAIL:', failure)
if not failures:
    print(f'ok: {len(wanted)} web texts, each translated')
sys.exit(1 if failures else 0)
