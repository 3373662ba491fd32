//! The roster and who has submitted (SPEC §7.7): every department of the
//! template's `<departments>` gets one status — 提出済, 一部却下, 読込失敗 or
//! 未提出 — and a department that submitted without being on the roster is
//! 名簿外 (usually an alias the template lacks).

use std::collections::BTreeMap;

use crate::ingest::minutes::COUNCIL;
use crate::ingest::{FileRecord, FileStatus, RawRow};
use crate::matrix::{DepartmentStatus, Matrix, SubmissionStatus};
use crate::template::{Resolver, Template};

/// Data rows per department (template names), counted before the rows
/// become the matrix.
pub(crate) fn rows_by_department(rows: &[RawRow], template: &Template) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    let resolver = Resolver::new(template);
    for r in rows {
        *out.entry(resolver.department_name(&r.department))
            .or_default() += 1;
    }
    out
}

#[derive(Default)]
struct Tally {
    files: Vec<String>,
    failed: bool,
    rows: usize,
    items: usize,
    rejected: usize,
}

/// The 提出状況 table: roster departments in the roster's order, then the
/// departments not on it by name; `None` without a roster.
pub(crate) fn status(
    files: &[FileRecord],
    rows: &BTreeMap<String, usize>,
    m: &Matrix,
    template: &Template,
) -> Option<Vec<DepartmentStatus>> {
    if template.departments.is_empty() {
        return None;
    }
    let mut tally: BTreeMap<String, Tally> = BTreeMap::new();
    let resolver = Resolver::new(template);
    let mut add_file = |department: &str, file: &str, failed: bool| {
        let t = tally
            .entry(resolver.department_name(department))
            .or_default();
        if !t.files.iter().any(|f| f == file) {
            t.files.push(file.to_string());
        }
        t.failed |= failed;
    };
    for f in files {
        match &f.status {
            FileStatus::Read { departments, .. } => {
                for d in departments {
                    add_file(d, &f.name, false);
                }
            }
            FileStatus::Failed(_) | FileStatus::Skipped(_) => {}
        }
    }
    for f in &m.failed {
        add_file(&f.department, &f.file, true);
    }
    for (department, n) in rows {
        tally.entry(department.clone()).or_default().rows += n;
    }
    for source in m
        .fields
        .iter()
        .flat_map(|f| f.cells.iter().flatten())
        .flat_map(|i| &i.sources)
    {
        tally.entry(source.department.clone()).or_default().items += 1;
    }
    for r in &m.rejected {
        tally.entry(r.department.clone()).or_default().rejected += 1;
    }
    tally.remove(COUNCIL);
    tally.remove(crate::vocab::SECRETARIAT);

    let entry = |name: &str, t: Tally, on_roster: bool| DepartmentStatus {
        name: name.to_string(),
        status: if !on_roster {
            SubmissionStatus::NotOnRoster
        } else if t.failed {
            SubmissionStatus::Failed
        } else if t.files.is_empty() {
            SubmissionStatus::Missing
        } else if t.rejected > 0 {
            SubmissionStatus::PartlyRejected
        } else {
            SubmissionStatus::Submitted
        },
        files: t.files,
        rows: t.rows,
        items: t.items,
        rejected: t.rejected,
    };
    let mut out: Vec<DepartmentStatus> = template
        .departments
        .iter()
        .map(|d| entry(&d.name, tally.remove(&d.name).unwrap_or_default(), true))
        .collect();
    out.extend(tally.into_iter().map(|(name, t)| entry(&name, t, false)));
    Some(out)
}
