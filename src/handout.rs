//! The handout as printed (SPEC §5, §8.1): the items after the
//! secretariat's corrections with hidden ones left out, the 分野 rows that
//! print something, the title, 資料番号, date and legend. Computed once from
//! the matrix; the PDF, the 資料 sheet and `資料.html` are all drawn from it,
//! so they cannot disagree about what the council reads.

use crate::date::Date;
use crate::matrix::Matrix;
use crate::vocab::{ColumnKey, ItemStatus, Location, NEW_LEGEND};

/// What the handout prints.
#[derive(Debug, Clone, PartialEq)]
pub struct Handout<'a> {
    /// The title (`各分野における現状と課題及び想定される解決策`).
    pub title: String,
    /// 資料番号 (`資料２`); empty when the template has none.
    pub document_number: String,
    /// The month in 和暦 (`令和8年11月`).
    pub date: String,
    /// Label of the 分野 column.
    pub field_label: String,
    /// The 区分 columns, in handout order.
    pub columns: Vec<HandoutColumn>,
    /// The 分野 rows that print at least one item, in template order.
    pub rows: Vec<HandoutRow<'a>>,
    /// The 新 legend, when months are compared.
    pub legend: Option<&'static str>,
}

/// One 区分 column.
#[derive(Debug, Clone, PartialEq)]
pub struct HandoutColumn {
    /// Its key in `matrix.json`.
    pub key: ColumnKey,
    /// Its header label.
    pub label: String,
}

/// One 分野 row: its name and one list of items per column.
#[derive(Debug, Clone, PartialEq)]
pub struct HandoutRow<'a> {
    /// The 分野.
    pub name: String,
    /// The printed items of each column (same order as [`Handout::columns`]).
    pub cells: Vec<Vec<HandoutItem<'a>>>,
}

/// One printed bullet.
#[derive(Debug, Clone, PartialEq)]
pub struct HandoutItem<'a> {
    /// The statement.
    pub text: &'a str,
    /// Other municipalities' examples, printed in ＜＞ after the text.
    pub examples: Option<&'a str>,
    /// New since last month: printed with the 新 mark.
    pub new: bool,
    /// Where it was first submitted, for messages about printing it (a
    /// character no font has); never printed.
    pub source: Option<&'a Location>,
}

impl HandoutItem<'_> {
    /// The line as printed: the text, then its examples in ＜＞.
    pub fn line(&self) -> String {
        match &self.examples {
            Some(ex) => format!("{}＜{}＞", self.text, ex),
            None => self.text.to_string(),
        }
    }
}

impl<'a> Handout<'a> {
    /// The handout of a finished matrix for the month of `date`.
    pub fn of(m: &'a Matrix, date: Date) -> Handout<'a> {
        let rows = m
            .fields
            .iter()
            .filter(|f| f.has_printed())
            .map(|f| HandoutRow {
                name: f.name.clone(),
                cells: f
                    .printed()
                    .iter()
                    .map(|items| {
                        items
                            .iter()
                            .map(|it| HandoutItem {
                                text: &it.text,
                                examples: it.examples.as_deref(),
                                new: it.status == Some(ItemStatus::New),
                                source: it.sources.first().map(|s| &s.at),
                            })
                            .collect()
                    })
                    .collect(),
            })
            .collect();
        Handout {
            title: m.title.clone(),
            document_number: m.document_number.clone(),
            date: date.wareki_month(),
            field_label: m.field_label.clone(),
            columns: m
                .columns
                .iter()
                .map(|c| HandoutColumn {
                    key: c.key,
                    label: c.label.clone(),
                })
                .collect(),
            rows,
            legend: m.removed.is_some().then_some(NEW_LEGEND),
        }
    }

    /// True when months are compared (items may carry the 新 mark).
    pub fn compares(&self) -> bool {
        self.legend.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matrix::{FieldRow, Item};
    use crate::template::Template;
    use crate::vocab::{Location, Source};

    fn item(text: &str, hidden: bool) -> Item {
        let mut it = Item::new(
            text.into(),
            Some("宗像市".into()),
            Source {
                department: "総務課".into(),
                at: Location::file("総務課.xlsx"),
            },
        );
        it.hidden = hidden;
        it
    }

    #[test]
    fn hidden_items_and_empty_rows_are_not_printed() {
        let t = Template::default();
        let mut m = crate::matrix::build(Default::default(), &t);
        m.fields[0] = FieldRow {
            name: "財務".into(),
            cells: [vec![], vec![item("載せない", true)], vec![], vec![]],
        };
        m.fields[1] = FieldRow {
            name: "DX推進".into(),
            cells: [
                vec![],
                vec![item("載せる", false), item("隠す", true)],
                vec![],
                vec![],
            ],
        };
        let h = Handout::of(&m, Date::parse("2026-11-24").unwrap());
        assert_eq!(h.rows.len(), 1);
        assert_eq!(h.rows[0].name, "DX推進");
        assert_eq!(h.rows[0].cells.len(), 4);
        assert_eq!(h.rows[0].cells[1].len(), 1);
        assert_eq!(h.rows[0].cells[1][0].line(), "載せる＜宗像市＞");
        assert_eq!(h.date, "令和8年11月");
        assert_eq!(h.legend, None);
    }
}
