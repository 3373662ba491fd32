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
    #[error("フォント {0} を PDF に埋め込めません。別のフォントを --font で指定してください。")]
    Embed(String),
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
    /// The document could not be finished: the structure elements could
    /// not be put into the saved file (our own sentence), or the date
    /// could not be a PDF date (printpdf gives only a `&str`).
    #[error("PDF を書き出せません（{0}）。")]
    Write(String),
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
        let ours = PdfError::Write("xref がありません".into());
        assert_eq!(
            ours.to_string(),
            "PDF を書き出せません（xref がありません）。"
        );
        assert!(ours.source().is_none());
    }
}
