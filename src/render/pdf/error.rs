//! Why the PDF could not be made.

use crate::fonts::FontError;

/// Why the PDF could not be made (the Excel and JSON are still written).
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// No usable font.
    #[error(transparent)]
    Font(#[from] FontError),
    /// A font file that printpdf cannot embed: its path (printpdf gives
    /// no error to carry, only `None`).
    #[error("フォント {} を PDF に埋め込めません。別のフォントを --font で指定してください。", .path.display())]
    Embed {
        /// The font file.
        path: std::path::PathBuf,
    },
    /// Text the layout gave a place outside the table (a bug of shiryo,
    /// never of the input): the PDF would not be accessible.
    #[error(
        "PDF の {page} ページ目の文字を表の構造に結び付けられません（shiryo の不具合です。report.txt と入力ファイルを開発元に送ってください）。"
    )]
    Untagged {
        /// 1-based page.
        page: usize,
    },
    /// lopdf could not serialise the document.
    #[error("PDF を書き出せません（{0}）。")]
    Save(#[source] std::io::Error),
    /// The document could not be finished.
    #[error("PDF を書き出せません（{0}）。")]
    Write(#[from] WriteProblem),
}

/// What went wrong finishing a PDF that printpdf and lopdf made: never the
/// input's fault.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum WriteProblem {
    /// The date is no PDF date (printpdf gives only a `&str`).
    #[error("日付 {0} を PDF の日付にできません")]
    Date(i64),
    /// The glyph registration's content stream does not parse.
    #[error("字形の登録を読めません")]
    Registration,
    /// A `TJ` before any `Tf` in the glyph registration.
    #[error("Tf のない TJ")]
    TjWithoutTf,
    /// A face without its PDF font name.
    #[error("書体の名前がありません")]
    FaceUnnamed,
    /// A face whose glyphs were not registered.
    #[error("書体 {0} の登録がありません")]
    FaceUnregistered(FontName),
    /// A face registered with another number of glyphs than it uses.
    #[error("書体 {0} の字形の数が合いません")]
    GlyphCount(FontName),
    /// No `startxref` at the end of the saved file.
    #[error("startxref がありません")]
    NoStartXref,
    /// A `startxref` without a number.
    #[error("startxref が読めません")]
    BadStartXref,
    /// No `xref` table where `startxref` points.
    #[error("xref がありません")]
    NoXref,
    /// A subsection heading of the `xref` table that does not parse.
    #[error("xref の見出しが読めません")]
    BadXrefHead,
    /// An entry of the `xref` table that does not parse.
    #[error("xref の行が読めません")]
    BadXrefLine,
    /// An object the `xref` table does not list.
    #[error("xref に {0} がありません")]
    NotInXref(u32),
    /// A structure element's placeholder not where it was written.
    #[error("構造要素 {0} の場所が見つかりません")]
    ElementMissing(u32),
}

/// A PDF font resource name (`F0`…), as printpdf named it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FontName(pub String);

impl std::fmt::Display for FontName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::error::Error as _;

    #[test]
    fn a_save_error_reads_as_before_and_keeps_its_cause() {
        let cause = || std::io::Error::other("disk full");
        let e = PdfError::Save(cause());
        assert_eq!(e.to_string(), "PDF を書き出せません（disk full）。");
        assert_eq!(
            e.source().map(ToString::to_string),
            Some("disk full".to_string())
        );
        let ours = PdfError::Write(WriteProblem::NoXref);
        assert_eq!(
            ours.to_string(),
            "PDF を書き出せません（xref がありません）。"
        );
        assert_eq!(
            ours.source().map(ToString::to_string),
            Some("xref がありません".to_string())
        );
    }
}
