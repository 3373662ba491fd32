//! End-to-end on the shipped sample month (`input/`): matrix.json, the
//! xlsx handout read back with calamine, and the report.

use crate::common;

use crate::common::{Run, XLSX};

fn build_sample() -> Run {
    common::build_at(&common::sample_input(), &[])
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn sample_month_builds_every_output() {
    let run = build_sample();
    assert_eq!(
        run.code, 1,
        "the sample has one rejected row\n{}{}",
        run.stdout, run.stderr
    );
    let j = run.json();
    assert_eq!(j["schema"], "shiryo.matrix/1");
    assert_eq!(j["columns"][0]["label"], "第2回審議会での主な意見");
    assert_eq!(j["counts"]["items"], 119);
    assert_eq!(j["counts"]["duplicates_merged"], 1);
    let rejected = run.rejected();
    assert_eq!(rejected.len(), 1);
    assert_eq!(
        (rejected[0]["file"].as_str(), rejected[0]["cell"].as_str()),
        (Some("広報広聴課.xlsx"), Some("B5"))
    );

    // The council items come from the minutes, numbered by paragraph.
    let council = run.item("外部委託に関し、進捗をチェックしてフィードバックすべき。");
    assert_eq!(council.cells, vec!["¶24"]);

    // The report names every skipped file and the rejected cell.
    let report = run.report();
    assert!(
        run.stdout.starts_with(&report),
        "the terminal shows the same report"
    );
    assert!(
        run.stdout.contains("出力フォルダ: "),
        "and names the output folder"
    );
    for needle in [
        "~$人事課.xlsx",
        "提出について.txt",
        "広報広聴課.xlsx!回答!B5",
        "総務課.xlsx!記入方法",
        "… 一致",
    ] {
        assert!(report.contains(needle), "report lacks {needle}\n{report}");
    }
}

#[test]
fn xlsx_handout_holds_every_item_and_one_detail_row_per_source() {
    let run = build_sample();
    let items = run.items();
    let matrix = run.xlsx_sheet("資料");
    assert_eq!(matrix[0][0], "分野");
    assert_eq!(matrix[0][1], "第2回審議会での主な意見");
    let all: String = matrix.iter().flatten().map(|s| squash(s)).collect();
    for it in &items {
        let printed = match &it.examples {
            Some(ex) => format!("・{}＜{}＞", it.text, ex),
            None => format!("・{}", it.text),
        };
        assert!(all.contains(&squash(&printed)), "資料 lacks {printed}");
    }
    let fields: Vec<&str> = matrix
        .iter()
        .skip(1)
        .map(|r| r[0].as_str())
        .filter(|s| !s.is_empty())
        .collect();
    assert_eq!(
        fields,
        vec![
            "行政施策",
            "DX推進",
            "財務",
            "人材育成",
            "働き方改革",
            "経営"
        ]
    );

    let detail = run.xlsx_sheet("明細");
    assert_eq!(
        detail[0],
        vec![
            "分野",
            "区分",
            "内容",
            "他自治体の事例",
            "担当課",
            "ファイル",
            "シート",
            "セル"
        ]
    );
    assert_eq!(detail.len() - 1, 120, "one row per item source");
    assert!(
        detail
            .iter()
            .any(|r| r[5] == "第2回審議会_会議録.docx" && r[7] == "¶22")
    );

    let summary = run.xlsx_sheet("集計");
    let total = summary.iter().find(|r| r[0] == "合計").unwrap();
    assert_eq!(total[5], "119");
}

#[test]
fn xlsx_is_print_ready() {
    let run = build_sample();
    let bytes = std::fs::read(run.out.join(XLSX)).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut sheet = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("xl/worksheets/sheet1.xml").unwrap(),
        &mut sheet,
    )
    .unwrap();
    assert!(sheet.contains(r#"paperSize="8""#), "A3");
    assert!(sheet.contains(r#"orientation="landscape""#));
    assert!(sheet.contains(r#"fitToHeight="0""#), "fit to one page wide");
    assert!(sheet.contains("資料２"), "資料番号 in the page header");
    assert!(
        sheet.contains("&amp;P / &amp;N"),
        "page numbers in the footer"
    );
    assert!(
        sheet.contains(r#"customHeight="1""#),
        "row heights set explicitly"
    );
    let mut wb = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("xl/workbook.xml").unwrap(), &mut wb).unwrap();
    assert!(wb.contains("_xlnm.Print_Titles"), "header row repeated");
    let mut styles = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("xl/styles.xml").unwrap(), &mut styles).unwrap();
    assert!(styles.contains("BIZ UDPゴシック"));
    let mut core = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("docProps/core.xml").unwrap(), &mut core)
        .unwrap();
    // Midnight of 24 November in Japan (SPEC §7.5), recorded in UTC.
    assert!(core.contains("2026-11-23T15:00:00Z"), "{core}");
}

#[test]
fn manifest_records_every_input_and_output() {
    let run = build_sample();
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(run.out.join("manifest.json")).unwrap())
            .unwrap();
    assert_eq!(m["schema"], "shiryo.manifest/1");
    assert_eq!(m["date"], "2026-11-24");
    assert_eq!(m["template"]["sha256"].as_str().unwrap().len(), 64);
    let inputs = m["inputs"].as_array().unwrap();
    assert_eq!(inputs.len(), 11);
    for i in inputs {
        assert_eq!(i["sha256"].as_str().unwrap().len(), 64, "{i}");
    }
    let lock = inputs
        .iter()
        .find(|i| i["file"] == "~$人事課.xlsx")
        .unwrap();
    assert_eq!(lock["status"], "skipped");
    let soumu = inputs.iter().find(|i| i["file"] == "総務課.xlsx").unwrap();
    assert_eq!(
        (soumu["status"].as_str(), soumu["items"].as_u64()),
        (Some("read"), Some(10))
    );
    let outputs = m["outputs"].as_array().unwrap();
    let names: Vec<&str> = outputs
        .iter()
        .map(|o| o["file"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "資料_各分野の現状と課題及び想定される解決策.xlsx",
            "matrix.json",
            "資料_各分野の現状と課題及び想定される解決策.pdf",
            "資料.html",
            "事務局修正.xlsx",
            "差し戻し/広報広聴課.xlsx",
            "report.txt",
        ]
    );
    for o in outputs {
        let bytes = std::fs::read(run.out.join(o["file"].as_str().unwrap())).unwrap();
        assert_eq!(o["size"].as_u64().unwrap() as usize, bytes.len(), "{o}");
    }
}
