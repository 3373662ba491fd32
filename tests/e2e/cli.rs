//! The command line as a clerk meets it (issue 9, SPEC §7.10): a folder
//! dropped on the program, a double-click, messages in Japanese, the
//! template beside the work.

use std::path::Path;
use std::process::{Command, Output};

use crate::common::{self, Month};

fn shiryo(cwd: &Path, args: &[&str]) -> Output {
    Command::new(common::exe())
        .current_dir(cwd)
        .args(args)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    shiryo::console::decode_redirected(bytes)
}

fn one_department(month: Month) -> Month {
    month.sheet(
        "総務課.xlsx",
        "回答",
        &[&["分野", "区分", "内容"], &["経営", "課題", "一件目。"]],
    )
}

#[test]
fn a_dropped_folder_is_built_into_its_sibling_folder() {
    let base = tempfile::tempdir().unwrap();
    let input = base.path().join("提出_令和8年11月");
    std::fs::create_dir(&input).unwrap();
    let month = one_department(Month::new());
    for e in std::fs::read_dir(month.path()).unwrap().flatten() {
        std::fs::copy(e.path(), input.join(e.file_name())).unwrap();
    }
    let o = shiryo(base.path(), &[input.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let out = base.path().join("提出_令和8年11月_資料");
    for f in [
        "資料_各分野の現状と課題及び想定される解決策.pdf",
        "資料_各分野の現状と課題及び想定される解決策.xlsx",
        "資料.html",
        "matrix.json",
        "report.txt",
        "manifest.json",
    ] {
        assert!(out.join(f).is_file(), "{f} missing in {}", out.display());
    }
    assert!(text(&o.stdout).contains("提出_令和8年11月_資料"));
}

#[test]
fn a_double_click_builds_input_of_the_current_folder() {
    let base = tempfile::tempdir().unwrap();
    let month = one_department(Month::new());
    std::fs::create_dir(base.path().join("input")).unwrap();
    for e in std::fs::read_dir(month.path()).unwrap().flatten() {
        std::fs::copy(e.path(), base.path().join("input").join(e.file_name())).unwrap();
    }
    let o = shiryo(base.path(), &[]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let json = std::fs::read_to_string(base.path().join("output").join("matrix.json")).unwrap();
    assert!(json.contains("一件目。"));
}

#[test]
fn a_double_click_without_input_explains_in_japanese() {
    let base = tempfile::tempdir().unwrap();
    let o = shiryo(base.path(), &[]);
    assert_eq!(o.status.code(), Some(2));
    let out = text(&o.stdout);
    assert!(out.contains("ドラッグ＆ドロップ"), "{out}");
    assert!(out.contains("shiryo build"), "{out}");
    assert!(!base.path().join("output").exists());
}

#[test]
fn argument_errors_are_japanese_and_write_nothing() {
    let base = tempfile::tempdir().unwrap();
    for (args, expected) in [
        (
            vec!["build", "--bogus"],
            "「--bogus」という指定はありません。",
        ),
        (
            vec!["buidl"],
            "「buidl」というコマンドもフォルダもありません。",
        ),
        (
            vec!["build", "--date", "2026-02-30"],
            "日付「2026-02-30」は YYYY-MM-DD の形で、実在する日を指定してください",
        ),
    ] {
        let o = shiryo(base.path(), &args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = text(&o.stderr);
        assert!(err.starts_with("エラー: "), "{args:?}: {err}");
        assert!(err.contains(expected), "{args:?}: {err}");
        assert!(!err.contains("error:"), "no English clap message: {err}");
    }
    assert!(!base.path().join("output").exists());
}

#[test]
fn a_quoted_folder_ending_in_a_backslash_says_how_to_fix_it() {
    let base = tempfile::tempdir().unwrap();
    // What `"C:\月\提出\" -o out` in a .bat gives the program.
    let o = shiryo(base.path(), &["build", "C:\\月\\提出\" -o out"]);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(err.contains("最後の \\ を消す"), "{err}");
    assert!(err.contains("\"C:\\月\\提出\""), "{err}");
    assert!(err.contains("（-o out）"), "{err}");
}

#[test]
fn a_dropped_file_asks_for_the_folder() {
    let month = one_department(Month::new());
    let file = month.path().join("総務課.xlsx");
    let o = shiryo(month.path(), &[file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("フォルダを指定（ドラッグ＆ドロップ）してください"));
}

#[test]
fn the_template_of_the_current_folder_is_used() {
    let base = tempfile::tempdir().unwrap();
    let month = one_department(Month::new());
    std::fs::create_dir(base.path().join("templates")).unwrap();
    let xml = shiryo::template::DEFAULT_XML.replace(
        "<title>各分野における現状と課題及び想定される解決策</title>",
        "<title>今月の行革資料</title>",
    );
    assert_ne!(xml, shiryo::template::DEFAULT_XML);
    std::fs::write(base.path().join("templates").join("matrix.xml"), xml).unwrap();
    let o = shiryo(
        base.path(),
        &[
            "build",
            month.path().to_str().unwrap(),
            "-o",
            "out",
            "--date",
            "2026-11-24",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let json = std::fs::read_to_string(base.path().join("out").join("matrix.json")).unwrap();
    assert!(json.contains("\"title\": \"今月の行革資料\""), "{json}");
}

#[test]
fn help_is_japanese() {
    let base = tempfile::tempdir().unwrap();
    let o = shiryo(base.path(), &["--help"]);
    assert_eq!(o.status.code(), Some(0));
    let out = text(&o.stdout);
    for needle in ["コマンド", "資料を作成します", "提出フォルダ"] {
        assert!(out.contains(needle), "{needle}: {out}");
    }
    let o = shiryo(base.path(), &["build", "--help"]);
    let out = text(&o.stdout);
    assert!(out.contains("出力先フォルダ"), "{out}");
    assert!(
        !out.contains("Options:") && !out.contains("Usage:"),
        "{out}"
    );
}
