//! The PDF handout (SPEC §5): the matrix on A3 landscape (template paper),
//! title, 資料番号 box, 和暦 date, header row on every page, `・` items with a
//! hanging indent, 禁則 line breaking, 「（続き）」 for a 分野 split across
//! pages, page numbers, subset-embedded fonts.
//!
//! Three steps, each in its own module: [`layout`] turns the handout into
//! pages of the page model ([`model`]) without any font file, deciding
//! what every line is in the document's structure; [`draw`] draws them as
//! marked content (printpdf for the document and its fonts, each page's
//! content stream written on every core); [`finish`] adds the [`structure`]
//! tree and the [`archival`] metadata (PDF/UA-1, PDF/A-2a) and makes the
//! bytes reproducible and small. The pages are never all held: the layout
//! hands them on one by one, once to count them and see their glyphs, once
//! to draw them a batch at a time; the saved file goes to a temporary file
//! and the structure tree into it as it is written out.

pub mod archival;
mod content;
pub mod draw;
pub mod error;
pub mod finish;
pub mod layout;
pub mod model;
pub mod structure;

use crate::date::Date;
use crate::fonts::discover::discover;
use crate::handout::Handout;
use crate::template::Template;
pub use error::PdfError;

/// Finds the fonts, checks every character against them, lays out and
/// draws the PDF. Characters no installed font has are added to
/// `problems` (with their cell); no font at all is an error.
pub fn render(
    handout: &Handout,
    template: &Template,
    date: Date,
    font_arg: Option<&str>,
    problems: &mut Vec<String>,
) -> Result<finish::Finished, PdfError> {
    let mut fonts = discover(font_arg, &template.font_families)?;
    let lacking: Vec<char> = {
        let has = |c: char| fonts.regular.has_glyph(c);
        missing_glyphs(handout, &has).iter().map(|g| g.ch).collect()
    };
    // Another installed font may draw them: better than an empty box.
    // Only then can a character still be missing.
    let missing = if lacking.is_empty() {
        Vec::new()
    } else {
        fonts.add_fallbacks(&lacking);
        let has = |c: char| fonts.has(c);
        missing_glyphs(handout, &has)
    };
    for missing in missing {
        problems.push(format!(
            "文字「{}」（U+{:04X}）がフォント {} にも、ほかに入っているフォントにもないため、PDF で表示できません: {}。別のフォントを --font で指定するか、文字を確認してください。",
            missing.ch,
            missing.ch as u32,
            fonts.regular.family,
            missing.place
        ));
    }
    let regular = |c: char| fonts.advance_em(c, false);
    let bold = |c: char| fonts.advance_em(c, true);
    let measures = layout::Measures {
        regular: &regular,
        bold: &bold,
    };
    let layout = layout::Layout::new(handout, template, &measures);
    let table = layout.sheet.table.clone();
    let drawn = draw::draw(layout, &fonts, &handout.title, date)?;
    finish::finish(drawn, &table, &handout.title, date)
}

/// A character the font cannot draw, with where it occurs.
#[derive(Debug, Clone, PartialEq)]
pub struct MissingGlyph {
    /// The character.
    pub ch: char,
    /// Where: 分野／区分 and the item's first source.
    pub place: String,
}

/// Every character of the handout the font `has` lacks, with where it is.
pub fn missing_glyphs(handout: &Handout, has: &dyn Fn(char) -> bool) -> Vec<MissingGlyph> {
    let mut out: Vec<MissingGlyph> = Vec::new();
    for row in &handout.rows {
        for (col, items) in handout.columns.iter().zip(&row.cells) {
            for it in items {
                for ch in it.line().chars().filter(|c| !has(*c)) {
                    let place = format!(
                        "{}／{}: {}（{}）",
                        row.name,
                        col.key.short_label(),
                        it.source
                            .as_ref()
                            .map(ToString::to_string)
                            .unwrap_or_default(),
                        it.text.chars().take(20).collect::<String>()
                    );
                    if !out.iter().any(|m| m.ch == ch && m.place == place) {
                        out.push(MissingGlyph { ch, place });
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::layout::{Measures, paginate};
    use super::model::DocModel;
    use super::*;
    use crate::matrix::{FieldRow, Item, Matrix, Source};
    use crate::vocab::{BULLET, CONTINUED, ColumnKey, Location};

    fn em(c: char) -> f64 {
        use unicode_width::UnicodeWidthChar;
        if c.width() == Some(2) { 1.0 } else { 0.55 }
    }

    fn matrix_with(items: usize, template: &Template) -> Matrix {
        let ing = crate::ingest::Ingested {
            meeting_number: Some(2),
            ..Default::default()
        };
        let mut m = crate::matrix::build(ing, template);
        let item = |i: usize| {
            Item::new(
                format!(
                    "項目{i}：庁内の会議資料をペーパーレス化し、タブレット端末で閲覧できるようにする。"
                ),
                i.is_multiple_of(3)
                    .then(|| "宗像市、明石市など".to_string()),
                Source {
                    department: "総務課".into(),
                    at: Location::cell("総務課.xlsx", Some("提出"), &format!("C{}", i + 2)),
                },
            )
        };
        m.fields[1] = FieldRow {
            name: "DX推進".into(),
            cells: [vec![], (0..items).map(item).collect(), vec![], vec![]],
        };
        m.fields[2].cells[ColumnKey::Ongoing.index()] = vec![item(9999)];
        m
    }

    fn model(items: usize) -> DocModel {
        let t = Template::default();
        let m = matrix_with(items, &t);
        let measures = Measures {
            regular: &em,
            bold: &em,
        };
        let date = Date::parse("2026-11-24").unwrap();
        paginate(&Handout::of(&m, date), &t, &measures)
    }

    #[test]
    fn three_hundred_items_paginate_with_headers_and_continuation() {
        let doc = model(300);
        assert!(doc.pages.len() >= 3, "{} pages", doc.pages.len());
        for (i, page) in doc.pages.iter().enumerate() {
            let texts: Vec<&str> = page.texts.iter().map(|t| t.text.as_str()).collect();
            assert!(texts.contains(&"分野"), "page {i} lacks the header row");
            assert!(texts.contains(&"第2回審議会での主な意見"), "page {i}");
            assert!(texts.contains(&format!("- {} / {} -", i + 1, doc.pages.len()).as_str()));
            if i > 0 && i + 1 < doc.pages.len() {
                assert!(
                    texts.contains(&CONTINUED),
                    "page {i} lacks 「（続き）」: {texts:?}"
                );
            }
            for t in &page.texts {
                assert!(
                    t.within.contains(&t.bounds()),
                    "page {i}: {:?} outside its box {:?}",
                    t.text,
                    t.within
                );
                let is_footer = t.text.starts_with("- ");
                if !is_footer {
                    assert!(
                        t.bounds().y >= doc.footer_limit - 0.01,
                        "page {i}: {:?} below the footer line",
                        t.text
                    );
                }
            }
            for f in &page.frames {
                assert!(
                    f.rect.y >= doc.footer_limit - 0.01,
                    "page {i}: a cell reaches into the footer"
                );
            }
        }
        // Every item appears once, in order.
        let all: String = doc
            .pages
            .iter()
            .flat_map(|p| p.texts.iter().map(|t| t.text.as_str()))
            .collect();
        let mut pos = 0;
        for i in 0..300 {
            let needle = format!("項目{i}：");
            let found = all[pos..]
                .find(&needle)
                .unwrap_or_else(|| panic!("item {i} missing or out of order"));
            pos += found;
        }
    }

    /// The first pass's pages, numbered afterwards, are the pages laid out
    /// with the count: the PDF draws either, by the page count.
    #[test]
    fn numbering_the_first_pass_gives_the_second_pass_pages() {
        let t = Template::default();
        let m = matrix_with(300, &t);
        let measures = Measures {
            regular: &em,
            bold: &em,
        };
        let date = Date::parse("2026-11-24").unwrap();
        let handout = Handout::of(&m, date);
        let layout = layout::Layout::new(&handout, &t, &measures);
        let mut first = Vec::new();
        let n = layout.pages(None, &mut |p| first.push(p));
        assert!(n >= 3, "{n} pages");
        for (i, page) in first.iter_mut().enumerate() {
            layout.number(page, i, n);
        }
        let mut second = Vec::new();
        layout.into_pages(Some(n), &mut |p| second.push(p));
        assert_eq!(first, second);
    }

    #[test]
    fn pagination_ends_even_when_the_header_leaves_no_room() {
        let t = Template {
            font_size: 30.0,
            paper: crate::template::Paper {
                size: crate::template::PaperSize::A4,
                landscape: true,
            },
            ..Template::default()
        };
        let m = matrix_with(40, &t);
        let measures = Measures {
            regular: &em,
            bold: &em,
        };
        let date = Date::parse("2026-11-24").unwrap();
        let doc = paginate(&Handout::of(&m, date), &t, &measures);
        assert!(!doc.pages.is_empty());
        let all: String = doc
            .pages
            .iter()
            .flat_map(|p| p.texts.iter().map(|t| t.text.as_str()))
            .collect();
        assert!(all.contains("項目39"));
    }

    #[test]
    fn a_small_matrix_is_one_a3_landscape_page() {
        let doc = model(5);
        assert_eq!(doc.pages.len(), 1);
        assert_eq!((doc.width, doc.height), (1190.55, 841.89));
        let texts: Vec<&str> = doc.pages[0].texts.iter().map(|t| t.text.as_str()).collect();
        for needle in [
            "各分野における現状と課題及び想定される解決策",
            "資料２",
            "令和8年11月",
            "- 1 / 1 -",
            "DX推進",
            "財務",
        ] {
            assert!(texts.contains(&needle), "{needle} missing: {texts:?}");
        }
        assert!(!texts.iter().any(|t| t.contains(CONTINUED)));
    }

    #[test]
    fn hanging_indent_aligns_wrapped_lines_after_the_bullet() {
        let doc = model(1);
        let p = &doc.pages[0];
        let bullet = p.texts.iter().find(|t| t.text == BULLET).unwrap();
        let first = p
            .texts
            .iter()
            .find(|t| t.text.starts_with("項目0"))
            .unwrap();
        let second = p
            .texts
            .iter()
            .find(|t| t.y < first.y && t.within == first.within && t.text != BULLET)
            .unwrap();
        assert!(first.x > bullet.x);
        assert_eq!(first.x, second.x, "wrapped line aligns after the bullet");
    }
}
