//! Council minutes as PDF (issue 19, SPEC §8.3): PDFs written here the way
//! word processors write them (a CID font with a ToUnicode map, bullets
//! from a symbol font, a letter-spaced title, a two-column header table,
//! wrapped lines, a running header and page numbers), the sample month's
//! minutes as LibreOffice exported them, and real PDFs of other public
//! bodies, each through the real binary.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use lopdf::{Dictionary, Document, Object, Stream, StringFormat, dictionary};
use shiryo::ingest::FileError;

use crate::common::{self, GOOD, Month, Run, docx, good};

/// Font size of the body text, line pitch and margins (points, A4).
const SIZE: f32 = 10.5;
const PITCH: f32 = 18.0;
const LEFT: f32 = 72.0;
/// Characters on a full body line.
const LINE_CHARS: usize = 40;

/// Which font a run of text is drawn with.
#[derive(Clone, Copy, PartialEq)]
enum Face {
    /// BIZ UDPGothic as a CID font (Identity-H) with a ToUnicode map.
    Gothic,
    /// Wingdings: a symbolic TrueType font without a map (Word's bullets).
    Wingdings,
}

/// One run of text on a page.
struct Run_ {
    face: Face,
    x: f32,
    y: f32,
    size: f32,
    /// Character spacing (Tc), for letter-spaced titles.
    spacing: f32,
    text: String,
}

/// A PDF being typeset by a test: pages of text runs and images.
struct MinutesPdf {
    pages: Vec<(Vec<Run_>, bool)>,
    y: f32,
}

impl MinutesPdf {
    fn new() -> MinutesPdf {
        MinutesPdf {
            pages: vec![(Vec::new(), false)],
            y: 760.0,
        }
    }

    fn page(&mut self) -> &mut Vec<Run_> {
        &mut self.pages.last_mut().unwrap().0
    }

    fn run(&mut self, face: Face, x: f32, y: f32, size: f32, spacing: f32, text: &str) {
        self.page().push(Run_ {
            face,
            x,
            y,
            size,
            spacing,
            text: text.to_string(),
        });
    }

    /// A new page.
    fn next_page(&mut self) -> &mut Self {
        self.pages.push((Vec::new(), false));
        self.y = 760.0;
        self
    }

    /// A blank line.
    fn gap(&mut self) -> &mut Self {
        self.y -= PITCH;
        self
    }

    /// One line of text at an indent (in ems).
    fn line(&mut self, indent: f32, text: &str) -> &mut Self {
        let y = self.y;
        self.run(Face::Gothic, LEFT + indent * SIZE, y, SIZE, 0.0, text);
        self.y -= PITCH;
        self
    }

    /// A letter-spaced title: one em between the characters (Tc).
    fn spaced_title(&mut self, text: &str) -> &mut Self {
        let y = self.y;
        self.run(Face::Gothic, 250.0, y, 16.0, 16.0, text);
        self.y -= 2.0 * PITCH;
        self
    }

    /// A row of a two-column header table; the value wraps in its column
    /// (`chars` per line), the label too (`label_chars`).
    fn table_row(&mut self, label: &str, label_chars: usize, value: &str) -> &mut Self {
        let value_x = LEFT + 8.0 * SIZE;
        let value_chars = LINE_CHARS - 8;
        let labels = chunks(label, label_chars);
        let values = chunks(value, value_chars);
        for i in 0..labels.len().max(values.len()) {
            let y = self.y;
            if let Some(l) = labels.get(i) {
                self.run(Face::Gothic, LEFT, y, SIZE, 0.0, l);
            }
            if let Some(v) = values.get(i) {
                self.run(Face::Gothic, value_x, y, SIZE, 0.0, v);
            }
            self.y -= PITCH;
        }
        self
    }

    /// A bulleted paragraph: a Wingdings bullet (0x6C, U+F06C) at the
    /// indent, the text after it wrapped to full lines with a hanging
    /// indent. `split` moves the lines from that one on to the next page.
    fn bullet(&mut self, text: &str, split: Option<usize>) -> &mut Self {
        let bullet_x = LEFT + SIZE;
        let text_x = LEFT + 2.5 * SIZE;
        for (i, l) in wrap(text, (LINE_CHARS - 2) as f32).iter().enumerate() {
            if Some(i) == split {
                self.next_page();
            }
            let y = self.y;
            if i == 0 {
                self.run(Face::Wingdings, bullet_x, y, SIZE, 0.0, "l");
            }
            self.run(Face::Gothic, text_x, y, SIZE, 0.0, l);
            self.y -= PITCH;
        }
        self
    }

    /// A page with only an image on it (a scan).
    fn scanned_page(&mut self) -> &mut Self {
        self.pages.last_mut().unwrap().1 = true;
        self
    }

    /// The running header and the page number (`- N -`) of every page.
    fn furniture(&mut self, header: &str) -> &mut Self {
        for (i, (runs, _)) in self.pages.iter_mut().enumerate() {
            runs.push(Run_ {
                face: Face::Gothic,
                x: 330.0,
                y: 805.0,
                size: 9.0,
                spacing: 0.0,
                text: header.to_string(),
            });
            runs.push(Run_ {
                face: Face::Gothic,
                x: 285.0,
                y: 40.0,
                size: 9.0,
                spacing: 0.0,
                text: format!("- {} -", i + 1),
            });
        }
        self
    }

    /// The document as lopdf objects.
    fn document(&self) -> Document {
        let mut doc = Document::with_version("1.7");
        // Codes: one CID per character, in order of first use.
        let mut cids: BTreeMap<char, u16> = BTreeMap::new();
        for (runs, _) in &self.pages {
            for r in runs.iter().filter(|r| r.face == Face::Gothic) {
                for c in r.text.chars() {
                    let next = cids.len() as u16 + 1;
                    cids.entry(c).or_insert(next);
                }
            }
        }
        let mut bf = String::new();
        for chunk in cids.iter().collect::<Vec<_>>().chunks(100) {
            bf.push_str(&format!("{} beginbfchar\n", chunk.len()));
            for (c, cid) in chunk {
                let units: String = c
                    .encode_utf16(&mut [0; 2])
                    .iter()
                    .map(|u| format!("{u:04X}"))
                    .collect();
                bf.push_str(&format!("<{cid:04X}> <{units}>\n"));
            }
            bf.push_str("endbfchar\n");
        }
        let to_unicode = format!(
            "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n1 begincodespacerange <0000> <FFFF> endcodespacerange\n{bf}endcmap CMapName currentdict /CMap defineresource pop end end"
        );
        let to_unicode = doc.add_object(Stream::new(Dictionary::new(), to_unicode.into_bytes()));
        let widths: Vec<Object> = cids
            .iter()
            .filter(|(c, _)| c.is_ascii())
            .flat_map(|(_, cid)| {
                [
                    Object::Integer(i64::from(*cid)),
                    Object::Array(vec![Object::Integer(500)]),
                ]
            })
            .collect();
        let descriptor = doc.add_object(dictionary! {
            "Type" => "FontDescriptor", "FontName" => "BIZUDPGothic", "Flags" => 4,
            "FontBBox" => vec![0.into(), (-120).into(), 1000.into(), 880.into()],
            "ItalicAngle" => 0, "Ascent" => 880, "Descent" => -120, "CapHeight" => 700, "StemV" => 80,
        });
        let cid_font = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "CIDFontType2", "BaseFont" => "BIZUDPGothic",
            "CIDSystemInfo" => dictionary! { "Registry" => Object::string_literal("Adobe"), "Ordering" => Object::string_literal("Identity"), "Supplement" => 0 },
            "FontDescriptor" => descriptor, "DW" => 1000, "W" => widths, "CIDToGIDMap" => "Identity",
        });
        let gothic = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "BIZUDPGothic",
            "Encoding" => "Identity-H", "DescendantFonts" => vec![cid_font.into()], "ToUnicode" => to_unicode,
        });
        let symbol_descriptor = doc.add_object(dictionary! {
            "Type" => "FontDescriptor", "FontName" => "Wingdings", "Flags" => 4,
            "FontBBox" => vec![0.into(), 0.into(), 1000.into(), 1000.into()],
            "ItalicAngle" => 0, "Ascent" => 900, "Descent" => -200, "CapHeight" => 700, "StemV" => 80,
        });
        let wingdings = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "TrueType", "BaseFont" => "Wingdings",
            "FirstChar" => 32, "LastChar" => 255,
            "Widths" => (32..=255).map(|_| Object::Integer(1000)).collect::<Vec<_>>(),
            "FontDescriptor" => symbol_descriptor,
        });
        let image = doc.add_object(Stream::new(
            dictionary! { "Type" => "XObject", "Subtype" => "Image", "Width" => 2, "Height" => 2, "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8 },
            vec![0, 255, 255, 0],
        ));
        let pages_id = doc.new_object_id();
        let mut kids = Vec::new();
        for (runs, scanned) in &self.pages {
            let mut content = String::new();
            if *scanned {
                content.push_str("q 450 0 0 650 72 100 cm /Im1 Do Q\n");
            }
            for r in runs {
                let (font, hex) = match r.face {
                    Face::Gothic => (
                        "F1",
                        r.text
                            .chars()
                            .map(|c| format!("{:04X}", cids[&c]))
                            .collect::<String>(),
                    ),
                    Face::Wingdings => ("F2", r.text.bytes().map(|b| format!("{b:02X}")).collect()),
                };
                content.push_str(&format!(
                    "BT /{font} {} Tf {} Tc 1 0 0 1 {} {} Tm <{hex}> Tj ET\n",
                    r.size, r.spacing, r.x, r.y
                ));
            }
            let content = doc.add_object(Stream::new(Dictionary::new(), content.into_bytes()));
            let page = doc.add_object(dictionary! {
                "Type" => "Page", "Parent" => pages_id, "Contents" => content,
                "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
                "Resources" => dictionary! {
                    "Font" => dictionary! { "F1" => gothic, "F2" => wingdings },
                    "XObject" => dictionary! { "Im1" => image },
                },
            });
            kids.push(Object::Reference(page));
        }
        let count = kids.len() as i64;
        doc.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count }),
        );
        let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog);
        doc.trailer.set(
            "ID",
            vec![
                Object::String(b"0123456789abcdef".to_vec(), StringFormat::Hexadecimal),
                Object::String(b"0123456789abcdef".to_vec(), StringFormat::Hexadecimal),
            ],
        );
        doc
    }

    fn bytes(&self) -> Vec<u8> {
        save(self.document())
    }

    /// The PDF encrypted (RC4, 128 bits) with these passwords.
    fn encrypted(&self, user: &str) -> Vec<u8> {
        let mut doc = self.document();
        let version = lopdf::EncryptionVersion::V2 {
            document: &doc,
            owner_password: "owner",
            user_password: user,
            key_length: 128,
            permissions: lopdf::Permissions::PRINTABLE,
        };
        let state = lopdf::EncryptionState::try_from(version).unwrap();
        doc.encrypt(&state).unwrap();
        save(doc)
    }
}

fn save(mut doc: Document) -> Vec<u8> {
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

/// A text in lines of at most `ems` (a Latin character is half an em).
fn wrap(text: &str, ems: f32) -> Vec<String> {
    let mut lines = vec![String::new()];
    let mut width = 0.0;
    for c in text.chars() {
        let w = if c.is_ascii() { 0.5 } else { 1.0 };
        if width + w > ems {
            lines.push(String::new());
            width = 0.0;
        }
        lines.last_mut().unwrap().push(c);
        width += w;
    }
    lines
}

/// A text in lines of `n` characters.
fn chunks(text: &str, n: usize) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    chars.chunks(n).map(|c| c.iter().collect()).collect()
}

const OPINION_WRAPPED: &str = "やめることを決めないと新しいことはできないのではないか。また、事業廃止や中止に向けた予算編成や人員配置の仕組みの導入に尽きるのではないか。";
const OPINION_SHORT: &str = "外部委託に関し、進捗をチェックしてフィードバックすべき。";
const OPINION_ACROSS_PAGES: &str = "庁内のＤＸと住民サービスのＤＸは分けて考えるべき。また、成果は検証する必要がある。ツール導入が目的になっている印象を受けた。効果検証を行い、効果が出ていなければ廃止しなければ意味がない。";
/// Wraps between two Latin words ("Process" | "Re-engineering"): one space.
const OPINION_LATIN: &str = "ＢＰＲについては業務改善の延長ではなく本来の意味で使うべき（Business Process Re-engineering）。";

/// The synthetic minutes: what Word's "save as PDF" of real minutes looks
/// like (SPEC §8.3).
fn synthetic_minutes() -> MinutesPdf {
    let mut pdf = MinutesPdf::new();
    pdf.spaced_title("会議録")
        .table_row("会議の名称", 4, "第３回　飯塚市行政経営戦略推進審議会")
        .table_row(
            "開催日時",
            4,
            "令和５年８月３日（木）　１３：３０～１５：３０",
        )
        .table_row(
            "出席委員",
            4,
            "大久保副会長、河委員、河﨑委員、菅原委員、畠中委員、井澤会長、東部長、中嶋課長",
        )
        .gap()
        .line(
            0.0,
            "２　議題１　各分野の現状と課題及び想定される解決策について",
        )
        .line(0.0, "＜各委員から出された主な意見＞")
        .line(0.5, "行政施策")
        .bullet(OPINION_WRAPPED, None)
        .bullet(OPINION_SHORT, None)
        .line(0.5, "ＤＸ推進");
    // Fill page 1 so that the next opinion breaks onto page 2.
    while pdf.y > 100.0 + 2.0 * PITCH {
        pdf.bullet(OPINION_SHORT, None);
    }
    pdf.bullet(OPINION_ACROSS_PAGES, Some(2))
        .line(0.5, "財務")
        .bullet(OPINION_LATIN, None)
        .gap()
        .line(0.0, "３　議題２　行政経営戦略推進ビジョン素案について")
        .bullet(
            "第４回審議会においてビジョン素案を提案することで異議なし。",
            None,
        )
        .furniture("第３回審議会　会議録");
    pdf
}

fn council(run: &Run) -> Vec<(String, String, Vec<String>)> {
    run.items()
        .into_iter()
        .filter(|i| i.column == "council")
        .map(|i| (i.field, i.text, i.cells))
        .collect()
}

fn failed_reason(run: &Run, file: &str) -> String {
    run.failed()
        .into_iter()
        .find(|(f, _)| f == file)
        .unwrap_or_else(|| panic!("{file} is not failed:\n{}", run.stdout))
        .1
}

#[test]
fn minutes_typeset_as_word_does_give_their_opinions_page_by_page() {
    let pdf = synthetic_minutes().bytes();
    // To look at it: SHIRYO_KEEP_PDF=/tmp/m.pdf cargo test --test e2e typeset
    if let Some(keep) = std::env::var_os("SHIRYO_KEEP_PDF") {
        std::fs::write(keep, &pdf).unwrap();
    }
    let run = good(Month::new())
        .file("第3回審議会_会議録.pdf", &pdf)
        .build(&[]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    run.assert_no_internal_error();
    let mut expected = vec![
        ("行政施策", OPINION_WRAPPED, "p1"),
        ("行政施策", OPINION_SHORT, "p1"),
    ];
    let dx_fillers = run
        .items()
        .iter()
        .filter(|i| i.field == "DX推進" && i.text == OPINION_SHORT)
        .count();
    assert!(
        dx_fillers == 1,
        "the same opinion twice in a cell is one item"
    );
    expected.push(("DX推進", OPINION_SHORT, "p1"));
    expected.push((
        "DX推進",
        "庁内のDXと住民サービスのDXは分けて考えるべき。また、成果は検証する必要がある。ツール導入が目的になっている印象を受けた。効果検証を行い、効果が出ていなければ廃止しなければ意味がない。",
        "p1",
    ));
    expected.push((
        "財務",
        "BPRについては業務改善の延長ではなく本来の意味で使うべき（Business Process Re-engineering）。",
        "p2",
    ));
    let mut actual = council(&run);
    // The filler opinions are one item with one source per paragraph.
    let dx = actual
        .iter_mut()
        .find(|(f, t, _)| f == "DX推進" && t == OPINION_SHORT)
        .expect("the filler opinion");
    assert!(dx.2.iter().all(|c| c == "p1"), "{:?}", dx.2);
    dx.2.truncate(1);
    assert_eq!(
        actual,
        expected
            .iter()
            .map(|(f, t, c)| (f.to_string(), t.to_string(), vec![c.to_string()]))
            .collect::<Vec<_>>()
    );
    assert_eq!(run.json()["columns"][0]["label"], "第3回審議会での主な意見");
    // The 明細 sheet names the page; its link opens the PDF at that page.
    let detail = run.xlsx_sheet("明細");
    assert!(
        detail
            .iter()
            .any(|r| r[5] == "第3回審議会_会議録.pdf" && r[6].is_empty() && r[7] == "p2"),
        "{detail:?}"
    );
    let rels = common::unzip_text(
        &run.out.join(common::XLSX),
        "xl/worksheets/_rels/sheet2.xml.rels",
    );
    let sheet = common::unzip_text(&run.out.join(common::XLSX), "xl/worksheets/sheet2.xml");
    assert!(rels.contains("第3回審議会_会議録.pdf"), "{rels}");
    assert!(sheet.contains("location=\"page=2\""), "the link to page 2");
}

#[test]
fn the_sample_months_minutes_as_pdf_give_the_same_council_column() {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/samples/minutes_pdf/第2回審議会_会議録.pdf");
    if !shared.exists() {
        eprintln!("skipped: {} is not there", shared.display());
        return;
    }
    let word = common::build_at(&common::sample_input(), &[]);
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(common::sample_input()).unwrap() {
        let entry = entry.unwrap();
        if entry.file_name() != "第2回審議会_会議録.docx" {
            std::fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
        }
    }
    std::fs::copy(&shared, dir.path().join("第2回審議会_会議録.pdf")).unwrap();
    let pdf = common::build_at(dir.path(), &[]);
    assert_eq!(pdf.code, word.code, "{}", pdf.stdout);
    pdf.assert_no_internal_error();
    let whole = |run: &Run| {
        let mut items = Vec::new();
        for f in run.json()["fields"].as_array().unwrap() {
            for it in f["cells"]["council"].as_array().unwrap() {
                let mut it = it.clone();
                for s in it["sources"].as_array_mut().unwrap() {
                    s.as_object_mut().unwrap().remove("cell");
                    s.as_object_mut().unwrap().remove("file");
                }
                items.push((f["name"].clone(), it));
            }
        }
        items
    };
    assert_eq!(whole(&pdf), whole(&word));
    assert_eq!(whole(&word).len(), 25);
    assert_eq!(pdf.json()["columns"][0], word.json()["columns"][0]);
    assert_eq!(pdf.json()["columns"][0]["label"], "第2回審議会での主な意見");
    let cells: Vec<String> = council(&pdf).into_iter().flat_map(|(_, _, c)| c).collect();
    let mut expected = vec!["p1"; 7];
    expected.extend(vec!["p2"; 18]);
    assert_eq!(cells, expected);
}

#[test]
fn a_scanned_pdf_fails_and_says_what_to_do() {
    let mut scan = MinutesPdf::new();
    scan.scanned_page().next_page().scanned_page();
    let run = good(Month::new())
        .file("第3回審議会_会議録.pdf", &scan.bytes())
        .build(&[]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert_eq!(
        failed_reason(&run, "第3回審議会_会議録.pdf"),
        FileError::PdfNoText {
            pages: 2,
            scanned: true
        }
        .to_string()
    );
    let reason = failed_reason(&run, "第3回審議会_会議録.pdf");
    assert!(
        reason.contains("Word の会議録（.docx）を入力フォルダに入れる"),
        "{reason}"
    );
    assert!(
        run.report()
            .contains(&format!("  失敗    第3回審議会_会議録.pdf  {reason}"))
    );
    assert_eq!(run.item(GOOD).departments, vec!["良い課"]);
}

#[test]
fn a_password_protected_pdf_fails_and_a_restricted_one_is_read() {
    let pdf = synthetic_minutes();
    let run = good(Month::new())
        .file("第3回審議会_会議録.pdf", &pdf.encrypted("secret"))
        .build(&[]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert_eq!(
        failed_reason(&run, "第3回審議会_会議録.pdf"),
        FileError::PdfEncrypted.to_string()
    );
    assert!(
        run.report()
            .contains("パスワードで保護された PDF のため読み取れません。")
    );
    // Only an owner password (printing allowed, copying not): it opens
    // without one and is read.
    let run = good(Month::new())
        .file("第3回審議会_会議録.pdf", &pdf.encrypted(""))
        .build(&[]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(council(&run).len(), 5);
}

/// Reads one file in this process, as the worker does.
fn parse(name: &str, bytes: &[u8]) -> Result<shiryo::ingest::Parsed, FileError> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    let job = shiryo::ingest::Job {
        path,
        name: name.to_string(),
        promised: shiryo::ingest::sniff::Format::Pdf,
    };
    shiryo::ingest::parse_file(&job, &shiryo::Template::default())
}

#[test]
fn a_damaged_pdf_is_a_typed_failure() {
    let whole = synthetic_minutes().bytes();
    // Cut in the middle of its objects: no cross-reference table, no trailer.
    let cut = &whole[..whole.len() / 3];
    assert!(
        matches!(parse("会議録.pdf", cut), Err(FileError::PdfBroken(_))),
        "{:?}",
        parse("会議録.pdf", cut).err()
    );
    // A header and nothing else.
    assert!(matches!(
        parse("会議録.pdf", b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n"),
        Err(FileError::PdfBroken(_))
    ));
    let run = good(Month::new()).file("会議録.pdf", cut).build(&[]);
    assert_eq!(run.code, 1);
    let reason = failed_reason(&run, "会議録.pdf");
    assert!(
        reason.starts_with("PDF が壊れているため読み取れません（"),
        "{reason}"
    );
    run.assert_no_internal_error();
}

/// Some writers end each cross-reference entry with a bare LF (19 bytes,
/// as py-pdf's sample 019-grayscale-image.pdf): lopdf refuses the file,
/// every viewer reads it. The minutes give the same council column.
#[test]
fn minutes_whose_cross_reference_entries_are_short_are_read() {
    let mut doc = synthetic_minutes().document();
    doc.reference_table.cross_reference_type = lopdf::xref::XrefType::CrossReferenceTable;
    let whole = save(doc);
    let table = whole
        .windows(6)
        .rposition(|w| w == b"\nxref\n")
        .expect("a classic table");
    let trailer = table
        + whole[table..]
            .windows(7)
            .position(|w| w == b"trailer")
            .unwrap();
    let mut short = whole[..table].to_vec();
    let entries = String::from_utf8(whole[table..trailer].to_vec()).unwrap();
    let entries = entries
        .replace(" n \n", " n\n")
        .replace(" f \n", " f\n")
        .replace(" n\r\n", " n\n")
        .replace(" f\r\n", " f\n");
    assert!(entries.len() < trailer - table, "{entries}");
    short.extend_from_slice(entries.as_bytes());
    short.extend_from_slice(&whole[trailer..]);
    assert!(Document::load_mem(&short).is_err(), "lopdf refuses it");
    let run = |pdf: &[u8]| {
        let run = good(Month::new())
            .file("第3回審議会_会議録.pdf", pdf)
            .build(&[]);
        assert_eq!(run.code, 0, "{}", run.stdout);
        council(&run)
    };
    let expected = run(&whole);
    assert!(expected.len() >= 5, "{expected:?}");
    assert_eq!(run(&short), expected);
}

#[test]
fn word_minutes_of_the_same_name_win_over_the_pdf() {
    let word = docx(&["第3回審議会 会議録", "経営", "Word の意見。"]);
    let run = good(Month::new())
        .file("第3回審議会_会議録.docx", &word)
        .file("第3回審議会_会議録.pdf", &synthetic_minutes().bytes())
        .build(&[]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(
        council(&run),
        vec![(
            "経営".to_string(),
            "Word の意見。".to_string(),
            vec!["¶3".to_string()]
        )]
    );
    let skipped = run.skipped();
    let pdf = skipped
        .iter()
        .find(|s| s["file"] == "第3回審議会_会議録.pdf")
        .unwrap_or_else(|| panic!("{skipped:?}"));
    assert_eq!(
        pdf["reason"],
        "同じ名前の Word の会議録を読みました（第3回審議会_会議録.docx）。この PDF は読み込みません。"
    );
    // Another stem: both are read.
    let run = good(Month::new())
        .file("第2回審議会_会議録.docx", &word)
        .file("第3回審議会_会議録.pdf", &synthetic_minutes().bytes())
        .build(&[]);
    assert_eq!(council(&run).len(), 6);
}

#[test]
fn a_pdf_that_is_not_minutes_is_skipped() {
    let mut notice = MinutesPdf::new();
    notice
        .line(0.0, "入札公告")
        .line(0.0, "行政施策")
        .bullet("入札参加資格は別紙のとおり。", None);
    let run = good(Month::new())
        .file("公告.pdf", &notice.bytes())
        .build(&[]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(run.items().len(), 1);
    let skipped = run.skipped();
    assert!(
        skipped.iter().any(|s| s["file"] == "公告.pdf"
            && s["reason"]
                .as_str()
                .unwrap()
                .starts_with("会議録ではありません（PDF ですが")),
        "{skipped:?}"
    );
}

/// The real PDFs of `../shared/corpus/jpreal/pdf/`, if they are there.
fn real_pdfs() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/jpreal/pdf");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("skipped: {} is not there", dir.display());
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).collect();
    files.sort();
    files
}

#[test]
fn real_pdfs_of_other_bodies_give_no_items_quickly_and_in_bounded_memory() {
    for path in real_pdfs() {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let month = good(Month::new()).file(&name, &std::fs::read(&path).unwrap());
        let start = Instant::now();
        let run = month.build(&[]);
        let took = start.elapsed();
        assert!(took < Duration::from_secs(10), "{name}: {took:?}");
        let peak = run.worker_peak_reported_mb();
        assert!(peak < 512.0, "{name}: {peak} MB");
        run.assert_no_internal_error();
        assert!(!run.stderr.contains("panicked"), "{name}: {}", run.stderr);
        assert_eq!(
            run.items()
                .iter()
                .map(|i| i.text.as_str())
                .collect::<Vec<_>>(),
            vec![GOOD],
            "{name}"
        );
        // Named in the report, with its reason.
        assert!(run.report().contains(&name), "{name}");
    }
}

/// A one-page PDF whose page draws `content` with these resources.
fn hostile_pdf(
    content: Vec<u8>,
    filter: bool,
    resources: impl FnOnce(&mut Document) -> Dictionary,
) -> Vec<u8> {
    let mut doc = Document::with_version("1.7");
    let resources = resources(&mut doc);
    let mut dict = Dictionary::new();
    if filter {
        dict.set("Filter", "FlateDecode");
    }
    let content = doc.add_object(Stream::new(dict, content));
    let pages_id = doc.new_object_id();
    let page = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages_id, "Contents" => content,
        "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()], "Resources" => resources,
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(
            dictionary! { "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1 },
        ),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    save(doc)
}

#[test]
fn hostile_pdfs_fail_alone_quickly_and_in_bounded_memory() {
    use std::io::Write;
    // A content stream that inflates to 512 MB.
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    let block = vec![b' '; 1 << 20];
    for _ in 0..512 {
        z.write_all(&block).unwrap();
    }
    let bomb = hostile_pdf(z.finish().unwrap(), true, |_| Dictionary::new());
    // A form that draws itself, and a font whose ToUnicode map claims
    // every code in two ranges (read as ranges, never code by code).
    let looping = hostile_pdf(
        b"/Fm1 Do BT /F1 12 Tf 72 700 Td <0001> Tj ET".to_vec(),
        false,
        |doc| {
            let form_id = doc.new_object_id();
            let form = Stream::new(
                dictionary! { "Type" => "XObject", "Subtype" => "Form", "BBox" => vec![0.into(), 0.into(), 10.into(), 10.into()],
                "Resources" => dictionary! { "XObject" => dictionary! { "Fm1" => form_id } } },
                b"/Fm1 Do".to_vec(),
            );
            doc.objects.insert(form_id, Object::Stream(form));
            let cmap = doc.add_object(Stream::new(
            Dictionary::new(),
            b"1 begincodespacerange <00000000> <FFFFFFFF> endcodespacerange 2 beginbfrange <00000000> <FFFFFFFF> <0041> <0000> <FFFF> <0041> endbfrange".to_vec(),
        ));
            let font = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "X", "Encoding" => "Identity-H",
            "DescendantFonts" => vec![], "ToUnicode" => cmap,
        });
            dictionary! { "XObject" => dictionary! { "Fm1" => form_id }, "Font" => dictionary! { "F1" => font } }
        },
    );
    let month = good(Month::new())
        .file("会議録_爆弾.pdf", &bomb)
        .file("会議録_循環.pdf", &looping)
        .file("会議録_空.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 1 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF");
    let start = Instant::now();
    let run = month.build(&[]);
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "{:?}",
        start.elapsed()
    );
    assert!(run.worker_peak_reported_mb() < 512.0);
    run.assert_no_internal_error();
    assert_eq!(run.item(GOOD).departments, vec!["良い課"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    let failed: Vec<String> = run.failed().into_iter().map(|(f, _)| f).collect();
    // The bomb draws nothing it could read; the empty one has no page.
    assert!(
        failed.contains(&"会議録_爆弾.pdf".to_string()),
        "{failed:?}"
    );
    assert!(failed.contains(&"会議録_空.pdf".to_string()), "{failed:?}");
    assert_eq!(
        failed_reason(&run, "会議録_爆弾.pdf"),
        FileError::PdfNoText {
            pages: 1,
            scanned: false
        }
        .to_string()
    );
    // The loop is cut: the one glyph after it is read.
    assert!(
        !failed.contains(&"会議録_循環.pdf".to_string()),
        "{failed:?}"
    );
}
