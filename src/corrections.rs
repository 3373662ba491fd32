//! The secretariat's editorial pass (事務局修正, SPEC §7.9): corrections
//! keyed by (分野, 区分, submitted text after §3) replace an item's text
//! (its ＜examples＞ read again from the new text), leave it out of the
//! handout (載せない), and merge the items of a cell given the same text.
//! Every correction is accounted for: applied, or listed as not applied;
//! an unreadable row is rejected with its cell.

use std::collections::HashMap;

use crate::ingest::CorrectionRow;
use crate::matrix::{
    AppliedCorrection, Editorial, Matrix, PassRow, Rejection, RowProblem, RowSheet,
    SupersededCorrection, UnappliedCorrection, column_of, field_of,
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
        let reject = |cell: &str, problem: RowProblem| {
            Rejection::new(
                at(cell),
                SECRETARIAT.to_string(),
                &problem,
                normalize::normalize_line(&row.current.value),
            )
        };
        let revised = normalize::normalize_line(&row.revised.value);
        let Some(hide) = is_mark(&row.hide.value) else {
            let value = row.hide.value.trim().to_string();
            rejected.push(reject(&row.hide.cell, RowProblem::HideMark { value }));
            continue;
        };
        if revised.is_empty() && !hide {
            // Nothing to change for this item this month.
            continue;
        }
        let field_value = normalize::normalize_line(&row.field.value);
        let field = match field_of(&field_value, template, &resolver, RowSheet::Corrections) {
            Ok(field) => field,
            Err(problem) => {
                rejected.push(reject(&row.field.cell, problem));
                continue;
            }
        };
        let kind_value = normalize::normalize_line(&row.kind.value);
        let column = match column_of(&kind_value, template, &resolver, RowSheet::Corrections) {
            Ok(column) => column,
            Err(problem) => {
                rejected.push(reject(&row.kind.cell, problem));
                continue;
            }
        };
        let (text, _) = normalize::split_examples(&normalize::normalize_line(&row.current.value));
        if text.is_empty() {
            rejected.push(reject(&row.current.cell, RowProblem::CurrentBlank));
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

/// A correction applied to one item: its new text and ＜examples＞ (read
/// again from the 修正後の文), and whether it is left out of the handout.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ItemChange {
    /// 分野 index.
    pub(crate) field: usize,
    /// 区分.
    pub(crate) column: ColumnKey,
    /// The item's place in its cell.
    pub(crate) item: usize,
    /// The new text and examples, when the correction gives one.
    pub(crate) revised: Option<(String, Option<String>)>,
    /// 載せない.
    pub(crate) hide: bool,
}

/// What the corrections do to this month's matrix, worked out from it
/// without changing it; [`Matrix::corrected`] applies it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Plan {
    /// The items changed, in the matrix's order.
    pub(crate) changes: Vec<ItemChange>,
    /// Files, applied, superseded and unapplied corrections, the next
    /// sheet (the merges are the matrix's to record).
    pub(crate) editorial: Editorial,
    /// Rows that cannot be used.
    pub(crate) rejected: Vec<Rejection>,
    /// Rows read.
    pub(crate) rows: usize,
}

/// Works out the corrections for the matrix and the next corrections
/// sheet; rows that cannot be used are rejected.
pub(crate) fn plan(
    m: &Matrix,
    rows: &[CorrectionRow],
    files: Vec<(String, String)>,
    template: &Template,
) -> Plan {
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
    let mut changes = Vec::new();
    for (fi, f) in m.fields.iter().enumerate() {
        for (ci, items) in f.cells.iter().enumerate() {
            let column = ColumnKey::ALL[ci];
            for (n, item) in items.iter().enumerate() {
                // Most months have no corrections: no key to make then.
                let found = if by_key.is_empty() {
                    None
                } else {
                    by_key.get(&key(fi, column, &item.text)).copied()
                };
                let c = found.map(|i| &corrections[i]);
                ed.sheet.push(PassRow {
                    field: f.name.clone(),
                    column,
                    submitted: item.text.clone(),
                    examples: item.examples.clone(),
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
                changes.push(ItemChange {
                    field: fi,
                    column,
                    item: n,
                    revised: c.revised.as_deref().map(normalize::split_examples),
                    hide: c.hide,
                });
            }
        }
    }
    for (i, c) in corrections.iter().enumerate() {
        let last = by_key[&key(c.field, c.column, &c.text)];
        if last != i && used[last] {
            // The same item was corrected again further down: the later row
            // was used, and this one is reported, not silently dropped.
            ed.superseded.push(SupersededCorrection {
                field: m.fields[c.field].name.clone(),
                column: c.column,
                text: c.text.clone(),
                at: c.at.clone(),
                by: corrections[last].at.clone(),
            });
        } else if !used[i] {
            ed.unapplied.push(UnappliedCorrection {
                field: m.fields[c.field].name.clone(),
                column: c.column,
                text: c.text.clone(),
                at: c.at.clone(),
            });
        }
    }
    Plan {
        changes,
        editorial: ed,
        // Every row is either read or rejected.
        rows: rows.len() - rejected.len(),
        rejected,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matrix::{Item, Merge};

    /// The corrections applied, as the run applies them.
    fn apply(
        m: Matrix,
        rows: &[CorrectionRow],
        files: Vec<(String, String)>,
        t: &Template,
    ) -> Matrix {
        let plan = plan(&m, rows, files, t);
        m.corrected(plan)
    }
    use crate::ingest::Located;
    use crate::vocab::Source;

    const DX: usize = 1;
    const FINANCE: usize = 2;
    const FILE: &str = "事務局修正.xlsx";
    const SHEET: &str = "事務局修正";

    fn source(department: &str, cell: &str) -> Source {
        Source {
            department: department.into(),
            at: Location::cell(&format!("{department}.xlsx"), Some("提出"), cell),
        }
    }

    fn item(text: &str, examples: Option<&str>, department: &str, cell: &str) -> Item {
        Item::new(
            text.into(),
            examples.map(String::from),
            source(department, cell),
        )
    }

    /// A month of the built-in template with six items.
    fn month() -> Matrix {
        let mut m = crate::matrix::build(Default::default(), &Template::default());
        m.fields[DX].cells[ColumnKey::Issues.index()] = vec![
            item("会議資料が紙である", Some("柏市"), "総務課", "C2"),
            item("PCの仕様が異なる。", None, "財政課", "C3"),
        ];
        m.fields[FINANCE].cells[ColumnKey::Issues.index()] = vec![
            item("A案", None, "総務課", "C4"),
            item("その他の課題", None, "財政課", "C5"),
            item("B案", None, "人事課", "C6"),
        ];
        m.fields[FINANCE].cells[ColumnKey::Solutions.index()] =
            vec![item("予算の見える化", None, "財政課", "C7")];
        m.recount();
        m
    }

    /// Row `r` of the corrections sheet: 分野, 区分, 現在の文, 修正後の文,
    /// 載せない in columns A to E.
    fn row(r: u32, [field, kind, current, revised, hide]: [&str; 5]) -> CorrectionRow {
        let cell = |column: char, value: &str| Located {
            value: value.into(),
            cell: format!("{column}{r}"),
        };
        CorrectionRow {
            file: FILE.into(),
            sheet: SHEET.into(),
            field: cell('A', field),
            kind: cell('B', kind),
            current: cell('C', current),
            revised: cell('D', revised),
            hide: cell('E', hide),
        }
    }

    fn at(cell: &str) -> Location {
        Location::cell(FILE, Some(SHEET), cell)
    }

    fn texts(m: &Matrix, field: usize, column: ColumnKey) -> Vec<&str> {
        m.fields[field].cells[column.index()]
            .iter()
            .map(|i| i.text.as_str())
            .collect()
    }

    #[test]
    fn marks() {
        for yes in ["○", "〇", "◯", "o", "O", " ○ "] {
            assert_eq!(is_mark(yes), Some(true), "{yes:?}");
        }
        for no in ["", "  "] {
            assert_eq!(is_mark(no), Some(false), "{no:?}");
        }
        for bad in ["×", "はい", "1", "○○"] {
            assert_eq!(is_mark(bad), None, "{bad:?}");
        }
    }

    /// The month of `month()` with six rows of corrections applied: a
    /// new text, a hidden item, two items given one text, nothing to
    /// change, a text no longer submitted.
    fn corrected() -> (Matrix, Vec<(String, String)>) {
        let mut m = month();
        let rows = vec![
            // A new text with new examples.
            row(
                2,
                [
                    "DX推進",
                    "現状と課題",
                    "会議資料が紙である＜柏市＞",
                    "会議資料を電子化する＜宗像市＞",
                    "",
                ],
            ),
            // Hidden; 分野 and 区分 by alias, the text in another width
            // without its 。.
            row(3, ["DX", "課題", "ＰＣの仕様が異なる", "", "○"]),
            // Two items given the same text (but for a 。): merged.
            row(4, ["財務", "課題", "A案", "C案", ""]),
            row(5, ["財務", "課題", "B案", "C案。", ""]),
            // Nothing to change.
            row(6, ["財務", "解決案", "予算の見える化", "", ""]),
            // No longer submitted.
            row(7, ["財務", "解決案", "消えた文", "新しい文", ""]),
        ];
        let files = vec![(FILE.to_string(), "ab12".to_string())];
        m = apply(m, &rows, files.clone(), &Template::default());
        (m, files)
    }

    #[test]
    fn corrections_change_texts_and_hide_items() {
        let (m, _) = corrected();
        let dx = &m.fields[DX].cells[ColumnKey::Issues.index()];
        assert_eq!(dx[0].text, "会議資料を電子化する");
        assert_eq!(dx[0].examples.as_deref(), Some("宗像市"));
        assert_eq!(dx[0].original.as_deref(), Some("会議資料が紙である"));
        assert!(!dx[0].hidden);
        assert_eq!(dx[1].text, "PCの仕様が異なる。");
        assert_eq!(dx[1].original, None);
        assert!(dx[1].hidden);
    }

    #[test]
    fn items_given_one_text_are_merged_in_the_first_ones_place() {
        let (m, _) = corrected();
        let finance = &m.fields[FINANCE].cells[ColumnKey::Issues.index()];
        assert_eq!(
            texts(&m, FINANCE, ColumnKey::Issues),
            vec!["C案", "その他の課題"],
            "the merged item keeps the first one's place"
        );
        assert_eq!(finance[0].original.as_deref(), Some("A案"));
        assert_eq!(finance[0].merged_originals, vec!["B案".to_string()]);
        assert_eq!(
            finance[0].sources,
            vec![source("総務課", "C4"), source("人事課", "C6")]
        );
        assert_eq!(
            texts(&m, FINANCE, ColumnKey::Solutions),
            vec!["予算の見える化"]
        );
        assert!(!m.fields[FINANCE].cells[ColumnKey::Solutions.index()][0].hidden);
    }

    #[test]
    fn applied_merged_and_unapplied_corrections_are_recorded() {
        let (m, files) = corrected();
        let ed = &m.editorial;
        assert_eq!(ed.files, files);
        let applied = |field: &str, before: &str, after: Option<&str>, hidden, cell: &str| {
            AppliedCorrection {
                field: field.into(),
                column: ColumnKey::Issues,
                before: before.into(),
                after: after.map(String::from),
                hidden,
                at: at(cell),
            }
        };
        assert_eq!(
            ed.applied,
            vec![
                applied(
                    "DX推進",
                    "会議資料が紙である",
                    Some("会議資料を電子化する＜宗像市＞"),
                    false,
                    "C2"
                ),
                applied("DX推進", "PCの仕様が異なる。", None, true, "C3"),
                applied("財務", "A案", Some("C案"), false, "C4"),
                applied("財務", "B案", Some("C案。"), false, "C5"),
            ]
        );
        assert_eq!(
            ed.merged,
            vec![Merge {
                field: "財務".into(),
                column: ColumnKey::Issues,
                text: "C案".into(),
                sources: vec![source("総務課", "C4"), source("人事課", "C6")],
            }]
        );
        assert_eq!(
            ed.unapplied,
            vec![UnappliedCorrection {
                field: "財務".into(),
                column: ColumnKey::Solutions,
                text: "消えた文".into(),
                at: at("C7"),
            }]
        );
    }

    #[test]
    fn the_next_corrections_sheet_lists_every_item_as_submitted() {
        let (m, _) = corrected();
        let ed = &m.editorial;
        // The next sheet: every item as submitted, with its correction.
        let current: Vec<_> = ed.sheet.iter().map(PassRow::current).collect();
        let sheet: Vec<_> = ed
            .sheet
            .iter()
            .zip(&current)
            .map(|(r, current)| {
                (
                    r.field.as_str(),
                    r.column,
                    &**current,
                    r.submitted.as_str(),
                    r.revised.as_deref(),
                    r.hidden,
                )
            })
            .collect();
        assert_eq!(
            sheet,
            vec![
                (
                    "DX推進",
                    ColumnKey::Issues,
                    "会議資料が紙である＜柏市＞",
                    "会議資料が紙である",
                    Some("会議資料を電子化する＜宗像市＞"),
                    false
                ),
                (
                    "DX推進",
                    ColumnKey::Issues,
                    "PCの仕様が異なる。",
                    "PCの仕様が異なる。",
                    None,
                    true
                ),
                ("財務", ColumnKey::Issues, "A案", "A案", Some("C案"), false),
                (
                    "財務",
                    ColumnKey::Issues,
                    "その他の課題",
                    "その他の課題",
                    None,
                    false
                ),
                (
                    "財務",
                    ColumnKey::Issues,
                    "B案",
                    "B案",
                    Some("C案。"),
                    false
                ),
                (
                    "財務",
                    ColumnKey::Solutions,
                    "予算の見える化",
                    "予算の見える化",
                    None,
                    false
                ),
            ]
        );
        assert_eq!(ed.sheet[4].sources, vec![source("人事課", "C6")]);
    }

    #[test]
    fn every_correction_row_is_counted() {
        let (m, _) = corrected();
        // Every row read; the merge counted on the matrix.
        assert_eq!(m.counts.correction_rows, 6);
        assert_eq!(m.counts.rejected, 0);
        assert_eq!(m.counts.items, 5);
        assert_eq!(m.counts.sources_listed, 6);
        assert_eq!(m.counts.duplicates_merged, 1);
        assert!(m.rejected.is_empty());
    }

    #[test]
    fn unreadable_rows_are_rejected_with_their_cell() {
        let mut m = month();
        let before = m.clone();
        let rows = vec![
            row(8, ["観光", "課題", "A案", "y", ""]),
            row(9, ["財務", "要望", "A案", "y", ""]),
            row(10, ["財務", "課題", " ", "y", ""]),
            // The mark is checked first, even with nothing to change.
            row(11, ["観光", "課題", "その他の課題", "", "×"]),
        ];
        m = apply(m, &rows, Vec::new(), &Template::default());
        let reject = |cell: &str, reason: &str, fix: &str, text: &str| Rejection {
            at: at(cell),
            department: SECRETARIAT.into(),
            reason: reason.into(),
            fix: fix.into(),
            text: text.into(),
        };
        let fields = "行政施策、DX推進、財務、人材育成、働き方改革、経営、その他";
        assert_eq!(
            m.rejected,
            vec![
                reject(
                    "A8",
                    "分野「観光」は登録されていません。",
                    &format!(
                        "候補: {fields} のどれかに直してください（shiryo が書き出した分野のままにしてください）。"
                    ),
                    "A案"
                ),
                reject(
                    "B9",
                    "区分「要望」は登録されていません。",
                    "候補: 審議会意見、現状と課題、解決案、取組済み のどれかに直してください（shiryo が書き出した区分のままにしてください）。",
                    "A案"
                ),
                reject(
                    "C10",
                    "現在の文が空欄です。",
                    "shiryo が書き出した現在の文を消さないでください。",
                    ""
                ),
                reject(
                    "E11",
                    "載せない「×」は使えません。",
                    "載せない項目には ○ を選び、載せる項目は空欄にしてください。",
                    "その他の課題"
                ),
            ]
        );
        assert_eq!(m.counts.rejected, 4);
        assert_eq!(m.counts.correction_rows, 0);
        assert_eq!(m.fields, before.fields, "nothing applied");
        assert!(m.editorial.applied.is_empty());
        assert!(m.editorial.unapplied.is_empty());
        assert_eq!(m.editorial.sheet.len(), 6);
    }

    #[test]
    fn the_last_correction_of_an_item_wins() {
        let mut m = month();
        let rows = vec![
            row(2, ["財務", "課題", "A案", "一", ""]),
            row(3, ["財務", "課題", "A案。", "二", "○"]),
        ];
        m = apply(m, &rows, Vec::new(), &Template::default());
        let it = &m.fields[FINANCE].cells[ColumnKey::Issues.index()][0];
        assert_eq!((it.text.as_str(), it.hidden), ("二", true));
        assert_eq!(m.editorial.applied.len(), 1);
        assert_eq!(m.editorial.applied[0].at, at("C3"));
        assert_eq!(m.counts.correction_rows, 2);
        // The earlier row is reported as replaced, not as a text no longer
        // submitted.
        assert!(
            m.editorial.unapplied.is_empty(),
            "{:?}",
            m.editorial.unapplied
        );
        assert_eq!(
            m.editorial.superseded,
            vec![SupersededCorrection {
                field: "財務".into(),
                column: ColumnKey::Issues,
                text: "A案".into(),
                at: at("C2"),
                by: at("C3"),
            }]
        );
    }
}
