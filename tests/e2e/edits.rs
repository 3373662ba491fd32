//! The secretariat's editorial pass (issue 13, SPEC §7.9): 事務局修正.xlsx
//! is written by every build, filled in by the secretariat, and read back
//! from the input folder (by its header) or `--edits`.

use std::path::{Path, PathBuf};

use crate::common::{self, Run};

const EDITS: &str = "事務局修正.xlsx";
const SHEET_PATH: &str = "xl/worksheets/sheet1.xml";

/// The item rows of a corrections sheet: (Excel row number, 分野, 区分, 現在の文).
fn item_rows(path: &Path) -> Vec<(usize, String, String, String)> {
    let rows = common::read_sheet(path, "事務局修正");
    let header = rows
        .iter()
        .position(|r| r.first().map(String::as_str) == Some("分野"))
        .expect("the header row");
    rows.iter()
        .enumerate()
        .skip(header + 1)
        .filter(|(_, r)| !r.iter().all(String::is_empty))
        .map(|(i, r)| (i + 1, r[0].clone(), r[1].clone(), r[2].clone()))
        .collect()
}

/// A copy of the sample month in a folder of its own.
fn sample_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for e in std::fs::read_dir(common::sample_input()).unwrap().flatten() {
        std::fs::copy(e.path(), dir.path().join(e.file_name())).unwrap();
    }
    dir
}

struct Pass {
    revised: String,
    revised_to: String,
    hidden: String,
    pair: (String, String),
    pair_to: String,
    filled: Vec<u8>,
}

/// Fills this month's corrections sheet: one text replaced, one item left
/// out, two items of one cell given the same text.
fn fill_pass(first: &Run) -> Pass {
    let path = first.out.join(EDITS);
    let rows = item_rows(&path);
    // Items of the departments' cells (not the minutes), by cell.
    let pair = rows
        .windows(2)
        .find(|w| w[0].1 == w[1].1 && w[0].2 == w[1].2 && w[0].2 != "審議会意見")
        .expect("two items in one cell");
    let others: Vec<_> = rows
        .iter()
        .filter(|r| r.2 != "審議会意見" && r.0 != pair[0].0 && r.0 != pair[1].0)
        .collect();
    let (revised, hidden) = (others[0], others[5]);
    let revised_to = "事務局で短くした文。＜宗像市＞".to_string();
    let pair_to = "二つを一つにまとめた文。".to_string();
    let cells = [
        (format!("D{}", revised.0), revised_to.clone()),
        (format!("E{}", hidden.0), "○".to_string()),
        (format!("D{}", pair[0].0), pair_to.clone()),
        (format!("D{}", pair[1].0), pair_to.clone()),
    ];
    let values: Vec<(&str, &str)> = cells
        .iter()
        .map(|(c, v)| (c.as_str(), v.as_str()))
        .collect();
    let filled = common::fill(&std::fs::read(&path).unwrap(), SHEET_PATH, &values);
    let text = |s: &str| {
        let (t, _) = shiryo::normalize::split_examples(s);
        t
    };
    Pass {
        revised: text(&revised.3),
        revised_to,
        hidden: text(&hidden.3),
        pair: (text(&pair[0].3), text(&pair[1].3)),
        pair_to,
        filled,
    }
}

/// `分野／区分` of the item with this text, as the report shows it.
fn items_field(run: &Run, text: &str) -> String {
    let j = run.json();
    for f in j["fields"].as_array().unwrap() {
        for (key, items) in f["cells"].as_object().unwrap() {
            if items.as_array().unwrap().iter().any(|i| i["text"] == text) {
                let short = match key.as_str() {
                    "council" => "審議会意見",
                    "issues" => "現状と課題",
                    "solutions" => "解決案",
                    _ => "取組済み",
                };
                return format!("{}／{short}", f["name"].as_str().unwrap());
            }
        }
    }
    panic!("no item {text}")
}

fn json_items(run: &Run) -> Vec<serde_json::Value> {
    run.json()["fields"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| {
            f["cells"]
                .as_object()
                .unwrap()
                .values()
                .flat_map(|c| c.as_array().unwrap().clone())
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn every_build_writes_a_corrections_sheet_with_one_row_per_item() {
    let run = common::build_at(&common::sample_input(), &[]);
    let rows = item_rows(&run.out.join(EDITS));
    assert_eq!(rows.len(), 119);
    assert_eq!(run.json()["counts"]["items"], 119);
    let sheet = common::unzip_text(&run.out.join(EDITS), SHEET_PATH);
    assert!(sheet.contains("<sheetProtection"), "the rest is locked");
    assert!(
        sheet.contains("<dataValidation type=\"list\""),
        "○ from a list"
    );
}

#[test]
fn a_filled_pass_changes_the_handout_and_is_carried_forward() {
    let first = common::build_at(&common::sample_input(), &[]);
    let pass = fill_pass(&first);
    let input = sample_copy();
    // Any name: the header says what it is.
    std::fs::write(input.path().join("11月の直し.xlsx"), &pass.filled).unwrap();
    let run = common::build_at(input.path(), &[]);
    assert_eq!(run.code, 1, "the sample's one rejected row: {}", run.stdout);

    let items = json_items(&run);
    let find = |text: &str| items.iter().find(|i| i["text"] == text).cloned();
    // Replaced, examples read again from the new text.
    let revised = find("事務局で短くした文。").expect("the new text");
    assert_eq!(revised["examples"], "宗像市");
    assert_eq!(revised["original"], pass.revised.as_str());
    assert!(find(&pass.revised).is_none());
    // Hidden from the handout, kept in matrix.json.
    let hidden = find(&pass.hidden).expect("the hidden item stays in matrix.json");
    assert_eq!(hidden["hidden"], true);
    // The pair is one item with both sources.
    let merged = find(&pass.pair_to).expect("the merged item");
    assert_eq!(merged["sources"].as_array().unwrap().len(), 2, "{merged}");
    // Both submitted texts are kept, for the audit and the next month.
    assert_eq!(merged["original"], pass.pair.0.as_str());
    assert_eq!(merged["merged_originals"], serde_json::json!([pass.pair.1]));
    assert!(find(&pass.pair.0).is_none() && find(&pass.pair.1).is_none());
    assert_eq!(run.json()["counts"]["items"], 118, "two items became one");

    // The corrections file is neither rejected nor failed.
    let j = run.json();
    let named = |list: &str| {
        j[list]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["file"] == "11月の直し.xlsx")
    };
    assert!(!named("rejected") && !named("failed") && !named("skipped"));

    // The report lists the three corrections; the counts still reconcile.
    let report = run.report();
    assert!(report.contains("■ 事務局修正（11月の直し.xlsx） 適用 4 件 / まとめた項目 1 件 / 適用されなかった修正 0 件"), "{report}");
    assert!(report.contains(&format!(
        "「{}」→「事務局で短くした文。＜宗像市＞」",
        pass.revised
    )));
    assert!(report.contains(&format!("「{}」を資料に載せない", pass.hidden)));
    let sources = merged["sources"].as_array().unwrap();
    let at = |s: &serde_json::Value| {
        format!(
            "{}!{}!{}（{}）",
            s["file"].as_str().unwrap(),
            s["sheet"].as_str().unwrap(),
            s["cell"].as_str().unwrap(),
            s["department"].as_str().unwrap()
        )
    };
    let field = items_field(&run, &pass.pair_to);
    assert!(
        report.contains(&format!(
            "  同じ修正後の文で一つにまとめた項目:\n  [{field}] 二つを一つにまとめた文。\n      ← {}\n      ← {}\n",
            at(&sources[0]),
            at(&sources[1])
        )),
        "{report}"
    );
    assert_eq!(report.matches("… 一致").count(), 2, "{report}");
    // What the handout prints: 118 items less the one left out.
    assert!(
        report.contains(
            "  資料の項目 117（提出された項目 120 のうち重複統合 2、事務局修正で載せない 1）"
        ),
        "{report}"
    );
    let summary = run.xlsx_sheet("集計");
    let total = summary
        .iter()
        .find(|r| r[0] == "合計")
        .expect("the totals row");
    assert_eq!(total[5], "117", "{total:?}");

    // The manifest records the corrections file and its digest.
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(run.out.join("manifest.json")).unwrap())
            .unwrap();
    assert_eq!(manifest["corrections"][0]["file"], "11月の直し.xlsx");
    assert_eq!(
        manifest["corrections"][0]["sha256"],
        shiryo::digest::sha256(&pass.filled)
    );

    // The handout: the 資料 sheet and the PDF print the new text only.
    let sheet: String = run.xlsx_sheet("資料").into_iter().flatten().collect();
    assert!(sheet.contains("事務局で短くした文。＜宗像市＞"));
    assert!(!sheet.contains(&pass.revised) && !sheet.contains(&pass.hidden));
    if let Some(pdf) = run.pdf_text() {
        assert!(pdf.contains(&common::squash("事務局で短くした文。＜宗像市＞")));
        assert!(pdf.contains(&common::squash(&pass.pair_to)));
        assert!(!pdf.contains(&common::squash(&pass.revised)));
        assert!(!pdf.contains(&common::squash(&pass.hidden)));
    }
    // 明細 shows both texts.
    let detail = run.xlsx_sheet("明細");
    assert!(detail[0].contains(&"提出された文".to_string()));
    assert!(
        detail
            .iter()
            .any(|r| r[2] == "事務局で短くした文。" && r.contains(&pass.revised))
    );

    // The next corrections sheet carries the pass.
    let next = common::read_sheet(&run.out.join(EDITS), "事務局修正");
    assert!(
        next.iter()
            .any(|r| r[3] == pass.revised_to && r[2].starts_with(&pass.revised))
    );
    assert!(
        next.iter()
            .any(|r| r[4] == "○" && r[2].starts_with(&pass.hidden))
    );
    assert_eq!(next.iter().filter(|r| r[3] == pass.pair_to).count(), 2);
    // 明細 gives both submitted texts on the merged item's rows.
    let both = format!("{}\n{}", pass.pair.0, pass.pair.1);
    assert_eq!(
        detail
            .iter()
            .filter(|r| r[2] == pass.pair_to && r.contains(&both))
            .count(),
        2
    );

    // Same inputs and corrections: the same bytes.
    let again = common::build_at(input.path(), &[]);
    for name in [
        common::XLSX,
        common::PDF,
        "matrix.json",
        "report.txt",
        "manifest.json",
        EDITS,
    ] {
        let same = std::fs::read(run.out.join(name)).unwrap()
            == std::fs::read(again.out.join(name)).unwrap();
        assert!(same, "{name} differs between two runs");
    }
}

#[test]
fn a_correction_whose_text_changed_is_not_applied_and_says_so() {
    let header: &[&str] = &["分野", "区分", "内容"];
    let month = |text: &str| {
        common::Month::new().sheet(
            "総務課.xlsx",
            "回答",
            &[
                header,
                &["経営", "課題", text],
                &["財務", "課題", "変わらない項目。"],
            ],
        )
    };
    let first = month("書類の電子化が遅れている。").build(&[]);
    let rows = item_rows(&first.out.join(EDITS));
    let row = rows
        .iter()
        .find(|r| r.3 == "書類の電子化が遅れている。")
        .unwrap();
    let filled = common::fill(
        &std::fs::read(first.out.join(EDITS)).unwrap(),
        SHEET_PATH,
        &[(&format!("D{}", row.0), "電子化の遅れ。")],
    );
    let edits = tempfile::tempdir().unwrap();
    let edits_file: PathBuf = edits.path().join("直し.xlsx");
    std::fs::write(&edits_file, &filled).unwrap();
    // Applied while the department writes the same text…
    let same =
        month("書類の電子化が遅れている。").build(&["--edits", edits_file.to_str().unwrap()]);
    assert!(
        json_items(&same)
            .iter()
            .any(|i| i["text"] == "電子化の遅れ。")
    );
    // …not once the department rewrote it.
    let run =
        month("書類の電子化が大きく遅れている。").build(&["--edits", edits_file.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let report = run.report();
    assert!(report.contains("■ 適用されなかった修正 1 件"), "{report}");
    assert!(
        report.contains("[経営／現状と課題] 書類の電子化が遅れている。（直し.xlsx!事務局修正!C"),
        "{report}"
    );
    let items = json_items(&run);
    assert!(
        items
            .iter()
            .any(|i| i["text"] == "書類の電子化が大きく遅れている。"),
        "printed as submitted"
    );
    assert!(items.iter().all(|i| i["text"] != "電子化の遅れ。"));
}

#[test]
fn unreadable_rows_are_rejected_and_edits_must_be_a_corrections_file() {
    let first = common::build_at(&common::sample_input(), &[]);
    let rows = item_rows(&first.out.join(EDITS));
    let bad = common::fill(
        &std::fs::read(first.out.join(EDITS)).unwrap(),
        SHEET_PATH,
        &[(&format!("E{}", rows[3].0), "はい")],
    );
    let input = sample_copy();
    std::fs::write(input.path().join("直し.xlsx"), bad).unwrap();
    let run = common::build_at(input.path(), &[]);
    let rejected = run.rejected();
    let row = rejected
        .iter()
        .find(|r| r["file"] == "直し.xlsx")
        .expect("the bad row is rejected");
    assert_eq!(row["cell"], format!("E{}", rows[3].0));
    assert_eq!(row["reason"], "載せない「はい」は使えません。");
    assert_eq!(row["department"], "事務局");
    let report = run.report();
    assert_eq!(report.matches("… 一致").count(), 2);
    // Listed for the secretariat to fix, apart from the departments' rows.
    assert!(
        report.contains("■ 却下した行（提出元で直してください） 1 件\n"),
        "{report}"
    );
    assert!(
        report.contains(&format!(
            "■ 事務局修正で使えなかった行（事務局修正のファイルを直してください） 1 件\n  直し.xlsx!事務局修正!E{}: 載せない「はい」は使えません。載せない項目には ○ を選び、載せる項目は空欄にしてください。\n",
            rows[3].0
        )),
        "{report}"
    );
    // Only the sample's own rejected row goes back; the secretariat's
    // rows are not sent to anyone.
    assert_eq!(returned(&run), ["広報広聴課.xlsx"]);

    // --edits with a file that is not a corrections sheet: a failure of
    // the secretariat's, not of the department in its name.
    let not = common::sample_input().join("総務課.xlsx");
    let run = common::build_at(&common::sample_input(), &["--edits", not.to_str().unwrap()]);
    let failed = run.failed();
    assert!(
        failed
            .iter()
            .any(|(f, r)| f == "総務課.xlsx" && r.contains("事務局修正のファイルではありません")),
        "{failed:?}"
    );
    assert_eq!(returned(&run), ["広報広聴課.xlsx"]);

    // A damaged corrections sheet in the folder: the same.
    let input = sample_copy();
    std::fs::write(
        input.path().join("事務局修正 (2).xlsx"),
        b"PK\x03\x04broken",
    )
    .unwrap();
    let run = common::build_at(input.path(), &[]);
    assert!(
        run.failed().iter().any(|(f, _)| f == "事務局修正 (2).xlsx"),
        "{:?}",
        run.failed()
    );
    assert_eq!(returned(&run), ["広報広聴課.xlsx"]);
}

/// The return sheets a run wrote, by file name.
fn returned(run: &Run) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(run.out.join("差し戻し"))
        .map(|d| {
            d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[test]
fn with_a_previous_month_and_a_dropped_folder() {
    let first = common::build_at(&common::sample_input(), &[]);
    let pass = fill_pass(&first);
    let base = tempfile::tempdir().unwrap();
    let folder = base.path().join("12月");
    std::fs::create_dir(&folder).unwrap();
    for e in std::fs::read_dir(common::sample_input()).unwrap().flatten() {
        std::fs::copy(e.path(), folder.join(e.file_name())).unwrap();
    }
    std::fs::write(folder.join(EDITS), &pass.filled).unwrap();
    // Dropped on the program: built into 12月_資料.
    let o = std::process::Command::new(common::exe())
        .arg(&folder)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let out = base.path().join("12月_資料");
    let json = std::fs::read_to_string(out.join("matrix.json")).unwrap();
    assert!(json.contains("事務局で短くした文。"));
    // With last month: 状態 is filled in, by what was submitted.
    let run = common::build_at(&folder, &["--previous", first.out.to_str().unwrap()]);
    let next = common::read_sheet(&run.out.join(EDITS), "事務局修正");
    assert!(
        next.iter()
            .skip(4)
            .all(|r| r[6] == "継続" || r[6] == "新規" || r.iter().all(String::is_empty))
    );
    assert!(
        next.iter()
            .any(|r| r[6] == "継続" && r[3] == pass.revised_to)
    );
    let items = json_items(&run);
    let revised = items
        .iter()
        .find(|i| i["text"] == "事務局で短くした文。")
        .unwrap();
    assert_eq!(revised["status"], "継続", "compared by the submitted text");

    // The month after, against the corrected month: every submitted text
    // continues, both of the merged pair's included.
    let corrected = out.to_str().unwrap();
    let run = common::build_at(&common::sample_input(), &["--previous", corrected]);
    let items = json_items(&run);
    for text in [&pass.pair.0, &pass.pair.1, &pass.revised, &pass.hidden] {
        let item = items.iter().find(|i| i["text"] == text.as_str()).unwrap();
        assert_eq!(item["status"], "継続", "{text}");
    }
    assert!(items.iter().all(|i| i["status"] == "継続"));
    assert_eq!(run.json()["removed"].as_array().unwrap().len(), 0);
}
