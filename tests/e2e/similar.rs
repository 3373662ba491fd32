//! Similar items (issue 18, SPEC §8.2) through the real binary: the sample
//! month with one more department that says three of its points in other
//! words. The groups are numbered in matrix order and listed in
//! matrix.json, the report, `check` and 事務局修正.xlsx; one 修正後の文
//! for a group merges it; nothing else changes.

use std::path::Path;

use crate::common::{self, Month, Run};

const EDITS: &str = "事務局修正.xlsx";
const SHEET_PATH: &str = "xl/worksheets/sheet1.xml";

/// A department that words three of the sample's points its own way.
const KANZAI: &str = "分野,区分,内容\n\
財務,現状と課題,庁用車の台数が足りない部署がある。\n\
DX推進,解決案,名刺を管理するシステムを導入する。＜横浜市＞\n\
働き方改革,解決案,在宅勤務ができる環境を整える。\n";

const SAIKEN: &str = "各部署で債権管理（滞納対応等）を行っているが、専門的知識、ノウハウ等が不足しており、対応にあてる時間も不足している。";
const PR: &str = "各部署で市のPRを行っているが、専門的知識やノウハウが不十分である。";

/// The sample month and 管財課.csv in a folder of their own.
fn month() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for e in std::fs::read_dir(common::sample_input()).unwrap().flatten() {
        std::fs::copy(e.path(), dir.path().join(e.file_name())).unwrap();
    }
    std::fs::write(dir.path().join("管財課.csv"), KANZAI).unwrap();
    dir
}

/// (similar, 分野, 区分 key, text) of every grouped item, in matrix order.
fn grouped(run: &Run) -> Vec<(u64, String, String, String)> {
    let j = run.json();
    let mut out = Vec::new();
    for f in j["fields"].as_array().unwrap() {
        for key in ["council", "issues", "solutions", "ongoing"] {
            for it in f["cells"][key].as_array().unwrap() {
                if let Some(n) = it.get("similar") {
                    out.push((
                        n.as_u64().expect("a number"),
                        f["name"].as_str().unwrap().to_string(),
                        key.to_string(),
                        it["text"].as_str().unwrap().to_string(),
                    ));
                }
            }
        }
    }
    out
}

fn g(n: u64, field: &str, key: &str, text: &str) -> (u64, String, String, String) {
    (n, field.into(), key.into(), text.into())
}

/// The rows of 事務局修正.xlsx: (Excel row number, 現在の文, 似ている項目).
fn sheet_rows(path: &Path) -> Vec<(usize, String, String)> {
    let rows = common::read_sheet(path, "事務局修正");
    let header = rows
        .iter()
        .position(|r| r.first().map(String::as_str) == Some("分野"))
        .expect("the header row");
    assert_eq!(rows[header][7], "似ている項目");
    rows.iter()
        .enumerate()
        .skip(header + 1)
        .filter(|(_, r)| !r.iter().all(String::is_empty))
        .map(|(i, r)| (i + 1, r[2].clone(), r.get(7).cloned().unwrap_or_default()))
        .collect()
}

#[test]
fn groups_are_numbered_in_matrix_order_and_listed_in_every_output() {
    let input = month();
    let run = common::build_at(input.path(), &[]);
    assert_eq!(run.code, 1, "the sample's one rejected row: {}", run.stdout);
    assert_eq!(
        grouped(&run),
        vec![
            g(
                1,
                "DX推進",
                "solutions",
                "名刺を管理するシステムを導入する。"
            ),
            g(1, "DX推進", "solutions", "名刺管理システムの導入。"),
            g(2, "財務", "issues", "庁用車の台数が足りない部署がある。"),
            g(2, "財務", "issues", "公用車が不足している部署がある。"),
            g(
                3,
                "働き方改革",
                "solutions",
                "勤務場所以外でリモートワークできる環境の整備。"
            ),
            g(
                3,
                "働き方改革",
                "solutions",
                "在宅勤務ができる環境を整える。"
            ),
            g(4, "経営", "issues", SAIKEN),
            g(4, "経営", "issues", PR),
        ]
    );
    // Nothing is merged: every item is still there.
    assert_eq!(run.json()["counts"]["items"], 122);

    let report = run.report();
    let section = "\n■ 似ている項目（まとめる候補） 4 組\n  同じことを別の言葉で書いた項目の候補です（資料は変えていません）。まとめるときは、事務局修正.xlsx で「似ている項目」が同じ番号の行に、同じ「修正後の文」を書いてください。\n  似1 [DX推進／解決案]\n    ・名刺を管理するシステムを導入する。＜横浜市＞（管財課 管財課.csv!管財課!C3）\n    ・名刺管理システムの導入。＜徳島県、仙台市、北九州市など＞（総務課 総務課.xlsx!回答!C9）\n  似2 [財務／現状と課題]\n    ・庁用車の台数が足りない部署がある。（管財課 管財課.csv!管財課!C2）\n    ・公用車が不足している部署がある。（財産活用課 財産活用課.ods!回答!C2）\n  似3 [働き方改革／解決案]\n    ・勤務場所以外でリモートワークできる環境の整備。＜地方公共団体におけるテレワーク推進のための手引きに事例あり＞（人事課 人事課.xlsx!人事課!C5）\n    ・在宅勤務ができる環境を整える。（管財課 管財課.csv!管財課!C4）\n  似4 [経営／現状と課題]\n";
    assert!(report.contains(section), "{report}");
    assert!(report.contains(&format!(
        "  似4 [経営／現状と課題]\n    ・{SAIKEN}（財政課 R5_06_財政課_回答.xlsx!回答!C12）\n    ・{PR}（広報広聴課 広報広聴課.xlsx!回答!C6）\n"
    )));
    assert!(report.contains("  似ている項目（まとめる候補）: 4 組 / 8 項目\n"));

    // 事務局修正.xlsx: one row per item, a group's rows together, labelled.
    let rows = sheet_rows(&run.out.join(EDITS));
    assert_eq!(rows.len(), 122);
    let labelled: Vec<(String, String)> = rows
        .iter()
        .filter(|r| !r.2.is_empty())
        .map(|r| (r.2.clone(), r.1.clone()))
        .collect();
    let l = |label: &str, text: &str| (label.to_string(), text.to_string());
    assert_eq!(
        labelled,
        vec![
            l("似1", "名刺を管理するシステムを導入する。＜横浜市＞"),
            l(
                "似1",
                "名刺管理システムの導入。＜徳島県、仙台市、北九州市など＞"
            ),
            l("似2", "庁用車の台数が足りない部署がある。"),
            l("似2", "公用車が不足している部署がある。"),
            l(
                "似3",
                "勤務場所以外でリモートワークできる環境の整備。＜地方公共団体におけるテレワーク推進のための手引きに事例あり＞"
            ),
            l("似3", "在宅勤務ができる環境を整える。"),
            l("似4", SAIKEN),
            l("似4", PR),
        ]
    );
    for label in ["似1", "似2", "似3", "似4"] {
        let at: Vec<usize> = rows.iter().filter(|r| r.2 == label).map(|r| r.0).collect();
        assert_eq!(at[1], at[0] + 1, "{label} rows stand together: {at:?}");
    }
    // 人事課's row of the 働き方改革 solutions moved down to its group:
    // the rows of the cell before it keep their order.
    let cell: Vec<&str> = rows
        .iter()
        .map(|r| r.1.as_str())
        .skip_while(|t| !t.starts_with("オンライン会議の利便性の向上"))
        .take(5)
        .collect();
    assert_eq!(
        cell,
        vec![
            "オンライン会議の利便性の向上（通信環境、会議室等）。",
            "勤務場所以外でリモートワークできる環境の整備。＜地方公共団体におけるテレワーク推進のための手引きに事例あり＞",
            "在宅勤務ができる環境を整える。",
            "使送便の対象範囲拡大。",
            "産休、育休等が取得しやすい職場環境の構築。",
        ]
    );
}

#[test]
fn one_revised_text_for_a_group_merges_it_and_it_is_suggested_no_more() {
    let input = month();
    let first = common::build_at(input.path(), &[]);
    let path = first.out.join(EDITS);
    let rows = sheet_rows(&path);
    let cells: Vec<String> = rows
        .iter()
        .filter(|r| r.2 == "似2")
        .map(|r| format!("D{}", r.0))
        .collect();
    assert_eq!(cells.len(), 2);
    let values: Vec<(&str, &str)> = cells
        .iter()
        .map(|c| (c.as_str(), "公用車が足りない部署がある。"))
        .collect();
    let filled = common::fill(&std::fs::read(&path).unwrap(), SHEET_PATH, &values);
    std::fs::write(input.path().join("直し.xlsx"), filled).unwrap();
    let run = common::build_at(input.path(), &[]);
    assert_eq!(run.code, 1, "{}", run.stdout);

    let merged = run.item("公用車が足りない部署がある。");
    assert_eq!(merged.departments, vec!["管財課", "財産活用課"]);
    assert_eq!(merged.cells, vec!["C2", "C2"]);
    assert_eq!(run.json()["counts"]["items"], 121);
    // The merged item is one item: no group; the others renumbered.
    assert_eq!(
        grouped(&run),
        vec![
            g(
                1,
                "DX推進",
                "solutions",
                "名刺を管理するシステムを導入する。"
            ),
            g(1, "DX推進", "solutions", "名刺管理システムの導入。"),
            g(
                2,
                "働き方改革",
                "solutions",
                "勤務場所以外でリモートワークできる環境の整備。"
            ),
            g(
                2,
                "働き方改革",
                "solutions",
                "在宅勤務ができる環境を整える。"
            ),
            g(3, "経営", "issues", SAIKEN),
            g(3, "経営", "issues", PR),
        ]
    );
    let report = run.report();
    assert!(
        report.contains("■ 似ている項目（まとめる候補） 3 組\n"),
        "{report}"
    );
    assert!(!report.contains("[財務／現状と課題]\n    ・"), "{report}");
    // Both submitted rows are still in the next sheet, with their
    // correction, and no longer labelled.
    let next = sheet_rows(&run.out.join(EDITS));
    let kept: Vec<&(usize, String, String)> = next
        .iter()
        .filter(|r| {
            r.1 == "庁用車の台数が足りない部署がある。" || r.1 == "公用車が不足している部署がある。"
        })
        .collect();
    assert_eq!(kept.len(), 2);
    assert!(kept.iter().all(|r| r.2.is_empty()), "{kept:?}");
}

#[test]
fn check_shows_the_count_and_reruns_are_byte_identical() {
    let input = month();
    let run = common::build_at(input.path(), &[]);
    let again = common::build_at(input.path(), &[]);
    for name in ["matrix.json", "report.txt", EDITS] {
        assert!(
            std::fs::read(run.out.join(name)).unwrap()
                == std::fs::read(again.out.join(name)).unwrap(),
            "{name} differs between two runs"
        );
    }
    let mut cmd = std::process::Command::new(common::exe());
    let out = cmd.arg("check").arg(input.path()).output().unwrap();
    let stdout = shiryo::console::decode_redirected(&out.stdout);
    assert!(
        stdout.contains("  似ている項目（まとめる候補）: 4 組 / 8 項目\n"),
        "{stdout}"
    );
    assert!(stdout.contains("■ 似ている項目（まとめる候補） 4 組\n"));
}

#[test]
fn a_month_with_groups_is_read_as_the_previous_month() {
    let input = month();
    let first = common::build_at(input.path(), &[]);
    let run = common::build_at(input.path(), &["--previous", first.out.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let report = run.report();
    assert!(report.contains("新規 0 / 継続 122 / 削除 0"), "{report}");
    assert_eq!(grouped(&run), grouped(&first));
}

#[test]
fn the_templates_synonyms_join_words_the_table_does_not_know() {
    let month = Month::new().sheet(
        "a.xlsx",
        "回答",
        &[
            &["分野", "区分", "内容"],
            &["DX推進", "解決案", "GISを導入する。"],
            &["DX推進", "解決案", "地理情報システムを導入する。"],
        ],
    );
    let plain = month.build(&[]);
    assert_eq!(plain.code, 0, "{}", plain.stdout);
    assert!(grouped(&plain).is_empty());

    let xml = shiryo::template::DEFAULT_XML.replace(
        "<synonyms>\n  </synonyms>",
        "<synonyms>\n    <group><word>GIS</word><word>地理情報システム</word></group>\n  </synonyms>",
    );
    let tpl = month.path().join("own.xml.tpl");
    std::fs::write(&tpl, &xml).unwrap();
    let run = month.build(&["--template", tpl.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(
        grouped(&run),
        vec![
            g(1, "DX推進", "solutions", "GISを導入する。"),
            g(1, "DX推進", "solutions", "地理情報システムを導入する。"),
        ]
    );

    // A group of one word is a mistake, shown with its line.
    let one = shiryo::template::DEFAULT_XML.replace(
        "<synonyms>\n  </synonyms>",
        "<synonyms>\n    <group><word>GIS</word></group>\n  </synonyms>",
    );
    let line = one
        .lines()
        .position(|l| l.contains("<group><word>GIS</word></group>"))
        .unwrap()
        + 1;
    std::fs::write(&tpl, &one).unwrap();
    let bad = month.build(&["--template", tpl.to_str().unwrap()]);
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr.contains(&format!(
            "テンプレート {} の {line} 行目: 同じ意味の言葉のまとまり（group）には、言葉（word）を2つ以上書いてください。",
            tpl.display()
        )),
        "{}",
        bad.stderr
    );
}
