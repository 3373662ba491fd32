//! Council minutes as a Word document (.docx): the paragraphs of its main
//! document part (`word/document.xml` or wherever the package puts it) in
//! document order, handed to the shared rules of [`super::minutes`]
//! (SPEC §2.3, §7.3).

use std::io::Read;
use std::path::Path;

use quick_xml::Reader;
use quick_xml::events::Event;

use super::error::{Detail, FileError, Part};
use super::minutes::{self, Paragraph};
use super::raw::FileResult;
use crate::template::Template;

/// Largest `word/document.xml` that is read (uncompressed bytes).
const MAX_DOCUMENT_XML: u64 = 64 * 1024 * 1024;

/// How many paragraphs from the top say what the document is (SPEC §7.3).
const TITLE_PARAGRAPHS: usize = 30;

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
            .map_err(|e| FileError::MinutesBroken(Detail::library(Some(Part::WordDocument), e)))?;
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

/// Reads the council items of a Word minutes file; a Word file that is not
/// minutes is not a submission (`not_used`).
pub fn read(path: &Path, name: &str, template: &Template) -> Result<FileResult, FileError> {
    let package = super::sniff::Package::open(path)?;
    let mut zip = zip::ZipArchive::new(package).map_err(|_| FileError::corrupt_for(true))?;
    let document = super::sniff::main_entry(&mut zip).ok_or(FileError::MinutesBroken(
        Detail::Missing(Part::WordDocument),
    ))?;
    let mut entry = zip
        .by_name(&document)
        .map_err(|e| FileError::MinutesBroken(Detail::library(None, e)))?;
    if entry.size() > MAX_DOCUMENT_XML {
        return Err(FileError::MinutesBroken(Detail::DocumentTooLarge));
    }
    let mut xml = String::new();
    entry
        .read_to_string(&mut xml)
        .map_err(|e| FileError::MinutesBroken(Detail::library(None, e)))?;
    let paras = numbered(paragraphs(&xml)?);
    let head = paras.iter().take(TITLE_PARAGRAPHS).map(|p| p.text.as_str());
    if !minutes::is_minutes(name, head) {
        return Ok(FileResult {
            not_used: Some(
                "会議録ではありません（Word の文書ですが、題名などに「会議録」「議事録」「議事要旨」「審議会」がありません）。読み込みません。"
                    .into(),
            ),
            ..FileResult::default()
        });
    }
    minutes::rows_from_paragraphs(&paras, name, template)
}

/// Word paragraphs with their places: `¶1`, `¶2`… in document order.
fn numbered(texts: Vec<String>) -> Vec<Paragraph> {
    texts
        .into_iter()
        .enumerate()
        .map(|(i, text)| Paragraph::new(text, format!("¶{}", i + 1)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraph_numbering_counts_table_paragraphs() {
        let xml = r#"<w:document><w:body><w:tbl><w:tr><w:tc><w:p><w:r><w:t>A&amp;B</w:t></w:r></w:p></w:tc></w:tr></w:tbl><w:p/><w:p><w:r><w:t xml:space="preserve">本文</w:t></w:r></w:p></w:body></w:document>"#;
        assert_eq!(paragraphs(xml).unwrap(), vec!["A&B", "", "本文"]);
        let places: Vec<String> = numbered(paragraphs(xml).unwrap())
            .into_iter()
            .map(|p| p.place)
            .collect();
        assert_eq!(places, vec!["¶1", "¶2", "¶3"]);
    }

    #[test]
    fn only_the_first_thirty_paragraphs_say_what_it_is() {
        let texts: Vec<String> = (0..40)
            .map(|i| {
                if i == 35 {
                    "会議録".into()
                } else {
                    "x".into()
                }
            })
            .collect();
        let paras = numbered(texts);
        let head = |n: usize| paras.iter().take(n).map(|p| p.text.as_str());
        assert!(!minutes::is_minutes("m.docx", head(TITLE_PARAGRAPHS)));
        assert!(minutes::is_minutes("m.docx", head(40)));
    }
}
