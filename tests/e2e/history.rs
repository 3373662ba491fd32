//! Month over month (issue 5): 新規 / 継続 / 削除 against the previous run.

use crate::common;

use crate::common::Month;

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
    if let Some(text) = run.pdf_text() {
        assert_eq!(text.matches("新・").count(), 1, "{text}");
        assert!(text.contains("新・時差通勤を導入した。"));
        assert!(text.contains("新＝前回の資料にない項目"));
    }

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

/// Issue 5, acceptance 1, on the real sample month: 広報広聴課.xlsx is
/// rewritten with one item added, one removed and one re-typed with
/// full-width letters (ＳＮＳ).
#[test]
fn sample_month_with_one_file_changed() {
    let first = common::build_at(&common::sample_input(), &[]);
    assert_eq!(first.code, 1, "the sample has one rejected row");

    let copy = tempfile::tempdir().unwrap();
    for e in std::fs::read_dir(common::sample_input()).unwrap().flatten() {
        std::fs::copy(e.path(), copy.path().join(e.file_name())).unwrap();
    }
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("回答").unwrap();
    let rows: [[&str; 4]; 7] = [
        ["分野", "区分", "意見", "事例"],
        [
            "行政",
            "課題",
            "ＳＮＳを活用しているがフォロワーが伸び悩んでいる状況にある。",
            "",
        ],
        [
            "行政",
            "取組中",
            "SNSを活用し、若い世代が親しみやすい情報を配信している。",
            "",
        ],
        [
            "行政",
            "要望",
            "市の広報紙をもっと見やすくしてほしいという声がある。",
            "",
        ],
        [
            "経営関係",
            "課題",
            "各部署で市のＰＲを行っているが、専門的知識やノウハウが不十分である。",
            "",
        ],
        [
            "経営関係",
            "解決策",
            "ＳＮＳの利活用を含めたシティプロモーション統括部署の設置。",
            "流山市、川崎市など",
        ],
        [
            "経営関係",
            "取組中",
            "広報紙の全戸配布を見直し、アプリ配信を始めた。",
            "",
        ],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(r as u32, c as u16, *v).unwrap();
            }
        }
    }
    wb.save(copy.path().join("広報広聴課.xlsx")).unwrap();

    let prev = first.out.to_str().unwrap().to_string();
    let run = common::build_at(copy.path(), &["--previous", &prev]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let json = run.json();
    let mut new = Vec::new();
    let mut continued = 0;
    for f in json["fields"].as_array().unwrap() {
        for items in f["cells"].as_object().unwrap().values() {
            for it in items.as_array().unwrap() {
                match it["status"].as_str().unwrap() {
                    "新規" => new.push(it["text"].as_str().unwrap().to_string()),
                    "継続" => continued += 1,
                    other => panic!("unexpected status {other}"),
                }
            }
        }
    }
    assert_eq!(new, vec!["広報紙の全戸配布を見直し、アプリ配信を始めた。"]);
    assert_eq!(
        continued,
        119 - 1,
        "every other item of the sample continues"
    );
    let removed = json["removed"].as_array().unwrap();
    assert_eq!(removed.len(), 1);
    assert_eq!(
        removed[0]["text"],
        "事後対応に追われており、未然防止につながる活動（出前講座の実施等）に注力できていない。"
    );

    let marked: Vec<String> = run
        .xlsx_sheet("資料")
        .into_iter()
        .flatten()
        .filter(|c| c.contains("新・"))
        .collect();
    assert_eq!(marked.len(), 1);
    assert!(marked[0].contains("新・広報紙の全戸配布を見直し"));
    if let Some(text) = run.pdf_text() {
        assert_eq!(text.matches("新・").count(), 1);
        assert!(text.contains("新・広報紙の全戸配布を見直し、アプリ配信を始めた。"));
    }
}

#[test]
fn a_month_written_by_the_previous_release_can_be_compared() {
    let previous =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/previous_release");
    let run = common::build_at(
        &common::sample_input(),
        &["--previous", previous.to_str().unwrap()],
    );
    // The sample month has one rejected row: exit 1, not the usage error.
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    let items = run.items();
    assert_eq!(items.len(), 119);
    // The same month again: every item continues, nothing is gone.
    let json = run.json();
    let statuses: Vec<&str> = json["fields"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["cells"].as_object().unwrap().values())
        .flat_map(|c| c.as_array().unwrap())
        .map(|i| i["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses.len(), 119);
    assert!(statuses.iter().all(|s| *s == "継続"), "{statuses:?}");
    assert_eq!(json["removed"], serde_json::json!([]));
}
