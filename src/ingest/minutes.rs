//! Council minutes (会議録, .docx): paragraphs of `word/document.xml` in
//! document order, 分野 headings and the meeting number (SPEC §2.3).

use std::io::Read;
use std::path::Path;

use quick_xml::Reader;
use quick_xml::events::Event;

use super::error::FileError;
use super::raw::{FileResult, KindSpec, Located, RawEntry, RawRow, Skipped, file_stem};
use crate::normalize;
use crate::template::Template;
use crate::vocab::{ColumnKey, Location};

/// Department name given to items from the minutes.
pub const COUNCIL: &str = "審議会";

/// Largest `word/document.xml` that is read (uncompressed bytes).
const MAX_DOCUMENT_XML: u64 = 64 * 1024 * 1024;

/// The text of every `w:p` in document order (table cells included).
pub fn paragraphs(xml: &str) -> Result<Vec<String>, FileError> {
    let mut reader = Reader::from_str(xml);
    let mut out = Vec::new();
    // Paragraphs can nest (text boxes); keep a stack of open paragraphs.
    let mut stack: Vec<usize> = Vec::new();
    let mut in_text = false;
    loop {
        let ev = reader
            .read_event()
            .map_err(|e| FileError::MinutesBroken(format!("本文 document.xml: {e}")))?;
        match ev {
            Event::Start(e) => match e.name().as_ref() {
                "w:p" => {
                    stack.push(out.len());
                    out.push(String::new());
                }
                "w:t" => in_text = true,
                _ => {}
            },
            Event::Empty(e) => match e.name().as_ref() {
                "w:p" => out.push(String::new()),
                "w:tab" => push(&mut out, &stack, "\t"),
                "w:br" | "w:cr" => push(&mut out, &stack, "\n"),
                _ => {}
            },
            Event::End(e) => match e.name().as_ref() {
                "w:p" => {
                    stack.pop();
                }
                "w:t" => in_text = false,
                _ => {}
            },
            Event::Text(t) if in_text => {
                push(&mut out, &stack, &t.xml10_content());
            }
            Event::GeneralRef(r) if in_text => {
                push(
                    &mut out,
                    &stack,
                    &super::raw::entity_text(&r).unwrap_or_default(),
                );
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

fn push(out: &mut [String], stack: &[usize], s: &str) {
    if let Some(&i) = stack.last() {
        out[i].push_str(s);
    }
}

/// N of the first `第N回…審議会` in the paragraphs; a number too large to
/// be one is an error naming its paragraph.
pub fn meeting_number(paragraphs: &[String]) -> Result<Option<u32>, FileError> {
    for (i, p) in paragraphs.iter().enumerate() {
        let p = normalize::normalize_line(p);
        let mut rest = p.as_str();
        while let Some(pos) = rest.find('第') {
            let after = &rest[pos + '第'.len_utf8()..];
            if let Some((num, tail)) = after.split_once('回')
                && tail.contains("審議会")
                && let Some(n) = normalize::parse_number(num)
            {
                return n.map(Some).map_err(|_| FileError::NumberTooLarge {
                    place: format!("¶{}", i + 1),
                    text: format!("第{num}回"),
                });
            }
            rest = after;
        }
    }
    Ok(None)
}

/// How many paragraphs from the top say what the document is.
const TITLE_PARAGRAPHS: usize = 30;

/// Whether a Word document is council minutes (SPEC §7.3): its name or one
/// of its first paragraphs says 会議録, 議事録 or 議事要旨, or one of those
/// paragraphs names a 審議会 (第N回…審議会 included).
pub fn is_minutes(name: &str, paragraphs: &[String]) -> bool {
    const MINUTES: [&str; 3] = ["会議録", "議事録", "議事要旨"];
    let says = |t: &str, words: &[&str]| {
        let t = normalize::normalize_line(t);
        words.iter().any(|w| t.contains(w))
    };
    says(file_stem(name), &MINUTES)
        || paragraphs
            .iter()
            .take(TITLE_PARAGRAPHS)
            .any(|p| says(p, &MINUTES) || says(p, &["審議会"]))
}

/// An agenda heading such as `３　議題２`: a numeral followed by a space.
fn is_agenda_heading(p: &str) -> bool {
    let digits: String = p.chars().take_while(|c| c.is_ascii_digit()).collect();
    !digits.is_empty() && p[digits.len()..].starts_with([' ', '\u{3000}'])
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

/// Reads the council items of a minutes file; a Word file that is not
/// minutes is not a submission (`not_used`).
pub fn read(path: &Path, name: &str, template: &Template) -> Result<FileResult, FileError> {
    let file = std::fs::File::open(path).map_err(|e| FileError::open(&e))?;
    let mut zip = zip::ZipArchive::new(file).map_err(|_| FileError::corrupt_for(true))?;
    let document = super::sniff::main_entry(&mut zip)
        .ok_or_else(|| FileError::MinutesBroken("本文 word/document.xml がありません".into()))?;
    let mut entry = zip
        .by_name(&document)
        .map_err(|e| FileError::MinutesBroken(e.to_string()))?;
    if entry.size() > MAX_DOCUMENT_XML {
        return Err(FileError::MinutesBroken(
            "本文が大きすぎます（64MB を超えています）".into(),
        ));
    }
    let mut xml = String::new();
    entry
        .read_to_string(&mut xml)
        .map_err(|e| FileError::MinutesBroken(e.to_string()))?;
    let paras = paragraphs(&xml)?;
    if !is_minutes(name, &paras) {
        return Ok(FileResult {
            not_used: Some(
                "会議録ではありません（Word の文書ですが、題名などに「会議録」「議事録」「議事要旨」「審議会」がありません）。読み込みません。"
                    .into(),
            ),
            ..FileResult::default()
        });
    }
    rows_from_paragraphs(&paras, name, template)
}

/// Turns paragraphs into council rows: the paragraphs after a 分野 heading,
/// up to the next 分野 or agenda heading.
pub fn rows_from_paragraphs(
    paras: &[String],
    name: &str,
    template: &Template,
) -> Result<FileResult, FileError> {
    let mut out = FileResult {
        meeting_number: meeting_number(paras)?,
        ..FileResult::default()
    };
    let mut current: Option<Located> = None;
    for (i, raw) in paras.iter().enumerate() {
        let number = i as u32 + 1;
        let text = normalize::normalize_text(raw);
        if text.is_empty() {
            continue;
        }
        let line = normalize::normalize_line(raw);
        if let Some(field) = field_heading(&line, template) {
            current = Some(Located {
                value: field.to_string(),
                cell: format!("¶{number}"),
            });
            continue;
        }
        if is_agenda_heading(&line) {
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
                    cell: format!("¶{number}"),
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

    fn p(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
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
        let notice = p(&["入札公告", "１ 件名", "（３）その他", "行政施策"]);
        assert!(!is_minutes("公告.docx", &notice));
        assert!(is_minutes("第2回審議会_会議録.docx", &notice));
        assert!(is_minutes(
            "m.docx",
            &p(&["令和5年度 第2回 行政経営戦略推進審議会"])
        ));
        assert!(is_minutes("m.docx", &p(&["議事要旨"])));
        let late: Vec<String> = (0..40)
            .map(|i| {
                if i == 35 {
                    "会議録".into()
                } else {
                    "x".into()
                }
            })
            .collect();
        assert!(
            !is_minutes("m.docx", &late),
            "only the first 30 paragraphs count"
        );
    }

    #[test]
    fn paragraph_numbering_counts_table_paragraphs() {
        let xml = r#"<w:document><w:body><w:tbl><w:tr><w:tc><w:p><w:r><w:t>A&amp;B</w:t></w:r></w:p></w:tc></w:tr></w:tbl><w:p/><w:p><w:r><w:t xml:space="preserve">本文</w:t></w:r></w:p></w:body></w:document>"#;
        assert_eq!(paragraphs(xml).unwrap(), vec!["A&B", "", "本文"]);
    }
}
