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
    /// The document could not be serialised.
    #[error("PDF を書き出せません（{0}）。")]
    Write(String),
}
