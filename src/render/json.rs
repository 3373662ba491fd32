//! `matrix.json` in schema `shiryo.matrix/1` (SPEC §5).

use serde::Serialize;

use crate::matrix::{Item, Matrix};

/// Schema identifier written into every file.
pub const SCHEMA: &str = "shiryo.matrix/1";

#[derive(Serialize)]
struct Doc<'a> {
    schema: &'static str,
    title: &'a str,
    columns: Vec<ColumnJson<'a>>,
    fields: Vec<FieldJson<'a>>,
    rejected: Vec<RejectedJson<'a>>,
    skipped: Vec<SkippedJson<'a>>,
    failed: Vec<FailedJson<'a>>,
    counts: CountsJson,
    #[serde(skip_serializing_if = "Option::is_none")]
    removed: Option<Vec<RemovedJson<'a>>>,
}

#[derive(Serialize)]
struct RemovedJson<'a> {
    field: &'a str,
    column: &'static str,
    text: &'a str,
    examples: Option<&'a str>,
    departments: &'a [String],
}

#[derive(Serialize)]
struct ColumnJson<'a> {
    key: &'static str,
    label: &'a str,
}

#[derive(Serialize)]
struct FieldJson<'a> {
    name: &'a str,
    cells: CellsJson<'a>,
}

/// The four cells in handout order (a map would sort the keys).
#[derive(Serialize)]
struct CellsJson<'a> {
    council: Vec<ItemJson<'a>>,
    issues: Vec<ItemJson<'a>>,
    solutions: Vec<ItemJson<'a>>,
    ongoing: Vec<ItemJson<'a>>,
}

#[derive(Serialize)]
struct ItemJson<'a> {
    text: &'a str,
    examples: Option<&'a str>,
    sources: Vec<SourceJson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<&'static str>,
}

#[derive(Serialize)]
struct SourceJson<'a> {
    department: &'a str,
    file: &'a str,
    sheet: Option<&'a str>,
    cell: &'a str,
}

#[derive(Serialize)]
struct RejectedJson<'a> {
    file: &'a str,
    sheet: Option<&'a str>,
    cell: &'a str,
    reason: &'a str,
    text: &'a str,
}

#[derive(Serialize)]
struct SkippedJson<'a> {
    file: &'a str,
    sheet: Option<&'a str>,
    cell: Option<&'a str>,
    reason: &'a str,
}

#[derive(Serialize)]
struct FailedJson<'a> {
    file: &'a str,
    reason: String,
}

#[derive(Serialize)]
struct CountsJson {
    files: usize,
    rows: usize,
    items: usize,
    duplicates_merged: usize,
    skipped: usize,
    rejected: usize,
    failed: usize,
}

fn item(i: &Item) -> ItemJson<'_> {
    ItemJson {
        text: &i.text,
        examples: i.examples.as_deref(),
        sources: i
            .sources
            .iter()
            .map(|s| SourceJson {
                department: &s.department,
                file: &s.file,
                sheet: s.sheet.as_deref(),
                cell: &s.cell,
            })
            .collect(),
        status: i.status.map(|s| s.label()),
    }
}

/// Serialises the matrix as pretty-printed JSON.
pub fn render(m: &Matrix) -> Vec<u8> {
    let doc = Doc {
        schema: SCHEMA,
        title: &m.title,
        columns: m
            .columns
            .iter()
            .map(|c| ColumnJson {
                key: c.key.as_str(),
                label: &c.label,
            })
            .collect(),
        fields: m
            .fields
            .iter()
            .map(|f| FieldJson {
                name: &f.name,
                cells: {
                    let [council, issues, solutions, ongoing] =
                        f.cells.each_ref().map(|c| c.iter().map(item).collect());
                    CellsJson {
                        council,
                        issues,
                        solutions,
                        ongoing,
                    }
                },
            })
            .collect(),
        rejected: m
            .rejected
            .iter()
            .map(|r| RejectedJson {
                file: &r.file,
                sheet: r.sheet.as_deref(),
                cell: &r.cell,
                reason: &r.reason,
                text: &r.text,
            })
            .collect(),
        skipped: m
            .skipped
            .iter()
            .map(|s| SkippedJson {
                file: &s.file,
                sheet: s.sheet.as_deref(),
                cell: s.cell.as_deref(),
                reason: &s.reason,
            })
            .collect(),
        failed: m
            .failed
            .iter()
            .map(|f| FailedJson {
                file: &f.file,
                reason: f.reason.to_string(),
            })
            .collect(),
        counts: CountsJson {
            files: m.counts.files,
            rows: m.counts.rows,
            items: m.counts.items,
            duplicates_merged: m.counts.duplicates_merged,
            skipped: m.counts.skipped,
            rejected: m.counts.rejected,
            failed: m.counts.failed,
        },
        removed: m.removed.as_ref().map(|list| {
            list.iter()
                .map(|r| RemovedJson {
                    field: &r.field,
                    column: r.column.as_str(),
                    text: &r.text,
                    examples: r.examples.as_deref(),
                    departments: &r.departments,
                })
                .collect()
        }),
    };
    let mut out = serde_json::to_vec_pretty(&doc).expect("plain data always serialises");
    out.push(b'\n');
    out
}
