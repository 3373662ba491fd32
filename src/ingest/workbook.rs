//! Workbooks: .xlsx .xlsm .xlsb through calamine's cell readers, .xls and
//! .ods through our own sparse readers ([`super::xls`], [`super::ods`]);
//! every sheet then goes through [`super::table`].

use std::collections::HashMap;
use std::io::{BufReader, Cursor, Read, Seek};
use std::path::Path;

use calamine::{Data, Reader, SheetType, SheetVisible, Xlsb, Xlsx};

use super::error::FileError;
use super::raw::{FileResult, Skipped, file_stem, number_text};
use super::sniff::Format;
use super::table::{Grid, SheetMeta, SheetSource, SheetState, read_grid};
use crate::normalize;
use crate::template::Template;
use crate::vocab::Location;

const NOT_CELLS: &str =
    "表のシートではありません（グラフ、Excel 4 のマクロシート、ダイアログシートなど）。";

/// Reads every visible sheet of a workbook.
pub fn read(
    path: &Path,
    name: &str,
    format: Format,
    template: &Template,
) -> Result<FileResult, FileError> {
    let open = || {
        std::fs::File::open(path)
            .map(BufReader::new)
            .map_err(|e| FileError::open(&e))
    };
    let sheets = match format {
        Format::Xls => super::xls::read(open()?)?,
        Format::Ods => super::ods::read(open()?)?,
        Format::Xlsb => xlsb_sheets(open()?)?,
        _ => xlsx_sheets(path)?,
    };
    let file_department = normalize::department_from_stem(file_stem(name));
    let mut out = FileResult::default();
    let mut data_sheets = 0;
    let mut written_sheets = 0;
    for (index, (meta, grid)) in sheets.iter().enumerate() {
        let skip = |reason: &str| {
            Skipped::new(
                Location {
                    file: name.to_string(),
                    sheet: Some(meta.name.clone()),
                    cell: None,
                },
                reason,
            )
        };
        match meta.state {
            SheetState::Hidden => {
                out.skipped
                    .push(skip("非表示のシートです（読み込みません）。"));
                continue;
            }
            SheetState::NotCells(reason) => {
                out.skipped.push(skip(reason));
                continue;
            }
            SheetState::Data if grid.is_empty() => {}
            SheetState::Data => written_sheets += 1,
        }
        let src = SheetSource {
            file: name,
            sheet: &meta.name,
            sheet_index: index,
            file_department: &file_department,
        };
        // The secretariat's corrections are known by their header.
        if let Some(r) = super::corrections::read_grid(grid, &src) {
            data_sheets += 1;
            out.absorb(r);
            continue;
        }
        match read_grid(grid, &src, template)? {
            Some(r) => {
                data_sheets += 1;
                out.absorb(r);
            }
            None => out.skipped.push(skip(if grid.is_empty() {
                "空のシートです。"
            } else {
                "見出し行（分野・区分・内容、または分野と区分の列）が見つからないシートです（説明用のシートなど）。"
            })),
        }
    }
    if data_sheets == 0 {
        // Something is written but without the header, or nothing is
        // written where it is read: two different fixes.
        if written_sheets > 0 {
            return Err(FileError::NoHeader);
        }
        let sheets = out
            .skipped
            .iter()
            .map(|s| {
                let sheet = s.at.sheet.as_deref().unwrap_or_default();
                format!("「{sheet}」{}", s.reason.trim_end_matches('。'))
            })
            .collect::<Vec<_>>()
            .join("、");
        return Err(FileError::NoSheetToRead { sheets });
    }
    Ok(out)
}

fn unreadable(e: impl std::fmt::Display) -> FileError {
    FileError::Unreadable(super::error::Detail::library(None, e))
}

fn state(visible: SheetVisible, typ: SheetType) -> SheetState {
    match (visible, typ) {
        (SheetVisible::Visible, SheetType::WorkSheet) => SheetState::Data,
        (SheetVisible::Visible, _) => SheetState::NotCells(NOT_CELLS),
        _ => SheetState::Hidden,
    }
}

/// What calamine refuses in a package that Excel opens; the package is then
/// mended in memory and read again, so the other sheets are still read.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Mend {
    /// A sheet of a kind calamine does not know (an Excel 4 macro sheet)
    /// refuses the whole workbook: such sheets become dialog sheets, which
    /// it lists and we skip.
    MacroSheets,
    /// A sheet's `<dimension>` it cannot parse (a row-only `1:4`, as some
    /// writers store it) refuses that sheet: the dimensions are dropped, as
    /// Excel ignores them too and the cells are streamed without them.
    Dimensions,
    /// XML parts written in UTF-16 (Excel on Windows Phone), which
    /// calamine reads as UTF-8 and finds cut short: they become UTF-8.
    Utf16,
    /// A `<sheet>` entry with an empty `r:id` (an old macro module or
    /// dialog carried over from .xls; Excel opens the file) refuses the
    /// whole workbook: the entry is dropped and the sheet listed as one that
    /// holds no table.
    SheetsWithoutPart,
    /// A sheet state outside the standard's three (`show`, written by
    /// exceljs 1.5 for every sheet; `Hidden`) refuses the whole workbook:
    /// it is read as Excel shows it (see [`known_sheet_states`]).
    UnknownSheetState,
}

impl Mend {
    /// The mend for a refusal when opening the workbook.
    fn of_workbook(e: &calamine::XlsxError) -> Option<Mend> {
        match e {
            calamine::XlsxError::Unrecognized {
                typ: "sheet:type", ..
            } => Some(Mend::MacroSheets),
            calamine::XlsxError::RelationshipNotFound => Some(Mend::SheetsWithoutPart),
            calamine::XlsxError::Unrecognized {
                typ: "sheet:state", ..
            } => Some(Mend::UnknownSheetState),
            calamine::XlsxError::Xml(_) | calamine::XlsxError::XmlEof(_) => Some(Mend::Utf16),
            _ => None,
        }
    }

    /// The mend for a refusal when opening a sheet: its cell reader reads
    /// only what stands before the cells, of which only the dimension is a
    /// cell reference.
    fn of_sheet(e: &calamine::XlsxError) -> Option<Mend> {
        use calamine::XlsxError as E;
        match e {
            E::RangeWithoutColumnComponent
            | E::RangeWithoutRowComponent
            | E::DimensionCount(_)
            | E::Alphanumeric(_) => Some(Mend::Dimensions),
            E::Xml(_) | E::XmlEof(_) => Some(Mend::Utf16),
            _ => None,
        }
    }
}

/// An .xlsx package, mended and read again when calamine refuses it for a
/// [`Mend`]able reason.
fn xlsx_sheets(path: &Path) -> Result<Vec<(SheetMeta, Grid)>, FileError> {
    let package = super::sniff::Package::open(path)?;
    let merges = package.in_memory().and_then(super::merges::by_sheet);
    let mut mends: Vec<Mend> = Vec::new();
    let mut without_part: Vec<String> = Vec::new();
    let mut bytes: Option<Vec<u8>> = None;
    let mut attempt = xlsx_read(Xlsx::new(package), merges.as_ref());
    loop {
        match attempt {
            Ok(mut sheets) => {
                sheets.extend(without_part.into_iter().map(|name| {
                    let state = SheetState::NotCells(NOT_CELLS);
                    (SheetMeta { name, state }, Grid::default())
                }));
                return Ok(sheets);
            }
            Err(Refused::File(e)) => return Err(e),
            Err(Refused::Mendable(mend, e)) => {
                if mends.contains(&mend) {
                    return Err(unreadable(e));
                }
                mends.push(mend);
                let bytes = match &mut bytes {
                    Some(bytes) => bytes,
                    None => bytes.insert(std::fs::read(path).map_err(|e| FileError::open(&e))?),
                };
                // When the mends so far change nothing, this one cannot help.
                let Some(mended) = mend_package(bytes, &mends)? else {
                    return Err(unreadable(e));
                };
                without_part = mended.without_part;
                attempt = xlsx_read(Xlsx::new(Cursor::new(mended.bytes)), None);
            }
        }
    }
}

/// Why a reading of an .xlsx package stopped.
enum Refused {
    /// For good: the file's error.
    File(FileError),
    /// For a reason the package can be mended for.
    Mendable(Mend, calamine::XlsxError),
}

/// One reading of an .xlsx package, opened by calamine or not.
fn xlsx_read<R: Read + Seek>(
    book: Result<Xlsx<R>, calamine::XlsxError>,
    merges: Option<&HashMap<String, Vec<super::merges::Merge>>>,
) -> Result<Vec<(SheetMeta, Grid)>, Refused> {
    let book = book.map_err(|e| match Mend::of_workbook(&e) {
        Some(mend) => Refused::Mendable(mend, e),
        None => Refused::File(unreadable(e)),
    })?;
    let mut refused = None;
    xlsx_cells(book, merges, &mut refused).map_err(|e| match refused {
        Some((mend, why)) => Refused::Mendable(mend, why),
        None => Refused::File(e),
    })
}

/// Streams a sheet's cells into the grid, one by one: a range would
/// allocate the whole rectangle up to the last used cell.
fn fill<'a, E: std::fmt::Display>(
    grid: &mut Grid,
    sheet: &str,
    mut next: impl FnMut() -> Result<Option<calamine::Cell<calamine::DataRef<'a>>>, E>,
) -> Result<(), FileError> {
    while let Some(cell) = next().map_err(unreadable)? {
        let (r, c) = cell.get_position();
        let data: Data = cell.get_value().clone().into();
        grid.set(r, c, cell_text(&data))
            .map_err(|e| e.in_sheet(sheet))?;
    }
    Ok(())
}

/// The cells and merged ranges of every sheet; `merges`, when given, holds
/// the merged ranges of the sheets calamine need not read a second time. A
/// sheet refused for a [`Mend`]able reason stops the reading with the
/// reason in `refused`.
fn xlsx_cells<R: Read + Seek>(
    mut book: Xlsx<R>,
    merges: Option<&HashMap<String, Vec<super::merges::Merge>>>,
    refused: &mut Option<(Mend, calamine::XlsxError)>,
) -> Result<Vec<(SheetMeta, Grid)>, FileError> {
    let sheets = book.sheets_metadata().to_vec();
    each_data_sheet(sheets, |name, grid| {
        let mut cells = match book.worksheet_cells_reader(name) {
            Ok(cells) => cells,
            Err(e) => {
                let failure = unreadable(&e);
                if let Some(mend) = Mend::of_sheet(&e) {
                    *refused = Some((mend, e));
                }
                return Err(failure);
            }
        };
        fill(grid, name, || cells.next_cell())?;
        drop(cells);
        match merges.and_then(|m| m.get(name)) {
            Some(known) => {
                for &(start, end) in known {
                    grid.add_merge(start, end);
                }
            }
            None => {
                for m in book.merge_cells_by_sheet_name(name).unwrap_or_default() {
                    grid.add_merge(m.start, m.end);
                }
            }
        }
        Ok(())
    })
}

fn xlsb_sheets<R: Read + Seek>(file: R) -> Result<Vec<(SheetMeta, Grid)>, FileError> {
    let mut book = Xlsb::new(file).map_err(unreadable)?;
    let sheets = book.sheets_metadata().to_vec();
    each_data_sheet(sheets, |name, grid| {
        let mut cells = book.worksheet_cells_reader(name).map_err(unreadable)?;
        fill(grid, name, || cells.next_cell())
    })
}

/// Every sheet of a workbook with its state; `read` fills the grid of the
/// visible worksheets, the others stay empty.
fn each_data_sheet(
    sheets: Vec<calamine::Sheet>,
    mut read: impl FnMut(&str, &mut Grid) -> Result<(), FileError>,
) -> Result<Vec<(SheetMeta, Grid)>, FileError> {
    let mut out = Vec::with_capacity(sheets.len());
    for sheet in sheets {
        let state = state(sheet.visible, sheet.typ);
        let mut grid = Grid::default();
        if state == SheetState::Data {
            read(&sheet.name, &mut grid)?;
        }
        out.push((
            SheetMeta {
                name: sheet.name,
                state,
            },
            grid,
        ));
    }
    Ok(out)
}

/// A package with mends made.
struct Mended {
    /// The package's bytes.
    bytes: Vec<u8>,
    /// The sheets whose entries were dropped for [`Mend::SheetsWithoutPart`].
    without_part: Vec<String>,
}

/// The package with these mends made, or `None` when they change nothing:
/// for [`Mend::Utf16`], every UTF-16 XML part in UTF-8; for
/// [`Mend::MacroSheets`], every workbook relationship of an unknown sheet
/// kind (`xlMacrosheet`, `xlIntlMacrosheet`…) turned into a dialog sheet;
/// for [`Mend::Dimensions`], every sheet's `<dimension>` dropped; for
/// [`Mend::SheetsWithoutPart`], every workbook `<sheet>` with an empty
/// `r:id` dropped; for [`Mend::UnknownSheetState`], every unknown sheet
/// state read as Excel shows it.
fn mend_package(bytes: &[u8], mends: &[Mend]) -> Result<Option<Mended>, FileError> {
    use std::io::Write;
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(unreadable)?;
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::with_capacity(bytes.len())));
    let mut changed = false;
    let mut without_part = Vec::new();
    for i in 0..zip.len() {
        let name = match zip.name_for_index(i) {
            Some(n) => n.map_err(unreadable)?.into_owned(),
            None => continue,
        };
        // Wherever the package keeps its parts (`xl/`, `wtf/`, written with
        // `\` or in capitals).
        let part = name.replace('\\', "/").to_ascii_lowercase();
        let xml = part.ends_with(".xml") || part.ends_with(".rels");
        let relationships = part.ends_with("_rels/workbook.xml.rels");
        let workbook = part.ends_with("workbook.xml");
        let sheet = part.ends_with(".xml") && !part.ends_with("[content_types].xml");
        let has = |m: Mend| mends.contains(&m);
        let edits = PartEdits {
            utf16: xml && has(Mend::Utf16),
            macro_sheets: relationships && has(Mend::MacroSheets),
            dimension: sheet && has(Mend::Dimensions),
            sheet_states: workbook && has(Mend::UnknownSheetState),
            sheets_without_part: workbook && has(Mend::SheetsWithoutPart),
        };
        let text_edits = edits.macro_sheets
            || edits.dimension
            || edits.sheet_states
            || edits.sheets_without_part;
        // A part looked at only for UTF-16 is inflated only when its first
        // bytes say so.
        let examined = text_edits || edits.utf16 && starts_as_utf16(&mut zip, i)?;
        let mended = if examined {
            let mut data = Vec::new();
            zip.by_index(i)
                .map_err(unreadable)?
                .read_to_end(&mut data)
                .map_err(unreadable)?;
            mend_part(data, &edits, &mut without_part)
        } else {
            None
        };
        match mended {
            Some(text) => {
                changed = true;
                out.start_file(name, zip::write::SimpleFileOptions::default())
                    .map_err(unreadable)?;
                out.write_all(text.as_bytes()).map_err(unreadable)?;
            }
            // Every other part is copied as it is stored, not inflated again.
            None => {
                let entry = zip.by_index_raw(i).map_err(unreadable)?;
                out.raw_copy_file(entry).map_err(unreadable)?;
            }
        }
    }
    if !changed {
        return Ok(None);
    }
    Ok(Some(Mended {
        bytes: out.finish().map_err(unreadable)?.into_inner(),
        without_part,
    }))
}

/// An edit of a part's text: the new text, or `None` when it changes nothing.
type TextEdit = fn(&str) -> Option<String>;

/// The mends to make in one package part.
struct PartEdits {
    utf16: bool,
    macro_sheets: bool,
    dimension: bool,
    sheet_states: bool,
    sheets_without_part: bool,
}

/// A part's text with these edits made, or `None` when none changes it
/// (or the part is neither UTF-8 nor UTF-16); the names of sheets dropped
/// for [`Mend::SheetsWithoutPart`] go to `without_part`.
fn mend_part(data: Vec<u8>, edits: &PartEdits, without_part: &mut Vec<String>) -> Option<String> {
    let utf16 = if edits.utf16 {
        utf16_as_utf8(&data)
    } else {
        None
    };
    let mut edited = utf16.is_some();
    let mut text = utf16.or_else(|| String::from_utf8(data).ok())?;
    let text_edits: [(bool, TextEdit); 3] = [
        (edits.macro_sheets, macro_sheets_as_dialogs),
        (edits.dimension, without_dimension),
        (edits.sheet_states, known_sheet_states),
    ];
    for (apply, edit) in text_edits {
        if let Some(t) = apply.then(|| edit(&text)).flatten() {
            text = t;
            edited = true;
        }
    }
    if edits.sheets_without_part {
        let (kept, dropped) = sheets_with_part(&text);
        if !dropped.is_empty() {
            text = kept;
            edited = true;
            *without_part = dropped;
        }
    }
    edited.then_some(text)
}

/// Whether a part's first bytes are those of UTF-16 XML.
fn starts_as_utf16<R: Read + Seek>(
    zip: &mut zip::ZipArchive<R>,
    i: usize,
) -> Result<bool, FileError> {
    let mut first = Vec::with_capacity(2);
    zip.by_index(i)
        .map_err(unreadable)?
        .take(2)
        .read_to_end(&mut first)
        .map_err(unreadable)?;
    Ok(matches!(
        first.as_slice(),
        [0xFF, 0xFE] | [0xFE, 0xFF] | [b'<', 0] | [0, b'<']
    ))
}

/// A UTF-16 XML part (by its byte order mark, or by `<` as its first
/// character) in UTF-8, its declaration saying so; `None` for any other.
fn utf16_as_utf8(data: &[u8]) -> Option<String> {
    let (encoding, body) = match data {
        [0xFF, 0xFE, rest @ ..] => (encoding_rs::UTF_16LE, rest),
        [0xFE, 0xFF, rest @ ..] => (encoding_rs::UTF_16BE, rest),
        [b'<', 0, ..] => (encoding_rs::UTF_16LE, data),
        [0, b'<', ..] => (encoding_rs::UTF_16BE, data),
        _ => return None,
    };
    // A text that does not decode is left as it is (and fails): a
    // replacement character would change what the department wrote.
    let (text, had_errors) = encoding.decode_without_bom_handling(body);
    if had_errors {
        return None;
    }
    let mut text = text.into_owned();
    // The declaration's encoding, whatever its label, now says UTF-8.
    if text.starts_with("<?xml") {
        let end = text.find("?>").unwrap_or(0);
        let declaration = &text[..end];
        let value = attributes(declaration, "<?xml".len())
            .unwrap_or_default()
            .into_iter()
            .find(|a| a.name == "encoding")
            .map(|a| a.value);
        if let Some(value) = value {
            text.replace_range(value, "UTF-8");
        }
    }
    Some(text)
}

/// The `<sheet>` start tags of a workbook's XML (any namespace prefix):
/// where each stands and its attributes.
fn sheet_tags(text: &str) -> Vec<(std::ops::Range<usize>, Vec<Attribute>)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(found) = text[from..].find('<') {
        let at = from + found;
        from = at + 1;
        let Some(len) = text[at..].find('>') else {
            break;
        };
        let tag = &text[at..=at + len];
        let name_end = tag[1..]
            .find(|c: char| c.is_whitespace() || c == '/' || c == '>')
            .map_or(tag.len(), |e| e + 1);
        let name = &tag[1..name_end];
        let local = name.rsplit(':').next().unwrap_or(name);
        if local != "sheet" {
            continue;
        }
        if let Some(attributes) = attributes(tag, name_end) {
            out.push((at..at + len + 1, attributes));
        }
        from = at + len + 1;
    }
    out
}

/// An attribute of a start tag: its name and where its value stands.
struct Attribute {
    name: String,
    value: std::ops::Range<usize>,
}

/// The attributes of a start tag (or of an XML declaration) after its
/// name, or `None` when the tag is not well formed.
fn attributes(tag: &str, mut at: usize) -> Option<Vec<Attribute>> {
    let mut out = Vec::new();
    loop {
        let rest = &tag[at..];
        let skipped = rest.len() - rest.trim_start().len();
        at += skipped;
        let rest = &tag[at..];
        if rest.is_empty()
            || rest.starts_with("/>")
            || rest.starts_with('>')
            || rest.starts_with("?>")
        {
            return Some(out);
        }
        if skipped == 0 {
            return None;
        }
        let name_len = rest.find(|c: char| c.is_whitespace() || c == '=')?;
        let name = rest[..name_len].to_string();
        let after = rest[name_len..].trim_start();
        let after = after.strip_prefix('=')?.trim_start();
        let quote = after.chars().next().filter(|q| *q == '"' || *q == '\'')?;
        let start = tag.len() - after.len() + 1;
        let end = start + tag[start..].find(quote)?;
        out.push(Attribute {
            name,
            value: start..end,
        });
        at = end + 1;
    }
}

/// A workbook's XML without its `<sheet>` entries whose `r:id` is empty,
/// and the names of those sheets.
fn sheets_with_part(text: &str) -> (String, Vec<String>) {
    let mut kept = String::with_capacity(text.len());
    let mut dropped = Vec::new();
    let mut from = 0;
    for (at, attributes) in sheet_tags(text) {
        let tag = &text[at.clone()];
        let value = |name: &str| {
            attributes
                .iter()
                .find(|a| a.name == name || a.name.ends_with(&format!(":{name}")))
                .map(|a| &tag[a.value.clone()])
        };
        if value("id") == Some("") && tag.ends_with("/>") {
            kept.push_str(&text[from..at.start]);
            let name = value("name").unwrap_or_default();
            dropped.push(
                quick_xml::escape::unescape(name)
                    .map(|n| n.into_owned())
                    .unwrap_or_else(|_| name.to_string()),
            );
            from = at.end;
        }
    }
    kept.push_str(&text[from..]);
    (kept, dropped)
}

/// A workbook's XML with every `<sheet>` state outside the standard's
/// three read as Excel shows it: `Hidden`, `VERYHIDDEN` … in the standard's
/// spelling, any other (`show`) hidden, and the first sheet visible when
/// no sheet is left so, as Excel opens such a workbook (exceljs issue
/// 617). `None` when every state is standard.
fn known_sheet_states(text: &str) -> Option<String> {
    let mut states: Vec<(Option<std::ops::Range<usize>>, &str)> = Vec::new();
    let mut changed = false;
    for (at, attributes) in sheet_tags(text) {
        let Some(state) = attributes.iter().find(|a| a.name == "state") else {
            states.push((None, "visible"));
            continue;
        };
        let value = state.value.start + at.start..state.value.end + at.start;
        let standard = match text[value.clone()].to_ascii_lowercase().as_str() {
            "visible" => "visible",
            "hidden" => "hidden",
            "veryhidden" => "veryHidden",
            _ => "hidden",
        };
        changed |= text[value.clone()] != *standard;
        states.push((Some(value), standard));
    }
    if !changed {
        return None;
    }
    if !states.iter().any(|(_, s)| *s == "visible")
        && let Some(first) = states.first_mut()
    {
        first.1 = "visible";
    }
    let mut out = String::with_capacity(text.len());
    let mut from = 0;
    for (value, state) in states {
        if let Some(value) = value {
            out.push_str(&text[from..value.start]);
            out.push_str(state);
            from = value.end;
        }
    }
    out.push_str(&text[from..]);
    Some(out)
}

/// Workbook relationships with every unknown sheet kind a dialog sheet, or
/// `None` when there is none.
fn macro_sheets_as_dialogs(text: &str) -> Option<String> {
    const DIALOG: &str =
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/dialogsheet";
    let mut patched = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("Type=\"") {
        let (before, after) = rest.split_at(at + 6);
        patched.push_str(before);
        let end = after.find('"').unwrap_or(after.len());
        let typ = &after[..end];
        let macro_sheet = typ.to_ascii_lowercase().ends_with("macrosheet");
        patched.push_str(if macro_sheet { DIALOG } else { typ });
        rest = &after[end..];
    }
    patched.push_str(rest);
    (patched != text).then_some(patched)
}

/// A sheet's XML without its `<dimension …/>` (with or without a namespace
/// prefix, empty or not), or `None` when it has none before its cells.
fn without_dimension(text: &str) -> Option<String> {
    // Only a worksheet has cells.
    let head = &text[..text.find("sheetData")?];
    let mut from = 0;
    while let Some(found) = head[from..].find("dimension") {
        let at = from + found;
        from = at + "dimension".len();
        // The element's name: `<dimension` or `<prefix:dimension`.
        let before = &head[..at];
        let name_start = before
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, ':' | '_' | '-' | '.')))
            .filter(|&lt| head[lt..].starts_with('<'));
        let Some(open) = name_start else { continue };
        let prefix = &head[open + 1..at];
        if !(prefix.is_empty() || prefix.ends_with(':')) {
            continue;
        }
        if !head[from..].starts_with(|c: char| c.is_whitespace() || c == '/' || c == '>') {
            continue;
        }
        let tag_end = from + text[from..].find('>')? + 1;
        let end = if text[..tag_end].ends_with("/>") {
            tag_end
        } else {
            let close = format!("</{prefix}dimension>");
            tag_end + text[tag_end..].find(&close)? + close.len()
        };
        return Some(format!("{}{}", &text[..open], &text[end..]));
    }
    None
}

/// A cell as text; formulas are read by their cached value.
pub fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number_text(*f),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.into(),
        Data::DateTime(dt) => match crate::date::Date::from_excel_serial(dt.as_f64()) {
            Some(date) if dt.is_datetime() => date.to_string(),
            _ => dt.as_f64().to_string(),
        },
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_dimension_before_the_cells_is_dropped() {
        let sheet = r#"<worksheet><dimension ref="1:4"/><sheetViews/><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>dimension</t></is></c></row></sheetData></worksheet>"#;
        assert_eq!(
            without_dimension(sheet).unwrap(),
            r#"<worksheet><sheetViews/><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>dimension</t></is></c></row></sheetData></worksheet>"#
        );
        assert_eq!(
            without_dimension(
                r#"<x:worksheet><x:dimension ref="1:4"></x:dimension><x:sheetData/></x:worksheet>"#
            )
            .unwrap(),
            "<x:worksheet><x:sheetData/></x:worksheet>"
        );
        // Not an element named dimension, or none before the cells.
        for kept in [
            r#"<worksheet><dimensions/><sheetData/></worksheet>"#,
            r#"<worksheet><sheetData/><dimension ref="A1"/></worksheet>"#,
            r#"<worksheet a="dimension"><sheetData/></worksheet>"#,
            "<dimension",
        ] {
            assert_eq!(without_dimension(kept), None, "{kept}");
        }
    }

    #[test]
    fn utf16_parts_become_utf8_and_say_so() {
        let xml = r#"<?xml version="1.0" encoding="UTF-16" standalone="yes"?><t>河﨑</t>"#;
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(xml.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let be: Vec<u8> = xml.encode_utf16().flat_map(u16::to_be_bytes).collect();
        let utf8 = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><t>河﨑</t>"#;
        assert_eq!(utf16_as_utf8(&le).as_deref(), Some(utf8));
        assert_eq!(utf16_as_utf8(&be).as_deref(), Some(utf8));
        assert_eq!(utf16_as_utf8(xml.as_bytes()), None);
        // Another label of UTF-16, and no declaration at all.
        let unicode: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(
                r#"<?xml version="1.0" encoding='unicode'?><t/>"#
                    .encode_utf16()
                    .flat_map(u16::to_le_bytes),
            )
            .collect();
        assert_eq!(
            utf16_as_utf8(&unicode).as_deref(),
            Some(r#"<?xml version="1.0" encoding='UTF-8'?><t/>"#)
        );
        let bare: Vec<u8> = "<t>x</t>"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(utf16_as_utf8(&bare).as_deref(), Some("<t>x</t>"));
        // An odd byte count does not decode: left as it is.
        assert_eq!(utf16_as_utf8(&le[..le.len() - 1]), None);
        assert_eq!(utf16_as_utf8(b""), None);
    }

    #[test]
    fn only_sheet_entries_with_an_empty_id_are_dropped() {
        let workbook = "<workbook><sheets><sheet name=\"回答\" sheetId=\"1\" r:id=\"rId1\"/><x:sheet name=\"A &amp; B\" sheetId=\"2\" state=\"veryHidden\" r:id=\"\"/><sheet\n sheetId=\"3\" r:id='' name='C'/><sheet name='r:id=\"\"' r:id=\"rId4\"/><sheets2 r:id=\"\"/></sheets></workbook>";
        let (kept, dropped) = sheets_with_part(workbook);
        assert_eq!(
            kept,
            "<workbook><sheets><sheet name=\"回答\" sheetId=\"1\" r:id=\"rId1\"/><sheet name='r:id=\"\"' r:id=\"rId4\"/><sheets2 r:id=\"\"/></sheets></workbook>"
        );
        assert_eq!(dropped, ["A & B", "C"]);
        // A malformed tag is left as it is.
        let broken = r#"<sheet name="x"r:id=""/>"#;
        assert_eq!(sheets_with_part(broken), (broken.to_string(), vec![]));
    }

    #[test]
    fn unknown_sheet_states_are_read_as_excel_shows_them() {
        let workbook = r#"<sheets><sheet sheetId="1" name="state=show" state="show" r:id="rId1"/><sheet name="B" state="Hidden" r:id="rId2"/><sheet name="C" state='VERYHIDDEN' r:id="rId3"/><sheet name="D" r:id="rId4"/></sheets>"#;
        assert_eq!(
            known_sheet_states(workbook).unwrap(),
            r#"<sheets><sheet sheetId="1" name="state=show" state="hidden" r:id="rId1"/><sheet name="B" state="hidden" r:id="rId2"/><sheet name="C" state='veryHidden' r:id="rId3"/><sheet name="D" r:id="rId4"/></sheets>"#
        );
        // Every sheet `show`: the first is shown, as Excel does.
        assert_eq!(
            known_sheet_states(r#"<sheet name="A" state="show"/><sheet name="B" state="show"/>"#)
                .unwrap(),
            r#"<sheet name="A" state="visible"/><sheet name="B" state="hidden"/>"#
        );
        assert_eq!(
            known_sheet_states(r#"<sheet name="A" state="veryHidden"/>"#),
            None
        );
    }

    #[test]
    fn refusals_are_mended_only_for_what_a_mend_can_change() {
        use calamine::XlsxError as E;
        assert_eq!(
            Mend::of_sheet(&E::RangeWithoutColumnComponent),
            Some(Mend::Dimensions)
        );
        assert_eq!(Mend::of_sheet(&E::FileNotFound("x".into())), None);
        assert_eq!(
            Mend::of_workbook(&E::Unrecognized {
                typ: "sheet:type",
                val: "xlMacrosheet".into()
            }),
            Some(Mend::MacroSheets)
        );
    }
}
