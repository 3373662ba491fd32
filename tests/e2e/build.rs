//! End-to-end: the real binary on workbooks written by the tests.

use crate::common::{self, Month, write_rows};
use rust_xlsxwriter::Format;

#[test]
fn long_layout_with_metadata_block_example_row_and_unknown_field() {
    let month = Month::new().workbook("R8_11_総務課_提出.xlsx", |wb| {
        let ws = wb.add_worksheet();
        ws.set_name("提出").unwrap();
        write_rows(
            ws,
            0,
            &[
                &["各課行政改革インタビュー　回答票"],
                &["所属", "", "総務部 総務課"],
                &["記入者", "", "庶務係"],
                &[],
                &[
                    "分野\n（選択）",
                    "区分",
                    "内容（具体的に）",
                    "参考事例",
                    "備考",
                ],
                &["記入例", "現状と課題", "〇〇に時間を要している。"],
                &[
                    "ＤＸ推進",
                    "現状と課題",
                    "河﨑さんの名刺管理が紙で行われている。",
                ],
                &["", "解決案", "名刺管理システムの導入。＜徳島県＞", "仙台市"],
                &["観光", "課題", "観光客が少ない。"],
                &["財務関係", "取組中", "髙橋係長が𠮟咤激励している①"],
            ],
        );
    });
    let run = month.build(&[]);
    assert_eq!(
        run.code, 1,
        "a rejected row makes exit code 1\n{}",
        run.stdout
    );

    let item = run.item("河﨑さんの名刺管理が紙で行われている。");
    assert_eq!(item.field, "DX推進");
    assert_eq!(item.column, "issues");
    assert_eq!(
        item.departments,
        vec!["総務部 総務課"],
        "department from the label cell"
    );
    assert_eq!(item.cells, vec!["C7"]);

    let sol = run.item("名刺管理システムの導入。");
    assert_eq!(sol.field, "DX推進", "blank 分野 filled down");
    assert_eq!(sol.examples.as_deref(), Some("徳島県、仙台市"));

    let kept = run.item("髙橋係長が𠮟咤激励している①");
    assert_eq!(
        (kept.field.as_str(), kept.column.as_str()),
        ("財務", "ongoing")
    );

    let rejected = run.rejected();
    assert_eq!(rejected.len(), 1);
    assert_eq!(rejected[0]["cell"], "A9");
    assert_eq!(rejected[0]["sheet"], "提出");
    assert_eq!(rejected[0]["reason"], "分野「観光」は登録されていません。");
    let fix = rejected[0]["fix"].as_str().unwrap();
    assert!(fix.starts_with("候補: "), "{fix}");
    assert_eq!(rejected[0]["department"], "総務部 総務課");

    let skipped = run.skipped();
    assert!(
        skipped
            .iter()
            .any(|s| s["cell"] == "A6" && s["reason"].as_str().unwrap().contains("記入例")),
        "{skipped:?}"
    );
    let counts = &run.json()["counts"];
    assert_eq!(counts["rows"], 5);
    assert_eq!(counts["items"], 3);
    assert_eq!(counts["rejected"], 1);
    assert!(
        run.report()
            .contains("R8_11_総務課_提出.xlsx!提出!A9: 分野「観光」")
    );
}

#[test]
fn wide_layout_with_merged_field_and_bulleted_cells() {
    let month = Month::new().workbook("情報政策課.xlsx", |wb| {
        let ws = wb.add_worksheet();
        ws.set_name("回答").unwrap();
        let wrap = Format::new().set_text_wrap();
        write_rows(
            ws,
            0,
            &[&[
                "分野",
                "各課インタビューにおける\n主な意見（現状と課題）",
                "想定される解決案（他自治体の事例含む）",
                "既に取り組んでいる内容",
            ]],
        );
        ws.merge_range(1, 0, 2, 0, "ＤＸ推進", &wrap).unwrap();
        write_rows(
            ws,
            1,
            &[
                &["", "・ｵﾝﾗｲﾝで予約はできるが、申請は紙や電話というように、\nデジタルとアナログが併存している。\n・部署によって求められるＰＣの仕様が異なる。"],
                &["", "", "・Microsoft\nTeams の活用＜宗像市、明石市など＞", "・電子入札を導入した。"],
            ],
        );
    });
    let run = month.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let a = run.item("オンラインで予約はできるが、申請は紙や電話というように、デジタルとアナログが併存している。");
    assert_eq!((a.field.as_str(), a.column.as_str()), ("DX推進", "issues"));
    assert_eq!(a.departments, vec!["情報政策課"]);
    assert_eq!(a.cells, vec!["B2"]);
    run.item("部署によって求められるPCの仕様が異なる。");
    let t = run.item("Microsoft Teams の活用");
    assert_eq!(t.field, "DX推進", "merged 分野 applies to the second row");
    assert_eq!(t.examples.as_deref(), Some("宗像市、明石市など"));
    assert_eq!(run.item("電子入札を導入した。").column, "ongoing");
    assert_eq!(run.items().len(), 4);
}

#[test]
fn table_starting_in_column_b_keeps_absolute_references() {
    let month = Month::new().workbook("市民課.xlsx", |wb| {
        let ws = wb.add_worksheet();
        write_rows(
            ws,
            2,
            &[
                &["", "分野", "区分", "意見"],
                &["", "行政", "課題", "窓口が混雑している。"],
            ],
        );
    });
    let run = month.build(&[]);
    assert_eq!(run.item("窓口が混雑している。").cells, vec!["D4"]);
}

#[test]
fn excel_grid_paper_reads_blocks_by_their_top_left_cell() {
    // エクセル方眼紙: every header and value is a merged block of narrow columns,
    // and each statement spans two grid rows.
    let month = Month::new().workbook("人事課.xlsx", |wb| {
        let ws = wb.add_worksheet();
        let f = Format::new();
        for c in 0..12 {
            ws.set_column_width(c, 2.5).unwrap();
        }
        ws.merge_range(0, 0, 0, 2, "分野", &f).unwrap();
        ws.merge_range(0, 3, 0, 5, "区分", &f).unwrap();
        ws.merge_range(0, 6, 0, 11, "内容", &f).unwrap();
        ws.merge_range(1, 0, 4, 2, "人材育成", &f).unwrap();
        ws.merge_range(1, 3, 2, 5, "課題", &f).unwrap();
        ws.merge_range(1, 6, 2, 11, "研修の機会が少ない。", &f)
            .unwrap();
        ws.merge_range(3, 3, 4, 5, "解決案", &f).unwrap();
        ws.merge_range(3, 6, 4, 11, "階層別研修の実施。", &f)
            .unwrap();
    });
    let run = month.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(run.items().len(), 2);
    assert_eq!(run.item("階層別研修の実施。").cells, vec!["G4"]);
    assert_eq!(
        run.json()["counts"]["rows"],
        2,
        "covered grid rows are not input rows"
    );
}

#[test]
fn csv_in_shift_jis_and_hidden_sheet_and_other_files() {
    let (sjis, _, _) =
        encoding_rs::SHIFT_JIS.encode("分野,区分,内容\r\n働き方,取組済,時差通勤を導入した。\r\n");
    let month = Month::new()
        .file("R8_11_市民課_回答.csv", &sjis)
        .file("~$市民課.xlsx", b"lock")
        .file("メモ.txt", "メモ".as_bytes())
        .workbook("財政課.xlsx", |wb| {
            let ws = wb.add_worksheet();
            write_rows(
                ws,
                0,
                &[&["分野", "区分", "内容"], &["財政", "課題", "見える"]],
            );
            let hidden = wb.add_worksheet();
            hidden.set_name("旧").unwrap();
            write_rows(
                hidden,
                0,
                &[&["分野", "区分", "内容"], &["財政", "課題", "隠れている"]],
            );
            hidden.set_hidden(true);
        });
    let run = month.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let i = run.item("時差通勤を導入した。");
    assert_eq!(
        (i.field.as_str(), i.departments[0].as_str()),
        ("働き方改革", "市民課")
    );
    assert!(run.items().iter().all(|i| i.text != "隠れている"));
    let skipped = run.skipped();
    for (file, sheet) in [
        ("~$市民課.xlsx", None),
        ("メモ.txt", None),
        ("財政課.xlsx", Some("旧")),
    ] {
        assert!(
            skipped
                .iter()
                .any(|s| s["file"] == file && s["sheet"].as_str() == sheet),
            "{file} not listed: {skipped:?}"
        );
    }
}

#[test]
fn duplicates_across_departments_merge_into_one_item_with_all_sources() {
    let month = Month::new()
        .sheet(
            "総務課.xlsx",
            "回答",
            &[
                &["分野", "区分", "内容"],
                &["DX推進", "課題", "PCの仕様が異なる。"],
            ],
        )
        .sheet(
            "情報政策課.xlsx",
            "回答",
            &[
                &["分野", "区分", "内容"],
                &["ＤＸ", "現状と課題", "ＰＣの仕様が異なる"],
            ],
        );
    let run = month.build(&[]);
    let items = run.items();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].departments, vec!["情報政策課", "総務課"]);
    assert_eq!(
        items[0].text, "PCの仕様が異なる",
        "first source by file name keeps its text"
    );
    assert_eq!(run.json()["counts"]["duplicates_merged"], 1);
}

#[test]
fn check_writes_nothing_and_exits_by_cleanliness() {
    let clean = Month::new().sheet(
        "a.xlsx",
        "s",
        &[&["分野", "区分", "内容"], &["経営", "課題", "一件"]],
    );
    let run = clean.check();
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(!run.out.exists());
    assert!(run.stdout.contains("結果: 正常"));

    let dirty = Month::new().sheet(
        "a.xlsx",
        "s",
        &[&["分野", "区分", "内容"], &["経営", "要望", "一件"]],
    );
    let run = dirty.check();
    assert_eq!(run.code, 1);
    assert!(
        run.stdout
            .contains("a.xlsx!s!B2: 区分「要望」は登録されていません。"),
        "{}",
        run.stdout
    );
}

#[test]
fn strict_writes_no_handout_when_something_is_rejected() {
    let dirty = Month::new().sheet(
        "a.xlsx",
        "s",
        &[&["分野", "区分", "内容"], &["観光", "課題", "一件"]],
    );
    let run = dirty.build(&["--strict"]);
    assert_eq!(run.code, 1);
    assert!(!run.out.join("matrix.json").exists());
    assert!(run.stdout.contains("--strict"));
}

#[test]
fn corrupt_workbook_fails_alone_and_the_rest_is_built() {
    let month = Month::new()
        .file("壊れた課.xlsx", b"PK\x03\x04 this is not really a zip")
        .sheet(
            "a.xlsx",
            "s",
            &[&["分野", "区分", "内容"], &["経営", "課題", "一件"]],
        );
    let run = month.build(&[]);
    assert_eq!(run.code, 1);
    let failed = run.json()["failed"].as_array().unwrap().clone();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0]["file"], "壊れた課.xlsx");
    assert!(
        failed[0]["reason"]
            .as_str()
            .unwrap()
            .contains("壊れています"),
        "{failed:?}"
    );
    run.item("一件");
}

#[test]
fn usage_errors_exit_2_and_write_nothing() {
    let run = Month::new().build(&["--date", "2026-02-30"]);
    assert_eq!(run.code, 2);
    let missing = std::process::Command::new(common::exe())
        .args(["build", "/nonexistent/folder", "-o", "/tmp/shiryo-never"])
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
    assert!(shiryo::console::decode_redirected(&missing.stderr).contains("入力フォルダ"));
    assert!(!std::path::Path::new("/tmp/shiryo-never").exists());
}

#[test]
fn broken_template_is_an_error_with_its_line() {
    let month = Month::new().sheet(
        "a.xlsx",
        "s",
        &[&["分野", "区分", "内容"], &["経営", "課題", "一件"]],
    );
    let t = month.path().join("bad.xml.tpl");
    std::fs::write(
        &t,
        "<matrix>\n  <title>x</title>\n  <paper size=\"A3\">\n</matrix>\n",
    )
    .unwrap();
    let run = month.build(&["--template", t.to_str().unwrap()]);
    assert_eq!(run.code, 2);
    // The closing tag that does not match is on line 4.
    assert!(
        run.stderr.contains(&format!(
            "テンプレート {} の 4 行目: XML として読めません",
            t.display()
        )),
        "{}",
        run.stderr
    );

    // A template that is not there: no line number, what to check.
    let gone = month.path().join("無い.xml");
    let run = month.build(&["--template", gone.to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains(&format!(
            "テンプレート {}: 読み込めません（ファイルがありません: ",
            gone.display()
        )) && run
            .stderr
            .contains("--template のファイル名と場所を確かめてください。"),
        "{}",
        run.stderr
    );
}
