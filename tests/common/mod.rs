//! A small fluent harness: write a month's files, run the real binary, read
//! back matrix.json and the xlsx handout.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

use calamine::{Data, Reader, Xlsx, open_workbook};
use rust_xlsxwriter::{Workbook, Worksheet};
use serde_json::Value;

/// Name of the Excel handout.
pub const XLSX: &str = "資料_各分野の現状と課題及び想定される解決策.xlsx";

/// An input folder being written by a test.
pub struct Month {
    dir: tempfile::TempDir,
}

/// The result of running the binary.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub out: PathBuf,
    _out_dir: tempfile::TempDir,
}

impl Month {
    pub fn new() -> Month {
        Month {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Adds a workbook with one sheet of rows (`""` = blank cell).
    pub fn sheet(self, file: &str, sheet: &str, rows: &[&[&str]]) -> Month {
        self.workbook(file, |wb| {
            let ws = wb.add_worksheet();
            ws.set_name(sheet).unwrap();
            write_rows(ws, 0, rows);
        })
    }

    /// Adds a workbook built by `f`.
    pub fn workbook(self, file: &str, f: impl FnOnce(&mut Workbook)) -> Month {
        let mut wb = Workbook::new();
        f(&mut wb);
        wb.save(self.path().join(file)).unwrap();
        self
    }

    /// Adds a raw file.
    pub fn file(self, file: &str, bytes: &[u8]) -> Month {
        std::fs::write(self.path().join(file), bytes).unwrap();
        self
    }

    /// Runs `shiryo build` with extra arguments.
    pub fn build(&self, args: &[&str]) -> Run {
        build_at(self.path(), args)
    }

    /// Runs `shiryo check`.
    pub fn check(&self) -> Run {
        let out_dir = tempfile::tempdir().unwrap();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_shiryo"));
        cmd.arg("check").arg(self.path());
        run(cmd, out_dir.path().join("out"), out_dir)
    }
}

/// Runs `shiryo build INPUT -o (a fresh folder) --date 2026-11-24 ARGS`.
pub fn build_at(input: &Path, args: &[&str]) -> Run {
    let out_dir = tempfile::tempdir().unwrap();
    let out = out_dir.path().join("out");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_shiryo"));
    // Stage times and the workers' peak memory on stderr.
    cmd.env("SHIRYO_TIMING", "1");
    cmd.arg("build").arg(input).arg("-o").arg(&out);
    if !args.contains(&"--date") {
        cmd.args(["--date", "2026-11-24"]);
    }
    cmd.args(args);
    run(cmd, out, out_dir)
}

/// The shipped sample month.
pub fn sample_input() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("input")
}

fn run(mut cmd: Command, out: PathBuf, out_dir: tempfile::TempDir) -> Run {
    let o = cmd.output().unwrap();
    Run {
        code: o.status.code().unwrap_or(-1),
        stdout: shiryo::console::decode_redirected(&o.stdout),
        stderr: shiryo::console::decode_redirected(&o.stderr),
        out,
        _out_dir: out_dir,
    }
}

/// Writes rows of strings starting at `first_row`.
pub fn write_rows(ws: &mut Worksheet, first_row: u32, rows: &[&[&str]]) {
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(first_row + r as u32, c as u16, *v).unwrap();
            }
        }
    }
}

/// Text without white space (pdftotext breaks lines where the PDF does).
pub fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Runs a poppler tool (`pdftotext`, `pdfinfo`, `pdffonts`) on a PDF. On
/// Linux poppler is required (CI installs poppler-utils); in the Windows
/// build under Wine there is none, and the check is skipped with a note.
pub fn poppler(tool: &str, args: &[&str], pdf: &Path) -> Option<String> {
    if cfg!(windows) {
        eprintln!("skipped: {tool} (poppler) does not run in the Windows test build");
        return None;
    }
    let mut cmd = Command::new(tool);
    cmd.args(args).arg(pdf);
    if tool == "pdftotext" {
        cmd.arg("-");
    }
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("{tool} is needed for this test (Debian: poppler-utils): {e}"));
    assert!(
        out.status.success(),
        "{tool} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8(out.stdout).unwrap())
}

/// A flattened matrix item.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub field: String,
    pub column: String,
    pub text: String,
    pub examples: Option<String>,
    pub departments: Vec<String>,
    pub cells: Vec<String>,
}

impl Run {
    pub fn json(&self) -> Value {
        let text = std::fs::read_to_string(self.out.join("matrix.json")).unwrap_or_else(|e| {
            panic!(
                "no matrix.json ({e}); stdout:\n{}\nstderr:\n{}",
                self.stdout, self.stderr
            )
        });
        serde_json::from_str(&text).unwrap()
    }

    pub fn items(&self) -> Vec<Item> {
        let j = self.json();
        let mut out = Vec::new();
        for f in j["fields"].as_array().unwrap() {
            for (col, items) in f["cells"].as_object().unwrap() {
                for it in items.as_array().unwrap() {
                    let sources = it["sources"].as_array().unwrap();
                    out.push(Item {
                        field: f["name"].as_str().unwrap().into(),
                        column: col.clone(),
                        text: it["text"].as_str().unwrap().into(),
                        examples: it["examples"].as_str().map(String::from),
                        departments: sources
                            .iter()
                            .map(|s| s["department"].as_str().unwrap().into())
                            .collect(),
                        cells: sources
                            .iter()
                            .map(|s| s["cell"].as_str().unwrap().into())
                            .collect(),
                    });
                }
            }
        }
        out
    }

    pub fn item(&self, text: &str) -> Item {
        self.items()
            .into_iter()
            .find(|i| i.text == text)
            .unwrap_or_else(|| panic!("no item {text:?} in {:#?}", self.items()))
    }

    pub fn rejected(&self) -> Vec<Value> {
        self.json()["rejected"].as_array().unwrap().clone()
    }

    pub fn skipped(&self) -> Vec<Value> {
        self.json()["skipped"].as_array().unwrap().clone()
    }

    /// A sheet of the Excel handout as rows of strings.
    pub fn xlsx_sheet(&self, name: &str) -> Vec<Vec<String>> {
        let mut wb: Xlsx<_> = open_workbook(self.out.join(XLSX)).unwrap();
        let range = wb.worksheet_range(name).unwrap();
        range
            .rows()
            .map(|r| {
                r.iter()
                    .map(|d| match d {
                        Data::String(s) => s.clone(),
                        Data::Empty => String::new(),
                        other => other.to_string(),
                    })
                    .collect()
            })
            .collect()
    }

    /// The PDF handout's text layer (poppler's `pdftotext -raw`) without
    /// white space; `None` where poppler does not run (Windows).
    pub fn pdf_text(&self) -> Option<String> {
        let pdf = self
            .out
            .join("資料_各分野の現状と課題及び想定される解決策.pdf");
        poppler("pdftotext", &["-raw"], &pdf).map(|t| squash(&t))
    }

    pub fn report(&self) -> String {
        let text = std::fs::read_to_string(self.out.join("report.txt")).unwrap();
        text.strip_prefix('\u{feff}')
            .expect("report.txt starts with a byte order mark")
            .to_string()
    }
}
