//! Regressions from real-world files (issue 10, SPEC §7.1–§7.6): each test
//! builds the kind of file that went wrong, beside a good workbook, and
//! checks the right items, no junk and no silent loss.

use crate::common;

use std::time::{Duration, Instant};

use crate::common::{GOOD, Month, Run, Xls, docx, good, rewrite_zip};

fn header_xlsx(text: &str) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    common::write_rows(ws, 0, &[&["分野", "区分", "内容"], &["財務", "課題", text]]);
    wb.save_to_buffer().unwrap()
}

fn failed_reason(run: &Run, file: &str) -> String {
    run.failed()
        .into_iter()
        .find(|(f, _)| f == file)
        .unwrap_or_else(|| panic!("{file} is not failed:\n{}", run.stdout))
        .1
}

fn sample_minutes() -> Vec<u8> {
    std::fs::read(common::sample_input().join("第2回審議会_会議録.docx")).unwrap()
}

fn council_items(run: &Run) -> usize {
    run.items().iter().filter(|i| i.column == "council").count()
}

#[test]
fn minutes_with_a_chart_are_still_minutes() {
    let plain = good(Month::new()).file("第2回審議会_会議録.docx", &sample_minutes());
    let expected = council_items(&plain.build(&[]));
    assert!(expected >= 20, "the sample minutes give {expected} items");
    // What Word writes for a chart with its embedded workbook.
    let charted = rewrite_zip(
        &sample_minutes(),
        |name, data| {
            (name == "[Content_Types].xml").then(|| {
                String::from_utf8_lossy(data)
                    .replace(
                        "</Types>",
                        r#"<Default Extension="xlsx" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"/><Override PartName="/word/charts/chart1.xml" ContentType="application/vnd.openxmlformats-officedocument.drawingml.chart+xml"/></Types>"#,
                    )
                    .into_bytes()
            })
        },
        &[
            ("word/charts/chart1.xml", b"<c:chartSpace/>"),
            (
                "word/embeddings/Microsoft_Excel_Worksheet.xlsx",
                &header_xlsx("埋め込み"),
            ),
        ],
    );
    let run = good(Month::new())
        .file("第2回審議会_会議録.docx", &charted)
        .build(&[]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(council_items(&run), expected);
    assert_eq!(run.json()["columns"][0]["label"], "第2回審議会での主な意見");
}

#[test]
fn an_xls_with_an_embedded_word_document_is_read() {
    let xls = Xls::new(&[
        (0, 0, "分野"),
        (0, 1, "区分"),
        (0, 2, "内容"),
        (1, 0, "人材育成"),
        (1, 1, "課題"),
        (1, 2, "埋め込みのある古いブック。"),
    ])
    .stream("/MBD0001A2B3/WordDocument")
    .bytes();
    let run = good(Month::new()).file("人事課.xls", &xls).build(&[]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(
        run.item("埋め込みのある古いブック。").departments,
        vec!["人事課"]
    );
}

#[test]
fn a_word_file_that_is_not_minutes_gives_no_items() {
    let notice = docx(&[
        "入札公告",
        "次のとおり一般競争入札に付します。",
        "（３）その他",
        "行政施策",
        "入札参加資格は別紙のとおり。",
        "経営",
        "契約書の案は担当課で閲覧できる。",
    ]);
    let run = good(Month::new()).file("公告.docx", &notice).build(&[]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(
        run.items().len(),
        1,
        "only the good file's item: {:?}",
        run.items()
    );
    let skipped = run.skipped();
    assert!(
        skipped.iter().any(|s| s["file"] == "公告.docx"
            && s["reason"]
                .as_str()
                .unwrap()
                .contains("会議録ではありません")),
        "{skipped:?}"
    );
    assert!(run.stdout.contains("結果: 正常"));
}

#[test]
fn file_names_are_reported_exactly_as_on_disk() {
    let names = [
        "has_x000D_.xlsx",
        "ＤＸ推進課.xlsx",
        "ｿｳﾑ課.xlsx",
        "⼈事課.xlsx",
        "企画  調整課.xlsx",
        "企画 調整課.xlsx",
    ];
    let mut month = Month::new();
    for (i, name) in names.iter().enumerate() {
        month = month.sheet(
            name,
            "回答",
            &[
                &["分野", "区分", "内容"],
                &["経営", "課題", &format!("項目{i}。")],
            ],
        );
    }
    let run = month.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    for (i, name) in names.iter().enumerate() {
        let item = run
            .items()
            .into_iter()
            .find(|it| it.text == format!("項目{i}。"))
            .unwrap();
        let j = run.json();
        let file = j["fields"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|f| f["cells"]["issues"].as_array().unwrap().clone())
            .find(|it| it["text"] == item.text)
            .unwrap()["sources"][0]["file"]
            .clone();
        assert_eq!(file, *name, "matrix.json names the file as it is");
        assert!(run.report().contains(name), "report: {name}");
    }
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(run.out.join("manifest.json")).unwrap())
            .unwrap();
    let inputs: Vec<&str> = manifest["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["file"].as_str().unwrap())
        .collect();
    for name in names {
        assert_eq!(
            inputs.iter().filter(|f| **f == name).count(),
            1,
            "{name} once in {inputs:?}"
        );
    }
    // §3 applies to the department taken from the name, not to the name.
    let deps = |i: usize| {
        run.items()
            .into_iter()
            .find(|it| it.text == format!("項目{i}。"))
            .unwrap()
            .departments
    };
    assert_eq!(deps(1), vec!["DX推進課"]);
    assert_eq!(deps(2), vec!["ソウム課"]);
    assert_eq!(deps(3), vec!["人事課"]);
}

#[test]
fn a_sparse_xls_needs_little_memory() {
    // Four written cells spanning the whole 65,536 × 256 sheet.
    let xls = Xls::new(&[
        (0, 0, "分野"),
        (0, 1, "区分"),
        (0, 2, "内容"),
        (1, 0, "財務"),
        (1, 1, "課題"),
        (1, 2, "隅まで使ったブック。"),
        (65535, 255, "x"),
    ])
    .absurd_dimensions()
    .bytes();
    assert!(xls.len() < 100 * 1024);
    let run = good(Month::new()).file("財政課.xls", &xls).build(&[]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    run.item("隅まで使ったブック。");
    let peak = run.worker_peak_reported_mb();
    assert!(peak < 100.0, "a 100 KB file may not need {peak} MB");
}

#[test]
fn csv_in_iso_2022_jp_and_utf_16() {
    let text = "分野,区分,内容\r\n人材,課題,研修の時間が取れない。\r\n";
    let (jis, _, _) = encoding_rs::ISO_2022_JP.encode(text);
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let euc_text = text.replace("研修", "研修の予算");
    let (euc, _, _) = encoding_rs::EUC_JP.encode(&euc_text);
    let run = good(Month::new())
        .file("JIS課.csv", &jis)
        .file("UTF16課.csv", &utf16)
        .file("EUC課.csv", &euc)
        .build(&[]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let item = run.item("研修の時間が取れない。");
    assert_eq!(item.departments, vec!["JIS課", "UTF16課"]);
    run.item("研修の予算の時間が取れない。");
    assert!(run.stdout.contains("ISO-2022-JP"), "{}", run.stdout);
    assert!(run.stdout.contains("UTF-16LE"), "{}", run.stdout);
    assert!(run.stdout.contains("EUC-JP"), "{}", run.stdout);
}

#[test]
fn an_xlsb_is_read_like_an_xlsx() {
    // No Rust crate writes .xlsb; common::xlsb writes the records Excel
    // writes (shared and inline strings, a hidden sheet).
    let book = common::xlsb(&[
        (
            "回答",
            true,
            &[
                (0, 0, "分野"),
                (0, 1, "区分"),
                (0, 2, "内容"),
                (1, 0, "財務"),
                (1, 1, "課題"),
                (1, 2, "バイナリ形式の課題。"),
                (2, 1, "解決案"),
                (2, 2, "河﨑地区の例＜Ａ市＞"),
            ],
        ),
        (
            "作業用",
            false,
            &[
                (0, 0, "分野"),
                (0, 1, "区分"),
                (0, 2, "内容"),
                (1, 0, "経営"),
                (1, 1, "課題"),
                (1, 2, "隠し"),
            ],
        ),
    ]);
    let run = good(Month::new()).file("バイナリ課.xlsb", &book).build(&[]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let mine: Vec<_> = run
        .items()
        .into_iter()
        .filter(|i| i.departments == ["バイナリ課"])
        .map(|i| (i.field, i.column, i.text, i.examples, i.cells))
        .collect();
    assert_eq!(
        mine,
        vec![
            (
                "財務".to_string(),
                "issues".to_string(),
                "バイナリ形式の課題。".to_string(),
                None,
                vec!["C2".to_string()],
            ),
            (
                "財務".to_string(),
                "solutions".to_string(),
                "河﨑地区の例".to_string(),
                Some("A市".to_string()),
                vec!["C3".to_string()],
            ),
        ]
    );
    assert!(
        run.stdout
            .contains("バイナリ課.xlsb  [Excel バイナリ（.xlsb）] 入力行 2"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_csv_or_workbook_without_a_header_fails_loudly() {
    let run = good(Month::new())
        .file("見出し無し課.csv", "財務,課題,見出しのない行\n".as_bytes())
        .sheet(
            "説明だけ課.xlsx",
            "説明",
            &[&["提出について"], &["よろしくお願いします"]],
        )
        .build(&[]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    for file in ["見出し無し課.csv", "説明だけ課.xlsx"] {
        assert!(
            failed_reason(&run, file).contains("見出し行が見つかりません"),
            "{file}"
        );
    }
    assert!(run.stdout.contains("結果: 要確認"));
}

#[test]
fn a_csv_with_an_unclosed_quote_fails_at_its_line() {
    let csv = "分野,区分,内容\n経営,課題,\"閉じ忘れの欄。\n経営,課題,消えてしまう行。\n";
    let run = good(Month::new())
        .file("引用符課.csv", csv.as_bytes())
        .build(&[]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert_eq!(
        failed_reason(&run, "引用符課.csv"),
        "2 行目で「\"」から始まる欄が閉じられていません（「\"」が一つ足りません）。このままでは 2 行目から後を読み取れません。"
    );
}

#[test]
fn minutes_whose_document_part_has_another_name_are_read() {
    // What some writers do: the main document elsewhere, found through
    // `_rels/.rels`, its name in capitals with `\`.
    let plain = docx(&["会議録", "経営", "・別の場所の本文。"]);
    let mut entries: Vec<(String, Vec<u8>)> = Vec::new();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(plain)).unwrap();
    for i in 0..zip.len() {
        let mut e = zip.by_index(i).unwrap();
        let mut data = Vec::new();
        std::io::Read::read_to_end(&mut e, &mut data).unwrap();
        let name = e.name().unwrap().to_string();
        let data = String::from_utf8(data)
            .unwrap()
            .replace("word/document.xml", "Word/Main.xml")
            .into_bytes();
        let name = if name == "word/document.xml" {
            "Word\\Main.xml".to_string()
        } else {
            name
        };
        entries.push((name, data));
    }
    let moved: Vec<(&str, &[u8])> = entries
        .iter()
        .map(|(n, d)| (n.as_str(), d.as_slice()))
        .collect();
    let run = good(Month::new())
        .file("会議録.docx", &common::zip_package(&moved))
        .build(&[]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let item = run.item("別の場所の本文。");
    assert_eq!(item.column, "council");
    assert_eq!(item.field, "経営");
}

#[test]
fn a_workbook_whose_table_is_on_a_hidden_sheet_says_so() {
    let run = good(Month::new())
        .workbook("隠した課.xlsx", |wb| {
            wb.add_worksheet().set_name("表紙").unwrap();
            let ws = wb.add_worksheet().set_name("回答").unwrap();
            common::write_rows(
                ws,
                0,
                &[&["分野", "区分", "内容"], &["経営", "課題", "隠れた行。"]],
            );
            ws.set_hidden(true);
        })
        .build(&[]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert_eq!(
        failed_reason(&run, "隠した課.xlsx"),
        "記入された表のシートがありません（「表紙」空のシートです、「回答」非表示のシートです（読み込みません））。非表示のシートやグラフのシートは読み込みません。"
    );
    assert!(run.items().iter().all(|i| i.text != "隠れた行。"));
}

#[test]
fn a_workbook_with_an_excel_4_macro_sheet_keeps_its_other_sheets() {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("回答").unwrap();
    common::write_rows(
        ws,
        0,
        &[
            &["分野", "区分", "内容"],
            &["経営", "課題", "マクロ付きのブック。"],
        ],
    );
    wb.add_worksheet().set_name("Macro1").unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    // Turn the second sheet into an Excel 4 macro sheet, as Excel stores one.
    let macro_sheet = rewrite_zip(
        &bytes,
        |name, data| {
            let text = String::from_utf8_lossy(data);
            match name {
                "xl/_rels/workbook.xml.rels" => Some(
                    text.replace(
                        r#"relationships/worksheet" Target="worksheets/sheet2.xml""#,
                        r#"relationships/xlMacrosheet" Target="macrosheets/sheet2.xml""#,
                    )
                    .into_bytes(),
                ),
                "[Content_Types].xml" => Some(
                    text.replace(
                        r#"<Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#,
                        r#"<Override PartName="/xl/macrosheets/sheet2.xml" ContentType="application/vnd.ms-excel.macrosheet+xml"/>"#,
                    )
                    .into_bytes(),
                ),
                _ => None,
            }
        },
        &[("xl/macrosheets/sheet2.xml", b"<xm:macrosheet/>")],
    );
    let run = good(Month::new())
        .file("マクロ課.xlsm", &macro_sheet)
        .build(&[]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    run.item("マクロ付きのブック。");
    assert!(
        run.skipped()
            .iter()
            .any(|s| s["file"] == "マクロ課.xlsm" && s["sheet"] == "Macro1"),
        "{:?}",
        run.skipped()
    );
}

/// Some writers store a row-only dimension (`<dimension ref="1:3"/>`, as
/// in exceljs's test-issue-176.xlsx); Excel opens the file, calamine
/// refuses the sheet. Both sheets are read, each item from its own cell.
#[test]
fn a_sheet_with_a_row_only_dimension_is_read() {
    let bytes = two_sheets("寸法の壊れたシート。", "二枚目のシート。");
    let rows_only = rewrite_zip(
        &bytes,
        |name, data| {
            let text = String::from_utf8_lossy(data);
            (name == "xl/worksheets/sheet1.xml").then(|| {
                assert!(text.contains(r#"<dimension ref="A1:C2"/>"#), "{text}");
                text.replace(r#"<dimension ref="A1:C2"/>"#, r#"<dimension ref="1:2"/>"#)
                    .into_bytes()
            })
        },
        &[],
    );
    let run = good(Month::new())
        .file("寸法課.xlsx", &rows_only)
        .build(&[]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(
        placed_in(&run, "寸法課.xlsx"),
        [
            "経営 issues 寸法の壊れたシート。 回答!C2",
            "経営 solutions 二枚目のシート。 追加!C2",
        ]
    );
}

/// The items of one file as "field column text sheet!cell", sorted.
fn placed_in(run: &Run, file: &str) -> Vec<String> {
    let mut placed = Vec::new();
    for f in run.json()["fields"].as_array().unwrap() {
        for (column, items) in f["cells"].as_object().unwrap() {
            for it in items.as_array().unwrap() {
                for s in it["sources"].as_array().unwrap() {
                    if s["file"] == file {
                        placed.push(format!(
                            "{} {} {} {}!{}",
                            f["name"].as_str().unwrap(),
                            column,
                            it["text"].as_str().unwrap(),
                            s["sheet"].as_str().unwrap(),
                            s["cell"].as_str().unwrap()
                        ));
                    }
                }
            }
        }
    }
    placed.sort();
    placed
}

/// A two-sheet submission: 回答 holds a problem, 追加 a solution.
fn two_sheets(problem: &str, solution: &str) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    for (sheet, row) in [
        ("回答", ["経営", "課題", problem]),
        ("追加", ["経営", "解決案", solution]),
    ] {
        let ws = wb.add_worksheet();
        ws.set_name(sheet).unwrap();
        common::write_rows(ws, 0, &[&["分野", "区分", "内容"], &row]);
    }
    wb.save_to_buffer().unwrap()
}

/// The package with its `xl/workbook.xml` rewritten by `edit`.
fn with_workbook_xml(bytes: &[u8], edit: impl Fn(&str) -> String) -> Vec<u8> {
    rewrite_zip(
        bytes,
        |name, data| {
            (name == "xl/workbook.xml").then(|| edit(&String::from_utf8_lossy(data)).into_bytes())
        },
        &[],
    )
}

/// The sheets of one file the report lists as skipped.
fn skipped_sheets(run: &Run, file: &str) -> Vec<String> {
    run.skipped()
        .into_iter()
        .filter(|s| s["file"] == file)
        .map(|s| s["sheet"].as_str().unwrap().to_string())
        .collect()
}

/// Excel on Windows Phone writes every XML part in UTF-16 (roo's
/// Pfand_from_windows_phone.xlsx); calamine reads only UTF-8.
#[test]
fn a_workbook_written_in_utf16_is_read() {
    let bytes = two_sheets("UTF-16 のブック。", "河﨑さんの提案。");
    let little = |name: &str, data: &[u8], big: bool| -> Option<Vec<u8>> {
        if !(name.ends_with(".xml") || name.ends_with(".rels")) {
            return None;
        }
        let text = String::from_utf8_lossy(data).replace("UTF-8", "UTF-16");
        let mut out = if big {
            vec![0xFE, 0xFF]
        } else {
            vec![0xFF, 0xFE]
        };
        for u in text.encode_utf16() {
            out.extend(if big {
                u.to_be_bytes()
            } else {
                u.to_le_bytes()
            });
        }
        Some(out)
    };
    let le = rewrite_zip(&bytes, |n, d| little(n, d, false), &[]);
    let be = rewrite_zip(&bytes, |n, d| little(n, d, true), &[]);
    let run = good(Month::new())
        .file("携帯課.xlsx", &le)
        .file("逆順課.xlsx", &be)
        .build(&[]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    for file in ["携帯課.xlsx", "逆順課.xlsx"] {
        assert_eq!(
            placed_in(&run, file),
            [
                "経営 issues UTF-16 のブック。 回答!C2",
                "経営 solutions 河﨑さんの提案。 追加!C2",
            ],
            "{file}"
        );
    }
}

/// A `<sheet>` entry with an empty r:id (an old macro module carried over
/// from .xls, as in LibreOffice's tdf111974.xlsm and ClosedXML's
/// SheetsWithoutRelId.xlsx) made calamine refuse the whole workbook.
#[test]
fn a_sheet_entry_without_a_part_keeps_the_other_sheets() {
    let bytes = two_sheets("部品のないシート。", "残りのシートを読む。");
    let module = with_workbook_xml(&bytes, |text| {
        assert!(text.contains("</sheets>"), "{text}");
        text.replace(
            "</sheets>",
            r#"<sheet name="Module1 &amp; 2" sheetId="9" state="veryHidden" r:id=""/></sheets>"#,
        )
    });
    let run = good(Month::new()).file("古い課.xlsm", &module).build(&[]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(
        placed_in(&run, "古い課.xlsm"),
        [
            "経営 issues 部品のないシート。 回答!C2",
            "経営 solutions 残りのシートを読む。 追加!C2",
        ]
    );
    assert_eq!(skipped_sheets(&run, "古い課.xlsm"), ["Module1 & 2"]);
}

/// exceljs 1.5 wrote `state="show"` for every sheet (its issue 678;
/// test-row-styles.xlsx): calamine refused the whole workbook. Excel shows
/// only the first such sheet (exceljs issue 617), and so does shiryo: the
/// others are listed as hidden.
#[test]
fn a_sheet_state_outside_the_standard_is_read_as_excel_shows_it() {
    let bytes = two_sheets("状態がshowのシート。", "二枚目は隠れる。");
    let show = with_workbook_xml(&bytes, |text| {
        assert_eq!(text.matches("<sheet name=").count(), 2, "{text}");
        text.replace("<sheet name=", r#"<sheet state="show" name="#)
    });
    let run = good(Month::new()).file("表示課.xlsx", &show).build(&[]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(
        placed_in(&run, "表示課.xlsx"),
        ["経営 issues 状態がshowのシート。 回答!C2"]
    );
    assert_eq!(skipped_sheets(&run, "表示課.xlsx"), ["追加"]);
}

/// A sheet whose XML is cut short is not UTF-16: the mend changes nothing
/// and the file fails with calamine's own reason.
#[test]
fn broken_sheet_xml_still_fails_with_its_reason() {
    let bytes = two_sheets("壊れたシート。", "読まれない。");
    let cut = rewrite_zip(
        &bytes,
        |name, data| {
            (name == "xl/worksheets/sheet1.xml").then(|| {
                let text = String::from_utf8_lossy(data);
                let at = text.find("<sheetData>").unwrap();
                text[..at + "<sheetData><row r=\"1\">".len()]
                    .as_bytes()
                    .to_vec()
            })
        },
        &[],
    );
    let run = good(Month::new()).file("切れ課.xlsx", &cut).build(&[]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    let reason = run
        .failed()
        .into_iter()
        .find(|(f, _)| f == "切れ課.xlsx")
        .map(|(_, r)| r)
        .unwrap_or_else(|| panic!("not failed:\n{}", run.stdout));
    assert!(
        reason.starts_with("ブックを読み取れません（壊れているか、Excel 形式ではありません）。")
            && reason.contains("詳細: "),
        "{reason}"
    );
    assert!(placed_in(&run, "切れ課.xlsx").is_empty());
}

#[test]
fn reasons_say_what_the_file_is() {
    let biff4 = [0x09u8, 0x04, 6, 0, 0, 0, 0x10, 0, 0, 0, 0x0A, 0, 0, 0];
    let xor = Xls::new(&[(0, 0, "分野")]).xor_protected().bytes();
    let run = good(Month::new())
        .file("古い課.xls", &biff4)
        .file("鍵課.xls", &xor)
        .file("壊れた会議録.docx", &sample_minutes()[..4000])
        .build(&[]);
    assert_eq!(run.code, 1);
    assert!(failed_reason(&run, "古い課.xls").contains("Excel 4.0 以前の古い形式"));
    assert!(failed_reason(&run, "鍵課.xls").contains("パスワードで保護"));
    let word = failed_reason(&run, "壊れた会議録.docx");
    assert!(
        word.contains("Word 文書 (*.docx)") && !word.contains("Excel ブック"),
        "{word}"
    );
    run.assert_no_internal_error();
}

#[cfg(unix)]
#[test]
fn output_onto_a_device_says_it_is_not_a_folder() {
    let month = good(Month::new());
    let run = common::build_into(month.path(), std::path::Path::new("/dev/null"), &[]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("フォルダではありません"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("File exists"), "{}", run.stderr);
}

#[cfg(unix)]
#[test]
fn a_named_pipe_in_the_folder_does_not_block() {
    let month = good(Month::new());
    let fifo = month.path().join("パイプ.csv");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: a NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
    let start = Instant::now();
    let run = month.build(&[]);
    assert!(start.elapsed() < Duration::from_secs(10));
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(run.skipped().iter().any(|s| {
        s["file"] == "パイプ.csv"
            && s["reason"]
                .as_str()
                .unwrap()
                .contains("通常のファイルではありません")
    }));
}

#[test]
fn two_builds_into_one_folder_leave_one_run_s_set() {
    let month = good(Month::new());
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("out");
    for round in 0..20 {
        let spawn = |date: &str| {
            std::process::Command::new(common::exe())
                .arg("build")
                .arg(month.path())
                .arg("-o")
                .arg(&dir)
                .args(["--date", date])
                .output()
        };
        let (a, b) = std::thread::scope(|s| {
            let a = s.spawn(|| spawn("2026-11-01"));
            let b = s.spawn(|| spawn("2026-12-01"));
            (a.join().unwrap().unwrap(), b.join().unwrap().unwrap())
        });
        for o in [&a, &b] {
            assert!(
                o.status.success(),
                "{}",
                shiryo::console::decode_redirected(&o.stderr)
            );
        }
        let manifest: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap())
                .unwrap();
        for o in manifest["outputs"].as_array().unwrap() {
            let bytes = std::fs::read(dir.join(o["file"].as_str().unwrap())).unwrap();
            assert_eq!(
                shiryo::digest::sha256(&bytes),
                o["sha256"].as_str().unwrap(),
                "round {round}: {} is from the other run",
                o["file"]
            );
        }
    }
}

#[test]
fn a_folder_locked_by_another_run_waits_then_says_so() {
    let month = good(Month::new());
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("out");
    std::fs::create_dir(&dir).unwrap();
    let lock = std::fs::File::create(dir.join(shiryo::output::LOCK_NAME)).unwrap();
    lock.lock().unwrap();
    // Released after a second: the run waits and then writes.
    let releaser = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_secs(1));
        drop(lock);
    });
    let start = Instant::now();
    let run = common::build_into(month.path(), &dir, &[]);
    assert!(start.elapsed() >= Duration::from_millis(900));
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    releaser.join().unwrap();
    // Held all along: after 10 s, exit 2 and a Japanese message.
    let lock = std::fs::File::open(dir.join(shiryo::output::LOCK_NAME)).unwrap();
    lock.lock().unwrap();
    let before = std::fs::read(dir.join("matrix.json")).unwrap();
    let run = common::build_into(month.path(), &dir, &["--date", "2026-12-24"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("ほかの shiryo が書き出している最中です"),
        "{}",
        run.stderr
    );
    assert_eq!(std::fs::read(dir.join("matrix.json")).unwrap(), before);
}

#[test]
fn the_sample_month_with_pathological_files_accounts_for_every_row() {
    let input = tempfile::tempdir().unwrap();
    for e in std::fs::read_dir(common::sample_input()).unwrap().flatten() {
        std::fs::copy(e.path(), input.path().join(e.file_name())).unwrap();
    }
    let extra: [(&str, Vec<u8>); 5] = [
        (
            "巨大課.xls",
            Xls::new(&[
                (0, 0, "分野"),
                (0, 1, "区分"),
                (0, 2, "内容"),
                (1, 0, "財務"),
                (1, 1, "課題"),
                (1, 2, "遠い。"),
                (65535, 255, "x"),
            ])
            .absurd_dimensions()
            .bytes(),
        ),
        ("公告.docx", docx(&["入札公告", "行政施策", "本文"])),
        ("切れた課.xlsx", header_xlsx("切れた")[..600].to_vec()),
        (
            "JIS課.csv",
            encoding_rs::ISO_2022_JP
                .encode("分野,区分,内容\n経営,課題,文字コードの違う行。\n記入例,課題,例\n")
                .0
                .into_owned(),
        ),
        ("空の課.xlsx", Vec::new()),
    ];
    for (name, bytes) in &extra {
        std::fs::write(input.path().join(name), bytes).unwrap();
    }
    let run = common::build_at(input.path(), &[]);
    assert_eq!(run.code, 1);
    run.assert_no_internal_error();
    let report = run.report();
    assert_eq!(report.matches("… 一致").count(), 2, "{report}");
    assert!(!report.contains("不一致"));
    // The manifest's rows per file add up to what became of them.
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(run.out.join("manifest.json")).unwrap())
            .unwrap();
    let rows: u64 = manifest["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["rows"].as_u64().unwrap())
        .sum();
    // ... and so do the lists of matrix.json, each row counted once where
    // it ended: the distinct cells the items came from, the skipped rows
    // and the rejected rows (not the counts, which come from one place).
    let j = run.json();
    let mut item_rows = std::collections::BTreeSet::new();
    for f in j["fields"].as_array().unwrap() {
        for items in f["cells"].as_object().unwrap().values() {
            for it in items.as_array().unwrap() {
                for s in it["sources"].as_array().unwrap() {
                    // The row of the cell (a wide row gives items from
                    // several cells); a paragraph of the minutes is a row.
                    let cell = s["cell"].as_str().unwrap();
                    let row = cell.trim_start_matches(|c: char| c.is_ascii_uppercase());
                    item_rows.insert(format!("{}!{}!{row}", s["file"], s["sheet"]));
                }
            }
        }
    }
    let skipped_rows = run
        .skipped()
        .iter()
        .filter(|s| !s["cell"].is_null())
        .count();
    let rejected = j["rejected"].as_array().unwrap().len();
    assert_eq!(
        rows as usize,
        item_rows.len() + skipped_rows + rejected,
        "rows per file against the rows listed"
    );
}

#[test]
fn an_absurd_meeting_number_names_its_paragraph() {
    let minutes = docx(&[
        "会議録",
        "第九九九九九九九九九九九回 行政経営戦略推進審議会",
        "経営",
        "意見。",
    ]);
    let run = good(Month::new()).file("会議録.docx", &minutes).build(&[]);
    assert_eq!(run.code, 1);
    let reason = failed_reason(&run, "会議録.docx");
    assert!(
        reason.contains("¶2") && reason.contains("大きすぎます"),
        "{reason}"
    );
    assert!(!run.stdout.contains("1215752191"));
}

#[test]
fn dates_are_japan_time() {
    let run = good(Month::new()).build(&["--date", "2026-11-01"]);
    let pdf = std::fs::read(run.out.join(common::PDF)).unwrap();
    let pdf = String::from_utf8_lossy(&pdf);
    assert!(
        pdf.contains("/CreationDate(D:20261101000000+09'00')"),
        "PDF date"
    );
    let core = common::unzip_text(&run.out.join(common::XLSX), "docProps/core.xml");
    assert!(core.contains("2026-10-31T15:00:00Z"), "{core}");
}

#[test]
fn the_template_font_applies_to_the_excel_handout() {
    let month = good(Month::new());
    let t = month.path().join("t.xml.tpl");
    std::fs::write(
        &t,
        shiryo::template::DEFAULT_XML
            .replace(r#"<font size="9">"#, r#"<font size="12">"#)
            .replace(
                "<family>BIZ UDPGothic</family>",
                "<family>Meiryo UI</family><family>BIZ UDPGothic</family>",
            ),
    )
    .unwrap();
    let run = month.build(&["--template", t.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let styles = common::unzip_text(&run.out.join(common::XLSX), "xl/styles.xml");
    assert!(styles.contains(r#"<name val="Meiryo UI"/>"#), "{styles}");
    assert!(styles.contains(r#"<sz val="12"/>"#), "{styles}");
}

/// A file kept in tests/data (see its README for where it comes from).
fn data(name: &str) -> Vec<u8> {
    std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data")
            .join(name),
    )
    .unwrap()
}

#[test]
fn real_packages_are_recognised_wherever_their_parts_lie() {
    let mut month = good(Month::new());
    for name in [
        "calamine_issue_530.xlsx",
        "calamine_minimal_package.xlsx",
        "sheetjs_wtf_path.xlsx",
        "calamine_pass_protected.ods",
        "excelize_encryptSHA512.xlsx",
    ] {
        month = month.file(name, &data(name));
    }
    let run = month.build(&[]);
    assert_eq!(run.code, 1);
    run.item(GOOD);
    // Workbooks that are not submissions: read, and no header found.
    for name in [
        "calamine_issue_530.xlsx",
        "calamine_minimal_package.xlsx",
        "sheetjs_wtf_path.xlsx",
    ] {
        let reason = failed_reason(&run, name);
        assert!(
            reason.contains("見出し行が見つかりません"),
            "{name}: {reason}"
        );
    }
    for name in ["calamine_pass_protected.ods", "excelize_encryptSHA512.xlsx"] {
        let reason = failed_reason(&run, name);
        assert!(reason.contains("パスワードで保護"), "{name}: {reason}");
    }
    run.assert_no_internal_error();
}
