//! A secretariat's own template changes all three handouts (issue 5).

use crate::common;

use crate::common::{Month, XLSX};

#[test]
fn custom_title_extra_field_with_aliases_and_a4_paper() {
    let month = Month::new().sheet(
        "観光課.xlsx",
        "回答",
        &[
            &["分野", "区分", "内容"],
            &["観光関係", "課題", "観光客の回遊性が低い。"],
            &["インバウンド", "解決案", "多言語案内の整備。"],
        ],
    );
    let xml = shiryo::template::DEFAULT_XML
        .replace(
            "<title>各分野における現状と課題及び想定される解決策</title>",
            "<title>行政改革の取組状況</title>",
        )
        .replace(
            "size=\"A3\" orientation=\"landscape\"",
            "size=\"A4\" orientation=\"portrait\"",
        )
        .replace(
            "<field name=\"その他\">",
            "<field name=\"観光\"><alias>インバウンド</alias></field>\n    <field name=\"その他\">",
        );
    let tpl = month.path().join("my.xml.template");
    std::fs::write(&tpl, xml).unwrap();
    let run = month.build(&["--template", tpl.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);

    // JSON: title, the extra 分野 in template order, aliases resolved.
    let json = run.json();
    assert_eq!(json["title"], "行政改革の取組状況");
    let names: Vec<&str> = json["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_eq!(names[6], "観光");
    assert_eq!(run.item("観光客の回遊性が低い。").field, "観光");
    assert_eq!(run.item("多言語案内の整備。").field, "観光");

    // Excel: A4 portrait and the title in the page header.
    let mut zip = zip::ZipArchive::new(std::fs::File::open(run.out.join(XLSX)).unwrap()).unwrap();
    let mut sheet = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("xl/worksheets/sheet1.xml").unwrap(),
        &mut sheet,
    )
    .unwrap();
    assert!(sheet.contains(r#"paperSize="9""#), "A4");
    assert!(!sheet.contains("landscape"));
    assert!(sheet.contains("行政改革の取組状況"));
    assert_eq!(run.xlsx_sheet("資料")[1][0], "観光");

    // PDF: A4 portrait with the new title.
    let pdf = run
        .out
        .join("資料_各分野の現状と課題及び想定される解決策.pdf");
    let Some(info) = common::poppler("pdfinfo", &[], &pdf) else {
        return;
    };
    assert!(info.contains("595.28 x 841.89 pts"), "{info}");
    let text = common::poppler("pdftotext", &["-raw"], &pdf).unwrap();
    assert!(text.contains("行政改革の取組状況"));
    assert!(text.contains("観光"));
}
