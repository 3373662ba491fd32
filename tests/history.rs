//! Month over month (issue 5): 新規 / 継続 / 削除 against the previous run.

mod common;

use common::Month;

fn month(rows: &[&[&str]]) -> Month {
    let mut all: Vec<&[&str]> = vec![&["分野", "区分", "内容"]];
    all.extend_from_slice(rows);
    Month::new().sheet("総務課.xlsx", "回答", &all).sheet(
        "財政課.xlsx",
        "回答",
        &[
            &["分野", "区分", "内容"],
            &["財務", "課題", "補助金の情報共有が必要。"],
        ],
    )
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn one_new_one_removed_and_a_retyped_item_continues() {
    let last = month(&[
        &["DX推進", "課題", "PCの仕様が異なる。"],
        &["DX推進", "課題", "名刺管理が紙で行われている。"],
        &["経営", "解決案", "内部統制の導入。"],
    ]);
    let before = last.build(&[]);
    assert_eq!(before.code, 0, "{}", before.stdout);
    assert!(
        before.json().get("removed").is_none(),
        "no comparison without --previous"
    );

    let this = month(&[
        &["DX推進", "課題", "ＰＣの仕様が異なる"],
        &["経営", "解決案", "内部統制の導入。"],
        &["働き方改革", "取組済み", "時差通勤を導入した。"],
    ]);
    let prev = before.out.to_str().unwrap().to_string();
    let run = this.build(&["--previous", &prev]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);

    let json = run.json();
    let mut statuses = Vec::new();
    for f in json["fields"].as_array().unwrap() {
        for items in f["cells"].as_object().unwrap().values() {
            for it in items.as_array().unwrap() {
                statuses.push((
                    it["text"].as_str().unwrap().to_string(),
                    it["status"].as_str().unwrap().to_string(),
                ));
            }
        }
    }
    let new: Vec<_> = statuses.iter().filter(|(_, s)| s == "新規").collect();
    assert_eq!(new.len(), 1, "{statuses:?}");
    assert_eq!(new[0].0, "時差通勤を導入した。");
    assert_eq!(
        statuses.iter().filter(|(_, s)| s == "継続").count(),
        3,
        "{statuses:?}"
    );
    let removed = json["removed"].as_array().unwrap();
    assert_eq!(removed.len(), 1);
    assert_eq!(removed[0]["text"], "名刺管理が紙で行われている。");
    assert_eq!(removed[0]["departments"][0], "総務課");

    // The 新 mark is on exactly that item in the Excel handout …
    let sheet = run.xlsx_sheet("資料");
    let marked: Vec<&String> = sheet
        .iter()
        .flatten()
        .filter(|c| c.contains("新・"))
        .collect();
    assert_eq!(marked.len(), 1, "{sheet:?}");
    assert!(marked[0].contains("新・時差通勤を導入した。"));
    let detail = run.xlsx_sheet("明細");
    assert_eq!(detail[0].last().unwrap(), "状態");

    // … and in the PDF's text layer, with the legend.
    let pdf = run
        .out
        .join("資料_各分野の現状と課題及び想定される解決策.pdf");
    let out = std::process::Command::new("pdftotext")
        .arg("-raw")
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    let text = squash(&String::from_utf8(out.stdout).unwrap());
    assert_eq!(text.matches("新・").count(), 1, "{text}");
    assert!(text.contains("新・時差通勤を導入した。"));
    assert!(text.contains("新＝前回の資料にない項目"));

    let report = run.report();
    assert!(report.contains("新規 1 / 継続 3 / 削除 1"), "{report}");
    assert!(
        report.contains("削除 [DX推進／現状と課題] 名刺管理が紙で行われている。"),
        "{report}"
    );
}

#[test]
fn a_missing_previous_run_is_a_usage_error() {
    let run = month(&[]).build(&["--previous", "/nonexistent/last-month"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("前回の出力"), "{}", run.stderr);
}
