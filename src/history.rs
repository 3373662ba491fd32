//! Month over month: this month's items against the previous run's
//! `matrix.json` — 新規 (new), 継続 (still there) and 削除 (gone).
//! An item whose text changed only in width or a trailing 。 is 継続.

use std::collections::HashSet;
use std::path::Path;

use crate::matrix::{Matrix, Removed};
use crate::normalize;
use crate::schema::ItemsDoc;
use crate::vocab::{ColumnKey, ItemStatus};

/// An item of last month's matrix (the same shape as a 削除 entry).
pub(crate) type PreviousItem = Removed;

/// The previous run cannot be used.
#[derive(Debug, thiserror::Error)]
#[error(
    "前回の出力「{path}」を使えません（{reason}）。--previous には前回の出力フォルダ（matrix.json のあるフォルダ）を指定してください。"
)]
pub struct HistoryError {
    /// The matrix.json looked for.
    pub path: String,
    /// Why.
    #[source]
    pub reason: HistoryProblem,
}

/// Why a previous output cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum HistoryProblem {
    /// Its matrix.json cannot be read.
    #[error(transparent)]
    Read(#[from] crate::output::ReadFailure),
    /// It is no matrix.json of shiryo's.
    #[error(transparent)]
    Document(#[from] crate::schema::SchemaError),
}

/// Reads the items of a previous output folder's `matrix.json`.
pub(crate) fn load(dir: &Path) -> Result<Vec<PreviousItem>, HistoryError> {
    let path = dir.join(crate::schema::FILE_NAME);
    let err = |reason: HistoryProblem| HistoryError {
        path: path.display().to_string(),
        reason,
    };
    let text =
        std::fs::read_to_string(&path).map_err(|e| err(crate::output::ReadFailure(e).into()))?;
    let doc = ItemsDoc::parse(&text).map_err(|e| err(e.into()))?;
    let mut out = Vec::new();
    for f in &doc.fields {
        for key in ColumnKey::ALL {
            for it in f.cells.get(key) {
                // Months compare what was submitted, not the
                // secretariat's wording of it.
                for text in it.submitted_texts() {
                    out.push(PreviousItem {
                        field: f.name.to_string(),
                        column: key,
                        text: text.to_string(),
                        examples: it.examples.clone(),
                        departments: it.sources.iter().map(|s| s.department.clone()).collect(),
                    });
                }
            }
        }
    }
    Ok(out)
}

fn key(field: &str, column: ColumnKey, text: &str) -> (String, ColumnKey, String) {
    (
        field.to_string(),
        column,
        normalize::dedup_key(&normalize::normalize_text(text)),
    )
}

/// This month against the last: every item's 新規 or 継続 (per 分野, per
/// 区分, per item, in the matrix's order) and last month's items that are
/// gone. [`Matrix::with_history`] records it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct History {
    pub(crate) statuses: Vec<[Vec<ItemStatus>; 4]>,
    pub(crate) removed: Vec<PreviousItem>,
}

/// Compares this month's items with last month's.
pub(crate) fn compare(m: &Matrix, previous: &[PreviousItem]) -> History {
    let before: HashSet<_> = previous
        .iter()
        .map(|p| key(&p.field, p.column, &p.text))
        .collect();
    let mut now = HashSet::new();
    let statuses = m
        .fields
        .iter()
        .map(|f| {
            std::array::from_fn(|i| {
                let column = ColumnKey::ALL[i];
                f.cells[i]
                    .iter()
                    .map(|it| {
                        let k = key(&f.name, column, &it.text);
                        let status = if before.contains(&k) {
                            ItemStatus::Continued
                        } else {
                            ItemStatus::New
                        };
                        now.insert(k);
                        status
                    })
                    .collect()
            })
        })
        .collect();
    History {
        statuses,
        removed: previous
            .iter()
            .filter(|p| !now.contains(&key(&p.field, p.column, &p.text)))
            .cloned()
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matrix::{Item, Similar};
    use crate::schema::SchemaError;
    use crate::vocab::{Location, Source};

    const DX: usize = 1;
    const FINANCE: usize = 2;
    const OTHER: usize = 6;

    fn item(text: &str, examples: Option<&str>, departments: &[&str]) -> Item {
        let source = |d: &str| Source {
            department: d.into(),
            at: Location::cell(&format!("{d}.xlsx"), Some("提出"), "C2"),
        };
        let mut it = Item::new(
            text.into(),
            examples.map(String::from),
            source(departments[0]),
        );
        it.sources
            .extend(departments[1..].iter().map(|d| source(d)));
        it
    }

    fn previous(field: &str, column: ColumnKey, text: &str) -> PreviousItem {
        PreviousItem {
            field: field.into(),
            column,
            text: text.into(),
            examples: None,
            departments: vec!["総務課".into()],
        }
    }

    /// An empty month of the built-in template.
    fn empty() -> Matrix {
        crate::matrix::build(Default::default(), &crate::Template::default())
    }

    fn statuses(m: &Matrix, field: usize, column: ColumnKey) -> Vec<Option<ItemStatus>> {
        m.fields[field].cells[column.index()]
            .iter()
            .map(|i| i.status)
            .collect()
    }

    #[test]
    fn new_continued_and_removed() {
        let mut m = empty();
        m.fields[DX].cells[ColumnKey::Issues.index()] = vec![
            item("PCの仕様が異なる。", None, &["総務課"]),
            item("新しい意見", None, &["総務課"]),
        ];
        m.fields[FINANCE].cells[ColumnKey::Solutions.index()] =
            vec![item("予算の見える化", Some("柏市"), &["財政課"])];
        let gone = PreviousItem {
            examples: Some("宗像市".into()),
            departments: vec!["総務課".into(), "財政課".into()],
            ..previous("DX推進", ColumnKey::Issues, "消えた意見")
        };
        let before = vec![
            // Full-width letters and no 。: the same item.
            previous("DX推進", ColumnKey::Issues, "ＰＣの仕様が異なる"),
            // The same text in another 区分 or 分野 is another item.
            previous("財務", ColumnKey::Issues, "予算の見える化"),
            previous("行政施策", ColumnKey::Issues, "新しい意見"),
            gone.clone(),
        ];
        m = m.clone().with_history(compare(&m, &before));
        use ItemStatus::{Continued, New};
        assert_eq!(
            statuses(&m, DX, ColumnKey::Issues),
            vec![Some(Continued), Some(New)]
        );
        assert_eq!(statuses(&m, FINANCE, ColumnKey::Solutions), vec![Some(New)]);
        assert_eq!(
            m.removed,
            Some(vec![before[1].clone(), before[2].clone(), gone])
        );
    }

    #[test]
    fn nothing_last_month_everything_new_nothing_removed() {
        let mut m = empty();
        m.fields[OTHER].cells[ColumnKey::Council.index()] =
            vec![item("委員意見", None, &["審議会"])];
        m = m.clone().with_history(compare(&m, &[]));
        assert_eq!(
            statuses(&m, OTHER, ColumnKey::Council),
            vec![Some(ItemStatus::New)]
        );
        assert_eq!(m.removed, Some(vec![]));
    }

    /// Last month as its output folder holds it.
    fn write_month(m: &Matrix) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let json = crate::schema::MatrixDoc::of(m, &Similar::default()).to_json();
        std::fs::write(dir.path().join(crate::schema::FILE_NAME), json).unwrap();
        dir
    }

    /// Last month: one item corrected by the secretariat, which took in
    /// another department's item, and a council item.
    fn last_month() -> Matrix {
        let mut m = empty();
        let mut corrected = item("会議資料を電子化する", Some("柏市"), &["総務課", "財政課"]);
        corrected.original = Some("会議資料が紙である".into());
        corrected.merged_originals = vec!["紙の資料が多い".into()];
        m.fields[DX].cells[ColumnKey::Issues.index()] = vec![corrected];
        m.fields[OTHER].cells[ColumnKey::Council.index()] =
            vec![item("委員意見", None, &["審議会"])];
        m
    }

    #[test]
    fn load_reads_what_was_submitted_not_the_correction() {
        let dir = write_month(&last_month());
        let got = load(dir.path()).unwrap();
        let departments = vec!["総務課".to_string(), "財政課".to_string()];
        let want = vec![
            PreviousItem {
                field: "DX推進".into(),
                column: ColumnKey::Issues,
                text: "会議資料が紙である".into(),
                examples: Some("柏市".into()),
                departments: departments.clone(),
            },
            PreviousItem {
                field: "DX推進".into(),
                column: ColumnKey::Issues,
                text: "紙の資料が多い".into(),
                examples: Some("柏市".into()),
                departments,
            },
            PreviousItem {
                field: "その他".into(),
                column: ColumnKey::Council,
                text: "委員意見".into(),
                examples: None,
                departments: vec!["審議会".into()],
            },
        ];
        assert_eq!(got, want);

        // This month the same texts are submitted again, one of the two
        // merged ones no longer.
        let mut m = empty();
        m.fields[DX].cells[ColumnKey::Issues.index()] =
            vec![item("会議資料が紙である。", None, &["総務課"])];
        m = m.clone().with_history(compare(&m, &got));
        assert_eq!(
            statuses(&m, DX, ColumnKey::Issues),
            vec![Some(ItemStatus::Continued)]
        );
        assert_eq!(m.removed, Some(vec![want[1].clone(), want[2].clone()]));
    }

    #[test]
    fn a_folder_without_a_usable_matrix_json_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(crate::schema::FILE_NAME);
        let e = load(dir.path()).unwrap_err();
        assert_eq!(e.path, path.display().to_string());
        assert!(
            matches!(&e.reason, HistoryProblem::Read(r) if r.0.kind() == std::io::ErrorKind::NotFound),
            "{:?}",
            e.reason
        );
        assert!(e.reason.to_string().starts_with("ファイルがありません: "));
        assert_eq!(
            e.to_string(),
            format!(
                "前回の出力「{}」を使えません（{}）。--previous には前回の出力フォルダ（matrix.json のあるフォルダ）を指定してください。",
                path.display(),
                e.reason
            )
        );

        let good = String::from_utf8(
            crate::schema::MatrixDoc::of(&last_month(), &Similar::default()).to_json(),
        )
        .unwrap();
        std::fs::write(&path, good.replace("shiryo.matrix/1", "shiryo.matrix/9")).unwrap();
        let reason = load(dir.path()).unwrap_err().reason;
        assert!(
            matches!(&reason, HistoryProblem::Document(SchemaError::Schema { found }) if found == "shiryo.matrix/9"),
            "{reason:?}"
        );
        assert_eq!(
            reason.to_string(),
            "形式が shiryo.matrix/1 ではありません（shiryo.matrix/9）"
        );
        std::fs::write(&path, "{").unwrap();
        let reason = load(dir.path()).unwrap_err().reason;
        assert!(
            matches!(&reason, HistoryProblem::Document(SchemaError::Json(_))),
            "{reason:?}"
        );
        assert!(reason.to_string().starts_with("JSON として読めません: "));
    }
}
