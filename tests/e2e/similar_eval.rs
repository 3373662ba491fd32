//! The evaluation of similar items (issue 18, SPEC §8.2): labelled months
//! in `tests/data/similar/` scored by pairwise precision and recall over
//! same-cell pairs, and the share of hard-negative pairs (same topic,
//! another claim) that end up in one group.
//!
//! `tune.json`, `tune2.json` and `tune3.json` are what the method was
//! tuned on: they must keep precision ≥ 0.90, recall ≥ 0.60 and ≤ 10 % of
//! hard negatives grouped. `heldout.json` to `heldout56.json` were written
//! as held-out months: 1–3 by this project, 4–56 by independent sessions
//! that saw neither the code nor the other months (14–16 were asked for
//! hard negatives sharing many words with their pair: bigrams group 59 %
//! of them, against 22 % in the issue's months). Each was scored blind
//! once; src/similar.rs gives those first figures and says which later
//! choices saw a month's misses. Their figures now, one by one and pooled
//! (and those of `../shared/samples/similar/gold.json` when present), are
//! pinned so that the table in src/similar.rs stays true: a change of
//! method updates both. `SHIRYO_SIMILAR_DEBUG=1` prints every wrong and
//! missed pair with its similarity; `SHIRYO_EXTRA=FILE` adds the groups of
//! FILE (one per line, as in src/similar_words.txt) to try words before
//! they go into the table.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::Value;
use shiryo::normalize;
use shiryo::similar::{Synonyms, group_texts, similarities};

/// Pair counts of one labelled month, or of several added together.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Counts {
    /// Pairs grouped that are labelled as one claim.
    pub right: usize,
    /// Pairs grouped.
    pub predicted: usize,
    /// Pairs labelled as one claim.
    pub gold: usize,
    /// Hard-negative pairs grouped.
    pub hard_grouped: usize,
    /// Hard-negative pairs.
    pub hard: usize,
}

impl std::ops::Add for Counts {
    type Output = Counts;
    fn add(self, o: Counts) -> Counts {
        Counts {
            right: self.right + o.right,
            predicted: self.predicted + o.predicted,
            gold: self.gold + o.gold,
            hard_grouped: self.hard_grouped + o.hard_grouped,
            hard: self.hard + o.hard,
        }
    }
}

/// Pairwise scores.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Score {
    pub precision: f64,
    pub recall: f64,
    pub hard_negatives_grouped: f64,
    pub predicted_pairs: usize,
}

impl From<Counts> for Score {
    fn from(c: Counts) -> Score {
        let ratio = |n: usize, d: usize| if d == 0 { 1.0 } else { n as f64 / d as f64 };
        Score {
            precision: ratio(c.right, c.predicted),
            recall: ratio(c.right, c.gold),
            hard_negatives_grouped: if c.hard == 0 {
                0.0
            } else {
                c.hard_grouped as f64 / c.hard as f64
            },
            predicted_pairs: c.predicted,
        }
    }
}

type Pair = (String, String, String, String);

fn pair(cell: &(String, String), a: &str, b: &str) -> Pair {
    let (a, b) = if a <= b { (a, b) } else { (b, a) };
    (cell.0.clone(), cell.1.clone(), a.to_string(), b.to_string())
}

/// A statement as the matrix holds it: SPEC §3, the ＜examples＞ apart.
fn as_item(text: &str) -> String {
    let (t, _) = normalize::split_examples(&normalize::normalize_line(text));
    t
}

/// Groups a labelled month as the build would and scores it.
pub fn score(path: &Path) -> Score {
    count(path).into()
}

/// Groups a labelled month as the build would and counts its pairs.
pub fn count(path: &Path) -> Counts {
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut cells: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    let mut add = |f: &Value, k: &Value, t: &Value| -> ((String, String), String) {
        let cell = (
            f.as_str().unwrap().to_string(),
            k.as_str().unwrap().to_string(),
        );
        let text = as_item(t.as_str().unwrap());
        let list = cells.entry(cell.clone()).or_default();
        // Equal texts are one item (SPEC §3 duplicates).
        if !list
            .iter()
            .any(|x| normalize::dedup_key(x) == normalize::dedup_key(&text))
        {
            list.push(text.clone());
        }
        (cell, text)
    };
    let mut gold: BTreeSet<Pair> = BTreeSet::new();
    for c in doc["clusters"].as_array().unwrap() {
        let texts: Vec<_> = c["texts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| add(&c["field"], &c["kind"], t))
            .collect();
        for (i, (cell, a)) in texts.iter().enumerate() {
            for (_, b) in &texts[i + 1..] {
                gold.insert(pair(cell, a, b));
            }
        }
    }
    let mut hard: BTreeSet<Pair> = BTreeSet::new();
    for h in doc["hard_negatives"].as_array().unwrap() {
        let (cell, a) = add(&h["field"], &h["kind"], &h["a"]);
        let (_, b) = add(&h["field"], &h["kind"], &h["b"]);
        hard.insert(pair(&cell, &a, &b));
    }
    for s in doc["singles"].as_array().map(Vec::as_slice).unwrap_or(&[]) {
        add(&s["field"], &s["kind"], &s["text"]);
    }
    let keys: Vec<(String, String)> = cells.keys().cloned().collect();
    let texts: Vec<Vec<&str>> = keys
        .iter()
        .map(|k| cells[k].iter().map(String::as_str).collect())
        .collect();
    let extra: Vec<Vec<String>> = std::env::var("SHIRYO_EXTRA")
        .ok()
        .map(|p| {
            std::fs::read_to_string(p)
                .unwrap()
                .lines()
                .map(|l| l.split_whitespace().map(String::from).collect())
                .collect()
        })
        .unwrap_or_default();
    let words = Synonyms::with_builtin(&extra);
    let groups = group_texts(&texts, &words);
    let mut predicted: BTreeSet<Pair> = BTreeSet::new();
    for ((cell, texts), cell_groups) in keys.iter().zip(&texts).zip(groups) {
        for g in cell_groups {
            for (i, &a) in g.iter().enumerate() {
                for &b in &g[i + 1..] {
                    predicted.insert(pair(cell, texts[a], texts[b]));
                }
            }
        }
    }
    if std::env::var_os("SHIRYO_SIMILAR_DEBUG").is_some() {
        // The misses, with each pair's similarity (0 when the claim gate
        // shut it).
        let mut of_pair: BTreeMap<Pair, f64> = BTreeMap::new();
        for ((cell, texts), pairs) in keys.iter().zip(&texts).zip(similarities(&texts, &words)) {
            for (a, b, s) in pairs {
                of_pair.insert(pair(cell, texts[a], texts[b]), s);
            }
        }
        let s = |p: &Pair| of_pair.get(p).copied().unwrap_or(f64::NAN);
        for p in predicted.difference(&gold) {
            let hard = if hard.contains(p) { "(hard)" } else { "" };
            eprintln!("FP{hard} {:.2} {} | {}", s(p), p.2, p.3);
        }
        for p in gold.difference(&predicted) {
            eprintln!("FN {:.2} {} | {}", s(p), p.2, p.3);
        }
    }
    Counts {
        right: predicted.intersection(&gold).count(),
        predicted: predicted.len(),
        gold: gold.len(),
        hard_grouped: predicted.intersection(&hard).count(),
        hard: hard.len(),
    }
}

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/similar")
        .join(name)
}

fn round(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// (precision, recall, hard negatives grouped) to two decimals.
fn figures(s: Score) -> (f64, f64, f64) {
    (
        round(s.precision),
        round(s.recall),
        round(s.hard_negatives_grouped),
    )
}

#[test]
fn the_tuned_months_meet_the_issue_figures() {
    for name in ["tune.json", "tune2.json", "tune3.json"] {
        let s = score(&data(name));
        eprintln!("{name}: {s:?}");
        assert!(s.precision >= 0.90, "{name}: {s:?}");
        assert!(s.recall >= 0.60, "{name}: {s:?}");
        assert!(s.hard_negatives_grouped <= 0.10, "{name}: {s:?}");
    }
}

#[test]
fn the_figures_in_the_method_documentation_hold() {
    let expected = [
        ("tune.json", (0.95, 0.74, 0.04)),
        ("tune2.json", (1.0, 0.83, 0.0)),
        ("tune3.json", (0.93, 0.78, 0.08)),
        ("heldout.json", (0.83, 0.58, 0.08)),
        ("heldout2.json", (1.0, 0.79, 0.0)),
        ("heldout3.json", (0.96, 0.79, 0.05)),
        ("heldout4.json", (0.91, 0.67, 0.07)),
        ("heldout5.json", (1.0, 0.5, 0.0)),
        ("heldout6.json", (0.96, 0.79, 0.08)),
        ("heldout7.json", (0.96, 0.77, 0.08)),
        ("heldout8.json", (1.0, 0.65, 0.0)),
        ("heldout9.json", (0.91, 0.58, 0.08)),
        ("heldout10.json", (0.96, 0.79, 0.04)),
        ("heldout11.json", (0.95, 0.67, 0.04)),
        ("heldout12.json", (0.96, 0.61, 0.04)),
        ("heldout13.json", (0.91, 0.58, 0.04)),
        ("heldout14.json", (0.63, 0.72, 0.36)),
        ("heldout15.json", (0.62, 0.53, 0.24)),
        ("heldout16.json", (0.84, 0.55, 0.2)),
        ("heldout17.json", (0.95, 0.59, 0.0)),
        ("heldout18.json", (0.9, 0.45, 0.04)),
        ("heldout19.json", (0.88, 0.61, 0.0)),
        ("heldout20.json", (0.96, 0.63, 0.04)),
        ("heldout21.json", (0.77, 0.75, 0.2)),
        ("heldout22.json", (0.66, 0.64, 0.32)),
        ("heldout23.json", (0.82, 0.75, 0.16)),
        ("heldout24.json", (0.78, 0.69, 0.12)),
        ("heldout25.json", (1.0, 0.75, 0.0)),
        ("heldout26.json", (0.75, 0.55, 0.16)),
        ("heldout27.json", (0.69, 0.5, 0.12)),
        ("heldout28.json", (0.7, 0.68, 0.24)),
        ("heldout29.json", (0.81, 0.72, 0.19)),
        ("heldout30.json", (1.0, 0.57, 0.0)),
        ("heldout31.json", (0.93, 0.63, 0.0)),
        ("heldout32.json", (0.64, 0.46, 0.16)),
        ("heldout33.json", (0.93, 0.58, 0.04)),
        ("heldout34.json", (0.83, 0.56, 0.07)),
        ("heldout35.json", (0.96, 0.7, 0.0)),
        ("heldout36.json", (0.96, 0.73, 0.04)),
        ("heldout37.json", (0.97, 0.73, 0.0)),
        ("heldout38.json", (0.95, 0.5, 0.04)),
        ("heldout39.json", (0.96, 0.63, 0.04)),
        ("heldout40.json", (1.0, 0.43, 0.0)),
        ("heldout41.json", (0.96, 0.62, 0.04)),
        ("heldout42.json", (1.0, 0.39, 0.0)),
        ("heldout43.json", (0.89, 0.59, 0.07)),
        ("heldout44.json", (0.91, 0.59, 0.07)),
        ("heldout45.json", (0.95, 0.51, 0.04)),
        ("heldout46.json", (0.92, 0.51, 0.07)),
        ("heldout47.json", (0.94, 0.48, 0.07)),
        ("heldout48.json", (0.85, 0.41, 0.14)),
        ("heldout49.json", (0.93, 0.59, 0.04)),
        ("heldout50.json", (0.98, 0.64, 0.04)),
        ("heldout51.json", (1.0, 0.61, 0.0)),
        ("heldout52.json", (0.97, 0.43, 0.04)),
        ("heldout53.json", (0.97, 0.55, 0.0)),
        ("heldout54.json", (0.98, 0.58, 0.04)),
        ("heldout55.json", (0.94, 0.42, 0.04)),
        ("heldout56.json", (0.97, 0.45, 0.04)),
    ];
    // Every month is scored before any is compared, so a change of method
    // shows all its new figures at once.
    let counts: Vec<Counts> = expected
        .iter()
        .map(|(name, _)| {
            let c = count(&data(name));
            eprintln!("{name}: {:?}", Score::from(c));
            c
        })
        .collect();
    let held_out = counts[3..]
        .iter()
        .fold(Counts::default(), |sum, c| sum + *c);
    eprintln!("held-out together: {:?}", Score::from(held_out));
    for ((name, want), c) in expected.iter().zip(&counts) {
        assert_eq!(figures(Score::from(*c)), *want, "{name}");
    }
    assert_eq!(
        figures(Score::from(held_out)),
        (0.9, 0.59, 0.07),
        "held-out together"
    );
}

#[test]
fn the_shared_example_is_scored_when_present() {
    let gold = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/samples/similar/gold.json");
    if !gold.is_file() {
        eprintln!("{} not found: not scored", gold.display());
        return;
    }
    let s = score(&gold);
    eprintln!("gold.json: {s:?}");
    assert_eq!(figures(s), (1.0, 0.6, 0.0), "{s:?}");
}

/// Scores the labelled months named in `SHIRYO_EVAL` (paths separated as
/// in `PATH`: `:`, on Windows `;`), one by one and together: for months
/// not in the repository, such as a new month scored blind before it is
/// added.
#[test]
#[ignore = "scores the files named in SHIRYO_EVAL"]
fn score_named_months() {
    let Some(paths) = std::env::var_os("SHIRYO_EVAL") else {
        return;
    };
    let mut sum = Counts::default();
    for path in std::env::split_paths(&paths) {
        let c = count(&path);
        eprintln!("{}: {:?}", path.display(), Score::from(c));
        sum = sum + c;
    }
    eprintln!("together: {:?}", Score::from(sum));
    eprintln!("counts: {sum:?}");
}
