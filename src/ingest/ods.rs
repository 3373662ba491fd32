//! OpenDocument spreadsheets (.ods), read cell by cell from `content.xml`.
//!
//! calamine expands a sheet into a dense rectangle, so one repeated row at
//! the bottom of a sheet (LibreOffice writes `number-rows-repeated` up to
//! row 1,048,576) or a row-repeat bomb costs memory for every empty cell.
//! Here only written cells are stored (a repeated written cell counts once
//! per repetition, up to the grid's cell limit), and merged blocks
//! (`number-columns-spanned` / `number-rows-spanned`) are real merges.

use std::collections::HashSet;
use std::io::{BufReader, Read, Seek};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::error::{Detail, FileError, Part};
use super::table::{Grid, SheetMeta, SheetState};

/// Largest row or column count a repetition may claim.
const MAX_REPEAT: u32 = 1 << 20;

/// Every sheet of an .ods with its cells (hidden sheets without cells).
pub fn read(file: impl Read + Seek) -> Result<Vec<(SheetMeta, Grid)>, FileError> {
    let mut zip = zip::ZipArchive::new(file).map_err(|_| FileError::corrupt_for(false))?;
    let content = zip
        .by_name("content.xml")
        .map_err(|_| FileError::Unreadable(Detail::Missing(Part::OdsContent)))?;
    let mut reader = Reader::from_reader(BufReader::new(content));
    parse(&mut reader)
}

fn attr(e: &BytesStart, name: &str) -> Option<String> {
    e.try_get_attribute(name)
        .ok()
        .flatten()
        .and_then(|a| a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok())
        .map(|v| v.into_owned())
}

fn count(e: &BytesStart, name: &str) -> u32 {
    attr(e, name)
        .and_then(|v| v.trim().parse::<u32>().ok())
        .unwrap_or(1)
        .clamp(1, MAX_REPEAT)
}

/// A cell being read: its value attributes and its paragraphs.
#[derive(Default)]
struct Cell {
    value: Option<String>,
    text: String,
    paragraphs: usize,
    repeat: u32,
    span: (u32, u32),
}

impl Cell {
    fn start(e: &BytesStart) -> Cell {
        let typ = attr(e, "office:value-type").unwrap_or_default();
        let value = match typ.as_str() {
            "float" | "percentage" | "currency" => attr(e, "office:value").map(|v| number_text(&v)),
            "date" => {
                attr(e, "office:date-value").map(|v| v.split('T').next().unwrap_or("").to_string())
            }
            "time" => attr(e, "office:time-value"),
            "boolean" => attr(e, "office:boolean-value")
                .map(|v| if v == "true" { "TRUE" } else { "FALSE" }.to_string()),
            _ => None,
        };
        Cell {
            value,
            repeat: count(e, "table:number-columns-repeated"),
            span: (
                count(e, "table:number-rows-spanned"),
                count(e, "table:number-columns-spanned"),
            ),
            ..Cell::default()
        }
    }

    fn into_text(self) -> String {
        self.value.unwrap_or(self.text)
    }
}

/// An ODS `office:value` as Excel would show it without a format.
fn number_text(v: &str) -> String {
    v.trim()
        .parse::<f64>()
        .map_or_else(|_| v.to_string(), super::raw::number_text)
}

/// Where `content.xml`'s reading is: the sheets so far, the current row,
/// its repetition, the column, and the cells of the row (column, text,
/// span) written when the row ends.
#[derive(Default)]
struct State {
    hidden_styles: HashSet<String>,
    style: Option<String>,
    sheets: Vec<(SheetMeta, Grid)>,
    row: u32,
    row_repeat: u32,
    col: u32,
    row_cells: Vec<(u32, String, (u32, u32))>,
    cell: Option<Cell>,
    in_p: usize,
}

impl State {
    /// An element opened outside a paragraph.
    fn open(&mut self, e: &BytesStart, empty: bool) {
        match e.name().as_ref() {
            "style:style" => self.style = attr(e, "style:name"),
            "style:table-properties" => {
                if attr(e, "table:display").as_deref() == Some("false")
                    && let Some(s) = &self.style
                {
                    self.hidden_styles.insert(s.clone());
                }
            }
            "table:table" => {
                let name = attr(e, "table:name").unwrap_or_default();
                let hidden =
                    attr(e, "table:style-name").is_some_and(|s| self.hidden_styles.contains(&s));
                self.sheets.push((
                    SheetMeta {
                        name,
                        state: if hidden {
                            SheetState::Hidden
                        } else {
                            SheetState::Data
                        },
                    },
                    Grid::default(),
                ));
                self.row = 0;
            }
            "table:table-row" => {
                self.row_repeat = count(e, "table:number-rows-repeated");
                self.col = 0;
                self.row_cells.clear();
                if empty {
                    self.row = self.row.saturating_add(self.row_repeat);
                }
            }
            "table:table-cell" | "table:covered-table-cell" => {
                let c = Cell::start(e);
                if empty {
                    finish_cell(c, &mut self.col, &mut self.row_cells);
                } else {
                    self.cell = Some(c);
                }
            }
            "text:p" | "text:h" => {
                if let Some(c) = self.cell.as_mut() {
                    if c.paragraphs > 0 {
                        c.text.push('\n');
                    }
                    c.paragraphs += 1;
                    if !empty {
                        self.in_p += 1;
                    }
                }
            }
            _ => {}
        }
    }

    /// An element inside a paragraph: spaces, tabs, line breaks, spans.
    fn inline(&mut self, e: &BytesStart, empty: bool) {
        let Some(c) = self.cell.as_mut() else {
            return;
        };
        match e.name().as_ref() {
            "text:s" => {
                let n = count(e, "text:c").min(1000) as usize;
                c.text.push_str(&" ".repeat(n));
            }
            "text:tab" => c.text.push('\t'),
            "text:line-break" => c.text.push('\n'),
            "text:p" | "text:h" if !empty => self.in_p += 1,
            _ => {}
        }
    }

    /// A row ends: its cells go into the sheet, once per repetition.
    fn end_row(&mut self) -> Result<(), FileError> {
        if let Some((meta, grid)) = self.sheets.last_mut()
            && meta.state == SheetState::Data
        {
            let sheet = meta.name.clone();
            for k in 0..self.row_repeat {
                let r = self.row.saturating_add(k);
                for (c, text, span) in &self.row_cells {
                    grid.set(r, *c, text.clone())
                        .map_err(|e| e.in_sheet(&sheet))?;
                    if *span != (1, 1) {
                        grid.add_merge(
                            (r, *c),
                            (r.saturating_add(span.0 - 1), c.saturating_add(span.1 - 1)),
                        );
                    }
                }
                if self.row_cells.is_empty() {
                    break;
                }
            }
        }
        self.row = self.row.saturating_add(self.row_repeat);
        self.row_cells.clear();
        Ok(())
    }
}

fn parse<R: std::io::BufRead>(reader: &mut Reader<R>) -> Result<Vec<(SheetMeta, Grid)>, FileError> {
    let broken =
        |e: quick_xml::Error| FileError::Unreadable(Detail::library(Some(Part::OdsContent), e));
    let mut st = State {
        row_repeat: 1,
        ..State::default()
    };
    let mut buf = Vec::new();
    loop {
        let ev = reader.read_event_into(&mut buf).map_err(broken)?;
        let empty = matches!(ev, Event::Empty(_));
        match ev {
            Event::Start(e) | Event::Empty(e) if st.cell.is_none() || st.in_p == 0 => {
                st.open(&e, empty);
            }
            Event::Start(e) | Event::Empty(e) => st.inline(&e, empty),
            Event::Text(t) if st.in_p > 0 => {
                if let Some(c) = st.cell.as_mut() {
                    c.text.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) if st.in_p > 0 => {
                if let Some(c) = st.cell.as_mut() {
                    c.text.extend(super::raw::entity_text(&r));
                }
            }
            Event::End(e) => match e.name().as_ref() {
                "text:p" | "text:h" if st.in_p > 0 => st.in_p -= 1,
                "table:table-cell" | "table:covered-table-cell" => {
                    if let Some(c) = st.cell.take() {
                        finish_cell(c, &mut st.col, &mut st.row_cells);
                    }
                    st.in_p = 0;
                }
                "table:table-row" => st.end_row()?,
                "style:style" => st.style = None,
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(st.sheets)
}

/// Places a finished cell (and its repetitions) in the row.
fn finish_cell(c: Cell, col: &mut u32, row_cells: &mut Vec<(u32, String, (u32, u32))>) {
    let repeat = c.repeat;
    let span = c.span;
    let text = c.into_text();
    if !text.trim().is_empty() {
        for k in 0..repeat {
            row_cells.push((col.saturating_add(k), text.clone(), span));
            if row_cells.len() > super::table::MAX_CELLS {
                break;
            }
        }
    }
    *col = col.saturating_add(repeat);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheets(body: &str) -> Vec<(SheetMeta, Grid)> {
        let xml = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="o" xmlns:table="t" xmlns:text="x" xmlns:style="s"><office:automatic-styles><style:style style:name="ta2" style:family="table"><style:table-properties table:display="false"/></style:style></office:automatic-styles><office:body><office:spreadsheet>{body}</office:spreadsheet></office:body></office:document-content>"#
        );
        parse(&mut Reader::from_reader(xml.as_bytes())).unwrap()
    }

    #[test]
    fn cells_paragraphs_spaces_numbers_and_hidden_sheets() {
        let s = sheets(
            r#"<table:table table:name="回答"><table:table-row><table:table-cell office:value-type="string"><text:p>分野</text:p></table:table-cell><table:table-cell table:number-columns-repeated="2"/><table:table-cell office:value-type="float" office:value="12"><text:p>12.0</text:p></table:table-cell></table:table-row><table:table-row table:number-rows-repeated="1048570"><table:table-cell table:number-columns-repeated="1024"/></table:table-row><table:table-row><table:table-cell><text:p>一行目<text:s text:c="2"/>続き</text:p><text:p>二行目 &amp; <text:span>強調</text:span></text:p></table:table-cell></table:table-row></table:table><table:table table:name="隠し" table:style-name="ta2"><table:table-row><table:table-cell><text:p>x</text:p></table:table-cell></table:table-row></table:table>"#,
        );
        assert_eq!(s.len(), 2);
        let (meta, grid) = &s[0];
        assert_eq!(meta.name, "回答");
        assert_eq!(grid.own(0, 0), "分野");
        assert_eq!(grid.own(0, 3), "12");
        assert_eq!(grid.own(1_048_571, 0), "一行目  続き\n二行目 & 強調");
        assert_eq!(s[1].0.state, SheetState::Hidden);
        assert!(s[1].1.is_empty());
    }

    #[test]
    fn spans_are_merges_and_covered_cells_are_empty() {
        let s = sheets(
            r#"<table:table table:name="S"><table:table-row><table:table-cell table:number-rows-spanned="2"><text:p>DX推進</text:p></table:table-cell><table:table-cell><text:p>a</text:p></table:table-cell></table:table-row><table:table-row><table:covered-table-cell/><table:table-cell><text:p>b</text:p></table:table-cell></table:table-row></table:table>"#,
        );
        let grid = &s[0].1;
        assert_eq!(grid.own(1, 1), "b");
        assert_eq!(grid.merge_origin_of(1, 0), Some((0, 0)));
    }

    #[test]
    fn a_repeated_written_row_stops_at_the_cell_limit() {
        let s = parse(&mut Reader::from_reader(
            r#"<table:table table:name="S"><table:table-row table:number-rows-repeated="1000000"><table:table-cell table:number-columns-repeated="16384"><text:p>x</text:p></table:table-cell></table:table-row></table:table>"#
                .as_bytes(),
        ));
        assert!(matches!(s, Err(FileError::TooManyCells { .. })), "{s:?}");
    }

    #[test]
    fn a_cell_below_the_last_excel_row_is_a_damaged_file() {
        // 4,096 repeats of 1,048,576 rows: the row number passes u32.
        let filler = r#"<table:table-row table:number-rows-repeated="1048576"><table:table-cell/></table:table-row>"#
            .repeat(4096);
        let s = parse(&mut Reader::from_reader(
            format!(
                r#"<table:table table:name="S">{filler}<table:table-row><table:table-cell table:number-columns-repeated="2" table:number-columns-spanned="3"><text:p>x</text:p></table:table-cell></table:table-row></table:table>"#
            )
            .as_bytes(),
        ));
        assert_eq!(s.err(), Some(FileError::OutsideSheet { sheet: "S".into() }));
    }
}
