//! The department submission form (`shiryo template`, issue 5).

use crate::common;

use std::io::Read;
use std::process::Command;

use crate::common::Month;
use shiryo::Template;
use shiryo::render::form;

fn unzip(path: &std::path::Path, entry: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut s = String::new();
    zip.by_name(entry).unwrap().read_to_string(&mut s).unwrap();
    s
}

#[test]
fn template_command_writes_a_form_with_dropdowns_and_protection() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("様式.xlsx");
    let o = Command::new(common::exe())
        .args(["template", "-o"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let workbook = unzip(&out, "xl/workbook.xml");
    assert!(workbook.contains("記入方法") && workbook.contains("提出"));
    let sheet = unzip(&out, "xl/worksheets/sheet2.xml");
    assert!(sheet.contains("<dataValidation type=\"list\""), "{sheet}");
    assert!(
        sheet.contains("行政施策,DX推進,財務,人材育成,働き方改革,経営,その他"),
        "分野 list"
    );
    assert!(
        sheet.contains("現状と課題,解決案,取組済み,審議会意見"),
        "区分 list"
    );
    assert!(sheet.contains("<sheetProtection"), "the rest is protected");
    assert!(!sheet.contains("<mergeCell"), "no merged cells");
    let styles = unzip(&out, "xl/styles.xml");
    assert!(styles.contains("locked=\"0\""), "input cells are unlocked");
}

#[test]
fn a_filled_in_form_reads_back_without_warnings() {
    let t = Template::default();
    let blank = form::render(&t).unwrap();
    let bytes = common::fill(
        &blank,
        "xl/worksheets/sheet2.xml",
        &[
            ("B1", "総務課"),
            ("A5", "DX推進"),
            ("B5", "現状と課題"),
            ("C5", "・紙の申請が多い。\n・電話が多い。"),
            ("A6", "財務"),
            ("B6", "解決案"),
            ("C6", "包括管理委託の導入。"),
            ("D6", "宗像市、明石市など"),
            ("A7", "経営"),
            ("B7", "取組済み"),
            ("C7", "債権管理の情報共有を実施している。"),
        ],
    );
    let month = Month::new().file("R8_11_回答.xlsx", &bytes);
    let run = month.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let items = run.items();
    assert_eq!(items.len(), 4, "{items:#?}");
    assert!(
        items.iter().all(|i| i.departments == ["総務課"]),
        "department from the 担当課 cell"
    );
    assert_eq!(
        run.item("包括管理委託の導入。").examples.as_deref(),
        Some("宗像市、明石市など")
    );
    let json = run.json();
    assert_eq!(json["counts"]["rejected"], 0);
    assert_eq!(json["counts"]["failed"], 0);
    let skipped = run.skipped();
    assert_eq!(skipped.len(), 1, "only the instructions sheet: {skipped:?}");
    assert_eq!(skipped[0]["sheet"], form::HOWTO_SHEET);
    assert!(!run.report().contains("空欄 →"), "no fill-downs");
}

#[test]
fn matrix_flag_writes_the_default_template() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("matrix.xml");
    let o = Command::new(common::exe())
        .args(["template", "--matrix", "-o"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    let text = std::fs::read_to_string(&out).unwrap();
    assert_eq!(text, shiryo::template::DEFAULT_XML);
    assert!(Template::parse(&text, "matrix.xml").is_ok());
}

#[test]
fn the_template_command_works_in_a_fresh_folder() {
    // As the usage text offers it: no -o, no output folder yet.
    let dir = tempfile::tempdir().unwrap();
    let o = Command::new(common::exe())
        .arg("template")
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let form = dir.path().join("output").join(form::FORM_NAME);
    let names = common::sheet_names(&form);
    assert!(names.len() >= 2, "{names:?}");
}
