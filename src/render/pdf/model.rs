//! The page model the layout produces and the drawing consumes: boxes
//! and lines of text in PDF points, no fonts, no PDF. Every line of text
//! carries its [`Role`] in the document's structure (SPEC §8.1), decided by
//! the layout; drawing only emits it as marked content.

/// A rectangle in PDF points (origin bottom left).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BoxPt {
    /// Left.
    pub x: f64,
    /// Bottom.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
}

impl BoxPt {
    /// True when `other` lies inside (with a small tolerance).
    pub fn contains(&self, other: &BoxPt) -> bool {
        const EPS: f64 = 0.01;
        other.x >= self.x - EPS
            && other.y >= self.y - EPS
            && other.x + other.w <= self.x + self.w + EPS
            && other.y + other.h <= self.y + self.h + EPS
    }
}

/// A drawn rectangle: a table cell or the 資料番号 box.
#[derive(Debug, Clone, PartialEq)]
pub struct Frame {
    /// Where.
    pub rect: BoxPt,
    /// Grey fill (0 black – 1 white), if any.
    pub fill: Option<f32>,
}

/// One line of text.
#[derive(Debug, Clone, PartialEq)]
pub struct TextLine {
    /// Left of the text.
    pub x: f64,
    /// Baseline.
    pub y: f64,
    /// Point size.
    pub size: f64,
    /// Bold face.
    pub bold: bool,
    /// The characters.
    pub text: String,
    /// The box the text must stay inside (its cell, or the page area).
    pub within: BoxPt,
    /// Width of the text in points.
    pub width: f64,
    /// What the line is in the document's structure.
    pub role: Role,
}

/// An item of the handout: its 分野 row, its 区分 column (0-based, without
/// the 分野 column) and its place in the cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ItemRef {
    /// Row of the handout (0-based).
    pub row: usize,
    /// 区分 column (0-based).
    pub col: usize,
    /// Item within the cell (0-based).
    pub item: usize,
}

/// What a line of text is in the tagged PDF (SPEC §8.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// Page furniture a screen reader skips: the header row repeated on
    /// later pages, （続き）, page numbers, the legend, the title block of
    /// later pages.
    Artifact,
    /// The title (`H1`).
    Title,
    /// The date and 資料番号 under the title (`P`).
    Lead,
    /// A column header of the table (`TH /Scope /Column`); 0 is the 分野
    /// column.
    ColumnHeader(usize),
    /// The 分野 of a row (`TH /Scope /Row`).
    RowHeader(usize),
    /// The bullet of an item (`Lbl`).
    Bullet(ItemRef),
    /// The text of an item, its examples and its 新 mark (`LBody`).
    Body(ItemRef),
}

impl Role {
    /// The structure type the marked content is tagged with, or `None` for
    /// an artifact.
    pub fn structure_type(self) -> Option<&'static str> {
        match self {
            Role::Artifact => None,
            Role::Title => Some("H1"),
            Role::Lead => Some("P"),
            Role::ColumnHeader(_) | Role::RowHeader(_) => Some("TH"),
            Role::Bullet(_) => Some("Lbl"),
            Role::Body(_) => Some("LBody"),
        }
    }
}

/// The shape of the handout's table: the structure tree has one row per
/// 分野 and one list per cell, however the rows fall on the pages.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TableShape {
    /// 区分 columns (without the 分野 column).
    pub columns: usize,
    /// For every row, the number of items in each column.
    pub items: Vec<Vec<usize>>,
}

impl TextLine {
    /// The ink box of the line (ascent 0.88 em, descent 0.12 em).
    pub fn bounds(&self) -> BoxPt {
        BoxPt {
            x: self.x,
            y: self.y - 0.12 * self.size,
            w: self.width,
            h: self.size,
        }
    }
}

/// One page of the model.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PageModel {
    /// Frames, drawn first.
    pub frames: Vec<Frame>,
    /// Text lines in reading order.
    pub texts: Vec<TextLine>,
}

/// The whole document model.
#[derive(Debug, Clone, PartialEq)]
pub struct DocModel {
    /// Page width in points.
    pub width: f64,
    /// Page height in points.
    pub height: f64,
    /// Lowest y any table content may reach (above the footer).
    pub footer_limit: f64,
    /// Pages.
    pub pages: Vec<PageModel>,
    /// The table the pages draw, for the structure tree.
    pub table: TableShape,
}
