//! Finishing the document: the structure tree, the PDF/A and PDF/UA
//! metadata, the /ID from the content, dates in Japan time, streams
//! compressed in parallel, the file (saved to a temporary file, the
//! structure tree spliced in as it is written out).

use super::archival::make_archival;
use super::draw::Drawn;
use super::error::PdfError;
use super::model::{PageModel, TableShape};
use super::structure::{Spliced, add_structure};
use crate::date::Date;

/// The finished document: lopdf's file (in a temporary file) with the
/// structure elements going in place of their placeholders as it is
/// written out.
pub type Finished = Spliced<std::fs::File>;

/// Tags, sets the ID and dates, compresses and serialises the document.
pub fn finish(
    drawn: Drawn,
    table: &TableShape,
    title: &str,
    date: Date,
) -> Result<Finished, PdfError> {
    let Drawn {
        doc: mut lo,
        id,
        marks,
    } = drawn;
    let (root, mut elements) = add_structure(&mut lo, table, &marks)
        .map_err(|u| PdfError::Untagged { page: u.page + 1 })?;
    drop(marks);
    elements.spill().map_err(PdfError::Save)?;
    make_archival(&mut lo, root, title, &date.wareki_month(), date);
    lo.trailer.set(
        "ID",
        lopdf::Object::Array(vec![
            lopdf::Object::String(id.clone(), lopdf::StringFormat::Hexadecimal),
            lopdf::Object::String(id, lopdf::StringFormat::Hexadecimal),
        ]),
    );
    compress_streams(&mut lo);
    // Saved to a temporary file, not held: at this point a large month's
    // page streams are in memory, and the output would be again.
    let mut saved = std::io::BufWriter::new(tempfile::tempfile().map_err(PdfError::Save)?);
    lo.save_to(&mut saved).map_err(PdfError::Save)?;
    drop(lo);
    let saved = saved
        .into_inner()
        .map_err(|e| PdfError::Save(e.into_error()))?;
    elements.splice_into(saved)
}

/// Deflates every stream not yet compressed, in parallel, at the default
/// level (lopdf's own `compress` uses the slowest level, for a few percent
/// of size).
pub(super) fn compress_streams(doc: &mut lopdf::Document) {
    use rayon::prelude::*;
    let mut streams: Vec<&mut lopdf::Stream> = doc
        .objects
        .values_mut()
        .filter_map(|o| match o {
            lopdf::Object::Stream(s) if s.allows_compression && s.dict.get(b"Filter").is_err() => {
                Some(s)
            }
            _ => None,
        })
        .collect();
    streams.par_iter_mut().for_each(|s| {
        let content = std::mem::take(&mut s.content);
        deflate(content).into_stream(s);
    });
}

/// A stream's content, deflated when that makes it smaller.
pub(super) enum Packed {
    /// Deflated.
    Deflated(Vec<u8>),
    /// Left as it was: deflating would not make it smaller.
    Plain(Vec<u8>),
}

impl Packed {
    /// Sets the stream's content (and its filter).
    pub(super) fn into_stream(self, s: &mut lopdf::Stream) {
        match self {
            Packed::Deflated(bytes) => {
                s.dict.set("Filter", "FlateDecode");
                s.set_content(bytes);
            }
            Packed::Plain(bytes) => s.set_content(bytes),
        }
    }
}

/// Deflates a stream's content at the default level, when that saves more
/// than the `/Filter /FlateDecode` entry costs.
pub(super) fn deflate(content: Vec<u8>) -> Packed {
    use std::io::Write;
    let mut enc = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    match enc.write_all(&content).and_then(|()| enc.finish()) {
        Ok(packed) if packed.len() + 19 < content.len() => Packed::Deflated(packed),
        _ => Packed::Plain(content),
    }
}

/// A stable 16-byte document ID from the content (the first half of the
/// SHA-256 of the title, the date and every text in page order), taken
/// as the pages go by.
pub(super) struct DocumentId(sha2::Sha256);

impl DocumentId {
    pub(super) fn new(title: &str, date: Date) -> DocumentId {
        use sha2::Digest;
        let mut h = sha2::Sha256::new();
        h.update(title.as_bytes());
        h.update(date.to_string().as_bytes());
        DocumentId(h)
    }

    /// The next page's text.
    pub(super) fn page(&mut self, page: &PageModel) {
        use sha2::Digest;
        for t in &page.texts {
            self.0.update(t.text.as_bytes());
        }
    }

    pub(super) fn finish(self) -> Vec<u8> {
        use sha2::Digest;
        self.0.finalize()[..16].to_vec()
    }
}
