//! Hostile and broken inputs (issue 4): each test puts one bad file beside a
//! good one, runs the real binary and checks that the batch finishes fast,
//! in bounded memory, keeps the good file and reports the bad one.

use crate::common;

use std::io::{Read, Write};
use std::time::{Duration, Instant};

use crate::common::{GOOD as GOOD_TEXT, Month, Run, good};
use rust_xlsxwriter::Workbook;

/// Peak resident memory of any child process so far, in MB (the workers
/// are waited for by the binary, which the test waits for).
#[cfg(unix)]
fn worker_peak_mb(_run: &Run) -> f64 {
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: getrusage only writes into the struct we own.
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    usage.ru_maxrss as f64 / 1024.0
}

/// On Windows a grandchild's memory cannot be read from here: the workers
/// report the most they held (`SHIRYO_TIMING`); a worker stopped by the cap
/// reports nothing, and the file's reason says so.
#[cfg(windows)]
fn worker_peak_mb(run: &Run) -> f64 {
    run.worker_peak_reported_mb()
}

/// Builds the month and checks the common promises; returns the run.
fn run_hostile(month: Month) -> Run {
    let start = Instant::now();
    let run = month.build(&[]);
    let elapsed = start.elapsed();
    assert!(elapsed < Duration::from_secs(5), "took {elapsed:?}");
    let peak = worker_peak_mb(&run);
    assert!(peak < 512.0, "peak memory {peak} MB");
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    run.assert_no_internal_error();
    let item = run.item(GOOD_TEXT);
    assert_eq!(
        item.departments,
        vec!["良い課"],
        "the good file is still in matrix.json"
    );
    run
}

/// The bad file must be failed with a reason containing `needle`; exit 1.
fn assert_failed(run: &Run, file: &str, needle: &str) {
    assert_eq!(run.code, 1, "{}", run.stdout);
    let failed = run.json()["failed"].as_array().unwrap().clone();
    let entry = failed
        .iter()
        .find(|f| f["file"] == file)
        .unwrap_or_else(|| panic!("{file} not failed: {failed:?}\n{}", run.stdout));
    let reason = entry["reason"].as_str().unwrap();
    assert!(reason.contains(needle), "{file}: {reason}");
    let report = run.report();
    assert!(
        report.contains(&format!("  失敗    {file}  {reason}")),
        "{report}"
    );
}

fn xlsx_bytes(rows: &[(u32, u16, &str)]) -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (r, c, v) in rows {
        ws.write_string(*r, *c, *v).unwrap();
    }
    wb.save_to_buffer().unwrap()
}

fn header_rows(text: &str) -> Vec<u8> {
    xlsx_bytes(&[
        (0, 0, "分野"),
        (0, 1, "区分"),
        (0, 2, "内容"),
        (1, 0, "財務"),
        (1, 1, "課題"),
        (1, 2, text),
    ])
}

/// Rewrites a zip with every entry stored (not compressed).
fn restore_uncompressed(bytes: &[u8]) -> Vec<u8> {
    let mut src = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for i in 0..src.len() {
        let mut e = src.by_index(i).unwrap();
        let name = e.name().unwrap().to_string();
        let mut data = Vec::new();
        e.read_to_end(&mut data).unwrap();
        out.start_file(name, stored).unwrap();
        out.write_all(&data).unwrap();
    }
    out.finish().unwrap().into_inner()
}

#[test]
fn truncated_zip() {
    let bytes = header_rows("途中で切れた");
    let run = run_hostile(good(Month::new()).file("切れた課.xlsx", &bytes[..bytes.len() / 2]));
    assert_failed(&run, "切れた課.xlsx", "壊れています");
}

#[test]
fn crc_corrupted_sheet_text_is_a_failed_file_not_wrong_text() {
    let mut bytes = restore_uncompressed(&header_rows("福祉MARKERTEXT"));
    let pos = bytes.windows(10).position(|w| w == b"MARKERTEXT").unwrap();
    bytes[pos] = b'N';
    let run = run_hostile(good(Month::new()).file("化けた課.xlsx", &bytes));
    assert_failed(&run, "化けた課.xlsx", "検査値");
    assert!(run.items().iter().all(|i| !i.text.contains("NARKER")));
}

/// A picture cannot change a text: a thumbnail whose CRC does not match (as
/// in LibreOffice's different-column-width-excel2010.xlsx) does not fail
/// the file, whose sheet passes its own check.
#[test]
fn crc_corrupted_thumbnail_keeps_the_file() {
    let with_thumbnail = common::rewrite_zip(
        &header_rows("縮小画像が傷んだブック。"),
        |_, _| None,
        &[("docProps/thumbnail.wmf", b"THUMBNAIL-PICTURE")],
    );
    let mut bytes = restore_uncompressed(&with_thumbnail);
    let pos = bytes.windows(9).position(|w| w == b"THUMBNAIL").unwrap();
    bytes[pos] = b'X';
    let run = run_hostile(good(Month::new()).file("画像課.xlsx", &bytes));
    assert_eq!(run.code, 0, "{}", run.stdout);
    let item = run.item("縮小画像が傷んだブック。");
    assert_eq!(
        (item.field.as_str(), item.column.as_str(), item.cells),
        ("財務", "issues", vec!["C2".to_string()])
    );
}

#[test]
fn stray_cell_at_xfd1048576_is_read_cheaply_and_reported() {
    let bytes = xlsx_bytes(&[
        (0, 0, "分野"),
        (0, 1, "区分"),
        (0, 2, "内容"),
        (1, 0, "財務"),
        (1, 1, "課題"),
        (1, 2, "遠くにセルがある。"),
        (1_048_575, 16_383, "x"),
    ]);
    let run = run_hostile(good(Month::new()).file("遠い課.xlsx", &bytes));
    assert_eq!(run.code, 0, "{}", run.stdout);
    run.item("遠くにセルがある。");
    assert!(
        run.skipped()
            .iter()
            .any(|s| s["file"] == "遠い課.xlsx" && s["cell"] == "XFD1048576"),
        "the stray value is reported: {:?}",
        run.skipped()
    );
}

#[test]
fn one_gib_white_space_bomb() {
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1))
        .large_file(true);
    out.start_file("[Content_Types].xml", opts).unwrap();
    out.write_all(br#"<Types><Override ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>"#)
        .unwrap();
    out.start_file("xl/worksheets/sheet1.xml", opts).unwrap();
    let spaces = vec![b' '; 1 << 20];
    for _ in 0..1024 {
        out.write_all(&spaces).unwrap();
    }
    let bytes = out.finish().unwrap().into_inner();
    assert!(
        bytes.len() < 16 << 20,
        "the bomb itself is small: {}",
        bytes.len()
    );
    let run = run_hostile(good(Month::new()).file("爆弾課.xlsx", &bytes));
    assert_failed(&run, "爆弾課.xlsx", "異常に大きく");
}

#[test]
fn ods_row_repeat_bomb() {
    let content = r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="S"><table:table-row table:number-rows-repeated="1000"><table:table-cell table:number-columns-repeated="16384" office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#;
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    out.start_file("mimetype", stored).unwrap();
    out.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    out.start_file("META-INF/manifest.xml", stored).unwrap();
    out.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#).unwrap();
    out.start_file("content.xml", stored).unwrap();
    out.write_all(content.as_bytes()).unwrap();
    let bytes = out.finish().unwrap().into_inner();
    assert!(bytes.len() < 2048, "a tiny file: {}", bytes.len());
    // 16 M written cells once expanded: read sparsely, the cell limit stops
    // it long before memory runs short.
    let run = run_hostile(good(Month::new()).file("爆弾課.ods", &bytes));
    assert_failed(&run, "爆弾課.ods", "セルが多すぎます");
}

/// A BIFF8 workbook whose DIMENSIONS record claims billions of cells, with
/// the given text cells (row, column, text).
fn absurd_xls(cells: &[(u16, u16, &str)]) -> Vec<u8> {
    common::Xls::new(cells).absurd_dimensions().bytes()
}

#[test]
fn xls_with_an_absurd_dimension_record_is_read_sparsely() {
    // Cells at A1 and far away at IV65536 as well: the used range spans the
    // whole sheet, and only the four written cells may cost memory.
    let xls = absurd_xls(&[
        (0, 0, "分野"),
        (0, 1, "区分"),
        (0, 2, "内容"),
        (1, 0, "財務"),
        (1, 1, "課題"),
        (1, 2, "古い形式でも読める。"),
        (65535, 255, "隅のセル"),
    ]);
    let run = run_hostile(good(Month::new()).file("巨大課.xls", &xls));
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(run.item("古い形式でも読める。").departments, vec!["巨大課"]);
    assert!(
        run.skipped()
            .iter()
            .any(|s| s["file"] == "巨大課.xls" && s["cell"] == "IV65536"),
        "the far cell is reported: {:?}",
        run.skipped()
    );
}

#[test]
fn a_file_that_needs_too_much_memory_stops_at_the_cap() {
    // The worker's test hook holds 600 MiB while it reads this file, as a
    // parser would on a file that needs too much memory.
    let month = good(Month::new()).file("重い課.xlsx", &header_rows("重い。"));
    let start = Instant::now();
    let run = month.build_with_env(&[(shiryo::ingest::worker::TEST_ALLOCATE, "重い課.xlsx:600")]);
    assert!(start.elapsed() < Duration::from_secs(10));
    assert_failed(&run, "重い課.xlsx", "メモリの上限を超えました");
    assert_eq!(run.item(GOOD_TEXT).departments, vec!["良い課"]);
}

#[test]
fn html_named_xls() {
    let html = "<html><head><meta charset=utf-8></head><body><table><tr><td>分野</td></tr></table></body></html>";
    let run = run_hostile(good(Month::new()).file("出力課.xls", html.as_bytes()));
    assert_failed(&run, "出力課.xls", "HTML 形式");
    assert!(
        run.report().contains("Excel ブック (*.xlsx)"),
        "says how to re-save"
    );
}

#[test]
fn csv_named_xlsx_is_read_with_a_note() {
    let csv = "分野,区分,内容\n人材,課題,名前だけ xlsx の CSV。\n";
    let run = run_hostile(good(Month::new()).file("名前違い課.xlsx", csv.as_bytes()));
    assert_eq!(run.code, 0, "{}", run.stdout);
    run.item("名前だけ xlsx の CSV。");
    assert!(
        run.stdout.contains("拡張子は .xlsx ですが中身はCSVでした"),
        "{}",
        run.stdout
    );
}

#[test]
fn xlsx_named_xls_is_read_with_a_note() {
    let run = run_hostile(good(Month::new()).file("名前違い課.xls", &header_rows("中身は xlsx。")));
    assert_eq!(run.code, 0, "{}", run.stdout);
    run.item("中身は xlsx。");
    assert!(
        run.stdout.contains("中身はExcel（.xlsx）でした"),
        "{}",
        run.stdout
    );
}

#[test]
fn zero_byte_file() {
    let run = run_hostile(good(Month::new()).file("空の課.xlsx", b""));
    assert_failed(&run, "空の課.xlsx", "空のファイル");
}

#[test]
fn encrypted_package() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("e.xlsx");
    let mut cf = cfb::create(&path).unwrap();
    cf.create_stream("/EncryptionInfo")
        .unwrap()
        .write_all(&[4, 0, 4, 0, 0x40, 0, 0, 0])
        .unwrap();
    cf.create_stream("/EncryptedPackage")
        .unwrap()
        .write_all(&[0u8; 512])
        .unwrap();
    cf.flush().unwrap();
    drop(cf);
    let run = run_hostile(good(Month::new()).file("秘密課.xlsx", &std::fs::read(path).unwrap()));
    assert_failed(&run, "秘密課.xlsx", "パスワード");
}

#[test]
fn formula_like_text_is_written_as_text() {
    let month = good(Month::new()).sheet(
        "式課.xlsx",
        "回答",
        &[
            &["分野", "区分", "内容"],
            &["経営", "課題", "=1+1"],
            &["経営", "課題", "@SUM(A1)"],
        ],
    );
    let run = month.build(&[]);
    let detail = run.xlsx_sheet("明細");
    assert!(
        detail.iter().any(|r| r[2] == "=1+1"),
        "kept as the text =1+1"
    );
    assert!(detail.iter().any(|r| r[2] == "@SUM(A1)"));
}

#[test]
fn unwritable_output_is_exit_2_and_keeps_the_previous_handout() {
    let month = good(Month::new());
    let first = month.build(&[]);
    assert_eq!(first.code, 0);
    let xlsx = first.out.join(common::XLSX);
    let before = std::fs::read(&xlsx).unwrap();
    // A folder in place of the JSON output cannot be replaced by a file.
    std::fs::remove_file(first.out.join("matrix.json")).unwrap();
    std::fs::create_dir(first.out.join("matrix.json")).unwrap();
    let again = std::process::Command::new(common::exe())
        .arg("build")
        .arg(month.path())
        .arg("-o")
        .arg(&first.out)
        .args(["--date", "2026-12-01"])
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(2));
    assert!(shiryo::console::decode_redirected(&again.stderr).contains("書き込めません"));
    assert_eq!(
        std::fs::read(&xlsx).unwrap(),
        before,
        "the previous handout is intact"
    );
    let leftovers: Vec<_> = std::fs::read_dir(&first.out)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(".shiryo-"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "no temporary files left: {leftovers:?}"
    );

    let missing = std::process::Command::new(common::exe())
        .arg("build")
        .arg(month.path())
        .args(["-o", "/nonexistent/parent/out"])
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
}
