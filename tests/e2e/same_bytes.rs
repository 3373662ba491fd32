//! The outputs' bytes do not depend on how the work is spread over cores,
//! and are those the builds before the parallel PDF (issue 20) wrote: the
//! SHA-256 of every output of the sample month and of a 60-page synthetic
//! month, kept in `tests/e2e/golden/output_digests.txt`, were taken from
//! the release build of d404397. The PDF's bytes depend on the font, so
//! the comparison runs with `--font` on Debian's BIZ UD ゴシック (what
//! `.ci/run` installs) and is skipped where that exact file is not.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::common;
use crate::synth::{MonthSpec, write_month};

const FONT: &str = "/usr/share/fonts/truetype/bizud-gothic/BIZUDGothic-Regular.ttf";

/// SHA-256 of every file under `out` (the lock file aside), by path
/// relative to it.
fn digests(out: &Path) -> BTreeMap<String, String> {
    common::all_files(out)
        .into_iter()
        .filter(|(name, _)| name != ".shiryo.lock")
        .map(|(name, bytes)| (name, shiryo::digest::sha256(&bytes)))
        .collect()
}

fn synthetic_month(dir: &Path) {
    let spec = MonthSpec {
        departments: 40,
        rows: 30,
        ..MonthSpec::default()
    };
    write_month(dir, spec).unwrap();
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        let target = to.join(p.file_name().unwrap());
        if p.is_dir() {
            copy_dir(&p, &target);
        } else {
            std::fs::copy(&p, &target).unwrap();
        }
    }
}

/// Builds a month written into `in/` of a fresh folder into `out/` beside
/// it, so that the workbooks' links to the input (`../in`) are the same
/// wherever the tests run.
fn build_beside(
    write: impl FnOnce(&Path),
    args: &[&str],
    env: &[(&str, &str)],
) -> (tempfile::TempDir, common::Run) {
    let root = tempfile::tempdir().unwrap();
    let input = root.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    write(&input);
    let mut all: Vec<&str> = args.to_vec();
    all.extend(["--date", "2026-11-24"]);
    let out = root.path().join("out");
    let run = common::build_into_env(&input, &out, &all, env);
    (root, run)
}

/// Writes a month's files into a folder.
type WriteMonth = dyn Fn(&Path);

fn golden_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/e2e/golden/output_digests.txt")
}

#[test]
fn one_core_or_many_write_the_same_bytes() {
    // With characters the main font lacks, drawn with fallback fonts.
    let month = |dir: &Path| {
        synthetic_month(dir);
        std::fs::write(
            dir.join("企画課.csv"),
            "\u{feff}分野,区分,内容\r\nDX推進,取組済み,☑ 点検表を電子化した ✔ ☐ ✓ ★\r\n",
        )
        .unwrap();
    };
    let (_a, one) = build_beside(month, &[], &[("RAYON_NUM_THREADS", "1")]);
    let (_b, four) = build_beside(month, &[], &[("RAYON_NUM_THREADS", "4")]);
    assert_eq!(one.code, 0, "{}", one.stderr);
    let unlike = |mut d: BTreeMap<String, String>| {
        // The report names the input folder, and the manifest the report.
        d.remove("report.txt");
        d.remove("manifest.json");
        d
    };
    let (a, b) = (unlike(digests(&one.out)), unlike(digests(&four.out)));
    assert!(a.len() >= 5, "{a:?}");
    let pdf = common::poppler(
        "pdfinfo",
        &[],
        &one.out
            .join("資料_各分野の現状と課題及び想定される解決策.pdf"),
    );
    if let Some(info) = pdf {
        let pages: usize = info
            .lines()
            .find_map(|l| l.strip_prefix("Pages:"))
            .and_then(|n| n.trim().parse().ok())
            .unwrap();
        assert!(
            pages > 40,
            "{pages} pages: too few to be drawn in several batches"
        );
    }
    assert_eq!(a, b);
}

#[test]
fn outputs_are_the_bytes_of_the_build_before_the_parallel_pdf() {
    let Ok(font) = std::fs::read(FONT) else {
        eprintln!("skipped: {FONT} is not installed");
        return;
    };
    let sample = |dir: &Path| copy_dir(&common::sample_input(), dir);
    let mut now = vec![format!("font {}", shiryo::digest::sha256(&font))];
    let months: [(&str, &WriteMonth); 2] = [("sample", &sample), ("synthetic", &synthetic_month)];
    for (name, write) in months {
        let (_root, run) = build_beside(write, &["--font", FONT], &[]);
        assert!(run.code <= 1, "{}", run.stderr);
        for (file, digest) in digests(&run.out) {
            // The report names the input folder, and the manifest the report.
            if file != "report.txt" && file != "manifest.json" {
                now.push(format!("{name} {file} {digest}"));
            }
        }
    }
    let now = now.join("\n") + "\n";
    if std::env::var_os("SHIRYO_UPDATE_GOLDEN").is_some() {
        std::fs::write(golden_path(), &now).unwrap();
        return;
    }
    let golden = std::fs::read_to_string(golden_path()).unwrap();
    if golden.lines().next() != now.lines().next() {
        eprintln!("skipped: another version of {FONT} than the golden digests were taken with");
        return;
    }
    assert_eq!(now, golden);
}
