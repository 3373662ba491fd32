//! Why the PDF could not be made.

use crate::fonts::FontError;

/// Why the PDF could not be made (the Excel and JSON are still written).
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// No usable font.
    #[error(transparent)]
    Font(#[from] FontError),
    /// A font file that printpdf cannot embed.
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
    /// The document could not be serialised.
    #[error("PDF を書き出せません（{0}）。")]
    Write(String),
}
