#!/usr/bin/env python3
"""Makes src/similar_variants.txt, the spelling variants of one word that
similar items (src/similar.rs) compare as one, from the Sudachi synonym
dictionary (WorksApplications/SudachiDict, src/main/text/synonyms.txt,
Apache License 2.0).

usage: similar_variants.py synonyms.txt > src/similar_variants.txt

Kept: the forms of one lexeme (one group number and lexeme number):
okurigana and kanji variants (引き継ぎ/引継ぎ/引継, 寄付/寄附), short forms
(育休/育児休業, パブコメ/パブリックコメント), katakana spellings. Left out:
other lexemes of a group (near-synonyms, not the same word), entries never
expanded (flags 1 and 2), old names and misuses, fields far from city-hall
work (people's and companies' names, places, food, sports …), English
words, one-character and hiragana-only forms, and any form that belongs to
two lexemes."""
import collections
import csv
import re
import sys

FAR = set(
    "人名 キャラ 国名 地名 地形 観光 店 店名 商品 大学名 企業名 旧企業名 組織名 旧組織名 "
    "料理 ファッション 美容 動植物 化学 音楽 スポーツ 娯楽 医療 建築 交通 色 不快".split()
)

lexemes = collections.OrderedDict()
for row in csv.reader(open(sys.argv[1], encoding="utf-8")):
    if len(row) < 9:
        continue
    group, _, expand, lexeme, form, _, spelling, field, word = row[:9]
    if expand in ("1", "2") or form in ("3", "4") or spelling == "3":
        continue
    if set(field.strip("()").split("/")) & FAR:
        continue
    if re.fullmatch(r"[A-Za-z][a-z\-.]{3,}", word):
        continue
    lexemes.setdefault((group, lexeme), []).append(word)

uses = collections.Counter(w for ws in lexemes.values() for w in set(ws))
print("# Spelling variants of one word, compared as one by similar items")
print("# (似ている項目, src/similar.rs): one group per line, words separated by spaces.")
print("# Made by docs/tools/similar_variants.py from the Sudachi synonym")
print("# dictionary (https://github.com/WorksApplications/SudachiDict,")
print("# src/main/text/synonyms.txt at 2c7cbcf, 2024-03-27), Copyright (c) 2017-2023 Works")
print("# Applications Co., Ltd., Apache License 2.0")
print("# (https://www.apache.org/licenses/LICENSE-2.0); filtered as the script says.")
for words in lexemes.values():
    kept = [
        w
        for w in dict.fromkeys(words)
        if uses[w] == 1
        and len(w) >= 2
        and not re.fullmatch(r"[\u3040-\u309f]+", w)
        and " " not in w
    ]
    if len(kept) >= 2:
        print(" ".join(kept))
