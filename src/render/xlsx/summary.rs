//! Sheet 集計: counts per 分野 × 区分 and per department, with native
//! Excel charts: items per 分野 stacked by 区分, and with `--previous`
//! 新規 against 継続 per 分野.

use rust_xlsxwriter::{Chart, ChartFont, ChartType, Format, Worksheet, XlsxError};

use super::style::border;
use crate::matrix::{Matrix, Removed};
use crate::vocab::ItemStatus;

const SHEET: &str = "集計";
use crate::template::Template;

/// Writes the 集計 sheet, printed landscape on the handout's paper.
pub fn summary_sheet(
    ws: &mut Worksheet,
    m: &Matrix,
    template: &Template,
    font: &str,
) -> Result<(), XlsxError> {
    ws.set_name(SHEET)?;
    let f = Formats {
        head: super::style::head(font).set_text_wrap(),
        cell: border(Format::new(), font),
        total: border(Format::new(), font).set_bold(),
    };
    ws.set_column_width(0, 20)?;
    for c in 1..=5 {
        ws.set_column_width(c, 14)?;
    }
    let r = field_table(ws, m, template, font, &f)?;
    let r = department_table(ws, m, template, &f, r + 3)?;
    if let Some(removed) = &m.removed {
        history_table(ws, m, removed, template, font, &f, r + 2)?;
    }
    ws.set_paper_size(super::style::paper_code(template.paper.size));
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    Ok(())
}

/// The sheet's cell formats.
struct Formats {
    head: Format,
    cell: Format,
    total: Format,
}

/// A table's header row: `first`, the 区分, 合計.
fn write_head(
    ws: &mut Worksheet,
    m: &Matrix,
    f: &Formats,
    r: u32,
    first: &str,
) -> Result<(), XlsxError> {
    ws.write_string_with_format(r, 0, first, &f.head)?;
    for (i, col) in m.columns.iter().enumerate() {
        ws.write_string_with_format(r, i as u16 + 1, col.key.short_label(), &f.head)?;
    }
    ws.write_string_with_format(r, 5, "合計", &f.head)?;
    Ok(())
}

/// Items per 分野 × 区分 with their totals and chart; the row of 合計.
fn field_table(
    ws: &mut Worksheet,
    m: &Matrix,
    template: &Template,
    font: &str,
    f: &Formats,
) -> Result<u32, XlsxError> {
    ws.write_string(0, 0, "分野 × 区分ごとの項目数")?;
    let mut r = 1u32;
    write_head(ws, m, f, r, &template.field_label)?;
    r += 1;
    let fields_from = r;
    let mut totals = [0usize; 4];
    // The items the handout prints (not those left out by a correction).
    for field in &m.fields {
        let printed = field.printed();
        ws.write_string_with_format(r, 0, &field.name, &f.cell)?;
        for (i, items) in printed.iter().enumerate() {
            ws.write_number_with_format(r, i as u16 + 1, items.len() as f64, &f.cell)?;
            totals[i] += items.len();
        }
        ws.write_number_with_format(
            r,
            5,
            printed.iter().map(Vec::len).sum::<usize>() as f64,
            &f.total,
        )?;
        r += 1;
    }
    ws.write_string_with_format(r, 0, "合計", &f.total)?;
    for (i, t) in totals.iter().enumerate() {
        ws.write_number_with_format(r, i as u16 + 1, *t as f64, &f.total)?;
    }
    ws.write_number_with_format(r, 5, totals.iter().sum::<usize>() as f64, &f.total)?;
    let fields_to = r - 1;
    let mut chart = stacked_chart("分野ごとの項目数（区分別）", font);
    for (i, col) in m.columns.iter().enumerate() {
        let c = i as u16 + 1;
        chart
            .add_series()
            .set_name(col.key.short_label())
            .set_categories((SHEET, fields_from, 0, fields_to, 0))
            .set_values((SHEET, fields_from, c, fields_to, c));
    }
    ws.insert_chart(1, 7, &chart)?;
    Ok(r)
}

/// Submissions per department and 区分 from row `r`; the row after it.
fn department_table(
    ws: &mut Worksheet,
    m: &Matrix,
    template: &Template,
    f: &Formats,
    mut r: u32,
) -> Result<u32, XlsxError> {
    ws.write_string(r, 0, "担当課ごとの提出件数（重複統合前）")?;
    r += 1;
    write_head(ws, m, f, r, "担当課")?;
    r += 1;
    let mut per_department: std::collections::HashMap<&str, [usize; 4]> =
        std::collections::HashMap::new();
    for field in &m.fields {
        for (i, items) in field.cells.iter().enumerate() {
            for s in items.iter().flat_map(|it| &it.sources) {
                per_department.entry(&s.department).or_default()[i] += 1;
            }
        }
    }
    let mut departments: Vec<(&str, [usize; 4])> = per_department.into_iter().collect();
    departments.sort_by(|a, b| {
        (template.department_rank(a.0), a.0).cmp(&(template.department_rank(b.0), b.0))
    });
    for (d, counts) in &departments {
        ws.write_string_with_format(r, 0, *d, &f.cell)?;
        for (i, n) in counts.iter().enumerate() {
            ws.write_number_with_format(r, i as u16 + 1, *n as f64, &f.cell)?;
        }
        ws.write_number_with_format(r, 5, counts.iter().sum::<usize>() as f64, &f.total)?;
        r += 1;
    }
    Ok(r)
}

/// 新規・継続・削除 per 分野 with `--previous`, from row `r`, and its chart.
fn history_table(
    ws: &mut Worksheet,
    m: &Matrix,
    removed: &[Removed],
    template: &Template,
    font: &str,
    f: &Formats,
    mut r: u32,
) -> Result<(), XlsxError> {
    ws.write_string(r, 0, "前回との比較（分野ごとの項目数）")?;
    r += 1;
    for (c, h) in [&template.field_label as &str, "新規", "継続", "削除"]
        .iter()
        .enumerate()
    {
        ws.write_string_with_format(r, c as u16, *h, &f.head)?;
    }
    r += 1;
    let from = r;
    for field in &m.fields {
        let count = |s: ItemStatus| {
            field
                .cells
                .iter()
                .flatten()
                .filter(|i| i.status == Some(s))
                .count()
        };
        let gone = removed.iter().filter(|x| x.field == field.name).count();
        ws.write_string_with_format(r, 0, &field.name, &f.cell)?;
        for (c, n) in [
            (1, count(ItemStatus::New)),
            (2, count(ItemStatus::Continued)),
            (3, gone),
        ] {
            ws.write_number_with_format(r, c, n as f64, &f.cell)?;
        }
        r += 1;
    }
    let mut chart = stacked_chart("前回との比較（新規・継続）", font);
    for (c, name) in [(1u16, "新規"), (2, "継続")] {
        chart
            .add_series()
            .set_name(name)
            .set_categories((SHEET, from, 0, r - 1, 0))
            .set_values((SHEET, from, c, r - 1, c));
    }
    ws.insert_chart(22, 7, &chart)?;
    Ok(())
}

/// A stacked column chart with a title, in the handout's font.
fn stacked_chart(title: &str, font: &str) -> Chart {
    let mut chart = Chart::new(ChartType::ColumnStacked);
    let mut text = ChartFont::new();
    text.set_name(font);
    let mut heading = ChartFont::new();
    heading.set_name(font).set_bold().set_size(12);
    chart.title().set_name(title).set_font(&heading);
    chart.x_axis().set_font(&text);
    chart.y_axis().set_font(&text);
    chart.legend().set_font(&text);
    chart.set_width(640).set_height(360);
    chart
}
