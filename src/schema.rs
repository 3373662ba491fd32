//! `matrix.json` in schema `shiryo.matrix/1` (SPEC §5): one typed document,
//! written by the build ([`MatrixDoc::of`], borrowing the matrix) and read
//! back by `--previous` ([`ItemsDoc::parse`], its items only), so the
//! writer and the reader share one item type and cannot drift apart.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::ingest::Skipped;
use crate::matrix::{Counts, DepartmentStatus, Item, Matrix, Rejection, Removed, Similar};
use crate::vocab::ColumnKey;

/// Schema identifier written into every file.
pub const SCHEMA: &str = "shiryo.matrix/1";
/// The document's file name in an output folder.
pub const FILE_NAME: &str = "matrix.json";

/// The whole document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatrixDoc<'a> {
    /// Always [`SCHEMA`].
    pub schema: Cow<'a, str>,
    /// Handout title.
    pub title: Cow<'a, str>,
    /// The four columns with their labels.
    pub columns: Vec<ColumnDoc<'a>>,
    /// Every 分野 of the template, in order.
    pub fields: Vec<FieldDoc<'a>>,
    /// Rejected rows.
    pub rejected: Cow<'a, [Rejection]>,
    /// Skipped files, sheets and rows.
    pub skipped: Cow<'a, [Skipped]>,
    /// Failed files.
    pub failed: Vec<FailedDoc<'a>>,
    /// The counts.
    pub counts: Cow<'a, Counts>,
    /// Last month's items that are gone (with `--previous`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub removed: Option<Cow<'a, [Removed]>>,
    /// The 提出状況 table (with a roster in the template).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub departments: Option<Cow<'a, [DepartmentStatus]>>,
}

/// A column: `{"key": "council", "label": "第2回審議会での主な意見"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColumnDoc<'a> {
    /// Fixed key.
    pub key: ColumnKey,
    /// Label in the handout.
    pub label: Cow<'a, str>,
}

/// A 分野 row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldDoc<'a> {
    /// 分野.
    pub name: Cow<'a, str>,
    /// Its four cells.
    pub cells: CellsDoc<'a>,
}

/// The four cells in handout order (a map would sort the keys).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CellsDoc<'a> {
    /// 審議会での主な意見.
    pub council: Cow<'a, [Item]>,
    /// 現状と課題.
    pub issues: Cow<'a, [Item]>,
    /// 想定される解決案.
    pub solutions: Cow<'a, [Item]>,
    /// 既に取り組んでいる内容.
    pub ongoing: Cow<'a, [Item]>,
}

impl CellsDoc<'_> {
    /// The items of one column.
    pub fn get(&self, key: ColumnKey) -> &[Item] {
        match key {
            ColumnKey::Council => &self.council,
            ColumnKey::Issues => &self.issues,
            ColumnKey::Solutions => &self.solutions,
            ColumnKey::Ongoing => &self.ongoing,
        }
    }
}

/// A failed file: `{"file", "reason"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FailedDoc<'a> {
    /// File name.
    pub file: Cow<'a, str>,
    /// The reason as the report shows it.
    pub reason: Cow<'a, str>,
}

/// A previous run's matrix.json that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum SchemaError {
    /// Not JSON, or a field missing or of the wrong type.
    #[error("JSON として読めません: {0}")]
    Json(#[from] serde_json::Error),
    /// Another schema: the one the document names (a value read, not an
    /// error to carry).
    #[error("形式が {SCHEMA} ではありません（{found}）")]
    Schema {
        /// The schema the document names.
        found: String,
    },
}

impl<'a> MatrixDoc<'a> {
    /// The document of a built matrix, borrowing it, with the numbers of
    /// its similar items' groups.
    pub fn of(m: &'a Matrix, similar: &Similar) -> MatrixDoc<'a> {
        MatrixDoc {
            schema: Cow::Borrowed(SCHEMA),
            title: Cow::Borrowed(&m.title),
            columns: m
                .columns
                .iter()
                .map(|c| ColumnDoc {
                    key: c.key,
                    label: Cow::Borrowed(&c.label),
                })
                .collect(),
            fields: m
                .fields
                .iter()
                .enumerate()
                .map(|(fi, f)| {
                    let [council, issues, solutions, ongoing] =
                        ColumnKey::ALL.map(|key| cell_doc(m, similar, fi, key));
                    FieldDoc {
                        name: Cow::Borrowed(&f.name),
                        cells: CellsDoc {
                            council,
                            issues,
                            solutions,
                            ongoing,
                        },
                    }
                })
                .collect(),
            rejected: Cow::Borrowed(&m.rejected),
            skipped: Cow::Borrowed(&m.skipped),
            failed: m
                .failed
                .iter()
                .map(|f| FailedDoc {
                    file: Cow::Borrowed(&f.file),
                    reason: Cow::Owned(f.reason.to_string()),
                })
                .collect(),
            counts: Cow::Borrowed(&m.counts),
            removed: m.removed.as_deref().map(Cow::Borrowed),
            departments: m.departments.as_deref().map(Cow::Borrowed),
        }
    }

    /// Pretty-printed JSON with a final line break.
    pub fn to_json(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.write_json(&mut out)
            .expect("plain data always serialises into memory");
        out
    }

    /// [`MatrixDoc::to_json`] written straight into `w`.
    pub fn write_json(&self, w: &mut dyn std::io::Write) -> std::io::Result<()> {
        serde_json::to_writer_pretty(&mut *w, self)?;
        w.write_all(b"\n")
    }
}

/// One cell's items as written: borrowed, or copied with `"similar": G`
/// on the items of a suggested group (SPEC §8.2).
fn cell_doc<'a>(m: &'a Matrix, similar: &Similar, field: usize, key: ColumnKey) -> Cow<'a, [Item]> {
    let items = &m.fields[field].cells[key.index()];
    let numbers = similar.cell_numbers(field, key, items.len());
    if numbers.iter().all(Option::is_none) {
        return Cow::Borrowed(items.as_slice());
    }
    Cow::Owned(
        items
            .iter()
            .zip(numbers)
            .map(|(item, similar)| Item {
                similar,
                ..item.clone()
            })
            .collect(),
    )
}

impl MatrixDoc<'static> {
    /// Reads a whole document, checking its schema.
    pub fn parse(text: &str) -> Result<MatrixDoc<'static>, SchemaError> {
        let doc: MatrixDoc<'static> = serde_json::from_str(text)?;
        check_schema(&doc.schema)?;
        Ok(doc)
    }
}

/// What `--previous` needs of a document: its items. Reading only these
/// keeps a month written by an earlier release usable when the counts or
/// the report records have grown since (they are not read here).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ItemsDoc {
    /// Always [`SCHEMA`].
    pub schema: String,
    /// Every 分野 with its items.
    pub fields: Vec<FieldDoc<'static>>,
}

impl ItemsDoc {
    /// Reads the items of a document, checking its schema.
    pub fn parse(text: &str) -> Result<ItemsDoc, SchemaError> {
        let doc: ItemsDoc = serde_json::from_str(text)?;
        check_schema(&doc.schema)?;
        Ok(doc)
    }
}

fn check_schema(schema: &str) -> Result<(), SchemaError> {
    if schema == SCHEMA {
        Ok(())
    } else {
        Err(SchemaError::Schema {
            found: schema.to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_reads_back_as_it_was_written() {
        let m = crate::matrix::build(Default::default(), &crate::Template::default());
        let doc = MatrixDoc::of(&m, &Similar::default());
        let json = doc.to_json();
        let back = MatrixDoc::parse(std::str::from_utf8(&json).unwrap()).unwrap();
        assert_eq!(back, doc);
    }

    #[test]
    fn a_missing_text_is_an_error_not_an_empty_item() {
        let m = crate::matrix::build(Default::default(), &crate::Template::default());
        let good = String::from_utf8(MatrixDoc::of(&m, &Similar::default()).to_json()).unwrap();
        let json = good.replacen(
            "\"council\": []",
            "\"council\": [{\"examples\": null, \"sources\": []}]",
            1,
        );
        assert!(matches!(MatrixDoc::parse(&json), Err(SchemaError::Json(_))));
        let other = good.replace(SCHEMA, "shiryo.matrix/9");
        assert!(matches!(
            MatrixDoc::parse(&other),
            Err(SchemaError::Schema { .. })
        ));
    }
}
