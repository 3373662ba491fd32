//! Whole outputs of the sample month, compared byte for byte with files
//! kept in `tests/e2e/golden/`: report.txt (with the input folder written
//! as `input`), matrix.json and 資料.html. A deliberate change of either is made by
//! regenerating them — `SHIRYO_UPDATE_GOLDEN=1 cargo test golden` — and
//! reading the diff before committing it.

use std::path::{Path, PathBuf};

use crate::common;

fn golden(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/e2e/golden")
        .join(name)
}

fn compare(name: &str, actual: &[u8]) {
    let path = golden(name);
    if std::env::var_os("SHIRYO_UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read(&path)
        .unwrap_or_else(|e| panic!("{} ({e}): run with SHIRYO_UPDATE_GOLDEN=1", path.display()));
    if expected != actual {
        let (e, a) = (
            String::from_utf8_lossy(&expected),
            String::from_utf8_lossy(actual),
        );
        let first = e
            .lines()
            .zip(a.lines())
            .position(|(x, y)| x != y)
            .unwrap_or(e.lines().count().min(a.lines().count()));
        panic!(
            "{name} differs from the golden file at line {}:\n  golden: {:?}\n  now:    {:?}\n(if the change is intended: SHIRYO_UPDATE_GOLDEN=1 cargo test golden)",
            first + 1,
            e.lines().nth(first),
            a.lines().nth(first)
        );
    }
}

#[test]
fn sample_month_report_matrix_and_page_are_the_golden_ones() {
    let input = common::sample_input();
    let run = common::build_at(&input, &[]);
    assert_eq!(run.code, 1, "the sample has one rejected row");
    let report = std::fs::read(run.out.join("report.txt")).unwrap();
    let report = String::from_utf8(report)
        .unwrap()
        .replace(&input.display().to_string(), "input");
    compare("sample_report.txt", report.as_bytes());
    compare(
        "sample_matrix.json",
        &std::fs::read(run.out.join("matrix.json")).unwrap(),
    );
    compare(
        "sample_handout.html",
        &std::fs::read(run.out.join("資料.html")).unwrap(),
    );
}

/// The handout workbook's own XML (its sheets, strings and styles) — the
/// 資料 sheet's row heights and column widths, the 明細 rows, the 集計
/// counts and the 提出状況 table — compared part by part. The links'
/// relationship files are left out: they hold the path from the output
/// folder to the input folder, which differs between runs of the tests.
#[test]
fn sample_month_workbook_parts_are_the_golden_ones() {
    if cfg!(windows) {
        // Under Wine the test's output folder is on C: and the input on Z:,
        // so 明細 has no relative links (and no link style): the Windows
        // bytes are compared with Linux's by .ci/windows-smoke instead,
        // from the same folder names.
        eprintln!("skipped: the links depend on the drives of the test folders");
        return;
    }
    let run = common::build_at(&common::sample_input(), &[]);
    let xlsx = run.out.join(common::XLSX);
    let names: Vec<String> = {
        let mut zip = zip::ZipArchive::new(std::fs::File::open(&xlsx).unwrap()).unwrap();
        (0..zip.len())
            .map(|i| zip.by_index(i).unwrap().name().unwrap().to_string())
            .filter(|n| {
                n.starts_with("xl/worksheets/sheet")
                    || n == "xl/sharedStrings.xml"
                    || n == "xl/styles.xml"
                    || n == "xl/workbook.xml"
            })
            .collect()
    };
    assert!(names.len() >= 6, "{names:?}");
    let mut sorted = names;
    sorted.sort();
    for name in sorted {
        let golden_name = format!("sample_xlsx/{}", name.replace('/', "_"));
        compare(&golden_name, common::unzip_text(&xlsx, &name).as_bytes());
    }
}
