//! `資料.html` (SPEC §8.1): the handout as one self-contained web page for
//! the city's website — inline CSS, no script, nothing fetched. Drawn from
//! the [`Handout`] only, like the PDF, so the page and the paper say the
//! same thing: the title as the one `<h1>`, the date and 資料番号, then one
//! table with a caption, `<th scope="col">` headers in `<thead>`, one row
//! per 分野 headed by `<th scope="row">`, each cell a `<ul>` of its items
//! with their examples and the 新 mark as text.
//!
//! The look follows the PDF (date left, title centred, 資料番号 boxed on
//! the right; grey header row, the template's column widths, `新・` before
//! an item new since last month). The print style sheet asks for the
//! template's paper (A3 landscape by default), repeats the header row on
//! every page, keeps every item on one page and numbers the pages as the
//! PDF does. On a narrow screen the table scrolls inside its own focusable
//! region, so the page itself reflows (WCAG 1.4.10).
//!
//! The markup is also well-formed XML (every element closed, void elements
//! written `<meta … />`, only the entities XML predefines), so any XML
//! reader can check it. Lines end in `\n` and nothing depends on the
//! machine: the bytes are the same on every run and on Windows.

use std::fmt::Write as _;

use crate::handout::{Handout, HandoutItem};
use crate::template::Template;
use crate::vocab::{NEW_MARK, PaperSize};

/// The page of a handout, UTF-8 without a byte order mark (the page
/// declares its encoding).
pub fn render(handout: &Handout, template: &Template) -> Vec<u8> {
    let mut page = String::with_capacity(16 * 1024);
    page.push_str("<!DOCTYPE html>\n<html lang=\"ja\">\n<head>\n");
    page.push_str("<meta charset=\"utf-8\" />\n");
    page.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n");
    page.push_str("<title>");
    escape_into(&mut page, &handout.title);
    page.push_str("</title>\n<style>\n");
    page.push_str(&style_sheet(template));
    page.push_str("</style>\n</head>\n<body>\n<main>\n");
    head(&mut page, handout);
    table(&mut page, handout, template);
    page.push_str("</main>\n</body>\n</html>\n");
    page.into_bytes()
}

/// Title, date, 資料番号 and the legend of the 新 mark, in reading order
/// (the style sheet places them as on the PDF).
fn head(page: &mut String, handout: &Handout) {
    page.push_str("<header class=\"head\">\n<h1>");
    escape_into(page, &handout.title);
    page.push_str("</h1>\n<p class=\"date\">");
    escape_into(page, &handout.date);
    page.push_str("</p>\n");
    if !handout.document_number.is_empty() {
        page.push_str("<p class=\"docno\">");
        escape_into(page, &handout.document_number);
        page.push_str("</p>\n");
    }
    if let Some(legend) = handout.legend {
        page.push_str("<p class=\"legend\">");
        escape_into(page, legend);
        page.push_str("</p>\n");
    }
    page.push_str("</header>\n");
}

/// The matrix: caption, column widths, header row, one row per 分野.
fn table(page: &mut String, handout: &Handout, template: &Template) {
    // The region scrolls a table wider than a phone; it is focusable so
    // that it scrolls from the keyboard, and named by the caption.
    page.push_str(
        "<div class=\"scroll\" role=\"region\" aria-labelledby=\"caption\" tabindex=\"0\">\n",
    );
    page.push_str(if handout.compares() {
        "<table class=\"compare\">\n"
    } else {
        "<table>\n"
    });
    page.push_str("<caption id=\"caption\">");
    escape_into(page, &caption(handout));
    page.push_str("</caption>\n");
    if let Some(widths) = widths(handout, template) {
        page.push_str("<colgroup>");
        for w in widths {
            let _ = write!(page, "<col style=\"width: {}%\" />", number(w));
        }
        page.push_str("</colgroup>\n");
    }
    page.push_str("<thead>\n<tr><th scope=\"col\">");
    label_into(page, &handout.field_label);
    page.push_str("</th>");
    for c in &handout.columns {
        page.push_str("<th scope=\"col\">");
        label_into(page, &c.label);
        page.push_str("</th>");
    }
    page.push_str("</tr>\n</thead>\n<tbody>\n");
    for row in &handout.rows {
        page.push_str("<tr><th scope=\"row\">");
        label_into(page, &row.name);
        page.push_str("</th>");
        for items in &row.cells {
            page.push_str("<td>");
            if !items.is_empty() {
                page.push_str("<ul>");
                for it in items {
                    item_into(page, it);
                }
                page.push_str("</ul>");
            }
            page.push_str("</td>");
        }
        page.push_str("</tr>\n");
    }
    page.push_str("</tbody>\n</table>\n</div>\n");
}

/// The caption names the table and says how much it holds.
fn caption(handout: &Handout) -> String {
    let items: usize = handout
        .rows
        .iter()
        .flat_map(|r| &r.cells)
        .map(Vec::len)
        .sum();
    let mut text = format!(
        "{}（{}{}・{}項目",
        handout.title,
        handout.rows.len(),
        handout.field_label,
        items
    );
    if handout.compares() {
        let new = handout
            .rows
            .iter()
            .flat_map(|r| &r.cells)
            .flatten()
            .filter(|it| it.new)
            .count();
        let _ = write!(text, "、うち「{NEW_MARK}」{new}項目");
    }
    text.push('）');
    text
}

/// One item: the 新 mark (drawn before the bullet, as on the PDF), the
/// text, then its examples in ＜＞.
fn item_into(page: &mut String, item: &HandoutItem) {
    page.push_str("<li>");
    if item.new {
        // The space keeps 新 apart from the text for a screen reader; it
        // is not drawn (the mark sits in the margin).
        page.push_str("<strong class=\"new\">");
        page.push_str(NEW_MARK);
        page.push_str("</strong> ");
    }
    escape_into(page, item.text);
    if let Some(ex) = &item.examples {
        page.push_str("<span class=\"ex\">＜");
        escape_into(page, ex);
        page.push_str("＞</span>");
    }
    page.push_str("</li>");
}

/// A header label: its line breaks (a template may write some) kept.
fn label_into(page: &mut String, label: &str) {
    for (i, line) in label.split('\n').enumerate() {
        if i > 0 {
            page.push_str("<br />");
        }
        escape_into(page, line);
    }
}

/// Text for an element or a double-quoted attribute. Control characters,
/// which HTML does not allow in a document, are left out.
fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\n' | '\t' => out.push(c),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
}

/// Column widths in percent of the table, from the template's ratios (the
/// 分野 column first), as the PDF divides its page; `None` when the
/// ratios do not make sense.
fn widths(handout: &Handout, template: &Template) -> Option<Vec<f64>> {
    let ratios: Vec<f64> = std::iter::once(template.field_width)
        .chain(handout.columns.iter().map(|c| {
            template
                .columns
                .iter()
                .find(|d| d.key == c.key)
                .map_or(0.0, |d| d.width)
        }))
        .collect();
    let sum: f64 = ratios.iter().sum();
    let fine = sum.is_finite() && sum > 0.0 && ratios.iter().all(|r| *r > 0.0);
    fine.then(|| ratios.iter().map(|r| r / sum * 100.0).collect())
}

/// A CSS number: at most three decimals, no trailing zeros (`10`, `8.696`).
fn number(v: f64) -> String {
    if !v.is_finite() {
        return "0".into();
    }
    let s = format!("{v:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
}

/// A font family name as a CSS string: anything but letters, digits,
/// spaces and non-ASCII characters is written as a hex escape, so that no
/// name can end the string, the rule or the `<style>` element.
fn css_string(name: &str) -> String {
    let mut out = String::from("\"");
    for c in name.chars() {
        if c.is_ascii_alphanumeric() || c == ' ' || (!c.is_ascii() && !c.is_control()) {
            out.push(c);
        } else {
            let _ = write!(out, "\\{:x} ", u32::from(c));
        }
    }
    out.push('"');
    out
}

/// The style sheet: the screen look, the narrow-screen look and the print
/// look, sized from the template as the PDF is.
fn style_sheet(template: &Template) -> String {
    let families: Vec<String> = template
        .font_families
        .iter()
        .filter(|f| !f.trim().is_empty())
        .map(|f| css_string(f.trim()))
        .chain(std::iter::once("sans-serif".to_string()))
        .collect();
    let size = template.font_size;
    let title = (size * 1.8).max(14.0);
    let number_size = (size * 1.4).max(11.0);
    let paper = match template.paper.size {
        PaperSize::A3 => "A3",
        PaperSize::A4 => "A4",
    };
    let orientation = if template.paper.landscape {
        "landscape"
    } else {
        "portrait"
    };
    let m = template.margins;
    let mut css = String::new();
    let _ = write!(
        css,
        "\
:root {{ color: #000; background: #fff; }}
body {{ margin: 1rem; font-family: {families}; line-height: 1.5; }}
.head {{ display: grid; grid-template-columns: 1fr auto 1fr; grid-template-areas: \"date title docno\" \"legend legend legend\"; align-items: baseline; column-gap: 1em; margin-bottom: .5rem; }}
.head h1 {{ grid-area: title; margin: 0; font-size: 1.5rem; text-align: center; }}
.head p {{ margin: 0; }}
.date {{ grid-area: date; }}
.docno {{ grid-area: docno; justify-self: end; border: 1px solid #000; padding: 0 .4em; font-weight: bold; }}
.legend {{ grid-area: legend; }}
.scroll {{ overflow-x: auto; }}
.scroll:focus-visible {{ outline: 3px solid #1a4fa0; outline-offset: 2px; }}
table {{ border-collapse: collapse; table-layout: fixed; width: 100%; min-width: 64rem; }}
caption {{ text-align: left; padding: .25rem 0; }}
th, td {{ border: 1px solid #000; padding: .3em .45em; vertical-align: top; text-align: left; overflow-wrap: anywhere; }}
th {{ font-weight: bold; -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
thead th {{ background: #d9d9d9; text-align: center; vertical-align: middle; }}
tbody th {{ background: #f2f2f2; text-align: center; }}
td ul {{ margin: 0; padding: 0 0 0 1em; list-style: \"・\" outside; }}
.compare td ul {{ padding-left: 2em; }}
td li {{ position: relative; }}
.new {{ position: absolute; left: -2em; }}
@media (max-width: 48rem) {{
  body {{ margin: .5rem; }}
  .head {{ display: block; }}
  .head h1 {{ font-size: 1.25rem; text-align: left; margin: .25rem 0; }}
  .docno {{ display: inline-block; }}
  caption {{ max-width: calc(100vw - 1rem); }}
}}
@page {{ size: {paper} {orientation}; margin: {top}mm {right}mm {bottom}mm {left}mm; }}
@page {{ @bottom-center {{ content: \"- \" counter(page) \" / \" counter(pages) \" -\"; font-size: {size}pt; }} }}
@media print {{
  body {{ margin: 0; font-size: {size}pt; line-height: 1.45; }}
  .head h1 {{ font-size: {title}pt; }}
  .docno {{ font-size: {number_size}pt; }}
  .scroll {{ overflow: visible; }}
  table {{ min-width: 0; }}
  thead {{ display: table-header-group; }}
  tr, td li {{ break-inside: avoid; }}
}}
",
        families = families.join(", "),
        size = number(size),
        title = number(title),
        number_size = number(number_size),
        top = number(m.top),
        right = number(m.right),
        bottom = number(m.bottom),
        left = number(m.left),
    );
    css
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::handout::{HandoutColumn, HandoutRow};
    use crate::vocab::{ColumnKey, NEW_LEGEND};

    fn handout<'a>(rows: Vec<HandoutRow<'a>>, legend: Option<&'static str>) -> Handout<'a> {
        Handout {
            title: "各分野における現状と課題及び想定される解決策".into(),
            document_number: "資料２".into(),
            date: "令和8年11月".into(),
            field_label: "分野".into(),
            columns: ColumnKey::ALL
                .iter()
                .zip(["審議会", "課題", "解決案", "取組"])
                .map(|(k, l)| HandoutColumn {
                    key: *k,
                    label: l.into(),
                })
                .collect(),
            rows,
            legend,
        }
    }

    fn item<'a>(text: &'a str, examples: Option<&'a str>, new: bool) -> HandoutItem<'a> {
        HandoutItem {
            text,
            examples,
            new,
            source: None,
        }
    }

    fn row<'a>(name: &str, cells: [Vec<HandoutItem<'a>>; 4]) -> HandoutRow<'a> {
        HandoutRow {
            name: name.into(),
            cells: cells.into(),
        }
    }

    fn page(h: &Handout) -> String {
        String::from_utf8(render(h, &Template::default())).unwrap()
    }

    /// The line of the page that starts this 分野's row.
    fn row_line<'a>(page: &'a str, name: &str) -> &'a str {
        let start = format!("<tr><th scope=\"row\">{name}</th>");
        let found: Vec<&str> = page.lines().filter(|l| l.starts_with(&start)).collect();
        assert_eq!(found.len(), 1, "one row for {name} in\n{page}");
        found[0]
    }

    #[test]
    fn text_and_attributes_are_escaped() {
        let mut out = String::new();
        escape_into(&mut out, "A&B <script>\"x\" 'y'\u{7}\u{85}河﨑①");
        assert_eq!(
            out, "A&amp;B &lt;script&gt;&quot;x&quot; 'y'河﨑①",
            "markup characters escaped, control characters dropped, the rest kept"
        );
        let h = handout(
            vec![row(
                "DX<推進>",
                [
                    vec![],
                    vec![item("</td><td>a & b", Some("<宗像市>"), false)],
                    vec![],
                    vec![],
                ],
            )],
            None,
        );
        let mut h = h;
        h.title = "</title><script>alert(1)</script>".into();
        let p = page(&h);
        assert!(!p.contains("<script"), "{p}");
        assert!(p.contains("<title>&lt;/title&gt;&lt;script&gt;"));
        assert_eq!(
            row_line(&p, "DX&lt;推進&gt;"),
            "<tr><th scope=\"row\">DX&lt;推進&gt;</th><td></td>\
             <td><ul><li>&lt;/td&gt;&lt;td&gt;a &amp; b<span class=\"ex\">＜&lt;宗像市&gt;＞</span></li></ul></td>\
             <td></td><td></td></tr>"
        );
    }

    #[test]
    fn font_names_cannot_escape_the_style_sheet() {
        assert_eq!(css_string("BIZ UDPゴシック"), "\"BIZ UDPゴシック\"");
        assert_eq!(
            css_string("a\"</style>;}"),
            "\"a\\22 \\3c \\2f style\\3e \\3b \\7d \""
        );
    }

    #[test]
    fn an_item_is_in_the_cell_of_its_row_and_column() {
        let h = handout(
            vec![
                row(
                    "行政施策",
                    [
                        vec![item("審議会の意見。", None, false)],
                        vec![],
                        vec![],
                        vec![],
                    ],
                ),
                row(
                    "財務",
                    [
                        vec![],
                        vec![],
                        vec![
                            item("包括管理委託の導入", Some("宗像市、明石市など"), false),
                            item("公共施設の再配置。", None, false),
                        ],
                        vec![item("職員派遣。", None, false)],
                    ],
                ),
            ],
            None,
        );
        let p = page(&h);
        assert_eq!(
            row_line(&p, "財務"),
            "<tr><th scope=\"row\">財務</th><td></td><td></td>\
             <td><ul><li>包括管理委託の導入<span class=\"ex\">＜宗像市、明石市など＞</span></li>\
             <li>公共施設の再配置。</li></ul></td>\
             <td><ul><li>職員派遣。</li></ul></td></tr>"
        );
        assert_eq!(
            row_line(&p, "行政施策"),
            "<tr><th scope=\"row\">行政施策</th><td><ul><li>審議会の意見。</li></ul></td>\
             <td></td><td></td><td></td></tr>"
        );
        assert!(p.contains(
            "<thead>\n<tr><th scope=\"col\">分野</th><th scope=\"col\">審議会</th>\
             <th scope=\"col\">課題</th><th scope=\"col\">解決案</th><th scope=\"col\">取組</th></tr>\n</thead>"
        ));
        assert!(p.contains(
            "<caption id=\"caption\">各分野における現状と課題及び想定される解決策（2分野・4項目）</caption>"
        ));
        assert!(p.contains("<h1>各分野における現状と課題及び想定される解決策</h1>"));
        assert!(p.contains("<p class=\"date\">令和8年11月</p>"));
        assert!(p.contains("<p class=\"docno\">資料２</p>"));
        assert!(!p.contains("legend\">"), "no legend without a comparison");
        assert!(p.starts_with("<!DOCTYPE html>\n<html lang=\"ja\">\n"));
        assert!(!p.contains('\r'));
    }

    #[test]
    fn a_new_item_says_so_in_text_and_the_legend_explains_it() {
        let h = handout(
            vec![row(
                "DX推進",
                [
                    vec![],
                    vec![
                        item("新しい課題。", None, true),
                        item("前からある課題。", None, false),
                    ],
                    vec![],
                    vec![],
                ],
            )],
            Some(NEW_LEGEND),
        );
        let p = page(&h);
        assert_eq!(
            row_line(&p, "DX推進"),
            "<tr><th scope=\"row\">DX推進</th><td></td>\
             <td><ul><li><strong class=\"new\">新</strong> 新しい課題。</li><li>前からある課題。</li></ul></td>\
             <td></td><td></td></tr>"
        );
        assert!(p.contains("<p class=\"legend\">新＝前回の資料にない項目</p>"));
        assert!(p.contains("<table class=\"compare\">"));
        assert!(p.contains("（1分野・2項目、うち「新」1項目）</caption>"));
    }

    #[test]
    fn a_hidden_item_is_not_on_the_page() {
        use crate::matrix::{FieldRow, Item};
        use crate::vocab::{Location, Source};
        let t = Template::default();
        let source = Source {
            department: "総務課".into(),
            at: Location::file("総務課.xlsx"),
        };
        let mut shown = Item::new("載せる項目。".into(), None, source.clone());
        shown.hidden = false;
        let mut hidden = Item::new("載せない項目。".into(), None, source.clone());
        hidden.hidden = true;
        let mut only_hidden = Item::new("これも載せない。".into(), None, source);
        only_hidden.hidden = true;
        let mut m = crate::matrix::build(Default::default(), &t);
        m.fields[0] = FieldRow {
            name: "行政施策".into(),
            cells: [vec![], vec![shown, hidden], vec![], vec![]],
        };
        m.fields[1] = FieldRow {
            name: "DX推進".into(),
            cells: [vec![], vec![], vec![only_hidden], vec![]],
        };
        let h = Handout::of(&m, crate::date::Date::parse("2026-11-24").unwrap());
        let p = String::from_utf8(render(&h, &t)).unwrap();
        assert!(p.contains("<li>載せる項目。</li>"));
        assert!(!p.contains("載せない"), "{p}");
        assert!(
            !p.contains("DX推進"),
            "a 分野 with only hidden items has no row"
        );
    }

    #[test]
    fn the_page_is_the_same_for_the_same_handout_and_prints_on_the_templates_paper() {
        let h = handout(
            vec![row(
                "経営",
                [vec![], vec![item("課題。", None, false)], vec![], vec![]],
            )],
            None,
        );
        let a = render(&h, &Template::default());
        assert_eq!(a, render(&h, &Template::default()));
        let p = String::from_utf8(a).unwrap();
        assert!(p.contains("@page { size: A3 landscape; margin: 10mm 10mm 10mm 10mm; }"));
        assert!(p.contains(
            "font-family: \"BIZ UDPGothic\", \"IPAexGothic\", \"Noto Sans CJK JP\", sans-serif;"
        ));
        assert!(p.contains(
            "<colgroup><col style=\"width: 8%\" /><col style=\"width: 23%\" /><col style=\"width: 23%\" />\
             <col style=\"width: 23%\" /><col style=\"width: 23%\" /></colgroup>"
        ));
        let mut a4 = Template::default();
        a4.paper.size = PaperSize::A4;
        a4.paper.landscape = false;
        let p = String::from_utf8(render(&h, &a4)).unwrap();
        assert!(p.contains("@page { size: A4 portrait;"));
        for forbidden in ["<script", "url(", "@import", "src=", "href="] {
            assert!(!p.contains(forbidden), "{forbidden}");
        }
    }

    #[test]
    fn numbers_are_short_and_plain() {
        assert_eq!(number(10.0), "10");
        assert_eq!(number(8.0 / 92.0 * 100.0), "8.696");
        assert_eq!(number(16.2), "16.2");
        assert_eq!(number(f64::NAN), "0");
        assert_eq!(number(-0.0001), "0");
    }
}
