//! The page model the layout produces and the drawing consumes: boxes
//! and lines of text in PDF points, no fonts, no PDF.

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
}
