//! A small fluent harness: write a month's files, run the real binary, read
//! back matrix.json and the xlsx handout.

use std::path::{Path, PathBuf};
use std::process::Command;

use calamine::{Data, Reader, Xlsx, open_workbook};
use rust_xlsxwriter::{Workbook, Worksheet};
use serde_json::Value;

/// Name of the Excel handout.
pub const XLSX: &str = "資料_各分野の現状と課題及び想定される解決策.xlsx";
/// Name of the PDF handout.
pub const PDF: &str = "資料_各分野の現状と課題及び想定される解決策.pdf";

/// The program under test: this build's binary, or `SHIRYO_TEST_EXE` (the
/// Windows smoke test runs the suite against the release shiryo.exe, the
/// one clerks get).
pub fn exe() -> PathBuf {
    std::env::var_os("SHIRYO_TEST_EXE")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_shiryo")))
}

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

    /// Runs `shiryo build` with extra environment variables.
    pub fn build_with_env(&self, env: &[(&str, &str)]) -> Run {
        build_env(self.path(), &[], env)
    }

    /// Runs `shiryo check`.
    pub fn check(&self) -> Run {
        let out_dir = tempfile::tempdir().unwrap();
        let mut cmd = Command::new(exe());
        cmd.arg("check").arg(self.path());
        run(cmd, out_dir.path().join("out"), out_dir)
    }
}

/// Runs `shiryo build INPUT -o (a fresh folder) --date 2026-11-24 ARGS`.
pub fn build_at(input: &Path, args: &[&str]) -> Run {
    build_env(input, args, &[])
}

/// Runs `shiryo build INPUT -o OUT --date 2026-11-24 ARGS` into a given folder.
pub fn build_into(input: &Path, out: &Path, args: &[&str]) -> Run {
    build_into_env(input, out, args, &[])
}

/// [`build_into`] with more environment variables.
pub fn build_into_env(input: &Path, out: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(exe());
    cmd.envs(env.iter().copied());
    cmd.arg("build").arg(input).arg("-o").arg(out);
    if !args.contains(&"--date") {
        cmd.args(["--date", "2026-11-24"]);
    }
    cmd.args(args);
    run(cmd, out.to_path_buf(), tempfile::tempdir().unwrap())
}

/// The cells of a sheet of any workbook, as text.
pub fn read_sheet(path: &Path, name: &str) -> Vec<Vec<String>> {
    let mut wb: Xlsx<_> = open_workbook(path).unwrap();
    let range = wb.worksheet_range(name).unwrap();
    range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

/// The sheet names of a workbook, in order.
pub fn sheet_names(path: &Path) -> Vec<String> {
    let wb: Xlsx<_> = open_workbook(path).unwrap();
    wb.sheet_names()
}

/// The text of one entry of a zip package (an .xlsx part).
pub fn unzip_text(path: &Path, entry: &str) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut text = String::new();
    zip.by_name(entry)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

fn build_env(input: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let out_dir = tempfile::tempdir().unwrap();
    let out = out_dir.path().join("out");
    let mut cmd = Command::new(exe());
    // Stage times and the workers' peak memory on stderr.
    cmd.env("SHIRYO_TIMING", "1");
    cmd.envs(env.iter().copied());
    cmd.arg("build").arg(input).arg("-o").arg(&out);
    if !args.contains(&"--date") {
        cmd.args(["--date", "2026-11-24"]);
    }
    cmd.args(args);
    run(cmd, out, out_dir)
}

/// The text of the one item of [`good`]'s file.
pub const GOOD: &str = "良いファイルの項目。";

/// Adds a good workbook with one item ([`GOOD`]) beside whatever a test
/// puts in the month: it must come through whatever else fails.
pub fn good(month: Month) -> Month {
    month.sheet(
        "良い課.xlsx",
        "回答",
        &[&["分野", "区分", "内容"], &["経営", "課題", GOOD]],
    )
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

/// A BIFF8 .xls written record by record (the way Excel 97–2003 stores
/// one), with the quirks real files have.
pub struct Xls {
    cells: Vec<(u16, u16, String)>,
    absurd_dimensions: bool,
    filepass: bool,
    extra_streams: Vec<String>,
}

impl Xls {
    /// One visible worksheet named Sheet1 with these text cells.
    pub fn new(cells: &[(u16, u16, &str)]) -> Xls {
        Xls {
            cells: cells
                .iter()
                .map(|(r, c, t)| (*r, *c, t.to_string()))
                .collect(),
            absurd_dimensions: false,
            filepass: false,
            extra_streams: Vec::new(),
        }
    }

    /// A DIMENSIONS record claiming billions of cells.
    pub fn absurd_dimensions(mut self) -> Xls {
        self.absurd_dimensions = true;
        self
    }

    /// A FILEPASS record: XOR obfuscation, the oldest password protection.
    pub fn xor_protected(mut self) -> Xls {
        self.filepass = true;
        self
    }

    /// Another stream in the compound file (`/MBD0001/WordDocument`: an
    /// embedded Word document).
    pub fn stream(mut self, path: &str) -> Xls {
        self.extra_streams.push(path.to_string());
        self
    }

    pub fn bytes(&self) -> Vec<u8> {
        use std::io::Write;
        fn rec(out: &mut Vec<u8>, typ: u16, data: &[u8]) {
            out.extend(typ.to_le_bytes());
            out.extend((data.len() as u16).to_le_bytes());
            out.extend(data);
        }
        let bof = |dt: u16| {
            let mut d = vec![0x00, 0x06];
            d.extend(dt.to_le_bytes());
            d.extend([0xBB, 0x0D, 0xCC, 0x07, 0, 0, 0, 0, 0x06, 0, 0, 0]);
            d
        };
        let name = b"Sheet1";
        let mut globals = Vec::new();
        rec(&mut globals, 0x0809, &bof(0x0005));
        if self.filepass {
            // wEncryptionType 0 (XOR), key and verifier.
            rec(&mut globals, 0x002F, &[0, 0, 0x34, 0x12, 0x78, 0x56]);
        }
        let boundsheet_len = 4 + 8 + name.len();
        let sheet_offset = (globals.len() + boundsheet_len + 4) as u32;
        let mut bs = sheet_offset.to_le_bytes().to_vec();
        bs.extend([0, 0, name.len() as u8, 0]);
        bs.extend(name);
        rec(&mut globals, 0x0085, &bs);
        rec(&mut globals, 0x000A, &[]);
        assert_eq!(globals.len() as u32, sheet_offset);
        rec(&mut globals, 0x0809, &bof(0x0010));
        let mut dims = 0u32.to_le_bytes().to_vec();
        let last_row: u32 = if self.absurd_dimensions {
            0xFFFF_0000
        } else {
            100
        };
        dims.extend(last_row.to_le_bytes());
        dims.extend([0, 0, 0xFF, 0, 0, 0]);
        rec(&mut globals, 0x0200, &dims);
        for (r, c, text) in &self.cells {
            // LABEL: row, column, XF, then a 16-bit-character string.
            let mut d = r.to_le_bytes().to_vec();
            d.extend(c.to_le_bytes());
            d.extend([0, 0]);
            d.extend((text.encode_utf16().count() as u16).to_le_bytes());
            d.push(1);
            d.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
            rec(&mut globals, 0x0204, &d);
        }
        rec(&mut globals, 0x000A, &[]);

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.xls");
        let mut cf = cfb::create(&path).unwrap();
        cf.create_stream("/Workbook")
            .unwrap()
            .write_all(&globals)
            .unwrap();
        for s in &self.extra_streams {
            if let Some((storage, _)) = s.rsplit_once('/').filter(|(d, _)| !d.is_empty()) {
                cf.create_storage_all(storage).unwrap();
            }
            cf.create_stream(s).unwrap().write_all(&[0u8; 600]).unwrap();
        }
        cf.flush().unwrap();
        drop(cf);
        std::fs::read(path).unwrap()
    }
}

/// A zip package rewritten: `edit(name, bytes)` returns new bytes for an
/// entry (or `None` to keep it), `extra` entries are added at the end.
pub fn rewrite_zip(
    bytes: &[u8],
    edit: impl Fn(&str, &[u8]) -> Option<Vec<u8>>,
    extra: &[(&str, &[u8])],
) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut src = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    for i in 0..src.len() {
        let mut e = src.by_index(i).unwrap();
        let name = e.name().unwrap().to_string();
        let mut data = Vec::new();
        e.read_to_end(&mut data).unwrap();
        let data = edit(&name, &data).unwrap_or(data);
        out.start_file(name, opts).unwrap();
        out.write_all(&data).unwrap();
    }
    for (name, data) in extra {
        out.start_file(*name, opts).unwrap();
        out.write_all(data).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// A .docx with these paragraphs (word/document.xml and its package parts).
pub fn docx(paragraphs: &[&str]) -> Vec<u8> {
    use std::io::Write;
    let body = paragraphs
        .iter()
        .map(|t| format!("<w:p><w:r><w:t>{t}</w:t></w:r></w:p>"))
        .collect::<String>();
    let xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
    );
    let mut buf = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut buf);
    let opts = zip::write::SimpleFileOptions::default();
    zip.start_file("[Content_Types].xml", opts).unwrap();
    zip.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#).unwrap();
    zip.start_file("_rels/.rels", opts).unwrap();
    zip.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#).unwrap();
    zip.start_file("word/document.xml", opts).unwrap();
    zip.write_all(xml.as_bytes()).unwrap();
    zip.finish().unwrap();
    buf.into_inner()
}

impl Run {
    /// The workers' peak memory (MB) reported with `SHIRYO_TIMING`.
    pub fn worker_peak_reported_mb(&self) -> f64 {
        self.stderr
            .lines()
            .find_map(|l| l.trim().strip_prefix("worker peak:"))
            .and_then(|v| v.trim().trim_end_matches("MB").trim().parse().ok())
            .expect("SHIRYO_TIMING prints the workers' peak")
    }

    /// The reasons of the failed files, by name.
    pub fn failed(&self) -> Vec<(String, String)> {
        self.json()["failed"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["file"].as_str().unwrap().to_string(),
                    f["reason"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    }

    /// No file failed for a bug of ours (SPEC §7.4): the suites fail on it.
    pub fn assert_no_internal_error(&self) {
        for (file, reason) in self.failed() {
            assert!(!reason.contains("内部エラー"), "{file}: {reason}");
        }
    }
}

/// Types values into blank cells of a sheet of an .xlsx, as a department
/// filling in the form does.
pub fn fill(xlsx: &[u8], sheet: &str, values: &[(&str, &str)]) -> Vec<u8> {
    rewrite_zip(
        xlsx,
        |name, data| {
            (name == sheet).then(|| {
                let mut xml = String::from_utf8_lossy(data).into_owned();
                for (cell, value) in values {
                    let value = value.replace('&', "&amp;").replace('<', "&lt;");
                    let start = xml.find(&format!("<c r=\"{cell}\"")).expect("a blank input cell");
                    let end = start + xml[start..].find("/>").unwrap() + 2;
                    let style = xml[start..end].trim_end_matches("/>").to_string();
                    xml.replace_range(
                        start..end,
                        &format!("{style} t=\"inlineStr\"><is><t xml:space=\"preserve\">{value}</t></is></c>"),
                    );
                }
                xml.into_bytes()
            })
        },
        &[],
    )
}

/// A zip package of these entries, in this order.
pub fn zip_package(entries: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write;
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    for (name, data) in entries {
        out.start_file(*name, opts).unwrap();
        out.write_all(data).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// One sheet of [`xlsb`]: name, visible, text cells (row, column, text;
/// 0-based).
pub type XlsbSheet<'a> = (&'a str, bool, &'a [(u32, u32, &'a str)]);

/// An Excel binary workbook (.xlsb, MS-XLSB) with these sheets. The first row's texts
/// go through the shared string table, the others are inline strings, as
/// Excel writes both.
pub fn xlsb(sheets: &[XlsbSheet]) -> Vec<u8> {
    fn record(out: &mut Vec<u8>, typ: u16, body: &[u8]) {
        if typ < 0x80 {
            out.push(typ as u8);
        } else {
            out.extend([(typ & 0x7F) as u8 | 0x80, (typ >> 7) as u8]);
        }
        let mut len = body.len();
        loop {
            let b = (len & 0x7F) as u8;
            len >>= 7;
            out.push(if len > 0 { b | 0x80 } else { b });
            if len == 0 {
                break;
            }
        }
        out.extend_from_slice(body);
    }
    fn wide(s: &str) -> Vec<u8> {
        let units: Vec<u16> = s.encode_utf16().collect();
        let mut b = (units.len() as u32).to_le_bytes().to_vec();
        b.extend(units.iter().flat_map(|u| u.to_le_bytes()));
        b
    }
    let mut strings: Vec<String> = Vec::new();
    let mut parts: Vec<(String, Vec<u8>)> = Vec::new();
    let mut book = Vec::new();
    record(&mut book, 0x83, &[]); // BrtBeginBook
    record(&mut book, 0x8F, &[]); // BrtBeginBundleShs
    let mut rels = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    );
    for (i, (name, visible, cells)) in sheets.iter().enumerate() {
        let n = i + 1;
        let mut bundle = (if *visible { 0u32 } else { 1 }).to_le_bytes().to_vec();
        bundle.extend((n as u32).to_le_bytes());
        bundle.extend(wide(&format!("rId{n}")));
        bundle.extend(wide(name));
        record(&mut book, 0x9C, &bundle); // BrtBundleSh
        rels.push_str(&format!(
            r#"<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{n}.bin"/>"#
        ));
        let mut sheet = Vec::new();
        record(&mut sheet, 0x81, &[]); // BrtBeginSheet
        let last_row = cells.iter().map(|c| c.0).max().unwrap_or(0);
        let last_col = cells.iter().map(|c| c.1).max().unwrap_or(0);
        let dim: Vec<u8> = [0, last_row, 0, last_col]
            .iter()
            .flat_map(|v| v.to_le_bytes())
            .collect();
        record(&mut sheet, 0x94, &dim); // BrtWsDim
        record(&mut sheet, 0x91, &[]); // BrtBeginSheetData
        let mut sorted = cells.to_vec();
        sorted.sort_by_key(|c| (c.0, c.1));
        let mut row = None;
        for (r, c, text) in sorted {
            if row != Some(r) {
                row = Some(r);
                let mut hdr = r.to_le_bytes().to_vec();
                hdr.extend([0u8; 13]);
                record(&mut sheet, 0x00, &hdr); // BrtRowHdr
            }
            let mut cell = c.to_le_bytes().to_vec();
            cell.extend([0u8; 4]); // iStyleRef and flags
            if r == 0 {
                cell.extend((strings.len() as u32).to_le_bytes());
                strings.push(text.to_string());
                record(&mut sheet, 0x07, &cell); // BrtCellIsst
            } else {
                cell.extend(wide(text));
                record(&mut sheet, 0x06, &cell); // BrtCellSt
            }
        }
        record(&mut sheet, 0x92, &[]); // BrtEndSheetData
        record(&mut sheet, 0x82, &[]); // BrtEndSheet
        parts.push((format!("xl/worksheets/sheet{n}.bin"), sheet));
    }
    record(&mut book, 0x90, &[]); // BrtEndBundleShs
    record(&mut book, 0x84, &[]); // BrtEndBook
    rels.push_str(r#"<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.bin"/></Relationships>"#);
    let mut sst = Vec::new();
    let count = (strings.len() as u32).to_le_bytes();
    record(&mut sst, 0x9F, &[count, count].concat()); // BrtBeginSst
    for s in &strings {
        let mut item = vec![0u8];
        item.extend(wide(s));
        record(&mut sst, 0x13, &item); // BrtSSTItem
    }
    record(&mut sst, 0xA0, &[]); // BrtEndSst
    let types = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="bin" ContentType="application/vnd.ms-excel.sheet.binary.macroEnabled.main"/><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Override PartName="/xl/worksheets/sheet1.bin" ContentType="application/vnd.ms-excel.worksheet"/><Override PartName="/xl/sharedStrings.bin" ContentType="application/vnd.ms-excel.sharedStrings"/></Types>"#;
    let root_rels = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.bin"/></Relationships>"#;
    let mut entries: Vec<(&str, &[u8])> = vec![
        ("[Content_Types].xml", types.as_bytes()),
        ("_rels/.rels", root_rels.as_bytes()),
        ("xl/workbook.bin", &book),
        ("xl/_rels/workbook.bin.rels", rels.as_bytes()),
        ("xl/sharedStrings.bin", &sst),
    ];
    for (name, data) in &parts {
        entries.push((name, data));
    }
    zip_package(&entries)
}

/// The files under `dir` (sub-folders included) by their relative path
/// with `/`, and their bytes.
pub fn all_files(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let path = e.path();
            if path.is_dir() {
                todo.push(path);
            } else {
                let rel = path.strip_prefix(dir).unwrap();
                let name = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                out.insert(name, std::fs::read(&path).unwrap());
            }
        }
    }
    out
}
