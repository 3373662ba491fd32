//! Why a file could not be read, in words a secretariat can act on
//! (SPEC §2.2, §7.2, §7.4). One enum for every reader and the worker: it
//! crosses the process boundary as JSON and is shown with `Display`.

use serde::{Deserialize, Serialize};

use crate::vocab::HEADER_SEARCH_ROWS;

/// What the user should do with a file of this kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Remedy {
    /// Re-save in Excel as a workbook (.xlsx).
    Excel,
    /// Re-save in Word as a document (.docx).
    Word,
}

impl Remedy {
    /// Word's remedy for a Word document, else Excel's.
    pub fn of(word: bool) -> Remedy {
        if word { Remedy::Word } else { Remedy::Excel }
    }

    fn text(self) -> &'static str {
        match self {
            Remedy::Excel => {
                "Excel で開き「名前を付けて保存」で「Excel ブック (*.xlsx)」を選んで保存し直してから提出してもらってください。"
            }
            Remedy::Word => {
                "Word で開き「名前を付けて保存」で「Word 文書 (*.docx)」を選んで保存し直してください。"
            }
        }
    }
}

/// What to do with minutes that came as an unreadable PDF.
const PDF_REMEDY: &str = "会議録であれば、Word の会議録（.docx）を入力フォルダに入れるか、文字を選択できる PDF（Word などで「PDF として保存」したもの）を会議録の作成元に依頼してください。会議録でなければ、入力フォルダから外してください。";

/// The scan's or empty file's words for a PDF without a text layer.
fn no_text_detail(pages: u32, scanned: bool) -> String {
    if scanned {
        format!("全 {pages} ページが画像だけで、紙をスキャンしたもののようです")
    } else {
        format!("全 {pages} ページに文字がありません")
    }
}

/// The system's refusal to open or read a file: its kind in Japanese
/// where known, and the system's own words (carried as text: errors cross
/// from the worker process as JSON).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IoFailure {
    /// What kind of refusal.
    pub kind: ReadKind,
    /// The system's message.
    pub system: String,
}

/// The kinds of read failure a clerk can act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReadKind {
    /// No such file.
    NotFound,
    /// Not allowed, or another program holds it.
    PermissionDenied,
    /// A folder, not a file.
    IsADirectory,
    /// Not UTF-8.
    InvalidData,
    /// Anything else: the system's words alone.
    Other,
}

impl IoFailure {
    /// The failure of a system call.
    pub fn of(e: &std::io::Error) -> IoFailure {
        use std::io::ErrorKind as K;
        let kind = match e.kind() {
            K::NotFound => ReadKind::NotFound,
            K::PermissionDenied => ReadKind::PermissionDenied,
            K::IsADirectory => ReadKind::IsADirectory,
            K::InvalidData => ReadKind::InvalidData,
            _ => ReadKind::Other,
        };
        IoFailure {
            kind,
            system: e.to_string(),
        }
    }
}

impl std::fmt::Display for IoFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let what = match self.kind {
            ReadKind::NotFound => "ファイルがありません",
            ReadKind::PermissionDenied => "読む権限がないか、ほかのプログラムが開いています",
            ReadKind::IsADirectory => "ファイルではなくフォルダです",
            ReadKind::InvalidData => "UTF-8 の文字で書かれていません",
            ReadKind::Other => return f.write_str(&self.system),
        };
        write!(f, "{what}: {}", self.system)
    }
}

/// An Excel format older than any reader opens (BIFF2–4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum OldExcelVersion {
    /// BIFF2.
    Excel2,
    /// BIFF3.
    Excel3,
    /// BIFF4.
    Excel4,
}

impl std::fmt::Display for OldExcelVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            OldExcelVersion::Excel2 => "Excel 2.x",
            OldExcelVersion::Excel3 => "Excel 3.0",
            OldExcelVersion::Excel4 => "Excel 4.0",
        })
    }
}

/// Why the worker process died on a file, from its exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum WorkerDeath {
    /// It passed its memory limit.
    Memory,
    /// It passed its CPU time limit.
    Cpu,
    /// A crash on bad data.
    BadData,
    /// No known reason.
    Unknown,
}

impl std::fmt::Display for WorkerDeath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            WorkerDeath::Memory => "メモリの上限を超えました",
            WorkerDeath::Cpu => "処理時間の上限を超えました",
            WorkerDeath::BadData => "不正なデータで停止しました",
            WorkerDeath::Unknown => "原因不明",
        })
    }
}

/// A part of a file that a reader needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Part {
    /// The document part of a Word file.
    WordDocument,
    /// The `content.xml` of an OpenDocument spreadsheet.
    OdsContent,
    /// The `Workbook` stream of an .xls.
    XlsWorkbook,
}

/// What a reader found wrong inside a file, for the message's
/// parentheses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Detail {
    /// A part the format requires is missing.
    Missing(Part),
    /// The Word document part is larger than shiryo reads.
    DocumentTooLarge,
    /// A PDF without pages.
    NoPages,
    /// A PDF whose syntax does not parse.
    PdfStructure,
    /// A PDF cut short or with a broken cross-reference table.
    PdfXref,
    /// Compressed data that is broken or too large.
    Compression,
    /// Damaged, without a more precise reason.
    Damaged,
    /// A file larger than shiryo reads, in MB.
    FileTooLarge(u64),
    /// Reading stopped after this many seconds.
    Timeout {
        /// The limit reached.
        secs: u64,
    },
    /// The worker process stopped.
    WorkerStopped(WorkerDeath),
    /// Another library's message (a part of the file, or the whole):
    /// carried as text, as errors cross from the worker as JSON.
    Library {
        /// The part it concerns, if one.
        part: Option<Part>,
        /// The library's words.
        message: String,
    },
}

impl Detail {
    /// Another library's error about `part` (or the whole file).
    pub fn library(part: Option<Part>, e: impl std::fmt::Display) -> Detail {
        Detail::Library {
            part,
            message: e.to_string(),
        }
    }
}

impl std::fmt::Display for Detail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Detail::Missing(Part::WordDocument) => {
                f.write_str("本文 word/document.xml がありません")
            }
            Detail::Missing(Part::OdsContent) => f.write_str("content.xml がありません"),
            Detail::Missing(Part::XlsWorkbook) => f.write_str("Workbook ストリームがありません"),
            Detail::DocumentTooLarge => f.write_str("本文が大きすぎます（64MB を超えています）"),
            Detail::NoPages => f.write_str("ページがありません"),
            Detail::PdfStructure => f.write_str("PDF の構造を読み取れません"),
            Detail::PdfXref => {
                f.write_str("ファイルの終わりが欠けているか、相互参照表が壊れています")
            }
            Detail::Compression => f.write_str("圧縮されたデータが壊れているか、大きすぎます"),
            Detail::Damaged => f.write_str("中身が傷んでいます"),
            Detail::FileTooLarge(mb) => {
                write!(f, "ファイルが大きすぎます（{mb} MB を超えています）")
            }
            Detail::Timeout { secs } => {
                write!(
                    f,
                    "読み取りに時間がかかりすぎたため {secs} 秒で中断しました"
                )
            }
            Detail::WorkerStopped(why) => write!(f, "読み取り中に処理が止まりました: {why}"),
            Detail::Library { part, message } => match part {
                Some(Part::WordDocument) => write!(f, "本文 document.xml: {message}"),
                Some(Part::OdsContent) => write!(f, "content.xml: {message}"),
                Some(Part::XlsWorkbook) => write!(f, "Workbook: {message}"),
                None => f.write_str(message),
            },
        }
    }
}

/// A file that cannot be used at all: it is listed as failed with this
/// reason; every other file is still read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum FileError {
    /// The system refused to open or read it.
    Open(IoFailure),
    /// Zero bytes.
    Empty,
    /// Truncated or damaged beyond reading.
    Corrupt(Remedy),
    /// A zip entry whose checksum does not match: the bytes changed.
    Crc {
        /// The damaged part of the package.
        entry: String,
    },
    /// A zip package that would expand to an absurd size.
    Bomb {
        /// The part that expands too far.
        entry: String,
        /// Its declared size.
        megabytes: u64,
        /// Excel's or Word's way to save it again.
        remedy: Remedy,
    },
    /// Protected by a password (encrypted package, or an .xls with a
    /// FILEPASS record: RC4 or the old XOR obfuscation).
    Encrypted,
    /// Excel 4.0 or earlier (BIFF2–4), which no current reader opens.
    OldExcel(OldExcelVersion),
    /// A Word 97–2003 document.
    OldWord,
    /// An HTML page named like a workbook (exports of web systems).
    Html,
    /// XML Spreadsheet 2003.
    Xml2003,
    /// Some other XML file.
    Xml,
    /// A zip that is no office document.
    NotOffice,
    /// Binary data of no known kind.
    Unknown,
    /// More written cells in one sheet than a submission can have.
    TooManyCells {
        /// The sheet.
        sheet: String,
        /// The limit.
        limit: usize,
    },
    /// A cell beyond an Excel sheet's last row or column.
    OutsideSheet {
        /// The sheet.
        sheet: String,
    },
    /// No visible worksheet has anything written in it.
    NoSheetToRead {
        /// Each sheet and why it was not read.
        sheets: String,
    },
    /// No sheet has a header row: nothing could be read from the file.
    NoHeader,
    /// A CSV whose text encoding is none of those accepted.
    Encoding,
    /// A CSV with a quoted field that never closes: everything after it
    /// would be one cell.
    UnclosedQuote {
        /// 1-based line where the field starts.
        line: usize,
    },
    /// A number too large to mean anything (a meeting number).
    NumberTooLarge {
        /// The cell or paragraph.
        place: String,
        /// The text.
        text: String,
    },
    /// A workbook the reader rejects.
    Unreadable(Detail),
    /// Minutes whose document part is broken.
    MinutesBroken(Detail),
    /// A PDF that needs a password to be opened.
    PdfEncrypted,
    /// A PDF without a text layer: images only (a scan), or nothing drawn.
    PdfNoText {
        /// Its number of pages.
        pages: u32,
        /// Whether its pages hold images (a scan).
        scanned: bool,
    },
    /// A PDF whose characters cannot be turned into text: its fonts have
    /// no map to Unicode.
    PdfNoUnicode,
    /// A PDF damaged beyond reading.
    PdfBroken(Detail),
    /// A PDF whose reading had to be stopped (too large, too slow, or the
    /// reader failed on it).
    PdfUnreadable(Detail),
    /// A file given with `--edits` that has no corrections header.
    NotCorrections,
    /// A parser took too long.
    Timeout(u64),
    /// The worker died on this file.
    WorkerDied(WorkerDeath),
    /// A parser crate panicked on the file's content.
    ParserPanic,
    /// shiryo's own code failed: a bug, not the file's fault.
    Internal {
        /// Where: `src/…rs:line`, or what went wrong between the processes.
        location: String,
    },
}

/// The problem, then the remedy: the message the report shows.
impl std::fmt::Display for FileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}{}", self.problem(), self.remedy())
    }
}

impl std::error::Error for FileError {}

impl FileError {
    /// The system could not open or read the file.
    pub fn open(e: &std::io::Error) -> FileError {
        FileError::Open(IoFailure::of(e))
    }

    /// What is wrong: the message's first sentence (the return sheets
    /// show it with [`fix_for_submitter`](Self::fix_for_submitter)).
    pub fn problem(&self) -> String {
        use FileError::*;
        match self {
            Open(reason) => format!("ファイルを開けません（{reason}）。"),
            Empty => "空のファイルです（0 バイト）。".into(),
            Corrupt(_) => "ファイルが壊れています（途中で切れているか、中身が傷んでいます）。".into(),
            Crc { entry } => format!("ファイルの中身が傷んでいます（{entry} の検査値が合いません）。"),
            Bomb {
                entry, megabytes, ..
            } => format!(
                "展開すると異常に大きくなるファイルです（{entry} の展開後 {megabytes} MB）。"
            ),
            Encrypted => "パスワードで保護されているため読み取れません。".into(),
            OldExcel(version) => format!("Excel 4.0 以前の古い形式（{version}）のブックです。"),
            OldWord => "古い Word 形式（.doc）です。".into(),
            Html => "Web システムなどから出力された HTML 形式のファイルで、Excel ブックではありません。".into(),
            Xml2003 => "「XML スプレッドシート 2003」形式のファイルです。".into(),
            Xml => "XML ファイルで、Excel ブックではありません。".into(),
            NotOffice => "ZIP 形式ですが、Excel・OpenDocument・Word の文書ではありません。".into(),
            Unknown => "対応していない形式のファイルです（Excel・OpenDocument・CSV・Word .docx のいずれでもありません）。".into(),
            TooManyCells { sheet, limit } => format!(
                "シート「{sheet}」に記入されたセルが多すぎます（{limit} セルを超えています）。"
            ),
            OutsideSheet { sheet } => format!(
                "シート「{sheet}」に、Excel のシートの大きさ（1,048,576 行 × 16,384 列）を超える位置のセルがあります。"
            ),
            NoSheetToRead { sheets } => format!("記入された表のシートがありません（{sheets}）。"),
            NoHeader => "見出し行が見つかりません。".into(),
            Encoding => "文字コードを判別できません。".into(),
            UnclosedQuote { line } => format!(
                "{line} 行目で「\"」から始まる欄が閉じられていません（「\"」が一つ足りません）。"
            ),
            NumberTooLarge { place, text } => {
                format!("{place} の「{text}」は数として大きすぎます。")
            }
            Unreadable(_) => "ブックを読み取れません（壊れているか、Excel 形式ではありません）。".into(),
            MinutesBroken(reason) => format!("会議録（Word）を読み取れません（{reason}）。"),
            PdfEncrypted => "パスワードで保護された PDF のため読み取れません。".into(),
            PdfNoText { pages, scanned } => format!(
                "文字の情報がない PDF です（{}）。",
                no_text_detail(*pages, *scanned)
            ),
            PdfNoUnicode => "PDF の文字を読み取れません（文字は描かれていますが、フォントに文字コードの対応表がありません）。".into(),
            PdfBroken(reason) => format!("PDF が壊れているため読み取れません（{reason}）。"),
            PdfUnreadable(reason) => format!("PDF を読み取れません（{reason}）。"),
            NotCorrections => "事務局修正のファイルではありません（見出し「分野」「区分」「現在の文」「修正後の文」「載せない」がありません）。".into(),
            Timeout(secs) => format!("読み取りに時間がかかりすぎたため中断しました（{secs} 秒）。"),
            WorkerDied(why) => format!("読み取り中に処理が異常終了しました（{why}）。"),
            ParserPanic => "ファイルの中身が壊れているため読み取れません。".into(),
            Internal { location } => format!(
                "内部エラー（{location}）のため、このファイルを読み取れませんでした。"
            ),
        }
    }

    /// What the secretariat should do (or have done), after the problem
    /// in the message.
    pub fn remedy(&self) -> String {
        use FileError::*;
        let excel = Remedy::Excel.text();
        match self {
            Open(_) => "ほかのプログラムで開いていないか確かめて、もう一度実行してください。".into(),
            Empty => "保存や送信に失敗している可能性があります。もう一度提出してもらってください。".into(),
            Corrupt(remedy) => remedy.text().into(),
            Crc { .. } => "送信や保存の途中で壊れた可能性があります。元のファイルをもう一度提出してもらってください。".into(),
            Bomb { remedy, .. } => format!(
                "壊れているか、不正なファイルの可能性があります。{}",
                remedy.text()
            ),
            Encrypted => "提出した課にパスワードを外して保存し直してもらってください。".into(),
            OldExcel(_) | Html | Xml2003 | Xml | NotOffice | Unknown => excel.into(),
            OldWord | MinutesBroken(_) => Remedy::Word.text().into(),
            TooManyCells { .. } => "不要な行や列を削除して保存し直してください。".into(),
            OutsideSheet { .. } => "ファイルが壊れています。".into(),
            NoSheetToRead { .. } => "非表示のシートやグラフのシートは読み込みません。".into(),
            NoHeader => format!(
                "どのシートにも、上から {HEADER_SEARCH_ROWS} 行以内に「分野」「区分」「内容」（または「分野」と「現状と課題」などの区分の列）の見出しがありません。配布した回答様式の見出しを消したり変えたりしていないか確認し、見出しを付けて提出し直してもらってください。"
            ),
            Encoding => "Excel で開き「CSV UTF-8（コンマ区切り）」で保存し直してください。".into(),
            UnclosedQuote { line } => format!("このままでは {line} 行目から後を読み取れません。"),
            NumberTooLarge { .. } => "正しい数に直してください。".into(),
            Unreadable(detail) => format!(
                "Excel で開けるか確認し、保存し直してから提出してもらってください。（詳細: {detail}）"
            ),
            PdfEncrypted | PdfNoText { .. } | PdfNoUnicode | PdfBroken(_) | PdfUnreadable(_) => {
                PDF_REMEDY.into()
            }
            NotCorrections => "shiryo が出力フォルダに書き出した 事務局修正.xlsx に記入して指定してください。".into(),
            Timeout(_) => "ファイルが極端に大きいか、壊れています。不要な行や列を削除して保存し直してから提出してもらってください。".into(),
            WorkerDied(_) => "ファイルが壊れているか、極端に大きい可能性があります。Excel で開いて保存し直してから提出してもらってください。".into(),
            ParserPanic => "Excel で開いて保存し直してから、もう一度提出してもらってください。".into(),
            Internal { .. } => "shiryo の不具合です。このファイルを添えて開発担当に連絡してください。".into(),
        }
    }

    /// What the department that sent the file should do (for the return
    /// sheet, 差し戻し), in its words.
    pub fn fix_for_submitter(&self) -> &'static str {
        match self {
            FileError::Encrypted => {
                "パスワード（読み取りパスワード・ブックの保護）を外して保存し直し、もう一度提出してください。"
            }
            FileError::NoSheetToRead { .. } => {
                "回答様式の表を、表示されたシートに記入して保存し、もう一度提出してください（非表示にしたシートは再表示してください）。"
            }
            FileError::NoHeader => {
                "配布した回答様式の見出し（分野・区分・内容）を消したり変えたりせずに記入し、もう一度提出してください。"
            }
            FileError::Encoding | FileError::UnclosedQuote { .. } => {
                "Excel で開き「名前を付けて保存」で「Excel ブック (*.xlsx)」か「CSV UTF-8（コンマ区切り）」を選んで保存し直し、もう一度提出してください。"
            }
            FileError::NumberTooLarge { .. } => {
                "示した箇所の数を正しく直して、もう一度提出してください。"
            }
            FileError::TooManyCells { .. } => {
                "記入した表のほかにある不要な行や列を削除して保存し直し、もう一度提出してください。"
            }
            FileError::OldWord | FileError::MinutesBroken(_) => {
                "Word で開き「Word 文書 (*.docx)」として保存し直して、もう一度提出してください。"
            }
            FileError::PdfEncrypted => {
                "パスワードを外した PDF か、Word の会議録（.docx）を送ってください。"
            }
            FileError::PdfNoText { .. }
            | FileError::PdfNoUnicode
            | FileError::PdfBroken(_)
            | FileError::PdfUnreadable(_) => {
                "Word の会議録（.docx）か、Word などで「PDF として保存」した文字を選択できる PDF を送ってください。"
            }
            FileError::Internal { .. } => {
                "ファイルの問題ではありません（shiryo の不具合です）。事務局が対応しますので、そのままお待ちください。"
            }
            _ => {
                "Excel で開けるか確かめ、「名前を付けて保存」で「Excel ブック (*.xlsx)」を選んで保存し直して、もう一度提出してください。"
            }
        }
    }

    /// A damaged package, with the remedy for its kind.
    pub fn corrupt_for(word: bool) -> FileError {
        FileError::Corrupt(Remedy::of(word))
    }

    /// The error as it concerns a PDF: a reader stopped for time or memory,
    /// or failing inside a parser crate, gets the PDF's remedy instead of
    /// Excel's.
    pub fn for_pdf(self) -> FileError {
        match self {
            FileError::Timeout(secs) => FileError::PdfUnreadable(Detail::Timeout { secs }),
            FileError::WorkerDied(why) => FileError::PdfUnreadable(Detail::WorkerStopped(why)),
            FileError::ParserPanic => FileError::PdfBroken(Detail::Damaged),
            other => other,
        }
    }

    /// True for a bug of shiryo's own: the test suites fail on it.
    pub fn is_internal(&self) -> bool {
        matches!(self, FileError::Internal { .. })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One of every kind, with details that hold a 。 and brackets.
    fn every_kind() -> Vec<FileError> {
        use FileError::*;
        vec![
            Open(IoFailure {
                kind: ReadKind::NotFound,
                system: "No such file (os error 2)".into(),
            }),
            Empty,
            Corrupt(Remedy::Excel),
            Corrupt(Remedy::Word),
            Crc {
                entry: "xl/worksheets/sheet1.xml".into(),
            },
            Bomb {
                entry: "xl/sharedStrings.xml".into(),
                megabytes: 2048,
                remedy: Remedy::Excel,
            },
            Bomb {
                entry: "word/document.xml".into(),
                megabytes: 4096,
                remedy: Remedy::Word,
            },
            Encrypted,
            OldExcel(OldExcelVersion::Excel4),
            OldWord,
            Html,
            Xml2003,
            Xml,
            NotOffice,
            Unknown,
            TooManyCells {
                sheet: "回答。その2".into(),
                limit: 10,
            },
            OutsideSheet {
                sheet: "Sheet（1）".into(),
            },
            NoSheetToRead {
                sheets: "Sheet1: 非表示のシートです。".into(),
            },
            NoHeader,
            Encoding,
            UnclosedQuote { line: 12 },
            NumberTooLarge {
                place: "¶3".into(),
                text: "第99999999999回".into(),
            },
            Unreadable(Detail::library(
                Some(Part::OdsContent),
                "ill-formed (at 12)",
            )),
            MinutesBroken(Detail::Missing(Part::WordDocument)),
            PdfEncrypted,
            PdfNoText {
                pages: 3,
                scanned: true,
            },
            PdfNoText {
                pages: 1,
                scanned: false,
            },
            PdfNoUnicode,
            PdfBroken(Detail::NoPages),
            PdfUnreadable(Detail::WorkerStopped(WorkerDeath::Memory)),
            NotCorrections,
            Timeout(60),
            WorkerDied(WorkerDeath::Memory),
            ParserPanic,
            Internal {
                location: "src/ingest/mod.rs:12".into(),
            },
        ]
    }

    /// Every message, its problem and the department's fix, as they read
    /// (a golden file: a change of wording shows in its diff).
    #[test]
    fn every_message_reads_as_written_down() {
        let mut out = String::new();
        for e in every_kind() {
            out.push_str(&format!(
                "{e:?}\n  message: {e}\n  problem: {}\n  fix: {}\n",
                e.problem(),
                e.fix_for_submitter()
            ));
        }
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/e2e/golden/file_errors.txt"
        );
        if std::env::var_os("SHIRYO_BLESS").is_some() {
            std::fs::write(path, &out).unwrap();
        }
        let golden = std::fs::read_to_string(path).unwrap_or_default();
        assert_eq!(out, golden, "SHIRYO_BLESS=1 rewrites {path}");
    }

    #[test]
    fn the_problem_is_the_first_sentence_whatever_a_sheet_is_called() {
        let e = FileError::TooManyCells {
            sheet: "回答。その2".into(),
            limit: 10,
        };
        assert_eq!(
            e.problem(),
            "シート「回答。その2」に記入されたセルが多すぎます（10 セルを超えています）。"
        );
        assert_eq!(
            FileError::Encrypted.problem(),
            "パスワードで保護されているため読み取れません。"
        );
    }
}
