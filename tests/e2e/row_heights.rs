//! The 資料 sheet's row heights and column widths read back from the
//! written workbook (issue 16): rows as tall as their lines, long cells
//! split under Excel's 409 pt, every sheet on stated paper.

use crate::common::{self, Month, XLSX};

/// `(row number, height in points)` of every row of a worksheet part.
fn row_heights(sheet_xml: &str) -> Vec<(u32, f64)> {
    sheet_xml
        .split("<row ")
        .skip(1)
        .map(|row| {
            let tag = format!(" {}", &row[..row.find('>').unwrap()]);
            let attr = |name: &str| {
                let from = tag.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
                let end = tag[from..].find('"').unwrap() + from;
                tag[from..end].to_string()
            };
            (attr("r").parse().unwrap(), attr("ht").parse().unwrap())
        })
        .collect()
}

/// `<col width>` of the columns of a worksheet part, in order.
fn col_widths(sheet_xml: &str) -> Vec<f64> {
    sheet_xml
        .split("<col ")
        .skip(1)
        .map(|col| {
            let from = col.find("width=\"").unwrap() + 7;
            let end = col[from..].find('"').unwrap() + from;
            col[from..end].parse().unwrap()
        })
        .collect()
}

fn one_item_month(text: &str) -> Month {
    Month::new().sheet(
        "情報政策課.xlsx",
        "回答",
        &[&["分野", "区分", "内容"], &["DX推進", "課題", text]],
    )
}

#[test]
fn a_row_is_as_tall_as_its_lines() {
    // The default template: A3 landscape less 10 mm margins, 98 % of it in
    // columns of 8 : 23 : 23 : 23 : 23, i.e. 340 px for 課題, of which text
    // may take 329 px (LibreOffice's is the narrower). At 9 pt a 漢 is
    // 12 px and ・ 6: the first line holds ・ and 26 漢, the next ones 27.
    // 215 漢 make 1 + 7 full lines: 8 × 12 px + 4 px = 100 px = 75 pt.
    let run = one_item_month(&"漢".repeat(215)).build(&[]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let xlsx = run.out.join(XLSX);
    let sheet = common::unzip_text(&xlsx, "xl/worksheets/sheet1.xml");
    let widths = col_widths(&sheet);
    // Written in the digits of BIZ UDPゴシック 11 pt (11 px): 340 px.
    assert_eq!(widths.len(), 2, "{widths:?}");
    assert!((widths[1] * 11.0 - 340.0).abs() < 0.1, "{widths:?}");
    let rows = row_heights(&sheet);
    // The header fits one line (13.5 pt, the lowest row); the item 8.
    assert_eq!(rows, [(1, 13.5), (2, 75.0)]);

    // One 漢 more starts a ninth line.
    let run = one_item_month(&"漢".repeat(216)).build(&[]);
    let sheet = common::unzip_text(&run.out.join(XLSX), "xl/worksheets/sheet1.xml");
    assert_eq!(row_heights(&sheet)[1], (2, 84.0));
}

#[test]
fn a_long_cell_continues_in_rows_under_409_points() {
    // 3000 漢: 112 lines, in rows of at most 45 lines (544 px = 408 pt);
    // the last 22 take 22 × 12 + 4 = 268 px = 201 pt.
    let text = "漢".repeat(3000);
    let run = one_item_month(&text).build(&[]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let xlsx = run.out.join(XLSX);
    let sheet = common::unzip_text(&xlsx, "xl/worksheets/sheet1.xml");
    let rows = row_heights(&sheet);
    assert_eq!(
        rows,
        [(1, 13.5), (2, 408.0), (3, 408.0), (4, 201.0)],
        "45 + 45 + 22 lines"
    );
    let cells = common::read_sheet(&xlsx, "資料");
    let kanji: usize = cells
        .iter()
        .skip(1)
        .map(|r| r[2].chars().filter(|&c| c == '漢').count())
        .sum();
    assert_eq!(kanji, 3000, "no text lost in the split");
}

#[test]
fn every_sheet_states_its_paper() {
    let run = common::build_at(&common::sample_input(), &[]);
    let xlsx = run.out.join(XLSX);
    assert_eq!(
        common::sheet_names(&xlsx),
        ["資料", "明細", "集計"],
        "no roster in the sample"
    );
    for part in 1..=3 {
        let sheet = common::unzip_text(&xlsx, &format!("xl/worksheets/sheet{part}.xml"));
        assert!(
            sheet.contains(r#"paperSize="8""#) && sheet.contains(r#"orientation="landscape""#),
            "sheet{part}: A3 landscape like the handout"
        );
    }
    let corrections = run.out.join("事務局修正.xlsx");
    let sheet = common::unzip_text(&corrections, "xl/worksheets/sheet1.xml");
    assert!(sheet.contains(r#"paperSize="8""#));
    for entry in std::fs::read_dir(run.out.join("差し戻し")).unwrap() {
        let sheet = common::unzip_text(&entry.unwrap().path(), "xl/worksheets/sheet1.xml");
        assert!(sheet.contains(r#"paperSize="9""#), "return sheets on A4");
    }
}
