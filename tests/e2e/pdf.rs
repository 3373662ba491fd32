//! End-to-end on the PDF handout: paper, embedded subset fonts, the text
//! layer (poppler's pdftotext) and byte-identical rebuilds.

use crate::common;

use crate::common::{Month, Run, XLSX, docx, poppler, squash};

const PDF: &str = "資料_各分野の現状と課題及び想定される解決策.pdf";

/// A month with the characters that break careless pipelines.
fn hard_month() -> Month {
    Month::new()
        .sheet(
            "R8_11_総務課_提出.xlsx",
            "提出",
            &[
                &["分野", "区分", "内容", "他自治体の事例"],
                &[
                    "行政施策",
                    "現状と課題",
                    "河﨑委員と髙橋委員から𠮟責を受けた件①について整理が必要。",
                ],
                &[
                    "ＤＸ推進",
                    "解決案",
                    "・ＡＩ議事録の導入＜宗像市、明石市など＞\n・予算１，２００万円の確保",
                    "北九州市",
                ],
                &[
                    "働き方改革",
                    "取組済み",
                    "塚\u{FA10}の字を含む名前の職員も在宅勤務を利用している。",
                ],
            ],
        )
        .file("第3回審議会_会議録.docx", &minutes_docx())
}

/// A small but real .docx (the file name says it is minutes).
fn minutes_docx() -> Vec<u8> {
    docx(&[
        "第３回　行政経営戦略推進審議会",
        "２　議題",
        "経営",
        "ギャップの解消が必要ではないか。",
        "３　その他",
    ])
}

fn pdf_path(run: &Run) -> std::path::PathBuf {
    run.out.join(PDF)
}

#[test]
fn pdf_is_a3_landscape_with_embedded_subset_fonts_under_1mb() {
    let run = hard_month().build(&[]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let pdf = pdf_path(&run);
    assert!(std::fs::metadata(&pdf).unwrap().len() < 1_000_000);
    let Some(info) = poppler("pdfinfo", &[], &pdf) else {
        return;
    };
    assert!(info.contains("1190.55 x 841.89 pts"), "{info}");
    let fonts = poppler("pdffonts", &[], &pdf).unwrap();
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty(), "{fonts}");
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        let n = cols.len();
        assert_eq!(
            &cols[n - 5..n - 2],
            &["yes", "yes", "yes"],
            "embedded, subset, with ToUnicode: {row}"
        );
    }
}

#[test]
fn text_layer_recovers_every_item_exactly() {
    let run = hard_month().build(&[]);
    let Some(text) = poppler("pdftotext", &["-raw"], &pdf_path(&run)).map(|t| squash(&t)) else {
        return;
    };
    let items = run.items();
    assert_eq!(items.len(), 5, "{items:#?}");
    for it in &items {
        let printed = match &it.examples {
            Some(ex) => format!("{}＜{}＞", it.text, ex),
            None => it.text.clone(),
        };
        assert!(
            text.contains(&squash(&printed)),
            "PDF text lacks {printed:?}\n{text}"
        );
    }
    for needle in [
        "河﨑",
        "髙橋",
        "𠮟責",
        "①",
        "\u{FA10}",
        "＜宗像市、明石市など＞",
        "予算1，200万円の確保＜北九州市＞",
        "第3回審議会での主な意見",
    ] {
        assert!(text.contains(needle), "PDF text lacks {needle}");
    }
}

#[test]
fn sample_month_text_layer_has_every_item() {
    let run = common::build_at(&common::sample_input(), &[]);
    assert_eq!(run.code, 1);
    let Some(text) = poppler("pdftotext", &["-raw"], &pdf_path(&run)).map(|t| squash(&t)) else {
        return;
    };
    let json = run.json();
    let mut n = 0;
    for f in json["fields"].as_array().unwrap() {
        for items in f["cells"].as_object().unwrap().values() {
            for it in items.as_array().unwrap() {
                let t = squash(it["text"].as_str().unwrap());
                assert!(text.contains(&t), "PDF lacks {t}");
                n += 1;
            }
        }
    }
    assert_eq!(n, 119);
    assert!(text.contains("令和8年11月"));
    assert!(text.contains("資料２"));
}

#[test]
fn same_input_and_date_give_byte_identical_outputs() {
    let month = hard_month();
    let a = month.build(&[]);
    let b = month.build(&[]);
    // Every file of the output folder, whatever outputs are added later.
    let (x, y) = (common::all_files(&a.out), common::all_files(&b.out));
    let names: Vec<&String> = x.keys().collect();
    assert_eq!(names, y.keys().collect::<Vec<_>>());
    for name in [
        PDF,
        XLSX,
        "資料.html",
        "matrix.json",
        "report.txt",
        "manifest.json",
        "事務局修正.xlsx",
    ] {
        assert!(x.contains_key(name), "{name} missing: {names:?}");
    }
    for (name, bytes) in &x {
        assert!(*bytes == y[name], "{name} differs between two runs");
    }
    let c = month.build(&["--date", "2026-12-01"]);
    assert_eq!(c.code, 0, "{}{}", c.stdout, c.stderr);
    let z = std::fs::read(c.out.join(PDF)).unwrap();
    assert!(
        z != std::fs::read(a.out.join(PDF)).unwrap(),
        "the date is part of the PDF"
    );
    let Some(text) = poppler("pdftotext", &["-raw"], &c.out.join(PDF)).map(|t| squash(&t)) else {
        return;
    };
    assert!(text.contains("令和8年12月"));
}

#[test]
fn unusable_font_keeps_xlsx_and_json_and_exits_1_with_a_japanese_message() {
    let run = hard_month().build(&["--font", "/nonexistent/NoSuchFont.ttf"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(run.out.join(XLSX).exists());
    assert!(run.out.join("matrix.json").exists());
    assert!(!run.out.join(PDF).exists());
    assert!(
        run.stdout
            .contains("フォント「/nonexistent/NoSuchFont.ttf」を使えません"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_character_missing_from_the_font_is_reported_with_its_cell() {
    let month = Month::new().sheet(
        "総務課.xlsx",
        "提出",
        &[
            &["分野", "区分", "内容"],
            &["経営", "課題", "外字\u{E000}を含む氏名の扱い。"],
        ],
    );
    let run = month.build(&[]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(run.stdout.contains("U+E000"), "{}", run.stdout);
    assert!(run.stdout.contains("総務課.xlsx!提出!C2"), "{}", run.stdout);
    assert_eq!(
        run.item("外字\u{E000}を含む氏名の扱い。").field,
        "経営",
        "the text itself is kept"
    );
}

#[test]
fn characters_the_main_font_lacks_are_drawn_with_another_installed_font() {
    // BIZ UDPゴシック has no ☑ or ✔; DejaVu (fonts-dejavu-core) has both.
    let month = Month::new().sheet(
        "総務課.xlsx",
        "提出",
        &[
            &["分野", "区分", "内容"],
            &["経営", "取組済み", "☑ 点検表を電子化した ✔"],
        ],
    );
    let run = month.build(&[]);
    assert_eq!(run.code, 0, "no missing glyph is reported: {}", run.stdout);
    let Some(text) = poppler("pdftotext", &["-raw"], &pdf_path(&run)).map(|t| squash(&t)) else {
        return;
    };
    assert!(text.contains("☑点検表を電子化した✔"), "{text}");
    let fonts = poppler("pdffonts", &[], &pdf_path(&run)).unwrap();
    assert!(
        fonts.lines().count() >= 5,
        "a fallback font is embedded too: {fonts}"
    );
}
