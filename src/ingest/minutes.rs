//! Council minutes (会議録): the rules of SPEC §2.3 and §7.3 that turn the
//! paragraphs of minutes into council rows — which file is minutes, the
//! meeting number, 分野 sections and agenda headings. One implementation for
//! every format: the Word reader ([`super::docx`]) and the PDF reader
//! (`super::pdf`) only produce [`Paragraph`]s.

use super::error::FileError;
use super::raw::{FileResult, KindSpec, Located, RawEntry, RawRow, Skipped, file_stem};
use crate::normalize;
use crate::template::Template;
use crate::vocab::{ColumnKey, Location};

/// Department name given to items from the minutes.
pub const COUNCIL: &str = "審議会";

/// Words that say a document is minutes (SPEC §7.3).
const MINUTES_WORDS: [&str; 3] = ["会議録", "議事録", "議事要旨"];

/// One paragraph of minutes, as the format's reader found it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paragraph {
    /// The text as written (line breaks inside it allowed).
    pub text: String,
    /// Where it is, as the item's cell: `¶12` (a Word paragraph) or `p3`
    /// (the PDF page where it starts).
    pub place: String,
    /// Page furniture (a running header or footer of a PDF): read for the
    /// meeting number and for recognising minutes, never a heading or an
    /// opinion.
    pub furniture: bool,
}

impl Paragraph {
    /// A body paragraph.
    pub fn new(text: impl Into<String>, place: impl Into<String>) -> Paragraph {
        Paragraph {
            text: text.into(),
            place: place.into(),
            furniture: false,
        }
    }
}

/// N of the first `第N回…審議会` in the paragraphs; a number too large to
/// be one is an error naming its paragraph.
pub fn meeting_number(paragraphs: &[Paragraph]) -> Result<Option<u32>, FileError> {
    for p in paragraphs {
        let line = normalize::normalize_line(&p.text);
        let mut rest = line.as_str();
        while let Some(pos) = rest.find('第') {
            let after = &rest[pos + '第'.len_utf8()..];
            if let Some((num, tail)) = after.split_once('回')
                && tail.contains("審議会")
                && let Some(n) = normalize::parse_number(num)
            {
                return n.map(Some).map_err(|_| FileError::NumberTooLarge {
                    place: p.place.clone(),
                    text: format!("第{num}回"),
                });
            }
            rest = after;
        }
    }
    Ok(None)
}

/// Whether a document is council minutes (SPEC §7.3, §8.3): its file name
/// says 会議録, 議事録 or 議事要旨, or one of the paragraphs at its head
/// (the first 30 of a Word file, the first two pages of a PDF) says one of
/// those or names a 審議会 (第N回…審議会 included).
pub fn is_minutes<'p>(name: &str, head: impl IntoIterator<Item = &'p str>) -> bool {
    let says = |t: &str, words: &[&str]| {
        let t = normalize::match_key(t);
        words.iter().any(|w| t.contains(w))
    };
    says(file_stem(name), &MINUTES_WORDS)
        || head
            .into_iter()
            .any(|p| says(p, &MINUTES_WORDS) || says(p, &["審議会"]))
}

/// An agenda heading such as `３　議題２`: a numeral followed by a space.
fn is_agenda_heading(p: &str) -> bool {
    let digits: String = p.chars().take_while(|c| c.is_ascii_digit()).collect();
    !digits.is_empty() && p[digits.len()..].starts_with([' ', '\u{3000}'])
}

/// A short numbered heading such as `３．閉会`, `(2) 報告事項` or
/// `第３ その他の議題`: like an agenda heading, it ends a 分野 section
/// (a numbered opinion is a sentence, longer or ending in 。).
fn is_numbered_heading(p: &str) -> bool {
    const LONGEST: usize = 20;
    let rest = if let Some(r) = p.strip_prefix('第') {
        let n = r.chars().take_while(char::is_ascii_digit).count();
        (n > 0).then(|| &r[n..])
    } else {
        let digits = p.chars().take_while(char::is_ascii_digit).count();
        let parenthesised =
            p.starts_with(['(', '（']) && p.chars().nth(1).is_some_and(|c| c.is_ascii_digit());
        if (digits > 0 && p[digits..].starts_with(['.', '．', ')', '）'])) || parenthesised {
            normalize::strip_marker(p)
        } else {
            None
        }
    };
    rest.is_some_and(|r| {
        let r = r.trim();
        !r.is_empty() && r.chars().count() <= LONGEST && !r.ends_with(['。', '.', '？', '?'])
    })
}

/// The 分野 a paragraph names when its whole text is a 分野 or alias
/// (brackets such as 【DX推進】 and list markers allowed around it).
fn field_heading<'t>(p: &str, template: &'t Template) -> Option<&'t str> {
    let p = normalize::strip_marker(p).unwrap_or(p);
    let p = p.trim_matches([
        '【', '】', '［', '］', '〈', '〉', '＜', '＞', '■', '◆', '●', ' ', '\u{3000}',
    ]);
    if p.is_empty() || p.chars().count() > 20 {
        return None;
    }
    template.resolve_field(p)
}

/// Turns the paragraphs of minutes into council rows: the paragraphs after
/// a 分野 heading, up to the next 分野 or agenda heading. Each row's number
/// is the paragraph's position (the order of the items); its cell is the
/// paragraph's place.
pub fn rows_from_paragraphs(
    paras: &[Paragraph],
    name: &str,
    template: &Template,
) -> Result<FileResult, FileError> {
    let mut out = FileResult {
        meeting_number: meeting_number(paras)?,
        ..FileResult::default()
    };
    let mut current: Option<Located> = None;
    for (i, p) in paras.iter().enumerate() {
        if p.furniture {
            continue;
        }
        let number = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let text = normalize::normalize_text(&p.text);
        if text.is_empty() {
            continue;
        }
        let line = normalize::normalize_line(&p.text);
        if let Some(field) = field_heading(&line, template) {
            current = Some(Located {
                value: field.to_string(),
                cell: p.place.clone(),
            });
            continue;
        }
        if is_agenda_heading(&line) || is_numbered_heading(&line) {
            current = None;
            continue;
        }
        let Some(field) = &current else { continue };
        out.rows_counted += 1;
        out.rows.push(RawRow {
            file: name.to_string(),
            sheet: None,
            sheet_index: 0,
            row: number,
            department: COUNCIL.to_string(),
            field: field.clone(),
            entries: vec![RawEntry {
                kind: KindSpec::Fixed(ColumnKey::Council),
                content: Located {
                    value: text,
                    cell: p.place.clone(),
                },
                examples: None,
            }],
        });
    }
    if out.rows.is_empty() {
        out.skipped.push(Skipped::new(
            Location::file(name),
            "会議録に分野の見出し（行政施策、DX推進 など）の段落が見つからず、審議会の意見を読み取れませんでした。",
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(v: &[&str]) -> Vec<Paragraph> {
        v.iter()
            .enumerate()
            .map(|(i, s)| Paragraph::new(*s, format!("¶{}", i + 1)))
            .collect()
    }

    #[test]
    fn sections_and_agenda_end() {
        let paras = p(&[
            "第２回　飯塚市行政経営戦略推進審議会",
            "２　議題１",
            " 行政施策 ",
            "意見一。",
            "",
            "【ＤＸ推進】",
            "意見二。",
            "３　議題２",
            "第３回審議会において異議なし。",
        ]);
        let r = rows_from_paragraphs(&paras, "m.docx", &Template::default()).unwrap();
        assert_eq!(r.meeting_number, Some(2));
        assert_eq!(r.rows_counted, 2);
        assert_eq!(r.rows.len(), 2);
        assert_eq!(r.rows[0].field.value, "行政施策");
        assert_eq!(r.rows[0].entries[0].content.cell, "¶4");
        assert_eq!(r.rows[1].field.value, "DX推進");
    }

    #[test]
    fn furniture_is_never_an_item_but_gives_the_meeting_number() {
        let mut paras = vec![Paragraph {
            text: "第５回審議会 会議録".into(),
            place: "p1".into(),
            furniture: true,
        }];
        paras.push(Paragraph::new("財務", "p1"));
        paras.push(Paragraph::new("意見。", "p1"));
        paras.push(Paragraph {
            text: "第５回審議会 会議録".into(),
            place: "p2".into(),
            furniture: true,
        });
        paras.push(Paragraph::new("続きの意見。", "p2"));
        let r = rows_from_paragraphs(&paras, "m.pdf", &Template::default()).unwrap();
        assert_eq!(r.meeting_number, Some(5));
        let items: Vec<(&str, u32, &str)> = r
            .rows
            .iter()
            .map(|r| {
                (
                    r.entries[0].content.value.as_str(),
                    r.row,
                    r.entries[0].content.cell.as_str(),
                )
            })
            .collect();
        assert_eq!(items, vec![("意見。", 3, "p1"), ("続きの意見。", 5, "p2")]);
    }

    #[test]
    fn a_short_numbered_heading_ends_the_section() {
        let paras = p(&[
            "議事録",
            "（２）その他",
            "３．閉 会",
            "経営",
            "1. 施設の使用に関し、減免措置を見直してはどうか。",
            "(2) 他の自治体でできることについては、飯塚市も頑張ってほしい",
            "第３ 報告事項",
            "報告の本文。",
        ]);
        let r = rows_from_paragraphs(&paras, "m.pdf", &Template::default()).unwrap();
        let items: Vec<(&str, &str)> = r
            .rows
            .iter()
            .map(|r| (r.field.value.as_str(), r.entries[0].content.value.as_str()))
            .collect();
        assert_eq!(
            items,
            vec![
                ("経営", "1. 施設の使用に関し、減免措置を見直してはどうか。"),
                (
                    "経営",
                    "(2) 他の自治体でできることについては、飯塚市も頑張ってほしい"
                ),
            ]
        );
        assert!(is_numbered_heading("3.閉会"));
        assert!(is_numbered_heading("(3)報告"));
        assert!(!is_numbered_heading("3.5倍にする。"));
        assert!(!is_numbered_heading("①公用車の不足"));
    }

    #[test]
    fn kanji_meeting_number() {
        assert_eq!(
            meeting_number(&p(&["第十二回 行政経営戦略推進審議会 会議録"])),
            Ok(Some(12))
        );
        assert_eq!(meeting_number(&p(&["第2回の資料", "審議会"])), Ok(None));
        assert_eq!(
            meeting_number(&p(&["会議録", "第九九九九九九九九九九九回審議会"])),
            Err(FileError::NumberTooLarge {
                place: "¶2".into(),
                text: "第九九九九九九九九九九九回".into()
            })
        );
    }

    #[test]
    fn only_minutes_are_minutes() {
        let notice = ["入札公告", "１ 件名", "（３）その他", "行政施策"];
        assert!(!is_minutes("公告.docx", notice));
        assert!(is_minutes("第2回審議会_会議録.docx", notice));
        assert!(is_minutes(
            "m.docx",
            ["令和5年度 第2回 行政経営戦略推進審議会"]
        ));
        assert!(is_minutes("m.docx", ["議事要旨"]));
        // Letter-spaced words are still words.
        assert!(is_minutes("m.pdf", ["会 議 録"]));
    }
}
