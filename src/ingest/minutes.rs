//! Council minutes (会議録, .docx): paragraphs of `word/document.xml` in
//! document order, 分野 headings and the meeting number (SPEC §2.3).

use std::io::Read;
use std::path::Path;

use quick_xml::Reader;
use quick_xml::events::Event;

use super::{FileResult, KindSpec, Located, RawEntry, RawRow, Skipped};
use crate::normalize;
use crate::template::{ColumnKey, Template};

/// Department name given to items from the minutes.
pub const COUNCIL: &str = "審議会";

/// Largest `word/document.xml` that is read (uncompressed bytes).
const MAX_DOCUMENT_XML: u64 = 64 * 1024 * 1024;

/// The text of every `w:p` in document order (table cells included).
pub fn paragraphs(xml: &str) -> Result<Vec<String>, String> {
    let mut reader = Reader::from_str(xml);
    let mut out = Vec::new();
    // Paragraphs can nest (text boxes); keep a stack of open paragraphs.
    let mut stack: Vec<usize> = Vec::new();
    let mut in_text = false;
    loop {
        let ev = reader
            .read_event()
            .map_err(|e| format!("会議録の本文（document.xml）が壊れています（{e}）。"))?;
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
                let name = r.clone().into_inner();
                let s = match name.as_ref() {
                    "amp" => "&".to_string(),
                    "lt" => "<".to_string(),
                    "gt" => ">".to_string(),
                    "quot" => "\"".to_string(),
                    "apos" => "'".to_string(),
                    _ => r
                        .resolve_char_ref()
                        .ok()
                        .flatten()
                        .map(String::from)
                        .unwrap_or_default(),
                };
                push(&mut out, &stack, &s);
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

/// N of the first `第N回…審議会` in the paragraphs.
pub fn meeting_number(paragraphs: &[String]) -> Option<u32> {
    for p in paragraphs {
        let p = normalize::normalize_line(p);
        let mut rest = p.as_str();
        while let Some(pos) = rest.find('第') {
            let after = &rest[pos + '第'.len_utf8()..];
            if let Some((num, tail)) = after.split_once('回')
                && num.chars().count() <= 4
                && tail.contains("審議会")
                && let Some(n) = normalize::parse_number(num)
            {
                return Some(n);
            }
            rest = after;
        }
    }
    None
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

/// Reads the council items of a minutes file.
pub fn read(path: &Path, name: &str, template: &Template) -> Result<FileResult, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("ファイルを開けません（{e}）。"))?;
    let mut zip = zip::ZipArchive::new(file).map_err(|_| {
        "Word 文書（.docx）として読めません。壊れているか、古い .doc 形式です。Word で開き .docx で保存し直してください。"
            .to_string()
    })?;
    let mut entry = zip.by_name("word/document.xml").map_err(|_| {
        "Word 文書の本文（word/document.xml）がありません。Word で開き .docx で保存し直してください。".to_string()
    })?;
    if entry.size() > MAX_DOCUMENT_XML {
        return Err("会議録の本文が大きすぎます（64MB を超えています）。".into());
    }
    let mut xml = String::new();
    entry
        .read_to_string(&mut xml)
        .map_err(|e| format!("会議録の本文を読めません（{e}）。"))?;
    let paras = paragraphs(&xml)?;
    Ok(rows_from_paragraphs(&paras, name, template))
}

/// Turns paragraphs into council rows: the paragraphs after a 分野 heading,
/// up to the next 分野 or agenda heading.
pub fn rows_from_paragraphs(paras: &[String], name: &str, template: &Template) -> FileResult {
    let mut out = FileResult {
        meeting_number: meeting_number(paras),
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
        out.skipped.push(Skipped {
            file: name.to_string(),
            sheet: None,
            cell: None,
            reason: "会議録に分野の見出し（行政施策、DX推進 など）の段落が見つからず、審議会の意見を読み取れませんでした。".into(),
        });
    }
    out
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
        let r = rows_from_paragraphs(&paras, "m.docx", &Template::default());
        assert_eq!(r.meeting_number, Some(2));
        assert_eq!(r.rows.len(), 2);
        assert_eq!(r.rows[0].field.value, "行政施策");
        assert_eq!(r.rows[0].entries[0].content.cell, "¶4");
        assert_eq!(r.rows[1].field.value, "DX推進");
    }

    #[test]
    fn kanji_meeting_number() {
        assert_eq!(
            meeting_number(&p(&["第十二回 行政経営戦略推進審議会 会議録"])),
            Some(12)
        );
        assert_eq!(meeting_number(&p(&["第2回の資料", "審議会"])), None);
    }

    #[test]
    fn paragraph_numbering_counts_table_paragraphs() {
        let xml = r#"<w:document><w:body><w:tbl><w:tr><w:tc><w:p><w:r><w:t>A&amp;B</w:t></w:r></w:p></w:tc></w:tr></w:tbl><w:p/><w:p><w:r><w:t xml:space="preserve">本文</w:t></w:r></w:p></w:body></w:document>"#;
        assert_eq!(paragraphs(xml).unwrap(), vec!["A&B", "", "本文"]);
    }
}
