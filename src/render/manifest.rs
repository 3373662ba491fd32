//! `manifest.json`: the record of a run — tool version, template, every
//! input with its size, SHA-256 and fate, the date, the counts and every
//! output with its SHA-256. Same inputs, template and date give the same
//! bytes.

use serde::Serialize;

use crate::date::Date;
use crate::ingest::{FileRecord, FileStatus};
use crate::matrix::{Counts, Matrix};
use crate::template::Template;

/// Schema identifier of the run record.
pub const SCHEMA: &str = "shiryo.manifest/1";

#[derive(Serialize)]
struct Manifest<'a> {
    schema: &'static str,
    tool: Tool,
    date: String,
    template: TemplateJson<'a>,
    previous: Option<&'a str>,
    /// The secretariat's corrections files read (SPEC §7.9).
    corrections: Vec<TemplateJson<'a>>,
    inputs: Vec<Input<'a>>,
    counts: &'a Counts,
    outputs: Vec<Output<'a>>,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct TemplateJson<'a> {
    file: &'a str,
    sha256: &'a str,
}

#[derive(Serialize)]
struct Input<'a> {
    file: &'a str,
    size: u64,
    sha256: &'a str,
    status: &'static str,
    reason: Option<String>,
    rows: usize,
    items: usize,
}

#[derive(Serialize)]
struct Output<'a> {
    file: &'a str,
    size: u64,
    sha256: &'a str,
}

/// Renders the run record; `outputs` are the other files written: name,
/// size and SHA-256.
pub fn render(
    m: &Matrix,
    files: &[FileRecord],
    template: &Template,
    date: Date,
    previous: Option<&str>,
    outputs: &[(&str, u64, &str)],
) -> Vec<u8> {
    let mut per_file: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for s in m
        .fields
        .iter()
        .flat_map(|f| f.cells.iter().flatten())
        .flat_map(|i| &i.sources)
    {
        *per_file.entry(&s.at.file).or_default() += 1;
    }
    let items_from = |file: &str| per_file.get(file).copied().unwrap_or(0);
    let doc = Manifest {
        schema: SCHEMA,
        tool: Tool {
            name: env!("CARGO_PKG_NAME"),
            version: env!("CARGO_PKG_VERSION"),
        },
        date: date.to_string(),
        template: TemplateJson {
            file: template.source_file.as_deref().unwrap_or("(内蔵の既定値)"),
            sha256: &template.source_sha256,
        },
        previous,
        corrections: m
            .editorial
            .files
            .iter()
            .map(|(file, sha256)| TemplateJson { file, sha256 })
            .collect(),
        inputs: files
            .iter()
            .map(|f| {
                let (status, reason, rows) = match &f.status {
                    FileStatus::Read { rows, .. } => ("read", None, *rows),
                    FileStatus::Skipped(r) => ("skipped", Some(r.clone()), 0),
                    FileStatus::Failed(r) => ("failed", Some(r.to_string()), 0),
                };
                Input {
                    file: &f.name,
                    size: f.size,
                    sha256: &f.sha256,
                    status,
                    reason,
                    rows,
                    items: items_from(&f.name),
                }
            })
            .collect(),
        counts: &m.counts,
        outputs: outputs
            .iter()
            .map(|&(file, size, sha256)| Output { file, size, sha256 })
            .collect(),
    };
    let mut out = serde_json::to_vec_pretty(&doc).expect("plain data always serialises");
    out.push(b'\n');
    out
}
