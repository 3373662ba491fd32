//! The month's cycle (issue 12, SPEC §7.7–§7.8): who has not submitted,
//! what goes back to each department, one click from 明細 to the source
//! cell, charts in 集計.

use std::path::Path;

use crate::common::{self, Month, Run};

/// The default template with a roster (name, aliases).
fn roster_template(dir: &Path, departments: &[(&str, &[&str])]) -> String {
    let list: String = departments
        .iter()
        .map(|(name, aliases)| {
            let aliases: String = aliases
                .iter()
                .map(|a| format!("<alias>{a}</alias>"))
                .collect();
            format!("<department name=\"{name}\">{aliases}</department>\n")
        })
        .collect();
    let xml = shiryo::template::DEFAULT_XML.replace(
        "<departments>\n  </departments>",
        &format!("<departments>\n{list}</departments>"),
    );
    assert_ne!(xml, shiryo::template::DEFAULT_XML, "the roster went in");
    let path = dir.join("roster.xml.tpl");
    std::fs::write(&path, xml).unwrap();
    path.display().to_string()
}

fn statuses(run: &Run) -> Vec<(String, String)> {
    run.json()["departments"]
        .as_array()
        .expect("departments in matrix.json")
        .iter()
        .map(|d| {
            (
                d["name"].as_str().unwrap().to_string(),
                d["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn the_sample_month_with_a_roster_of_nine() {
    let dir = tempfile::tempdir().unwrap();
    let names = [
        "企画調整課",
        "財政課",
        "人事課",
        "市民課",
        "広報広聴課",
        "情報政策課",
        "総務課",
        "財産活用課",
        "会計課",
    ];
    let roster: Vec<(&str, &[&str])> = names.iter().map(|n| (*n, &[][..])).collect();
    let template = roster_template(dir.path(), &roster);
    let run = common::build_at(&common::sample_input(), &["--template", &template]);
    assert_eq!(run.code, 1, "{}", run.stdout);

    let expected: Vec<(String, String)> = names
        .iter()
        .map(|n| {
            let status = match *n {
                "会計課" => "未提出",
                "広報広聴課" => "一部却下",
                _ => "提出済",
            };
            (n.to_string(), status.to_string())
        })
        .collect();
    assert_eq!(statuses(&run), expected);

    // The table comes first in the report, before the files.
    let report = run.report();
    let table = report.find("■ 提出状況").expect("a 提出状況 table");
    assert!(table < report.find("■ ファイル").unwrap());
    assert!(
        report.contains("名簿 9 課: 提出済 7 / 一部却下 1 / 読込失敗 0 / 未提出 1 / 名簿外 0"),
        "{report}"
    );
    assert!(
        report
            .lines()
            .any(|l| l.split_whitespace().collect::<Vec<_>>() == ["会計課", "未提出"]),
        "{report}"
    );

    // The workbook's 提出状況 sheet agrees.
    let sheet = run.xlsx_sheet("提出状況");
    for (name, status) in &expected {
        assert!(
            sheet
                .iter()
                .any(|r| r.first() == Some(name) && r.get(1) == Some(status)),
            "{name} {status} in {sheet:?}"
        );
    }

    // One return sheet, for 広報広聴課, with its B5 row.
    let returns: Vec<String> = std::fs::read_dir(run.out.join("差し戻し"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(returns, vec!["広報広聴課.xlsx"]);
    let rows = common::read_sheet(&run.out.join("差し戻し/広報広聴課.xlsx"), "差し戻し");
    let row = rows
        .iter()
        .find(|r| r.first().map(String::as_str) == Some("広報広聴課.xlsx"))
        .expect("the problem row");
    assert_eq!(&row[1..3], ["回答", "B5"]);
    assert_eq!(
        row[3],
        "市の広報紙をもっと見やすくしてほしいという声がある。"
    );
    assert_eq!(row[4], "区分「要望」は登録されていません。");
    assert!(row[5].starts_with("候補: "), "{row:?}");
    assert!(
        rows[0][0].contains("広報広聴課"),
        "heading names the department"
    );
}

#[test]
fn aliases_two_files_a_failed_file_and_a_department_off_the_roster() {
    let dir = tempfile::tempdir().unwrap();
    let template = roster_template(
        dir.path(),
        &[
            ("総務課", &["総務部総務課"]),
            ("財政課", &[]),
            ("人事課", &[]),
        ],
    );
    let header: &[&str] = &["分野", "区分", "内容"];
    let run = Month::new()
        .sheet(
            "総務部総務課_回答.xlsx",
            "回答",
            &[header, &["経営", "課題", "一つ目。"]],
        )
        .sheet(
            "R8_11_総務課_提出.xlsx",
            "回答",
            &[header, &["財務", "課題", "二つ目。"]],
        )
        .file("財政課.xlsx", b"PK\x03\x04broken")
        .sheet(
            "観光課.xlsx",
            "回答",
            &[header, &["経営", "課題", "名簿にない課。"]],
        )
        .build(&["--template", &template]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert_eq!(
        statuses(&run),
        vec![
            ("総務課".to_string(), "提出済".to_string()),
            ("財政課".to_string(), "読込失敗".to_string()),
            ("人事課".to_string(), "未提出".to_string()),
            ("観光課".to_string(), "名簿外".to_string()),
        ]
    );
    let j = run.json();
    let somu = &j["departments"][0];
    assert_eq!(somu["files"].as_array().unwrap().len(), 2, "{somu}");
    assert_eq!(
        (somu["rows"].as_u64(), somu["items"].as_u64()),
        (Some(2), Some(2))
    );
    // The failed file goes back to 財政課.
    let rows = common::read_sheet(&run.out.join("差し戻し/財政課.xlsx"), "差し戻し");
    assert!(
        rows.iter()
            .any(|r| r.first().map(String::as_str) == Some("財政課.xlsx"))
    );
    assert!(!run.out.join("差し戻し/総務課.xlsx").exists());
}

#[test]
fn without_a_roster_nothing_changes() {
    let run = common::build_at(&common::sample_input(), &[]);
    let j = run.json();
    assert!(j.get("departments").is_none(), "no departments key");
    assert!(!run.report().contains("提出状況"));
    let book = common::sheet_names(&run.out.join(common::XLSX));
    assert_eq!(book, vec!["資料", "明細", "集計"]);
    // Return sheets do not depend on the roster.
    assert!(run.out.join("差し戻し/広報広聴課.xlsx").is_file());
}

#[test]
fn a_problem_fixed_takes_its_return_sheet_away() {
    let header: &[&str] = &["分野", "区分", "内容"];
    let month = Month::new().sheet("総務課.xlsx", "回答", &[header, &["観光", "課題", "x"]]);
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("out");
    let first = common::build_into(month.path(), &dir, &[]);
    assert_eq!(first.code, 1);
    assert!(dir.join("差し戻し/総務課.xlsx").is_file());
    let fixed = month.sheet("総務課.xlsx", "回答", &[header, &["経営", "課題", "x"]]);
    let second = common::build_into(fixed.path(), &dir, &[]);
    assert_eq!(second.code, 0, "{}", second.stdout);
    assert!(
        !dir.join("差し戻し/総務課.xlsx").exists(),
        "the old sheet is gone"
    );
}

#[test]
fn every_link_in_the_detail_sheet_opens_an_existing_file() {
    let base = tempfile::tempdir().unwrap();
    let input = base.path().join("提出");
    std::fs::create_dir(&input).unwrap();
    for e in std::fs::read_dir(common::sample_input()).unwrap().flatten() {
        std::fs::copy(e.path(), input.join(e.file_name())).unwrap();
    }
    let out = base.path().join("資料");
    let run = common::build_into(&input, &out, &[]);
    assert_eq!(run.code, 1);
    let xlsx = out.join(common::XLSX);
    let rels = common::unzip_text(&xlsx, "xl/worksheets/_rels/sheet2.xml.rels");
    let sheet = common::unzip_text(&xlsx, "xl/worksheets/sheet2.xml");
    let targets: Vec<&str> = rels
        .split("Target=\"")
        .skip(1)
        .map(|t| t.split('"').next().unwrap())
        .collect();
    let items: usize = run.items().iter().map(|i| i.cells.len()).sum();
    assert_eq!(targets.len(), items, "one link per source");
    for t in &targets {
        assert!(
            t.starts_with("../提出/"),
            "relative to the output folder: {t}"
        );
        assert!(out.join(t).is_file(), "{t} does not resolve");
    }
    // Each workbook source opens at its own sheet and cell: the links'
    // locations are exactly those sources' (a CSV or the minutes open at
    // their start).
    let mut locations: Vec<String> = sheet
        .split("location=\"")
        .skip(1)
        .map(|t| t.split('"').next().unwrap().replace("&apos;", "'"))
        .collect();
    let j = run.json();
    let mut expected: Vec<String> = Vec::new();
    for f in j["fields"].as_array().unwrap() {
        for items in f["cells"].as_object().unwrap().values() {
            for s in items
                .as_array()
                .unwrap()
                .iter()
                .flat_map(|i| i["sources"].as_array().unwrap())
            {
                let file = s["file"].as_str().unwrap();
                let workbook = [".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"]
                    .iter()
                    .any(|e| file.ends_with(e));
                if let Some(sheet) = s["sheet"].as_str().filter(|_| workbook) {
                    expected.push(format!("'{sheet}'!{}", s["cell"].as_str().unwrap()));
                }
            }
        }
    }
    locations.sort();
    expected.sort();
    assert_eq!(locations, expected);
    assert!(
        locations.contains(&"'提出'!C3".to_string()),
        "sheet and cell of 総務課.xlsx"
    );
}

#[test]
fn the_summary_sheet_has_its_charts() {
    let run = common::build_at(&common::sample_input(), &[]);
    let xlsx = run.out.join(common::XLSX);
    let chart = common::unzip_text(&xlsx, "xl/charts/chart1.xml");
    assert!(
        chart.contains("<c:grouping val=\"stacked\"/>"),
        "stacked columns"
    );
    assert_eq!(chart.matches("<c:ser>").count(), 4, "one series per 区分");
    assert!(chart.contains("分野ごとの項目数"));
    // With a previous month: 新規 against 継続.
    let again = common::build_at(
        &common::sample_input(),
        &["--previous", run.out.to_str().unwrap()],
    );
    let xlsx = again.out.join(common::XLSX);
    let chart = common::unzip_text(&xlsx, "xl/charts/chart2.xml");
    assert_eq!(chart.matches("<c:ser>").count(), 2);
    assert!(chart.contains("前回との比較"));
}
