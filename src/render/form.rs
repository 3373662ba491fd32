//! The blank submission workbook departments fill in (`shiryo template`):
//! an 記入方法 sheet with one 記入例 row, and a 提出 sheet in the long
//! layout with a 担当課 cell, dropdown lists for 分野 and 区分, input cells
//! unlocked and the rest protected, one value per cell and no merged cells.

use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, Format, FormatAlign, FormatBorder, Workbook,
    Worksheet, XlsxError,
};

use super::xlsx::FONT;
use crate::template::Template;

/// Default file name of the form.
pub const FORM_NAME: &str = "各課回答様式.xlsx";
/// Name of the data sheet.
pub const DATA_SHEET: &str = "提出";
/// Name of the instructions sheet.
pub const HOWTO_SHEET: &str = "記入方法";
/// Rows prepared for input on the data sheet.
pub const INPUT_ROWS: u32 = 200;
/// 0-based row of the header on the data sheet.
pub const HEADER_ROW: u32 = 3;

const HEADERS: [&str; 5] = ["分野", "区分", "内容", "他自治体の事例", "備考"];
const WIDTHS: [f64; 5] = [14.0, 14.0, 70.0, 32.0, 20.0];

/// The 区分 values offered in the dropdown: the first alias of each column,
/// the departments' three first and 審議会意見 last.
pub fn column_choices(template: &Template) -> Vec<String> {
    let mut v: Vec<String> = template
        .columns
        .iter()
        .skip(1)
        .chain(template.columns.iter().take(1))
        .filter_map(|c| c.aliases.first().cloned())
        .collect();
    v.dedup();
    v
}

/// A dropdown list that refuses other values, with a Japanese prompt.
fn choose_from(title: &str, items: &[impl AsRef<str>]) -> Result<DataValidation, XlsxError> {
    Ok(DataValidation::new()
        .allow_list_strings(items)?
        .set_input_title(title)?
        .set_input_message("一覧から選んでください。")?
        .set_error_title(title)?
        .set_error_message(format!("一覧にある{title}を選んでください。"))?
        .set_error_style(DataValidationErrorStyle::Stop))
}

fn base() -> Format {
    Format::new()
        .set_font_name(FONT)
        .set_font_size(11)
        .set_font_charset(128)
}

/// Writes the form: how to fill it in, and the data sheet with drop-downs.
pub fn render(template: &Template) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    // Widths in the digits of the form's font (see xlsx::style::columns).
    let digits = super::xlsx::style::columns(FONT).writer_default_px();
    wb.set_default_format(&base(), 25, digits)?;
    howto_sheet(wb.add_worksheet(), template)?;
    data_sheet(wb.add_worksheet(), template)?;
    wb.save_to_buffer().map(super::same_on_every_os)
}

fn howto_sheet(ws: &mut Worksheet, template: &Template) -> Result<(), XlsxError> {
    ws.set_name(HOWTO_SHEET)?;
    ws.set_column_width(0, 16)?;
    ws.set_column_width(1, 16)?;
    ws.set_column_width(2, 60)?;
    ws.set_column_width(3, 30)?;
    let title = base().set_bold().set_font_size(14);
    let bold = base().set_bold();
    let wrap = base().set_text_wrap().set_align(FormatAlign::Top);
    ws.write_string_with_format(0, 0, "各課回答様式の記入方法", &title)?;
    let steps = [
        format!("1. 「{DATA_SHEET}」シートの「担当課」の右のセルに、課の名前を記入してください。"),
        "2. 表の1行に1件ずつ記入してください。1つのセルに複数書く場合は、行の頭に「・」を付けてください。".into(),
        "3. 分野と区分は、セルを選ぶと出る一覧から選んでください。".into(),
        "4. 他の自治体の事例は「他自治体の事例」の列に、自治体名を「、」で区切って記入してください。".into(),
        "5. セルの結合や、行・列の挿入はしないでください（集計できなくなります）。".into(),
    ];
    for (i, s) in steps.iter().enumerate() {
        ws.write_string(2 + i as u32, 0, s)?;
    }
    ws.write_string_with_format(9, 0, "記入例（このシートの例は集計されません）", &bold)?;
    let head = bold
        .clone()
        .set_border(FormatBorder::Thin)
        .set_background_color("D9E1F2");
    // Bracketed labels: this sheet must not look like a data sheet.
    for (c, h) in ["【分野】", "【区分】", "【内容】", "【他自治体の事例】"]
        .iter()
        .enumerate()
    {
        ws.write_string_with_format(10, c as u16, *h, &head)?;
    }
    let example = wrap.set_border(FormatBorder::Thin);
    let sample_field = template
        .fields
        .get(1)
        .or(template.fields.first())
        .map(|f| f.name.as_str())
        .unwrap_or("");
    let sample = [
        sample_field,
        "現状と課題",
        "・紙の申請書の入力に時間がかかっている。\n・電話での問い合わせが多い。",
        "〇〇市、△△町など",
    ];
    for (c, v) in sample.iter().enumerate() {
        ws.write_string_with_format(11, c as u16, *v, &example)?;
    }
    ws.set_row_height(11, 40)?;
    ws.write_string_with_format(13, 0, "分野の一覧", &bold)?;
    for (i, f) in template.fields.iter().enumerate() {
        ws.write_string(14 + i as u32, 0, &f.name)?;
    }
    ws.write_string_with_format(13, 1, "区分の一覧", &bold)?;
    for (i, c) in column_choices(template).iter().enumerate() {
        ws.write_string(14 + i as u32, 1, c)?;
    }
    ws.protect();
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    Ok(())
}

fn data_sheet(ws: &mut Worksheet, template: &Template) -> Result<(), XlsxError> {
    ws.set_name(DATA_SHEET)?;
    let label = base()
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_background_color("D9E1F2");
    let input = base()
        .set_unlocked()
        .set_border(FormatBorder::Thin)
        .set_background_color("FFF2CC")
        .set_text_wrap()
        .set_align(FormatAlign::Top);
    let head = label
        .clone()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);
    for (c, w) in WIDTHS.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    ws.write_string_with_format(0, 0, "担当課", &label)?;
    ws.write_blank(0, 1, &input)?;
    ws.write_string(
        1,
        0,
        "※ 黄色のセルに記入してください。1行に1件です。分野・区分は一覧から選びます。",
    )?;
    for (c, h) in HEADERS.iter().enumerate() {
        ws.write_string_with_format(HEADER_ROW, c as u16, *h, &head)?;
    }
    let first = HEADER_ROW + 1;
    let last = HEADER_ROW + INPUT_ROWS;
    for r in first..=last {
        for c in 0..HEADERS.len() {
            ws.write_blank(r, c as u16, &input)?;
        }
    }
    let fields: Vec<&str> = template.fields.iter().map(|f| f.name.as_str()).collect();
    ws.add_data_validation(first, 0, last, 0, &choose_from("分野", &fields)?)?;
    let kinds = column_choices(template);
    ws.add_data_validation(first, 1, last, 1, &choose_from("区分", &kinds)?)?;
    ws.set_freeze_panes(first, 0)?;
    ws.protect();
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(HEADER_ROW, HEADER_ROW)?;
    Ok(())
}
