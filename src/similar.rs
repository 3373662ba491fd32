//! Similar items (似ている項目, SPEC §8.2): within one cell (分野 × 区分),
//! items that make the same claim in other words are suggested as a group.
//! Computed from the finished matrix (after the secretariat's corrections)
//! into a new value; no item changes and nothing is merged: the
//! secretariat merges a group by giving its rows one 修正後の文 (§7.9).
//!
//! # The method
//!
//! Deterministic and offline: no model, no dictionary download.
//!
//! 1. **Words for comparing only.** ASCII is lower-cased (full width
//!    folded, on top of SPEC §3). Words of the synonym table
//!    ([`Synonyms`]: a built-in table of the variation departments write —
//!    公用車/庁用車, PC/パソコン/端末, 不足/足りない, HP/ホームページ,
//!    職員/担当者 … —, the spelling variants of one word from the Sudachi
//!    synonym dictionary ([`VARIANTS`]: 引き継ぎ/引継ぎ/引継) and the
//!    template's `<synonyms>`) are found, longest first, and stand for
//!    their group.
//! 2. **Crude words without a tokenizer.** The text is cut into clauses at
//!    、。 (not at a comma after a noun and its case particle: 市有地を、民間に
//!    貸し付ける is one clause) and into phrases where a non-hiragana follows
//!    hiragana
//!    (Japanese phrases are content + particles/okurigana: 公用車の|台数が|
//!    少なく、). A phrase's features are its synonym groups, the character
//!    bigrams of each kanji run (one kanji alone is a feature), each
//!    katakana run and each Latin/digit run; hiragana carry none, so
//!    〜している。/〜しており、〜。 compare equal and ＜examples＞ are
//!    already apart from the text.
//! 3. **The claim weighs more than the topic.** In each clause the last
//!    phrase that is not a light word (実施/行う, 推進, 必要, 検討, and the
//!    frames 制度, 仕組み, 体制, 環境 …) is the
//!    predicate and the one before it its argument: their features count
//!    [`PREDICATE`] times. 公用車が不足している / 公用車の維持費が増えている
//!    share the topic, not the claim.
//! 4. **Rare words weigh more.** A feature weighs `ln(1 + N / df)` over the
//!    month's N printed items (df: items having it) times its role.
//! 5. **Similarity** is the weighted Jaccard `Σshared min / (W_a + W_b −
//!    Σshared min)`, and 0 unless one of the two has at least
//!    [`CLAIM_SHARE`] of its predicates' and arguments' weight in words
//!    the other has too (the claim gate: items sharing only their topic, or
//!    only a common verb such as 導入した, never group; a clause ending in
//!    a reason or purpose, 退職により、 高めるため、, has no predicate or
//!    argument: it is the topic); items are grouped by complete-link clustering
//!    at [`THRESHOLD`] (every pair of a group is that similar, so a group
//!    does not chain from one topic to the next).
//! 6. **One cell, one point each.** Two items split from one submitted
//!    cell (the same source) are never grouped: a department lists
//!    separate points there (in the sample month, two of the three pairs
//!    the similarity found were such).
//! 7. **Near-linear.** Pairs are only scored for items that share a
//!    feature no more than [`POSTING_CAP`] items of the cell have (an
//!    inverted index), keeping each item's [`CANDIDATES`] best by shared
//!    weight; the clustering works along the edges that pass the
//!    threshold (a heap of merges), never on a matrix of all pairs.
//!
//! # The figures that chose it
//!
//! Pairwise precision / recall / share of hard-negative pairs grouped, on
//! the labelled months of `tests/data/similar/`: `tune.json`, `tune2.json`
//! and `tune3.json` tuned on; `heldout.json` to `heldout3.json` held out,
//! written by this project; `heldout4.json` to `heldout56.json` held out,
//! written by independent sessions that saw neither this code nor the
//! other months; and `../shared/samples/similar/gold.json`. The months
//! differ in how far their paraphrases are apart: the yardstick,
//! character-bigram Jaccard at 0.20 with single link, has recall .44–.53
//! on held-out 4, 5, 8 and 9 (.47 on the issue's own held-out months) but
//! .71–.79 on 6 and 7.
//!
//! **Blind scores**: each held-out month's first score, before anything
//! was chosen by looking at its misses (bigram: NFKC, ＜…＞ removed).
//!
//! | month | bigram | first score | at | now |
//! |---|---|---|---|---|
//! | held-out 3 | .43/.41/.50 | .95/.62/.05 | 88b17e4 | .96/.79/.05 |
//! | held-out 4 | .58/.48/.36 | .82/.59/.18 | 5bdfc66 | .91/.67/.07 |
//! | held-out 5 | .87/.44/.08 | 1.0/.32/0 | 5bdfc66 | 1.0/.50/0 |
//! | held-out 6 | .62/.71/.52 | .89/.64/.12 | d14973f | .96/.79/.08 |
//! | held-out 7 | .90/.79/.04 | .98/.76/.04 | d14973f | .96/.77/.08 |
//! | held-out 8 | .62/.53/.28 | 1.0/.60/0 | fa4e3b5 | 1.0/.65/0 |
//! | held-out 9 | .68/.47/.20 | .90/.53/.08 | fa4e3b5 | .91/.58/.08 |
//! | held-out 10 | .74/.50/.12 | .95/.59/.04 | ed2fef9 | .96/.79/.04 |
//! | held-out 11 | .67/.47/.16 | .85/.57/.08 | ed2fef9 | .95/.67/.04 |
//! | held-out 12 | .72/.50/.16 | .87/.56/.08 | 224fe50 | .96/.61/.04 |
//! | held-out 13 | .84/.58/.08 | .91/.58/.04 | 224fe50 | .91/.58/.04 |
//! | held-out 14 | .34/.44/.80 | .61/.69/.40 | 6bdb0d5 | .63/.72/.36 |
//! | held-out 15 | .38/.41/.56 | .63/.50/.24 | 6bdb0d5 | .62/.53/.24 |
//! | held-out 16 | .61/.45/.40 | .81/.46/.20 | 6bdb0d5 | .84/.55/.20 |
//! | held-out 17 | .89/.50/.04 | .95/.56/0 | 6bdb0d5 | .95/.59/0 |
//! | held-out 18 | .62/.12/.12 | .80/.40/.04 | 6bdb0d5 | .90/.45/.04 |
//! | held-out 19 | .57/.56/.24 | .85/.61/0 | 6ffa547 | .88/.61/0 |
//! | held-out 20 | .83/.50/.08 | .96/.63/.04 | 6ffa547 | .96/.63/.04 |
//! | held-out 21 | .42/.58/.60 | .79/.72/.16 | e9e4b68 | .77/.75/.20 |
//! | held-out 22 | .38/.58/.76 | .68/.64/.28 | e9e4b68 | .66/.64/.32 |
//! | held-out 23 | .51/.67/.52 | .76/.72/.20 | e9e4b68 | .82/.75/.16 |
//! | held-out 24 | .45/.58/.56 | .83/.69/.08 | e9e4b68 | .78/.69/.12 |
//! | held-out 25 | .48/.60/.40 | 1.0/.75/0 | e9e4b68 | 1.0/.75/0 |
//! | held-out 26 | .52/.45/.40 | .84/.55/.12 | e9e4b68 | .75/.55/.16 |
//! | held-out 27 | .38/.39/.52 | .69/.50/.12 | 846e635 | .69/.50/.12 |
//! | held-out 28 | .33/.44/.68 | .79/.68/.16 | 846e635 | .70/.68/.24 |
//! | held-out 29 | .70/.66/.26 | .85/.72/.15 | 24f3955 | .81/.72/.19 |
//! | held-out 30 | .74/.57/.11 | 1.0/.57/0 | 24f3955 | 1.0/.57/0 |
//! | held-out 31 | .61/.41/.23 | .93/.63/0 | 24f3955 | .93/.63/0 |
//! | held-out 32 | .44/.40/.39 | .67/.46/.16 | 24f3955 | .64/.46/.16 |
//! | held-out 33 | .43/.44/.46 | .96/.53/.04 | 24f3955 | .93/.58/.04 |
//! | held-out 34 | .41/.47/.44 | .83/.56/.07 | 24f3955 | .83/.56/.07 |
//! | held-out 35 | .60/.49/.23 | .96/.68/0 | 24f3955 | .96/.70/0 |
//! | held-out 36 | .65/.52/.19 | .96/.73/.04 | 24f3955 | .96/.73/.04 |
//! | held-out 37 | .63/.54/.30 | .97/.73/0 | 24f3955 | .97/.73/0 |
//! | held-out 38 | .49/.50/.30 | .94/.45/.04 | 24f3955 | .95/.50/.04 |
//! | held-out 39 | .67/.46/.26 | .96/.61/.04 | 24f3955 | .96/.63/.04 |
//! | held-out 40 | .53/.33/.36 | 1.0/.40/0 | 24f3955 | 1.0/.43/0 |
//! | held-out 41 | .78/.46/.11 | .96/.62/.04 | 849be9f, 0.18 | .96/.62/.04 |
//! | held-out 42 | .71/.36/.18 | 1.0/.39/0 | 849be9f, 0.18 | 1.0/.39/0 |
//! | held-out 43 | .78/.58/.19 | .89/.59/.07 | 849be9f, 0.18 | .89/.59/.07 |
//! | held-out 44 | .75/.59/.19 | .91/.59/.07 | 849be9f, 0.18 | .91/.59/.07 |
//! | held-out 45 | .69/.48/.30 | .95/.51/.04 | 849be9f, 0.18 | .95/.51/.04 |
//! | held-out 46 | .55/.46/.41 | .92/.51/.07 | 849be9f, 0.18 | .92/.51/.07 |
//! | held-out 47 | .73/.51/.21 | .94/.48/.07 | 849be9f, 0.18 | .94/.48/.07 |
//! | held-out 48 | .53/.44/.46 | .85/.41/.14 | 849be9f, 0.18 | .85/.41/.14 |
//! | held-out 49 | .74/.58/.15 | .93/.59/.04 | 7835963 | .93/.59/.04 |
//! | held-out 50 | .76/.61/.30 | .98/.64/.04 | 7835963 | .98/.64/.04 |
//! | held-out 51 | .54/.56/.33 | 1.0/.61/0 | 7835963 | 1.0/.61/0 |
//! | held-out 52 | .72/.48/.15 | .97/.43/.04 | 7835963 | .97/.43/.04 |
//! | held-out 53 | .69/.52/.37 | .97/.55/0 | 7835963 | .97/.55/0 |
//! | held-out 54 | .59/.57/.48 | .98/.58/.04 | 7835963 | .98/.58/.04 |
//! | held-out 55 | .51/.41/.33 | .94/.42/.04 | 7835963 | .94/.42/.04 |
//! | held-out 56 | .78/.45/.22 | .97/.45/.04 | 7835963 | .97/.45/.04 |
//!
//! Held-out 8 to 13 together at their first score, the fairest estimate
//! of the method before the last step on paraphrases as far apart as the
//! issue's: .92/.57/.05 (bigram .71/.51/.17). Held-out 14 to 20 came with
//! the last step, from sessions that saw nothing of the project: 14–16 with
//! hard negatives that share most of their words with their pair (bigrams
//! group 59 % of them, against 22 % in the months), 17–18 with
//! short statements (bigram recall .30), 19–20 in the issue's own terms
//! (bigram .68/.53/.16, the months .76/.47/.22). 14–18 were scored
//! at 6bdb0d5 before the step: .68/.54/.28 (14–16) and .88/.47/.02
//! (17–18); after it .71/.59/.28 and .92/.47/.04 (17–18 scored once more,
//! on the final choice, before their misses were read). 19–20 were written
//! after the step and scored once: **.90/.62/.02** (at 6bdb0d5 they would
//! have been .98/.58/0); 17–20 together, blind on the method as it stood:
//! .91/.55/.03. All twenty held-out months together after the step:
//! .90/.63/.08; 1 to 13: .95/.67/.05 (.94/.64/.05 before). What the misses share: the same
//! point in other content words (研究会/勉強会, 相談できる先輩/メンター,
//! 検針をなくす/スマートメーター, 収納率/徴収実績), which no table of this
//! size covers, and pairs whose distinctive but unshared words (半分/五割,
//! 根強く) outweigh the shared ones; the hard negatives still grouped share
//! a whole clause (窓口の待ち時間が長く、/案内表示が分かりにくく、 住民から
//! 改善を求める声が…).
//!
//! **Held-out 21 to 28** came from four more sessions that saw nothing of
//! the project, asked for months in the terms. Their first scores
//! (.80/.66/.14 together) tell two kinds of month apart, by the issue's
//! own yardstick:
//! - where the writer's hard negatives are as far apart as the issue's
//!   (17–20, 25 and 26: bigrams .61/.45/.21, the months
//!   .76/.47/.22), the method had **.93/.58/.03** at 0.19 (.92/.58/.04 before
//!   the claim share);
//! - where they share most of their words with their pair (14–16, 21–24,
//!   27 and 28: bigrams group 60 % of them), precision falls: .74/.63/.20
//!   before, .77/.63/.18 after. What is still grouped there differs in one slot of an otherwise
//!   equal sentence (全職員/管理職を対象にDX研修を実施, 収納率/口座振替の
//!   利用率が県内平均を下回る, 死亡/転入に伴う手続きを一括して案内する),
//!   which only knowing what the words mean tells apart.
//!
//! **The claim share** (2026-12-01, the second step of the day): the claim
//! gate asked for one shared word of either claim, so two items whose
//! claims shared only a verb many items have (導入した, 少ない) passed it
//! with different objects (キャッシュレス決済/番号札の発券システムを導入
//! した). Now one of them must have [`CLAIM_SHARE`] of its claim's weight
//! in words the other has. Chosen on tune, held-out 1–24 and gold (0.25
//! and 0.3 score alike, 0.35 starts to lose recall, 0.4 loses gold, .60 →
//! .40); held-out 25 and 26, kept out of the choice and scored once with
//! it, are unchanged, and so are 27 and 28, written after it (.75/.59/.14
//! with and without):
//!
//! | | tune | held-out 1–13 | 14–16 | 17–20, 25–26 | 21–24 | gold |
//! |---|---|---|---|---|---|---|
//! | e9e4b68 (any shared word) | .99/.77/.01 | .95/.67/.05 | .71/.59/.28 | .92/.58/.04 | .76/.69/.18 | 1.0/.60/0 |
//! | claim share 0.3 (then) | .99/.77/.01 | .95/.67/.05 | .75/.59/.23 | .93/.58/.03 | .79/.69/.16 | 1.0/.60/0 |
//! | and threshold 0.18 (this) | .96/.78/.03 | .95/.68/.05 | .70/.60/.27 | .91/.60/.04 | .76/.71/.20 | 1.0/.60/0 |
//!
//! All twenty-eight held-out months of then together: .88/.64/.09 (twenty-six:
//! .89/.64/.08, .88/.64/.09 at e9e4b68). The threshold stayed at 0.19 then: 0.18 buys recall with precision on most
//! months. Tried with it and left: 398 groups of words for the fields the
//! table covered least (学校, 保育, 上下水道, 消防, 選挙 …), written blind
//! by another session and chosen the same way (6 left out), gained one
//! point of precision on the months they were chosen on (.96 → .97) and
//! lost on every other (14–16 .75/.59 → .72/.58, 17–18 .95 → .92
//! precision, 21–22 .75/.68 → .73/.65): the table has what these months
//! need; a penalty for two claims whose arguments share nothing (from
//! 0.15 to 1) and a softer gate (the similarity times the claim share over
//! 0.5–0.7, or a power of it, each with its best threshold) moved along
//! the same line, precision for recall; adverbs glued to their verb
//! (年々増加) taken out of the claim: no change with the claim share;
//! predicate weight 2.5 or 3: recall for precision again; a modifier in
//! の (市有地の売却) never the claim's argument, the phrase it modifies
//! instead: precision on the harsh months (14–16 .75 → .77), recall on
//! tune (.77 → .75) and held-out 1–13 (.67 → .66); 243 groups of everyday
//! expressions (雰囲気/ムード, 不安/心配/危惧, 伝わる/行き渡る …), written
//! blind by another session and chosen the same way (3 left out): no gain
//! on the months they were chosen on, and precision lost on 17–20 (19–20
//! .92 → .87) and recall on 25–26 (.65 → .63).
//!
//! **Held-out 29 to 40** came from six more sessions that saw nothing of
//! the project, asked for months like the issue's, two months each, and
//! each was scored once on the method as it stood (24f3955, threshold 0.19). Before
//! 37–40 existed, the rule was written down: the bar is met only
//! if 29–40 together meet it. Together: **.92/.58/.05** (bigrams
//! .57/.47/.29): 29–32 .86/.61/.08, 33–36 .93/.62/.04, 37–40 .97/.54/.02.
//! The sixteen months like the by its yardstick (17–20, 25, 26,
//! 29–32, 35–40; bigrams .61/.47/.25, the issue's .76/.47/.22) had
//! **.93/.59/.04** at 0.19; the eleven harsh ones (14–16, 21–24, 27, 28, 33, 34)
//! .78/.62/.15; all forty held-out months .89/.62/.07. The threshold moves
//! these along one line (16 months like the issue's; twelve fresh):
//!
//! | threshold | tune | held-out 1–13 | harsh | like the issue's | 29–40 |
//! |---|---|---|---|---|---|
//! | 0.19 (then) | .99/.77/.01 | .95/.67/.05 | .78/.62/.15 | .93/.59/.04 | .92/.58/.05 |
//! | 0.18 (this) | .96/.78/.03 | .95/.68/.05 | .75/.63/.19 | .91/.60/.04 | .91/.60/.05 |
//! | 0.17 | .91/.78/.06 | .93/.68/.06 | .73/.64/.21 | .90/.61/.05 | .90/.61/.05 |
//! | 0.16 | .90/.80/.07 | .91/.69/.07 | .72/.65/.22 | .88/.63/.07 | .88/.62/.07 |
//!
//! The bar (.90/.60/.10) lies on that line, not inside it: a
//! threshold chosen to reach it would have been chosen on the months that
//! judged it, and the tuned months lose what they had (0.17: tune .99 →
//! .91); so these months were later used to choose the threshold and new
//! months to judge it (below).
//! What is missed is the same point in other words (生成AIの利用ルールを
//! 定める / ガイドラインを策定する, 離職が増えている / 辞めていく職員が
//! 多くなっている, 運転手/運転士) and groups of three or four, which
//! complete link keeps only when every pair is close; what is grouped
//! wrongly, one slot of an otherwise equal claim (年次有給休暇/育児休業の
//! 取得率が低い, 庁舎の照明/街路灯をLEDに更新する) and a common noun as
//! the claim's argument (…必要な家庭に届いていない / …利用をあきらめる
//! 家庭がある).
//!
//! **The threshold 0.18, and eight months written after it** (2026-12-01,
//! the session after held-out 29–40). Once all forty held-out months had
//! been scored and their misses read, they were used to choose the
//! threshold. The rule, written down before eight new months existed to
//! test it: the most recall whose precision on the sixteen months like the
//! issue's is at least .91, with tune precision at least .95 and at most
//! 5 % of the sixteen months' hard negatives grouped. Results: 0.19
//! .925/.586/.04, **0.18 .912/.601/.04** (tune .96/.78/.03); precision at
//! 0.175 .901 and at 0.17 .902. Held-out 41–48 came from four sessions
//! that saw nothing of the project, asked for months like the (two
//! or three statements per point, most with three; a third of the points
//! in words the statements hardly share), and were scored once (in the
//! table of blind scores, "849be9f, 0.18" is that commit's code at 0.18):
//!
//! | months | bigram | 0.18 (this) | 0.19 |
//! |---|---|---|---|
//! | 41–48 | .68/.49/.26 | **.93/.51/.06** | .92/.50/.06 |
//! | 41–45, 47 (like the issue's) | .74/.50/.20 | .94/.53/.05 | .93/.52/.05 |
//!
//! The precision bar holds with room; the recall bar (.60) does not, on the
//! months nearest to the issue's own (their bigrams .74/.50/.20, the
//! issue's .76/.47/.22): the method finds only a few more pairs than bigram
//! similarity does; the pairs it misses in the months that were read are
//! the same point in other words. All
//! forty-eight held-out months at 0.18: .89/.60/.08; 22 like the issue's
//! .92/.57/.05; the thirteen harsh ones .77/.59/.17. Tried before the
//! choice and left: letting a compound in the table also count as the
//! shorter table words it contains (維持管理費 also as 維持管理, ルール化
//! also as ルール), which lowered precision everywhere (the sixteen .925 →
//! .896) for no recall. Looked at and not tried: word pairs taken from the
//! labelled paraphrases (a word in one item that its paraphrase lacks, with
//! a word the paraphrase has and the item lacks, seen in two months and in
//! no pair of different points): 1,601 of them, mostly topic words
//! (ノウハウ/定年, LED/蛍光灯), not words of one meaning.
//!
//! **Mutual best partners, tried on eight more months and left out**
//! (2026-12-01). Two items left ungrouped by complete link that are each
//! other's most similar item, with a similarity at or above a floor
//! (0.11–0.15 tried), were made a group of two. On the forty-eight months
//! then scored it gave more recall at the same precision at every
//! threshold tried (22 like the issue's: .918/.603/.05 at complete-link
//! threshold 0.20 with a floor of 0.13, against .911/.593/.06 for 0.17
//! alone; all forty-eight .888/.630 against .886/.602 at 0.18; tune
//! .93/.81/.03). Written down before held-out 49–56 existed: keep it only
//! if on them it has more recall than 0.18 alone with precision at most
//! .02 lower. Scored once: .9470/.552/.04 against .9672/.535/.03,
//! precision .0202 lower, so it stays out (it found sixteen more pairs,
//! nine of them right). Held-out 49–56, from four more sessions that saw
//! nothing of the project: **.97/.54/.03** at 0.18 (bigrams .65/.52/.29);
//! the sixteen months written after the threshold was chosen (41–56)
//! .95/.52/.05 (bigrams .67/.50/.27), the thirteen of them like the
//! issue's (all but 46, 48 and 54, whose bigrams group over 40 % of their
//! hard negatives) .95/.53/.04 (bigrams .70/.51/.23). All fifty-six
//! held-out months: .90/.59/.07. The method clears the precision bar; on
//! the months written after the threshold was fixed, recall is .51–.54.
//!
//! **Where the misses are** (2026-12-01, a look at threshold 0.19): on the months
//! like the (17–20, 25 and 26), switching the claim gate off
//! leaves recall where it is (.58; precision .93 → .91, gold .86): what is
//! missed is missed by the similarity itself, pairs with no or few words
//! in common. Tried once more with the claim share, and left: complete
//! link relaxed (a merge needs one pair at the threshold and every pair at
//! 0.13–0.17) costs tune precision (.99 → .93) for no recall there, and
//! at 0.13 buys .58 → .60 on these months with precision .93 → .88;
//! kanji one by one as features (a fifth to the whole of their phrase's
//! weight, in the claim or not) lowers recall everywhere (tune .77 →
//! .74 at a fifth), and with a lower threshold only trades as 0.18 does;
//! the Sudachi dictionary's near-synonym groups once more (7,343 groups,
//! each word in one group only): as words of the table, .93/.58 →
//! .94/.59 on these months but tune .99/.77 → .95/.74 and gold precision
//! 1.0 → .86; as features added beside the words' own (a compound keeps
//! its parts), recall falls everywhere (tune .74, 1–13 .65, these months
//! .57), the group's feature mostly standing in one item only; only its
//! groups of two-kanji words (683, each left out in turn on tune, 1–13
//! and gold as before: 3 went) gain nothing where they were chosen, .93/.58
//! → .93/.60 on these months (時差出勤制度を導入した / 出勤時刻を…選べる
//! 勤務制度を始めた, 導入 and 開始 one) and lose precision on the harsh
//! ones (.77 → .75: テレワーク制度を導入した / 時差出勤制度を導入した
//! pass through the same verbs); on 29–32, written after, they find one
//! pair more (96 → 97 of 158: .86/.61/.08 either way), and on 33–36,
//! scored once with and without them by a rule written down before
//! (keep them only if r − 4·(wrong pairs) − 4·(hard negatives) rises),
//! two pairs more for eight wrong (.93/.62/.04 → .88/.63/.06): left out.
//! No thesaurus of meanings can be bundled from what is at hand offline:
//! the Japanese WordNet's word list is in none of the repositories that
//! can be fetched here (Open Multilingual Wordnet's `wn-data-jpn.tab` and
//! bond-lab/wnja's `data/wn-ntumc-jpn.xml` are listed in their trees but
//! absent from the snapshots, being too large), and the Wiktionary-derived
//! Japanese wordnet there (19,480 word-sense pairs) has none of 雰囲気,
//! 退職, 離職, 周知, 年休, 欠員, 徴収, 連携 or 削減. Its
//! 2,706 synonym sets whose words stand in one set only, tried as extra
//! groups (2026-12-01), moved held-out 41–56 from .946/.524 to .943/.524
//! and tune from .96/.78 to .91/.75.
//!
//! **The last step but one** (2026-12-01), on tune, held-out 1–13 and
//! ../shared/samples/similar (gold): two sessions wrote 672 groups of
//! words from general knowledge, blind to the months; each was left out in
//! turn and the 30 whose absence scored better went (無線LAN and 使用料
//! again among them: compounds); a clause that gives a reason, purpose or
//! occasion (`SUBORDINATE`: 退職により、 高めるため、) has no claim;
//! then the threshold 0.19, which the new words' precision paid for:
//!
//! | | tune | held-out 1–13 | 8–13 | 14–16 | gold |
//! |---|---|---|---|---|---|
//! | 6bdb0d5 (0.20) | .99/.78/0 | .94/.64/.05 | .93/.59/.05 | .68/.54/.28 | 1.0/.60/0 |
//! | + reason clauses | .99/.78/0 | .94/.64/.05 | .93/.60/.05 | .68/.53/.27 | 1.0/.60/0 |
//! | + 642 groups | .99/.77/.01 | .96/.64/.04 | .95/.60/.04 | .72/.56/.25 | 1.0/.60/0 |
//! | + threshold 0.19 (then) | .99/.77/.01 | .95/.67/.05 | .95/.64/.04 | .71/.59/.28 | 1.0/.60/0 |
//!
//! Tried and left: at 0.19 without the new words, held-out 1–13 .93/.66/.06;
//! 0.18 lost precision on every set then (14–16 .66); complete link relaxed to
//! "one pair at the threshold, every pair at 0.12–0.15" gained recall on
//! 1–13 (.92/.67) but none on 8–13 and cost 14–16 precision; the Sudachi
//! dictionary's near-synonym groups (3,878 after the variants' filter; the
//! 18 of the 497 touching the months' texts that cost figures left out)
//! gained one pair on the months they were chosen on and lost precision on
//! 14–16 (.71 → .68) and 17–18 (.92 → .88); the bonus for two shared claim
//! words (0.02–0.04, also only for words of at most a tenth of the items)
//! no longer gains anything at 0.19; 272 groups of predicates written
//! blind by another session (集まらない/応募が少な, 人手が足り/人員不足 …),
//! the 23 that cost figures left out, gained four pairs on the months they
//! were chosen on and lost on every month they were not: 14–16 .71/.59 →
//! .66/.55, 17–18 .92 → .90 precision, 19–20 .90/.62 → .85/.61 (phrases
//! hide the words they are made of, as compounds do).
//!
//! **The steps**, on the months that existed at each step (the first five
//! rows with the synonym table of 88b17e4):
//!
//! | method | tune | tune2 | tune3 | held-out | held-out 2 | gold |
//! |---|---|---|---|---|---|---|
//! | char-bigram Jaccard 0.20, single link | .54/.40/.23 | .56/.66/.30 | .43/.17/.25 | .36/.38/.38 | .57/.50/.24 | 1.0/.40/0 |
//! | crude words, IDF, weighted Jaccard, average link 0.20 | .52/.41/.34 | .57/.68/.30 | .60/.33/.33 | .35/.35/.38 | .72/.54/.14 | .57/.40/.50 |
//! | + synonym table | .80/.74/.14 | .59/.80/.32 | .75/.83/.17 | .56/.54/.23 | .73/.67/.14 | .86/.60/.25 |
//! | + complete link | .83/.70/.12 | .66/.80/.24 | .83/.83/.08 | .57/.50/.23 | .80/.67/.10 | .86/.60/.25 |
//! | + phrases and clause roles | .94/.63/.04 | 1.0/.78/0 | 1.0/.67/0 | .61/.42/.15 | 1.0/.67/0 | .83/.50/.25 |
//! | + claim gate | .96/.63/.02 | 1.0/.78/0 | 1.0/.67/0 | .69/.42/.08 | 1.0/.67/0 | 1.0/.50/0 |
//! | + 22 groups | .96/.67/.04 | 1.0/.78/0 | 1.0/.67/0 | .74/.54/.08 | 1.0/.67/0 | 1.0/.60/0 |
//! | + noun-and-particle clauses, Sudachi variants, 49 groups | .98/.69/.02 | .97/.78/0 | 1.0/.72/0 | .84/.62/.08 | .90/.75/.05 | 1.0/.60/0 |
//! | + 116 independent groups, 7 compound groups out | 1.0/.74/0 | .97/.83/0 | 1.0/.78/0 | .84/.62/.08 | 1.0/.75/0 | 1.0/.60/0 |
//! | + frame nouns light, 3 groups | 1.0/.74/0 | .97/.83/0 | 1.0/.78/0 | .84/.62/.08 | 1.0/.75/0 | 1.0/.60/0 |
//!
//! What the steps taught:
//! - **The claim gate** (a pair shares a word of either item's predicate
//!   or argument) keeps recall and removes pairs that share only their
//!   topic. Requiring a word of *both* claims lost recall (held-out
//!   .75/.34/.03).
//! - **Words win where the features do not.** Unseen wording is where
//!   recall is lost; each table of words raised it. But a compound as one
//!   group (電子申請, 無線LAN, 業務量, 使用料) hides the words it shares
//!   with other wordings (電子 + 申請, 業務 + 量) and lowers both figures:
//!   of 294 groups another session wrote from the field's vocabulary, the
//!   15 that cost figures were all such compounds, and 7 of our own were
//!   taken out for the same reason. The table keeps words of one meaning.
//! - **Spelling variants** of one word from the Sudachi synonym dictionary
//!   (same lexeme only: 引き継ぎ/引継ぎ/引継, 寄付/寄附; its near-synonym
//!   groups cost tune2 precision, .86) raised pooled held-out precision
//!   .89 → .91 at the same recall.
//! - **Real text has the last word.** A bonus of 0.04 for two items whose
//!   claims share two words raised the held-out months to .94/.67/.05,
//!   but in the sample month it grouped 名刺管理システムの導入 with
//!   予約、申請…がオンラインで完結できるシステムの導入 (システム and 導入
//!   are the claim of many a line): left out.
//! - **Left as they were** (until the last step): the threshold (0.19
//!   gained recall on the tuned months, but held-out 4 fell to
//!   .88/.65/.11; with the last step's words it was .91/.67/.07; 0.18 and
//!   below lost precision everywhere then); complete link (average link, also over edges
//!   down to 0.10–0.15, lets hard negatives in through a third item:
//!   tune2 .83); negated light verbs read as 不足, kanji unigrams (0.2, 0.4),
//!   okurigana kept inside one phrase, a discount for the longer item's
//!   extra weight, and a rarity floor on the claim gate (which a small month
//!   cannot meet) all lost on some months for nothing on the others. No
//!   Japanese tokenizer was tried: the phrases need none, and a bundled
//!   dictionary would double the Windows executable.
//! - The grid of the first steps over predicate weight (1–3), argument
//!   weight (1–2), link (average, complete) and threshold (0.14–0.48) on
//!   tune + tune2 chose predicate = argument = 2, complete link, 0.20.
//!
//! Time (2 cores, release build without LTO): the stage alone
//! (`SHIRYO_BENCH_MONTH=DIR cargo bench --bench stages -- similar`) takes
//! 16.5 ms on the 100 × 30 month of gen_corpus.py --seed 42 (3,821 items)
//! and 38 ms on the bench's own 100 × 30 month (5,980 items); with the
//! table of 88b17e4 (about 300 words, not 3,400) 14 and 33 ms. The build
//! runs it beside the PDF: a whole build of the 100 × 30 month takes the
//! same time with the large table as with the small one within noise
//! (hyperfine, 342 and 348 ms; the stage added 1.3 % when it came, 529 →
//! 536 ms), of the 1,000 × 80 month (93,658 items) 9.0 s and 459 MB.
//! With the last step's 642 groups (2026-12-01, another machine, criterion
//! medians): 23 → 29 ms and 55 → 60 ms; a whole build of the gen_corpus
//! month, 30 runs of each binary taken in turn, 463 ± 39 ms before and
//! 447 ± 37 ms after: no change within the noise.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::matrix::Matrix;
pub use crate::review::{Similar, SimilarGroup};
use crate::vocab::{ColumnKey, Location};

/// The built-in synonym table (one group per line, see the file's header).
pub const BUILTIN_WORDS: &str = include_str!("similar_words.txt");
/// Spelling variants of one word (引き継ぎ/引継ぎ/引継, 寄付/寄附,
/// パブコメ/パブリックコメント), from the Sudachi synonym dictionary (see
/// the file's header and docs/tools/similar_variants.py).
pub const VARIANTS: &str = include_str!("similar_variants.txt");

/// Two items of a cell at least this similar may stand in one group
/// (complete link: every pair of the group).
pub const THRESHOLD: f64 = 0.18;
/// Two items are only compared when one of them has at least this share
/// of its claim's weight (its predicates and arguments) in words the other
/// has too (the claim gate): sharing a common verb (導入した) is not
/// sharing the claim when what was introduced differs.
pub const CLAIM_SHARE: f64 = 0.3;
/// The weight of a clause's predicate and argument features against 1 for
/// the rest of the clause.
pub const PREDICATE: f64 = 2.0;
/// A feature that more items of a cell have than this finds no
/// candidates (it still counts in the similarity of a candidate pair).
pub const POSTING_CAP: usize = 24;
/// Candidates scored per item: those sharing the most weight with it.
pub const CANDIDATES: usize = 6;

/// A fast, fixed hasher for the integer keys here (features are already
/// hashes): the same order on every machine and every run.
#[derive(Default)]
struct Mix(u64);

impl Hasher for Mix {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0 ^ n).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }
    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
}

type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<Mix>>;

/// Light verbs and frame nouns (制度を設ける, 仕組みを作る) that are never
/// a clause's claim.
const LIGHT_WORDS: [&str; 10] = [
    "必要", "状況", "場合", "検討", "対応", "取組", "等", "制度", "体制", "環境",
];
/// Ends of a clause that gives a reason, purpose or occasion (退職により、
/// 専門性を高めるため、 導入に合わせ、): its words are the statement's
/// topic, not its claim.
const SUBORDINATE: [&str; 21] = [
    "ため",
    "ために",
    "により",
    "によって",
    "に伴い",
    "に伴って",
    "にともない",
    "ので",
    "よう",
    "ように",
    "際",
    "際に",
    "際は",
    "場合",
    "場合は",
    "に合わせ",
    "に合わせて",
    "にあわせ",
    "に向け",
    "に向けて",
    "を受けて",
];

/// Whether a clause (the text up to its comma) ends in [`SUBORDINATE`].
fn ends_subordinate(clause: &[char]) -> bool {
    SUBORDINATE.iter().any(|end| {
        clause.len() >= end.chars().count()
            && clause
                .iter()
                .rev()
                .zip(end.chars().rev())
                .all(|(a, b)| *a == b)
    })
}

/// Synonym groups that are light verbs, by one of their words.
const LIGHT_GROUPS: [&str; 3] = ["実施", "推進", "仕組み"];

/// The words compared as one (SPEC §8.2): the built-in table and the
/// template's groups, groups sharing a word joined into one.
#[derive(Debug, Clone)]
pub struct Synonyms {
    /// Words by their first two characters (`'\0'` second for a word of
    /// one), longest first: (word, group).
    by_start: FastMap<(char, char), Words>,
    /// Features of the light verbs, sorted.
    light: Vec<u64>,
    /// Bit per character of the Basic Multilingual Plane that starts a
    /// word: most characters start none and need no look-up.
    starts: Vec<u64>,
}

impl Synonyms {
    /// The built-in groups, as words: the table, then the variants.
    pub fn builtin() -> Vec<Vec<String>> {
        BUILTIN_WORDS
            .lines()
            .chain(VARIANTS.lines())
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(|l| l.split_whitespace().map(String::from).collect())
            .collect()
    }

    /// The built-in groups with `extra` (the template's) added: a group
    /// sharing a word with another joins it.
    pub fn with_builtin(extra: &[Vec<String>]) -> Synonyms {
        let mut groups = Synonyms::builtin();
        groups.extend(extra.iter().cloned());
        Synonyms::new(&groups)
    }

    /// Synonyms from groups of words; groups sharing a word are one.
    pub fn new(groups: &[Vec<String>]) -> Synonyms {
        // Union-find over the groups through their words.
        let mut parent: Vec<usize> = (0..groups.len()).collect();
        fn root(parent: &mut [usize], mut i: usize) -> usize {
            while parent[i] != i {
                parent[i] = parent[parent[i]];
                i = parent[i];
            }
            i
        }
        let mut owner: HashMap<Vec<char>, usize> = HashMap::new();
        for (g, words) in groups.iter().enumerate() {
            for w in words {
                let key = fold_word(w);
                if key.is_empty() {
                    continue;
                }
                match owner.get(&key) {
                    Some(&other) => {
                        let (a, b) = (root(&mut parent, other), root(&mut parent, g));
                        // The earlier group names the joined one.
                        let (keep, gone) = if a < b { (a, b) } else { (b, a) };
                        parent[gone] = keep;
                    }
                    None => {
                        owner.insert(key, g);
                    }
                }
            }
        }
        let mut by_start: FastMap<(char, char), Words> = FastMap::default();
        let mut entries: Vec<(Vec<char>, usize)> = owner.into_iter().collect();
        entries.sort();
        for (word, g) in entries {
            let group = root(&mut parent, g) as u32;
            by_start
                .entry(start_of(&word))
                .or_default()
                .push((word, group));
        }
        for list in by_start.values_mut() {
            // Longest first; equal lengths in a fixed order.
            list.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
        }
        let mut starts = vec![0u64; 0x10000 / 64];
        for (c, _) in by_start.keys() {
            if let Some(slot) = starts.get_mut(*c as usize / 64) {
                *slot |= 1 << (*c as usize % 64);
            }
        }
        let mut s = Synonyms {
            by_start,
            light: Vec::new(),
            starts,
        };
        s.light = LIGHT_WORDS
            .iter()
            .map(|w| {
                let chars = fold_word(w);
                if chars.len() == 1 {
                    feature(b'K', &chars)
                } else {
                    feature(b'K', &chars[..2])
                }
            })
            .chain(
                LIGHT_GROUPS
                    .iter()
                    .filter_map(|w| s.group_of(w))
                    .map(group_feature),
            )
            .collect();
        s.light.sort_unstable();
        s
    }

    /// The group of a whole word, if it is in the table.
    fn group_of(&self, word: &str) -> Option<u32> {
        let w = fold_word(word);
        if w.is_empty() {
            return None;
        }
        self.by_start
            .get(&start_of(&w))?
            .iter()
            .find(|(v, _)| *v == w)
            .map(|(_, g)| *g)
    }

    /// The longest word of the table at `i`: its length and group.
    fn match_at(&self, chars: &[char], i: usize) -> Option<(usize, u32)> {
        let c = chars[i] as usize;
        if c < 0x10000 && self.starts[c / 64] & (1 << (c % 64)) == 0 {
            return None;
        }
        let n = chars.len();
        let longer = chars
            .get(i + 1)
            .and_then(|second| self.by_start.get(&(chars[i], *second)));
        let single = self.by_start.get(&(chars[i], '\0'));
        for (word, group) in longer.into_iter().chain(single).flatten() {
            let len = word.len();
            if i + len > n || chars[i..i + len] != word[..] {
                continue;
            }
            let (first, last) = (script(word[0]), script(word[len - 1]));
            let whole_run = |s: Script| len == 1 || matches!(s, Script::Katakana | Script::Latin);
            if whole_run(first) && i > 0 && script(chars[i - 1]) == first {
                continue;
            }
            if whole_run(last) && i + len < n && script(chars[i + len]) == last {
                continue;
            }
            return Some((len, *group));
        }
        None
    }
}

/// Words of the table with their groups.
type Words = Vec<(Vec<char>, u32)>;

/// The key a word is listed under: its first two characters, or its only
/// one and `'\0'`.
fn start_of(word: &[char]) -> (char, char) {
    (word[0], word.get(1).copied().unwrap_or('\0'))
}

/// The kind of a character, for cutting text into crude words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Script {
    Kanji,
    Katakana,
    Hiragana,
    Latin,
    Other,
}

fn script(c: char) -> Script {
    match c {
        '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}' => {
            Script::Kanji
        }
        '々' | '〆' | 'ヶ' => Script::Kanji,
        '\u{30A0}'..='\u{30FF}' => Script::Katakana,
        '\u{3040}'..='\u{309F}' => Script::Hiragana,
        c if c.is_ascii_alphanumeric() => Script::Latin,
        _ => Script::Other,
    }
}

/// Lower-case ASCII, full-width ASCII letters and digits folded.
fn fold(c: char) -> char {
    let c = match c {
        '\u{FF10}'..='\u{FF19}' | '\u{FF21}'..='\u{FF3A}' | '\u{FF41}'..='\u{FF5A}' => {
            char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
        }
        c => c,
    };
    c.to_ascii_lowercase()
}

fn fold_word(w: &str) -> Vec<char> {
    w.trim().chars().map(fold).collect()
}

/// Ends a clause.
fn is_clause_break(c: char) -> bool {
    matches!(c, '、' | '。' | '，' | '．' | ',' | ';' | '；')
}

/// Ends a phrase.
fn is_punctuation(c: char) -> bool {
    matches!(
        c,
        '：' | ':'
            | '「'
            | '」'
            | '『'
            | '』'
            | '（'
            | '）'
            | '('
            | ')'
            | '【'
            | '】'
            | '［'
            | '］'
            | '['
            | ']'
            | '・'
            | '／'
            | '/'
            | '！'
            | '？'
            | '!'
            | '?'
            | ' '
            | '\u{3000}'
    )
}

/// FNV-1a over a tag and characters: the same number on every machine.
fn feature(tag: u8, chars: &[char]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |b: u8| {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    };
    eat(tag);
    for c in chars {
        for b in (*c as u32).to_le_bytes() {
            eat(b);
        }
    }
    h
}

fn group_feature(group: u32) -> u64 {
    feature(b'S', &[char::from_u32(group).unwrap_or('\0')])
}

/// One phrase: its features, and its characters outside synonyms
/// (`None` where a synonym was, which ends a run).
#[derive(Default)]
struct Phrase {
    features: Vec<u64>,
    raw: Vec<Option<char>>,
}

impl Phrase {
    /// Whether it is a noun with a case particle (市有地を, 情報が, 空き家
    /// については): a comma after it does not end the clause.
    fn ends_in_case_particle(&self) -> bool {
        let tail: Vec<char> = self
            .raw
            .iter()
            .rev()
            .map_while(|c| c.filter(|c| script(*c) == Script::Hiragana))
            .collect();
        if tail.len() == self.raw.len() {
            return false;
        }
        let tail: String = tail.into_iter().rev().collect();
        [
            "を",
            "は",
            "が",
            "に",
            "で",
            "も",
            "へ",
            "と",
            "や",
            "では",
            "には",
            "とは",
            "について",
            "については",
            "として",
            "からは",
            "での",
            "への",
        ]
        .contains(&tail.as_str())
    }

    /// Adds the features of its runs of kanji, katakana and Latin.
    fn finish(mut self) -> Vec<u64> {
        let mut run: Vec<char> = Vec::new();
        let mut kind: Option<Script> = None;
        let raw = std::mem::take(&mut self.raw);
        for c in raw.into_iter().chain(std::iter::once(None)) {
            let s = c.map(script);
            if let Some(ch) = c
                && s == kind
            {
                run.push(ch);
                continue;
            }
            match kind {
                Some(Script::Kanji) if run.len() == 1 => self.features.push(feature(b'K', &run)),
                Some(Script::Kanji) => {
                    for pair in run.windows(2) {
                        self.features.push(feature(b'K', pair));
                    }
                }
                Some(Script::Katakana) if run.len() >= 2 => {
                    self.features.push(feature(b'T', &run));
                }
                Some(Script::Latin) => self.features.push(feature(b'A', &run)),
                _ => {}
            }
            run.clear();
            run.extend(c);
            kind = s;
        }
        self.features
    }
}

/// The weighted features of one text: (feature, role weight), sorted by
/// feature.
fn analyse(text: &str, words: &Synonyms) -> Vec<(u64, f64)> {
    let chars: Vec<char> = text.chars().map(fold).collect();
    let n = chars.len();
    // Synonym matches: Some(Some(group)) at a match's start, Some(None)
    // inside it.
    let mut covered: Vec<Option<Option<u32>>> = vec![None; n];
    let mut i = 0;
    while i < n {
        match words.match_at(&chars, i) {
            Some((len, group)) => {
                covered[i] = Some(Some(group));
                for slot in &mut covered[i + 1..i + len] {
                    *slot = Some(None);
                }
                i += len;
            }
            None => i += 1,
        }
    }
    let mut clauses: Vec<Vec<Phrase>> = vec![Vec::new()];
    // Per clause: whether it gives a reason, purpose or occasion.
    let mut subordinate: Vec<bool> = vec![false];
    let mut open = false;
    let mut previous: Option<Script> = None;
    for (i, &c) in chars.iter().enumerate() {
        if is_clause_break(c) {
            // 市有地を、民間に貸し付ける is one clause.
            let noun_before = matches!(c, '、' | '，' | ',')
                && clauses
                    .last()
                    .and_then(|cl| cl.last())
                    .is_some_and(Phrase::ends_in_case_particle);
            if !noun_before {
                if let Some(last) = subordinate.last_mut() {
                    *last = matches!(c, '、' | '，' | ',') && ends_subordinate(&chars[..i]);
                }
                clauses.push(Vec::new());
                subordinate.push(false);
            }
            open = false;
            previous = None;
            continue;
        }
        if is_punctuation(c) {
            open = false;
            previous = None;
            continue;
        }
        let s = script(c);
        let clause = clauses.last_mut().expect("one clause at least");
        if !open || (s != Script::Hiragana && previous == Some(Script::Hiragana)) {
            clause.push(Phrase::default());
            open = true;
        }
        let phrase = clause.last_mut().expect("a phrase was opened");
        match covered[i] {
            Some(Some(group)) => {
                phrase.features.push(group_feature(group));
                phrase.raw.push(None);
            }
            Some(None) => phrase.raw.push(None),
            None => phrase.raw.push(Some(c)),
        }
        previous = Some(s);
    }
    let mut weights: Vec<(u64, f64)> = Vec::new();
    for (clause, subordinate) in clauses.into_iter().zip(subordinate) {
        let phrases: Vec<Vec<u64>> = clause
            .into_iter()
            .map(Phrase::finish)
            .filter(|f| !f.is_empty())
            .collect();
        let heavy: Vec<usize> = (0..phrases.len())
            .filter(|&k| {
                phrases[k]
                    .iter()
                    .any(|f| words.light.binary_search(f).is_err())
            })
            .collect();
        let mut roles = vec![1.0; phrases.len()];
        if !subordinate {
            for &k in heavy.iter().rev().take(2) {
                roles[k] = PREDICATE;
            }
        }
        for (features, role) in phrases.iter().zip(roles) {
            weights.extend(features.iter().map(|f| (*f, role)));
        }
    }
    // One entry per feature, with its highest role.
    weights.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)));
    weights.dedup_by_key(|(f, _)| *f);
    weights
}

/// `ln x` for x ≥ 1 by a series of basic operations only, so that Linux
/// and Windows builds (different C maths libraries) weigh alike.
fn ln(x: f64) -> f64 {
    const LN_2: f64 = std::f64::consts::LN_2;
    if x.is_nan() || x <= 0.0 || x.is_infinite() {
        return 0.0;
    }
    let bits = x.to_bits();
    let mut exponent = ((bits >> 52) & 0x7ff) as i64 - 1023;
    let mut m = f64::from_bits((bits & ((1u64 << 52) - 1)) | (1023u64 << 52));
    if m > std::f64::consts::SQRT_2 {
        m /= 2.0;
        exponent += 1;
    }
    let s = (m - 1.0) / (m + 1.0);
    let s2 = s * s;
    let mut term = s;
    let mut sum = 0.0;
    let mut k = 1.0;
    for _ in 0..14 {
        sum += term / k;
        term *= s2;
        k += 2.0;
    }
    exponent as f64 * LN_2 + 2.0 * sum
}

/// An item's weighted features (weight = idf × role) and their sum.
struct Weighted {
    features: Vec<(u64, f64)>,
    /// Whether each feature is of a clause's predicate or argument.
    in_claim: Vec<bool>,
    /// The sum of the claim's weights.
    claim_total: f64,
    total: f64,
}

impl Weighted {
    #[cfg(test)]
    fn has(&self, feature: u64) -> bool {
        self.features
            .binary_search_by(|(f, _)| f.cmp(&feature))
            .is_ok()
    }
}

/// What two items share: the weighted Jaccard's numerator, and the shares
/// of `a`'s and of `b`'s claim weight in features the other has.
fn overlap(a: &Weighted, b: &Weighted) -> (f64, f64, f64) {
    let (mut i, mut j) = (0, 0);
    let (mut shared, mut claim_a, mut claim_b) = (0.0, 0.0, 0.0);
    while i < a.features.len() && j < b.features.len() {
        let (fa, wa) = a.features[i];
        let (fb, wb) = b.features[j];
        match fa.cmp(&fb) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += wa.min(wb);
                if a.in_claim[i] {
                    claim_a += wa;
                }
                if b.in_claim[j] {
                    claim_b += wb;
                }
                i += 1;
                j += 1;
            }
        }
    }
    let share = |part: f64, whole: f64| if whole > 0.0 { part / whole } else { 0.0 };
    (
        shared,
        share(claim_a, a.claim_total),
        share(claim_b, b.claim_total),
    )
}

/// Weighted Jaccard of two items; 0 unless one of them has [`CLAIM_SHARE`]
/// of its claim in words the other has (two items that share only their
/// topic never group).
fn similarity(a: &Weighted, b: &Weighted) -> f64 {
    let (shared, share_a, share_b) = overlap(a, b);
    if share_a.max(share_b) < CLAIM_SHARE {
        return 0.0;
    }
    let d = a.total + b.total - shared;
    if d > 0.0 { shared / d } else { 0.0 }
}

/// An item to compare: its text, and the places it was submitted from.
#[derive(Debug, Clone)]
pub struct Compared<'a> {
    /// The item's text (without examples).
    pub text: &'a str,
    /// Its sources' cells: two items split from one submitted cell are a
    /// department's separate points, never one claim twice.
    pub origins: Vec<&'a Location>,
}

/// Groups the texts of each cell of a month (outer: cells; inner: the
/// cell's texts). Rarity is counted over the whole month. Returns, per
/// cell, its groups as ascending indices, ordered by first index.
pub fn group_texts(cells: &[Vec<&str>], words: &Synonyms) -> Vec<Vec<Vec<usize>>> {
    let items: Vec<Vec<Compared<'_>>> = cells
        .iter()
        .map(|texts| {
            texts
                .iter()
                .map(|text| Compared {
                    text,
                    origins: Vec::new(),
                })
                .collect()
        })
        .collect();
    group_items(&items, words)
}

/// [`group_texts`] for items with their origins.
pub fn group_items(cells: &[Vec<Compared<'_>>], words: &Synonyms) -> Vec<Vec<Vec<usize>>> {
    use rayon::prelude::*;
    let texts: Vec<Vec<&str>> = cells
        .iter()
        .map(|c| c.iter().map(|i| i.text).collect())
        .collect();
    weigh(&texts, words)
        .par_iter()
        .zip(cells)
        .map(|(cell, compared)| group_cell(cell, compared))
        .collect()
}

/// Every item's weighted features; rarity is counted over all cells.
fn weigh(cells: &[Vec<&str>], words: &Synonyms) -> Vec<Vec<Weighted>> {
    use rayon::prelude::*;
    let analysed: Vec<Vec<Vec<(u64, f64)>>> = cells
        .par_iter()
        .map(|texts| texts.iter().map(|t| analyse(t, words)).collect())
        .collect();
    let n_items: usize = analysed.iter().map(Vec::len).sum();
    // Items having each feature, then in place its weight.
    let mut idf: FastMap<u64, f64> = FastMap::default();
    for item in analysed.iter().flatten() {
        for (f, _) in item {
            *idf.entry(*f).or_insert(0.0) += 1.0;
        }
    }
    for w in idf.values_mut() {
        *w = ln(1.0 + n_items as f64 / *w);
    }
    let idf = |f: &u64| idf[f];
    analysed
        .into_iter()
        .map(|cell| {
            cell.into_iter()
                .map(|features| {
                    let in_claim: Vec<bool> = features.iter().map(|(_, r)| *r > 1.0).collect();
                    let features: Vec<(u64, f64)> = features
                        .into_iter()
                        .map(|(f, r)| (f, idf(&f) * r))
                        .collect();
                    let total = features.iter().map(|(_, w)| w).sum();
                    let claim_total = features
                        .iter()
                        .zip(&in_claim)
                        .filter(|(_, c)| **c)
                        .map(|((_, w), _)| w)
                        .sum();
                    Weighted {
                        features,
                        in_claim,
                        claim_total,
                        total,
                    }
                })
                .collect()
        })
        .collect()
}

/// Every pair's similarity in each cell (for the evaluation's
/// diagnostics: all pairs, so only for small labelled months).
#[doc(hidden)]
pub fn similarities(cells: &[Vec<&str>], words: &Synonyms) -> Vec<Vec<(usize, usize, f64)>> {
    weigh(cells, words)
        .iter()
        .map(|items| {
            let mut pairs = Vec::new();
            for (i, a) in items.iter().enumerate() {
                for (j, b) in items.iter().enumerate().skip(i + 1) {
                    pairs.push((i, j, similarity(a, b)));
                }
            }
            pairs
        })
        .collect()
}

/// The groups of one cell.
fn group_cell(items: &[Weighted], compared: &[Compared<'_>]) -> Vec<Vec<usize>> {
    let n = items.len();
    if n < 2 {
        return Vec::new();
    }
    // Inverted index of the features that 2 to POSTING_CAP items of the
    // cell have: (feature, item) pairs sorted, each run a posting list.
    let mut pairs: Vec<(u64, u32)> = items
        .iter()
        .enumerate()
        .flat_map(|(i, item)| item.features.iter().map(move |(f, _)| (*f, i as u32)))
        .collect();
    pairs.sort_unstable();
    let mut postings: FastMap<u64, &[(u64, u32)]> = FastMap::default();
    for run in pairs.chunk_by(|a, b| a.0 == b.0) {
        if (2..=POSTING_CAP).contains(&run.len()) {
            postings.insert(run[0].0, run);
        }
    }
    let mut edges: Vec<(usize, usize, f64)> = Vec::new();
    let mut accumulated = vec![0.0f64; n];
    let mut touched: Vec<usize> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        for (f, w) in &item.features {
            let Some(list) = postings.get(f) else {
                continue;
            };
            for &(_, j) in *list {
                let j = j as usize;
                if j <= i {
                    continue;
                }
                if accumulated[j] == 0.0 {
                    touched.push(j);
                }
                accumulated[j] += w;
            }
        }
        // The candidates sharing the most weight, by index on ties.
        let by_weight =
            |a: &usize, b: &usize| accumulated[*b].total_cmp(&accumulated[*a]).then(a.cmp(b));
        if touched.len() > CANDIDATES {
            touched.select_nth_unstable_by(CANDIDATES - 1, by_weight);
        }
        let best = touched.len().min(CANDIDATES);
        touched[..best].sort_unstable_by(by_weight);
        for &j in &touched[..best] {
            let apart = compared[i]
                .origins
                .iter()
                .any(|o| compared[j].origins.contains(o));
            if apart {
                continue;
            }
            let s = similarity(item, &items[j]);
            if s >= THRESHOLD {
                edges.push((i, j, s));
            }
        }
        for &j in &touched {
            accumulated[j] = 0.0;
        }
        touched.clear();
    }
    cluster(n, &edges)
}

/// Agglomerative complete-link clustering of one cell's threshold graph:
/// the two clusters whose least similar pair is the most similar merge,
/// while that is at least the threshold. A pair without an edge counts 0,
/// so only clusters linked pair by pair can merge, and the work follows
/// the edges (a heap of merges, stale entries skipped), not the pairs.
fn cluster(n: usize, edges: &[(usize, usize, f64)]) -> Vec<Vec<usize>> {
    use std::cmp::{Ordering, Reverse};
    use std::collections::BinaryHeap;

    /// A possible merge: the most similar first, then the lowest slots.
    struct Merge {
        s: f64,
        x: usize,
        y: usize,
        stamp: (u32, u32),
    }
    impl PartialEq for Merge {
        fn eq(&self, other: &Self) -> bool {
            self.cmp(other) == Ordering::Equal
        }
    }
    impl Eq for Merge {}
    impl PartialOrd for Merge {
        fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
            Some(self.cmp(other))
        }
    }
    impl Ord for Merge {
        fn cmp(&self, other: &Self) -> Ordering {
            self.s
                .total_cmp(&other.s)
                .then(Reverse(self.x).cmp(&Reverse(other.x)))
                .then(Reverse(self.y).cmp(&Reverse(other.y)))
        }
    }

    // Each cluster (by its lowest member's slot): members, links to the
    // clusters it may merge with, and a stamp that changes when it does.
    let mut members: Vec<Vec<usize>> = (0..n).map(|i| vec![i]).collect();
    let mut links: Vec<FastMap<usize, f64>> = (0..n).map(|_| FastMap::default()).collect();
    let mut stamp: Vec<u32> = vec![0; n];
    let mut alive: Vec<bool> = vec![true; n];
    let mut heap = BinaryHeap::new();
    for &(a, b, s) in edges {
        let (x, y) = (a.min(b), a.max(b));
        links[x].insert(y, s);
        links[y].insert(x, s);
        heap.push(Merge {
            s,
            x,
            y,
            stamp: (0, 0),
        });
    }
    while let Some(m) = heap.pop() {
        let (x, y) = (m.x, m.y);
        if !alive[x] || !alive[y] || m.stamp != (stamp[x], stamp[y]) {
            continue;
        }
        // x keeps the merged cluster. Every neighbour forgets both; the
        // merged cluster links to those both were linked to, at the lower
        // similarity (a missing link is 0).
        let from_x = std::mem::take(&mut links[x]);
        let from_y = std::mem::take(&mut links[y]);
        for z in from_x.keys().chain(from_y.keys()) {
            if *z != x && *z != y {
                links[*z].remove(&x);
                links[*z].remove(&y);
            }
        }
        let mut next: Vec<(usize, f64)> = from_x
            .iter()
            .filter(|(z, _)| **z != y)
            .filter_map(|(z, sx)| from_y.get(z).map(|sy| (*z, sx.min(*sy))))
            .collect();
        next.sort_unstable_by_key(|(z, _)| *z);
        alive[y] = false;
        let moved = std::mem::take(&mut members[y]);
        members[x].extend(moved);
        stamp[x] += 1;
        for (z, s) in next {
            links[z].insert(x, s);
            links[x].insert(z, s);
            let (a, b) = (x.min(z), x.max(z));
            heap.push(Merge {
                s,
                x: a,
                y: b,
                stamp: (stamp[a], stamp[b]),
            });
        }
    }
    let mut groups: Vec<Vec<usize>> = members
        .into_iter()
        .zip(alive)
        .filter(|(m, alive)| *alive && m.len() >= 2)
        .map(|(mut m, _)| {
            m.sort_unstable();
            m
        })
        .collect();
    groups.sort();
    groups
}

/// The suggested groups of a matrix: its printed items (載せない left
/// out), within each cell, numbered in matrix order.
pub fn suggest(m: &Matrix, words: &Synonyms) -> Similar {
    // Per cell: the indices of the items compared, and the items.
    let mut places: Vec<(usize, ColumnKey, Vec<usize>)> = Vec::new();
    let mut cells: Vec<Vec<Compared<'_>>> = Vec::new();
    for (fi, f) in m.fields.iter().enumerate() {
        for column in ColumnKey::ALL {
            let items = &f.cells[column.index()];
            let shown: Vec<usize> = (0..items.len()).filter(|&i| !items[i].hidden).collect();
            cells.push(
                shown
                    .iter()
                    .map(|&i| Compared {
                        text: &items[i].text,
                        origins: items[i].sources.iter().map(|s| &s.at).collect(),
                    })
                    .collect(),
            );
            places.push((fi, column, shown));
        }
    }
    let grouped = group_items(&cells, words);
    let mut groups = Vec::new();
    for ((field, column, shown), cell_groups) in places.into_iter().zip(grouped) {
        for g in cell_groups {
            groups.push(SimilarGroup {
                number: groups.len() as u32 + 1,
                field,
                column,
                items: g.into_iter().map(|k| shown[k]).collect(),
            });
        }
    }
    Similar { groups }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words() -> Synonyms {
        Synonyms::with_builtin(&[])
    }

    #[test]
    fn ln_matches_the_library_closely() {
        for x in [1.0, 1.5, 2.0, 3.0, 10.0, 123.456, 1e6] {
            assert!((ln(x) - x.ln()).abs() < 1e-12, "{x}");
        }
        assert_eq!(ln(0.0), 0.0);
        assert_eq!(ln(f64::NAN), 0.0);
    }

    #[test]
    fn synonyms_stand_for_their_group_and_respect_runs() {
        let w = words();
        let f = |t: &str| {
            analyse(t, &w)
                .into_iter()
                .map(|(f, _)| f)
                .collect::<Vec<_>>()
        };
        assert_eq!(f("公用車が不足"), f("庁用車が足りない"));
        // 課 alone is 部署, inside 課題 it is not.
        let g = w.group_of("部署").unwrap();
        assert!(f("課をまたぐ").contains(&group_feature(g)));
        assert!(!f("課題がある").contains(&group_feature(g)));
        // A katakana word only as a whole run.
        let sign = w.group_of("サイン").unwrap();
        assert!(f("サインが見にくい").contains(&group_feature(sign)));
        assert!(!f("サインインが面倒").contains(&group_feature(sign)));
        // Width and case do not matter.
        assert_eq!(f("ＲＰＡを導入"), f("rpaを導入"));
    }

    /// The role weight of a synonym group's word in a text, if it has it.
    fn role_of(w: &Synonyms, text: &str, word: &str) -> Option<f64> {
        let g = group_feature(w.group_of(word).unwrap());
        analyse(text, w)
            .into_iter()
            .find(|(f, _)| *f == g)
            .map(|(_, r)| r)
    }

    #[test]
    fn a_comma_after_a_noun_and_its_particle_does_not_end_the_clause() {
        let w = words();
        let role = |text: &str, word: &str| role_of(&w, text, word);
        // One clause: its claim is 民間に貸し付ける, 市有地 is its topic.
        let one = "使われていない未利用地を、民間に貸し付ける。";
        assert_eq!(role(one, "貸付"), Some(PREDICATE));
        assert_eq!(role(one, "民間"), Some(PREDICATE));
        assert_eq!(role(one, "未利用地"), Some(1.0));
        // A comma after a verb does end it: each clause has its claim.
        let two = "公用車が不足しており、出張に支障がある。";
        assert_eq!(role(two, "不足"), Some(PREDICATE));
        assert_eq!(role(two, "支障"), Some(PREDICATE));
    }

    #[test]
    fn a_frame_noun_is_never_the_claim() {
        let w = words();
        let bigram = |a: char, b: char| feature(b'K', &[a, b]);
        let roles: Vec<(u64, f64)> = analyse("職員の提案を毎年表彰する制度を設ける。", &w);
        let role = |f: u64| roles.iter().find(|(g, _)| *g == f).map(|(_, r)| *r);
        // What the frame is for (表彰) is the claim, the frame (制度) not.
        assert_eq!(role(bigram('表', '彰')), Some(PREDICATE));
        assert_eq!(role(bigram('制', '度')), Some(1.0));
    }

    #[test]
    fn a_reason_or_purpose_clause_is_never_the_claim() {
        let w = words();
        let role = |text: &str, word: &str| role_of(&w, text, word);
        // 退職 gives the reason: the claim is what follows.
        let reason = "ベテラン職員の退職により、ノウハウが継承されていない。";
        assert_eq!(role(reason, "退職"), Some(1.0));
        assert_eq!(role(reason, "引継ぎ"), Some(PREDICATE));
        // Without the reason's ending, the first clause is a claim too.
        let two = "ベテラン職員が退職し、ノウハウが継承されていない。";
        assert_eq!(role(two, "退職"), Some(PREDICATE));
        assert!(ends_subordinate(
            &"専門性を高めるため".chars().collect::<Vec<_>>()
        ));
        assert!(!ends_subordinate(
            &"専門性を高め".chars().collect::<Vec<_>>()
        ));
    }

    #[test]
    fn spelling_variants_of_one_word_are_one() {
        let w = words();
        for (a, b) in [
            ("引き継ぎ", "引継"),
            ("寄付", "寄附"),
            ("パブリックコメント", "パブコメ"),
            ("打ち合わせ", "打合せ"),
        ] {
            assert!(w.group_of(a).is_some(), "{a}");
            assert_eq!(w.group_of(a), w.group_of(b), "{a} {b}");
        }
    }

    #[test]
    fn the_claim_tells_a_group_from_a_topic() {
        let texts = vec![
            "公用車が不足している。",
            "庁用車の台数が足りない。",
            "公用車の維持費が増えている。",
            "窓口の開庁時間を延長している。",
        ];
        let groups = group_texts(&[texts], &words());
        assert_eq!(groups, vec![vec![vec![0, 1]]]);
    }

    #[test]
    fn items_sharing_only_their_topic_are_not_similar() {
        // The long shared topic (庁内会議の議事録) outweighs the claims, but
        // no word of either claim (配布/タブレット, 短縮/作成期間) is shared
        // by 0 and 1; 0 and 2 share the predicate, which is enough.
        let cell = vec![
            "庁内会議の議事録の資料をタブレットで配布する。",
            "庁内会議の議事録の作成期間を短縮する。",
            "庁内会議の議事録の資料を紙で配布する。",
        ];
        let items = weigh(&[cell], &words());
        let [a, b, c] = &items[0][..] else {
            unreachable!("three items")
        };
        assert_eq!(similarity(a, b), 0.0);
        assert!(similarity(a, c) >= THRESHOLD, "{}", similarity(a, c));
    }

    #[test]
    fn sharing_a_common_verb_is_not_sharing_the_claim() {
        // 0 and 1 share their topic (市民課の窓口) and the verb 導入した,
        // which many items of the month have: too small a share of either
        // claim. 0 and 2 introduced the same thing.
        let cell = vec![
            "市民課の窓口でキャッシュレス決済を導入した。",
            "市民課の窓口で番号札の発券システムを導入した。",
            "窓口での支払いにキャッシュレス決済を導入した。",
            "電子決裁システムを導入した。",
            "RPAを導入した。",
            "テレワークを導入した。",
            "AIチャットボットを導入した。",
            "電子申請システムを導入した。",
            "Web会議を導入した。",
            "時差出勤を導入した。",
        ];
        let items = weigh(&[cell], &words());
        let [a, b, c, ..] = &items[0][..] else {
            unreachable!("ten items")
        };
        // They do share a word of their claims ...
        let mut claim_of_a = a.features.iter().zip(&a.in_claim).filter(|(_, c)| **c);
        assert!(claim_of_a.any(|((f, _), _)| b.has(*f)));
        // ... but not enough of it.
        let (_, share_a, share_b) = overlap(a, b);
        assert!(share_a > 0.0 && share_a.max(share_b) < CLAIM_SHARE);
        assert_eq!(similarity(a, b), 0.0);
        assert!(similarity(a, c) >= THRESHOLD, "{}", similarity(a, c));
    }

    #[test]
    fn complete_link_never_chains() {
        // 0–1 and 1–2 are similar, 0–2 not: one pair, not a chain.
        assert_eq!(cluster(3, &[(0, 1, 0.9), (1, 2, 0.8)]), vec![vec![0, 1]]);
        // Every pair linked: one group.
        assert_eq!(
            cluster(3, &[(0, 1, 0.9), (1, 2, 0.8), (0, 2, 0.3)]),
            vec![vec![0, 1, 2]]
        );
        // 2 was linked to 0 but not to 1: once 0 and 1 are one cluster,
        // 2 (and whatever joins it) is no longer linked to it.
        let edges = [
            (0, 1, 0.9),
            (0, 2, 0.5),
            (2, 3, 0.85),
            (0, 3, 0.4),
            (1, 3, 0.4),
        ];
        assert_eq!(cluster(4, &edges), vec![vec![0, 1], vec![2, 3]]);
        // Ties go to the lowest items.
        assert_eq!(cluster(3, &[(1, 2, 0.5), (0, 1, 0.5)]), vec![vec![0, 1]]);
    }

    #[test]
    fn template_words_join_a_builtin_group() {
        let extra = vec![vec!["庁用車".to_string(), "共用車".to_string()]];
        let w = Synonyms::with_builtin(&extra);
        assert_eq!(w.group_of("共用車"), w.group_of("公用車"));
        assert!(w.group_of("共用車").is_some());
    }

    #[test]
    fn no_text_panics() {
        let w = words();
        for t in [
            "",
            "。",
            "、、",
            "ー",
            "a",
            "\u{3099}",
            "（）",
            "課",
            "。公用車",
        ] {
            let _ = analyse(t, &w);
        }
        assert!(group_texts(&[vec![], vec![""], vec!["", ""]], &w)[2].is_empty());
    }
}
