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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{Failed, FileError, Ingested, KindSpec, Located, RawEntry};
    use crate::template::DepartmentDef;
    use crate::vocab::{ColumnKey, SECRETARIAT};

    /// The built-in template with a roster of five departments, 総務課
    /// also written 総務部総務課.
    fn roster() -> Template {
        let department = |name: &str, aliases: &[&str]| DepartmentDef {
            name: name.into(),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
        };
        Template {
            departments: vec![
                department("総務課", &["総務部総務課"]),
                department("財政課", &[]),
                department("企画課", &[]),
                department("人事課", &[]),
                department("広報課", &[]),
            ],
            ..Template::default()
        }
    }

    /// A long-layout row of `file` written by `department`.
    fn row(file: &str, department: &str, r: u32, field: &str, content: &str) -> RawRow {
        RawRow {
            file: file.into(),
            sheet: Some("提出".into()),
            sheet_index: 0,
            row: r,
            department: department.into(),
            field: Located {
                value: field.into(),
                cell: format!("A{r}"),
            },
            entries: vec![RawEntry {
                kind: KindSpec::Cell(Located {
                    value: "課題".into(),
                    cell: format!("B{r}"),
                }),
                content: Located {
                    value: content.into(),
                    cell: format!("C{r}"),
                },
                examples: None,
            }],
        }
    }

    fn read(name: &str, departments: &[&str], rows: usize) -> FileRecord {
        FileRecord {
            name: name.into(),
            size: 0,
            sha256: String::new(),
            status: FileStatus::Read {
                departments: departments.iter().map(|d| d.to_string()).collect(),
                rows,
                kind: "Excel",
                note: None,
            },
            corrections: false,
        }
    }

    fn failed(name: &str, department: &str) -> (FileRecord, Failed) {
        let record = FileRecord {
            name: name.into(),
            size: 0,
            sha256: String::new(),
            status: FileStatus::Failed(FileError::Empty),
            corrections: department == SECRETARIAT,
        };
        let failed = Failed {
            file: name.into(),
            department: department.into(),
            reason: FileError::Empty,
        };
        (record, failed)
    }

    /// The 提出状況 of a folder read as `ing`, as `run` makes it.
    fn status_of(ing: Ingested, template: &Template) -> Option<Vec<DepartmentStatus>> {
        let files = ing.files.clone();
        let rows = rows_by_department(&ing.rows, template);
        let m = crate::matrix::build(ing, template);
        status(&files, &rows, &m, template)
    }

    use crate::matrix::test_support::department as expect;

    #[test]
    fn no_roster_no_table() {
        let ing = Ingested {
            rows: vec![row("総務課.xlsx", "総務課", 2, "財務", "一")],
            files: vec![read("総務課.xlsx", &["総務課"], 1)],
            ..Ingested::default()
        };
        assert_eq!(status_of(ing, &Template::default()), None);
    }

    #[test]
    fn rows_are_counted_under_the_template_name() {
        let t = roster();
        let rows = vec![
            row("a.xlsx", "総務部総務課", 2, "財務", "一"),
            row("a.xlsx", "総務課", 3, "財務", "二"),
            row("a.xlsx", "総務部 総務課", 4, "財務", "三"),
            row("b.xlsx", "土木部土木課", 2, "財務", "四"),
        ];
        let got = rows_by_department(&rows, &t);
        let want: BTreeMap<String, usize> =
            [("総務課".to_string(), 3), ("土木部土木課".to_string(), 1)].into();
        assert_eq!(got, want);
    }

    #[test]
    fn every_roster_department_gets_its_status() {
        let t = roster();
        let (kikaku, kikaku_failed) = failed("企画課.xlsx", "企画課");
        let (koho2, koho2_failed) = failed("広報課2.xlsx", "広報課");
        let (edits, edits_failed) = failed("事務局修正.xlsx", SECRETARIAT);
        let minutes = read("会議録.docx", &[COUNCIL], 1);
        let mut council = row("会議録.docx", COUNCIL, 1, "財務", "委員の意見");
        council.sheet = None;
        council.entries[0].kind = KindSpec::Fixed(ColumnKey::Council);
        let skipped = FileRecord {
            status: FileStatus::Skipped("隠しファイルです。".into()),
            ..read(".人事課.xlsx", &[], 0)
        };
        let ing = Ingested {
            rows: vec![
                // Two items from one row, under the roster's other name.
                row("総務部総務課.xlsx", "総務部総務課", 2, "財務", "・一\n・二"),
                // The same item as 総務課's: merged, still one each.
                row("財政課.xlsx", "財政課", 2, "財務", "一"),
                row("財政課.xlsx", "財政課", 3, "観光", "却下される"),
                row("広報課.xlsx", "広報課", 2, "DX推進", "広報"),
                row("広報課.xlsx", "広報課", 3, "", "分野が空欄"),
                row("土木課.xlsx", "土木課", 2, "財務", "土木"),
                row("下水道課.xlsx", "下水道課", 2, "財務", "下水"),
                council,
            ],
            files: vec![
                read("総務部総務課.xlsx", &["総務部総務課"], 1),
                read("財政課.xlsx", &["財政課"], 2),
                kikaku,
                read("広報課.xlsx", &["広報課"], 2),
                koho2,
                // Off the roster: listed by name, not in file order.
                read("土木課.xlsx", &["土木課"], 1),
                read("下水道課.xlsx", &["下水道課"], 1),
                minutes,
                edits,
                skipped,
            ],
            failed: vec![kikaku_failed, koho2_failed, edits_failed],
            ..Ingested::default()
        };
        let got = status_of(ing, &t).expect("a roster");
        use SubmissionStatus as S;
        let want = vec![
            expect("総務課", S::Submitted, &["総務部総務課.xlsx"], (1, 2, 0)),
            expect("財政課", S::PartlyRejected, &["財政課.xlsx"], (2, 1, 1)),
            expect("企画課", S::Failed, &["企画課.xlsx"], (0, 0, 0)),
            // A missing department is listed with nothing.
            expect("人事課", S::Missing, &[], (0, 0, 0)),
            // One file read with a rejected row, one failed: 読込失敗 wins.
            expect(
                "広報課",
                S::Failed,
                &["広報課.xlsx", "広報課2.xlsx"],
                (2, 1, 1),
            ),
            expect("下水道課", S::NotOnRoster, &["下水道課.xlsx"], (1, 1, 0)),
            expect("土木課", S::NotOnRoster, &["土木課.xlsx"], (1, 1, 0)),
        ];
        assert_eq!(got, want);
    }

    #[test]
    fn a_file_listed_twice_for_a_department_is_one_file() {
        let t = roster();
        // A workbook with two sheets of the same department, one of them
        // written with the roster's other name.
        let ing = Ingested {
            rows: vec![row("総務課.xlsx", "総務課", 2, "財務", "一")],
            files: vec![read("総務課.xlsx", &["総務課", "総務部総務課"], 1)],
            ..Ingested::default()
        };
        let got = status_of(ing, &t).unwrap();
        assert_eq!(
            got[0],
            expect(
                "総務課",
                SubmissionStatus::Submitted,
                &["総務課.xlsx"],
                (1, 1, 0)
            )
        );
        assert_eq!(got.len(), 5, "only the roster: {got:?}");
    }

    #[test]
    fn a_failed_file_off_the_roster_is_off_the_roster() {
        let t = roster();
        let (record, f) = failed("土木課.xlsx", "土木課");
        let ing = Ingested {
            files: vec![record],
            failed: vec![f],
            ..Ingested::default()
        };
        let got = status_of(ing, &t).unwrap();
        assert_eq!(
            got.last(),
            Some(&expect(
                "土木課",
                SubmissionStatus::NotOnRoster,
                &["土木課.xlsx"],
                (0, 0, 0)
            ))
        );
    }
}
