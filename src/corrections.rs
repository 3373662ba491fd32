//! The secretariat's editorial pass (事務局修正, SPEC §7.9): corrections
//! keyed by (分野, 区分, submitted text after §3) replace an item's text
//! (its ＜examples＞ read again from the new text), leave it out of the
//! handout (載せない), and merge the items of a cell given the same text.
//! Every correction is accounted for: applied, or listed as not applied;
//! an unreadable row is rejected with its cell.

use std::collections::HashMap;

use crate::ingest::CorrectionRow;
use crate::matrix::{
    AppliedCorrection, Editorial, Item, Matrix, Merge, PassRow, Rejection, UnappliedCorrection,
};
use crate::normalize;
use crate::template::{Resolver, Template};
use crate::vocab::{ColumnKey, Location, SECRETARIAT};

/// One readable correction.
#[derive(Debug, Clone, PartialEq)]
struct Correction {
    field: usize,
    column: ColumnKey,
    /// The submitted text (as written in 現在の文, without ＜examples＞).
    text: String,
    /// 修正後の文, normalised.
    revised: Option<String>,
    hide: bool,
    at: Location,
}

fn is_mark(v: &str) -> Option<bool> {
    match v.trim() {
        "" => Some(false),
        "○" | "〇" | "◯" | "o" | "O" => Some(true),
        _ => None,
    }
}

/// Reads the rows: corrections, and the rows that cannot be used.
fn parse(rows: &[CorrectionRow], template: &Template) -> (Vec<Correction>, Vec<Rejection>) {
    let resolver = Resolver::new(template);
    let mut out = Vec::new();
    let mut rejected = Vec::new();
    for row in rows {
        let at = |cell: &str| Location::cell(&row.file, Some(&row.sheet), cell);
        let reject = |cell: &str, reason: String, fix: &str| Rejection {
            at: at(cell),
            department: SECRETARIAT.to_string(),
            reason,
            fix: fix.to_string(),
            text: normalize::normalize_line(&row.current.value),
        };
        let revised = normalize::normalize_line(&row.revised.value);
        let Some(hide) = is_mark(&row.hide.value) else {
            rejected.push(reject(
                &row.hide.cell,
                format!("載せない「{}」は使えません。", row.hide.value.trim()),
                "載せない項目には ○ を選び、載せる項目は空欄にしてください。",
            ));
            continue;
        };
        if revised.is_empty() && !hide {
            // Nothing to change for this item this month.
            continue;
        }
        let field_value = normalize::normalize_line(&row.field.value);
        let Some(field) = resolver.field(&field_value) else {
            rejected.push(reject(
                &row.field.cell,
                format!("分野「{field_value}」は登録されていません。"),
                &format!(
                    "候補: {} のどれかに直してください（shiryo が書き出した分野のままにしてください）。",
                    crate::matrix::suggestion(&field_value, &template.field_candidates())
                ),
            ));
            continue;
        };
        let kind_value = normalize::normalize_line(&row.kind.value);
        let Some(column) = resolver.column(&kind_value) else {
            rejected.push(reject(
                &row.kind.cell,
                format!("区分「{kind_value}」は登録されていません。"),
                &format!(
                    "候補: {} のどれかに直してください（shiryo が書き出した区分のままにしてください）。",
                    crate::matrix::suggestion(&kind_value, &template.column_candidates())
                ),
            ));
            continue;
        };
        let (text, _) = normalize::split_examples(&normalize::normalize_line(&row.current.value));
        if text.is_empty() {
            rejected.push(reject(
                &row.current.cell,
                "現在の文が空欄です。".into(),
                "shiryo が書き出した現在の文を消さないでください。",
            ));
            continue;
        }
        out.push(Correction {
            field,
            column,
            text,
            revised: (!revised.is_empty()).then_some(revised),
            hide,
            at: at(&row.current.cell),
        });
    }
    (out, rejected)
}

/// Applies the corrections to the matrix and prepares the next corrections
/// sheet; rejected rows join the matrix's rejections.
pub(crate) fn apply(
    m: &mut Matrix,
    rows: &[CorrectionRow],
    files: Vec<(String, String)>,
    template: &Template,
) {
    let (corrections, rejected) = parse(rows, template);
    let key =
        |field: usize, column: ColumnKey, text: &str| (field, column, normalize::dedup_key(text));
    // The last correction of a key wins.
    let mut by_key: HashMap<(usize, ColumnKey, String), usize> = HashMap::new();
    for (i, c) in corrections.iter().enumerate() {
        by_key.insert(key(c.field, c.column, &c.text), i);
    }
    let mut used = vec![false; corrections.len()];
    let mut ed = Editorial {
        files,
        ..Editorial::default()
    };
    for (fi, f) in m.fields.iter_mut().enumerate() {
        for (ci, items) in f.cells.iter_mut().enumerate() {
            let column = ColumnKey::ALL[ci];
            let mut changed = false;
            for item in items.iter_mut() {
                let found = by_key.get(&key(fi, column, &item.text)).copied();
                let c = found.map(|i| &corrections[i]);
                ed.sheet.push(PassRow {
                    field: f.name.clone(),
                    column,
                    current: item.line(),
                    submitted: item.text.clone(),
                    revised: c.and_then(|c| c.revised.clone()),
                    hidden: c.is_some_and(|c| c.hide),
                    sources: item.sources.clone(),
                    status: item.status,
                });
                let (Some(i), Some(c)) = (found, c) else {
                    continue;
                };
                used[i] = true;
                ed.applied.push(AppliedCorrection {
                    field: f.name.clone(),
                    column,
                    before: item.text.clone(),
                    after: c.revised.clone(),
                    hidden: c.hide,
                    at: c.at.clone(),
                });
                if let Some(revised) = &c.revised {
                    let (text, examples) = normalize::split_examples(revised);
                    item.original.get_or_insert_with(|| item.text.clone());
                    item.text = text;
                    item.examples = examples;
                    changed = true;
                }
                item.hidden = c.hide;
            }
            // Only a new text can make two items of a cell the same.
            if changed {
                merge_equal(items, &f.name, column, &mut ed.merged);
            }
        }
    }
    for (c, used) in corrections.iter().zip(used) {
        if !used {
            ed.unapplied.push(UnappliedCorrection {
                field: m.fields[c.field].name.clone(),
                column: c.column,
                text: c.text.clone(),
                at: c.at.clone(),
            });
        }
    }
    // Every row is either read or rejected.
    m.counts.correction_rows = rows.len() - rejected.len();
    m.counts.rejected += rejected.len();
    m.rejected.extend(rejected);
    m.editorial = ed;
    m.recount();
}

/// Merges the items of one cell that now have the same text: the first
/// keeps its place and takes in the others.
fn merge_equal(items: &mut Vec<Item>, field: &str, column: ColumnKey, merged: &mut Vec<Merge>) {
    let mut kept: Vec<Item> = Vec::with_capacity(items.len());
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut absorbed = vec![false; items.len()];
    for item in items.drain(..) {
        let key = normalize::dedup_key(&item.text);
        match index.get(&key) {
            Some(&i) => {
                kept[i].absorb(item);
                absorbed[i] = true;
            }
            None => {
                index.insert(key, kept.len());
                kept.push(item);
            }
        }
    }
    for (item, _) in kept.iter().zip(absorbed).filter(|(_, a)| *a) {
        merged.push(Merge {
            field: field.to_string(),
            column,
            text: item.text.clone(),
            sources: item.sources.clone(),
        });
    }
    *items = kept;
}
