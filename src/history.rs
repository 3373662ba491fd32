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
    pub reason: String,
}

/// Reads the items of a previous output folder's `matrix.json`.
pub(crate) fn load(dir: &Path) -> Result<Vec<PreviousItem>, HistoryError> {
    let path = dir.join(crate::schema::FILE_NAME);
    let err = |reason: String| HistoryError {
        path: path.display().to_string(),
        reason,
    };
    let text =
        std::fs::read_to_string(&path).map_err(|e| err(crate::output::japanese_read_reason(&e)))?;
    let doc = ItemsDoc::parse(&text).map_err(|e| err(e.to_string()))?;
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

/// Marks every item of `m` as new or continued and lists last month's items
/// that are gone.
pub(crate) fn compare(m: &mut Matrix, previous: &[PreviousItem]) {
    let before: HashSet<_> = previous
        .iter()
        .map(|p| key(&p.field, p.column, &p.text))
        .collect();
    let mut now = HashSet::new();
    for f in &mut m.fields {
        for (i, items) in f.cells.iter_mut().enumerate() {
            let column = ColumnKey::ALL[i];
            for it in items {
                let k = key(&f.name, column, &it.text);
                it.status = Some(if before.contains(&k) {
                    ItemStatus::Continued
                } else {
                    ItemStatus::New
                });
                now.insert(k);
            }
        }
    }
    m.removed = Some(
        previous
            .iter()
            .filter(|p| !now.contains(&key(&p.field, p.column, &p.text)))
            .cloned()
            .collect(),
    );
}
