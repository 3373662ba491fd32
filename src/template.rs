//! `templates/matrix.xml` → [`Template`]: everything a secretariat may change
//! without rebuilding (SPEC §6). Parsed once; every other module receives
//! `&Template` and none reads XML.

use serde::Deserialize;
use std::path::{Path, PathBuf};

use crate::normalize;
pub use crate::vocab::{ColumnKey, Paper, PaperSize};

/// The built-in default template, identical to `templates/matrix.xml`.
pub const DEFAULT_XML: &str = include_str!("../templates/matrix.xml");

/// One 分野 (matrix row) with the aliases departments may write.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldDef {
    /// Canonical name printed in the handout.
    pub name: String,
    /// Accepted alternative spellings.
    pub aliases: Vec<String>,
}

/// One 区分 (matrix column).
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnDef {
    /// Fixed key of the column.
    pub key: ColumnKey,
    /// Handout label; for the council column it may contain `{N}`.
    pub label: String,
    /// Accepted 区分 values in submissions.
    pub aliases: Vec<String>,
    /// Relative column width.
    pub width: f64,
}

/// The typed template every stage receives.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    /// Handout title.
    pub title: String,
    /// 資料番号 label printed top right (資料２).
    pub document_number: String,
    /// Meeting number used when no minutes give one.
    pub council_meeting: Option<u32>,
    /// Paper for the xlsx print setup and the PDF.
    pub paper: Paper,
    /// Body font size in points.
    pub font_size: f64,
    /// Font family preferences for the PDF, first match wins.
    pub font_families: Vec<String>,
    /// Header of the 分野 column.
    pub field_label: String,
    /// Relative width of the 分野 column.
    pub field_width: f64,
    /// 分野 rows in order.
    pub fields: Vec<FieldDef>,
    /// 区分 columns in order (always the four keys).
    pub columns: Vec<ColumnDef>,
    /// Department order inside a cell (empty means by file name), with the
    /// other names a department may appear under.
    pub departments: Vec<DepartmentDef>,
    /// Page margins in millimetres.
    pub margins: Margins,
    /// The name of the file it was read from (`None`: the built-in default).
    pub source_file: Option<String>,
    /// SHA-256 of the template text, hex.
    pub source_sha256: String,
}

/// A department of the template's order, with its aliases.
#[derive(Debug, Clone, PartialEq)]
pub struct DepartmentDef {
    /// Name printed in reports (総務課).
    pub name: String,
    /// Other spellings (総務部総務課).
    pub aliases: Vec<String>,
}

/// Page margins in millimetres.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Margins {
    /// Top.
    pub top: f64,
    /// Bottom.
    pub bottom: f64,
    /// Left.
    pub left: f64,
    /// Right.
    pub right: f64,
}

impl Default for Margins {
    fn default() -> Self {
        Margins {
            top: 10.0,
            bottom: 10.0,
            left: 10.0,
            right: 10.0,
        }
    }
}

/// A template that cannot be used, with the line it failed at.
#[derive(Debug, thiserror::Error)]
#[error("テンプレート {file} の {line} 行目: {message}")]
pub struct TemplateError {
    /// The template file.
    pub file: String,
    /// 1-based line number of the problem.
    pub line: usize,
    /// What is wrong, in Japanese.
    pub message: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct XmlMatrix {
    title: String,
    #[serde(rename = "document-number")]
    document_number: String,
    #[serde(rename = "council-meeting", default)]
    council_meeting: Option<String>,
    paper: XmlPaper,
    #[serde(default)]
    margins: Option<XmlMargins>,
    font: XmlFont,
    fields: XmlFields,
    columns: XmlColumns,
    #[serde(default)]
    departments: Option<XmlDepartments>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct XmlPaper {
    #[serde(rename = "@size")]
    size: String,
    #[serde(rename = "@orientation")]
    orientation: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct XmlFont {
    #[serde(rename = "@size")]
    size: f64,
    #[serde(rename = "family", default)]
    families: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct XmlFields {
    #[serde(rename = "@label")]
    label: String,
    #[serde(rename = "@width")]
    width: f64,
    #[serde(rename = "field", default)]
    fields: Vec<XmlField>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct XmlField {
    #[serde(rename = "@name")]
    name: String,
    #[serde(rename = "alias", default)]
    aliases: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct XmlColumns {
    #[serde(rename = "column", default)]
    columns: Vec<XmlColumn>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct XmlColumn {
    #[serde(rename = "@key")]
    key: String,
    #[serde(rename = "@label")]
    label: String,
    #[serde(rename = "@width")]
    width: f64,
    #[serde(rename = "alias", default)]
    aliases: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct XmlDepartments {
    #[serde(rename = "department", default)]
    departments: Vec<XmlDepartment>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct XmlDepartment {
    #[serde(rename = "@name", default)]
    name: Option<String>,
    #[serde(rename = "$text", default)]
    text: Option<String>,
    #[serde(rename = "alias", default)]
    aliases: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct XmlMargins {
    #[serde(rename = "@top")]
    top: f64,
    #[serde(rename = "@bottom")]
    bottom: f64,
    #[serde(rename = "@left")]
    left: f64,
    #[serde(rename = "@right")]
    right: f64,
}

/// Where a run finds its template when none is given: `templates/matrix.xml`
/// in the current folder, then beside the executable (a clerk's unpacked
/// zip), else `None` for the built-in default.
pub fn locate(explicit: Option<&Path>) -> Option<PathBuf> {
    if let Some(p) = explicit {
        return Some(p.to_path_buf());
    }
    let relative = Path::new("templates").join("matrix.xml");
    let beside_exe = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|d| d.join(&relative)));
    std::iter::once(relative.clone())
        .chain(beside_exe)
        .find(|p| p.is_file())
}

impl Default for Template {
    fn default() -> Self {
        Template::parse(DEFAULT_XML, "(既定のテンプレート)")
            .expect("the built-in template is valid (tested)")
    }
}

impl Template {
    /// Reads a template file, or the built-in default when `path` is `None`
    /// (see [`locate`] for where the command line looks for one).
    pub fn load(path: Option<&Path>) -> Result<Template, TemplateError> {
        let Some(path) = path else {
            return Ok(Template::default());
        };
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| TemplateError {
            file: name.clone(),
            line: 0,
            message: format!("読み込めません（{e}）。"),
        })?;
        let mut t = Template::parse(&text, &name)?;
        // The name only: where it sits differs between machines and OSes,
        // the SHA-256 beside it identifies it.
        t.source_file = Some(
            path.file_name()
                .map_or(name, |n| n.to_string_lossy().into_owned()),
        );
        Ok(t)
    }

    /// Parses template XML; errors carry the 1-based line number.
    pub fn parse(xml: &str, file: &str) -> Result<Template, TemplateError> {
        let err = |line: usize, message: String| TemplateError {
            file: file.to_string(),
            line,
            message,
        };
        check_well_formed(xml).map_err(|(pos, msg)| err(line_of(xml, pos), msg))?;
        let raw: XmlMatrix = quick_xml::de::from_str(xml).map_err(|e| {
            let msg = e.to_string();
            let line = guess_line(xml, &msg);
            err(line, format!("書式が正しくありません（{msg}）。"))
        })?;
        let line_for = |needle: &str| line_of(xml, xml.find(needle).unwrap_or(0));

        let paper = Paper {
            size: match raw.paper.size.trim().to_ascii_uppercase().as_str() {
                "A3" => PaperSize::A3,
                "A4" => PaperSize::A4,
                other => {
                    return Err(err(
                        line_for("<paper"),
                        format!(
                            "用紙サイズ「{other}」は使えません。A3 または A4 を指定してください。"
                        ),
                    ));
                }
            },
            landscape: match raw.paper.orientation.trim() {
                "landscape" => true,
                "portrait" => false,
                other => {
                    return Err(err(
                        line_for("<paper"),
                        format!(
                            "用紙の向き「{other}」は使えません。landscape（横）または portrait（縦）を指定してください。"
                        ),
                    ));
                }
            },
        };
        let council_meeting = match raw.council_meeting.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(s) => match normalize::parse_number(s) {
                Some(Ok(n)) => Some(n),
                Some(Err(_)) => {
                    return Err(err(
                        line_for("<council-meeting"),
                        format!("審議会の回「{s}」は大きすぎます。正しい回に直してください。"),
                    ));
                }
                None => {
                    return Err(err(
                        line_for("<council-meeting"),
                        format!("審議会の回「{s}」は数字で書いてください。"),
                    ));
                }
            },
        };
        if !(4.0..=30.0).contains(&raw.font.size) {
            return Err(err(
                line_for("<font"),
                format!(
                    "文字の大きさ {} は 4〜30 の範囲で指定してください。",
                    raw.font.size
                ),
            ));
        }
        if raw.fields.fields.is_empty() {
            return Err(err(
                line_for("<fields"),
                "分野（field）が一つもありません。".into(),
            ));
        }
        let mut columns = Vec::new();
        for c in raw.columns.columns {
            let key = ColumnKey::parse(c.key.trim()).ok_or_else(|| {
                err(
                    line_for(&format!("key=\"{}\"", c.key)),
                    format!(
                        "区分の key「{}」は使えません。council, issues, solutions, ongoing のいずれかです。",
                        c.key
                    ),
                )
            })?;
            if columns.iter().any(|d: &ColumnDef| d.key == key) {
                return Err(err(
                    line_for(&format!("key=\"{}\"", c.key)),
                    format!("区分の key「{}」が二度書かれています。", c.key),
                ));
            }
            columns.push(ColumnDef {
                key,
                label: c.label,
                aliases: c.aliases,
                width: c.width,
            });
        }
        for key in ColumnKey::ALL {
            if !columns.iter().any(|c| c.key == key) {
                return Err(err(
                    line_for("<columns"),
                    format!("区分 key=\"{}\" の column がありません。", key.as_str()),
                ));
            }
        }
        columns.sort_by_key(|c| c.key);
        let widths_ok = raw.fields.width > 0.0 && columns.iter().all(|c| c.width > 0.0);
        if !widths_ok {
            return Err(err(
                line_for("width="),
                "列幅（width）は正の数で指定してください。".into(),
            ));
        }
        let margins = match raw.margins {
            None => Margins::default(),
            Some(m) => {
                let ok = [m.top, m.bottom, m.left, m.right]
                    .iter()
                    .all(|v| (0.0..=50.0).contains(v));
                if !ok {
                    return Err(err(
                        line_for("<margins"),
                        "余白（margins）は 0〜50 mm で指定してください。".into(),
                    ));
                }
                Margins {
                    top: m.top,
                    bottom: m.bottom,
                    left: m.left,
                    right: m.right,
                }
            }
        };
        let mut departments = Vec::new();
        for d in raw.departments.map(|d| d.departments).unwrap_or_default() {
            let name = d
                .name
                .or(d.text)
                .map(|n| n.trim().to_string())
                .unwrap_or_default();
            if name.is_empty() {
                return Err(err(
                    line_for("<department"),
                    "課（department）の名前が空です。name=\"総務課\" のように書いてください。"
                        .into(),
                ));
            }
            departments.push(DepartmentDef {
                name,
                aliases: d.aliases,
            });
        }
        Ok(Template {
            title: raw.title.trim().to_string(),
            document_number: raw.document_number.trim().to_string(),
            council_meeting,
            paper,
            font_size: raw.font.size,
            font_families: raw.font.families,
            field_label: raw.fields.label,
            field_width: raw.fields.width,
            fields: raw
                .fields
                .fields
                .into_iter()
                .map(|f| FieldDef {
                    name: f.name.trim().to_string(),
                    aliases: f.aliases,
                })
                .collect(),
            columns,
            departments,
            margins,
            source_file: None,
            source_sha256: crate::digest::sha256(xml.as_bytes()),
        })
    }

    /// The handout label of a column; the council label gets the meeting number.
    pub fn column_label(&self, key: ColumnKey, meeting: Option<u32>) -> String {
        let label = &self.columns[key.index()].label;
        match meeting.or(self.council_meeting) {
            Some(n) => label.replace("{N}", &n.to_string()),
            None => label.replace("第{N}回", "").replace("{N}", ""),
        }
    }

    /// Canonical 分野 name for a submitted value, matched by SPEC §1 rules.
    pub fn resolve_field(&self, value: &str) -> Option<&str> {
        let key = normalize::value_key(value);
        self.fields
            .iter()
            .find(|f| {
                std::iter::once(&f.name)
                    .chain(&f.aliases)
                    .any(|a| normalize::value_key(a) == key)
            })
            .map(|f| f.name.as_str())
    }

    /// Index of a 分野 in the row order.
    pub fn field_index(&self, name: &str) -> Option<usize> {
        self.fields.iter().position(|f| f.name == name)
    }

    /// Column for a submitted 区分 value (aliases and handout labels).
    pub fn resolve_column(&self, value: &str) -> Option<ColumnKey> {
        let key = normalize::value_key(value);
        let hkey = normalize::header_key(value);
        self.columns
            .iter()
            .find(|c| {
                c.aliases.iter().any(|a| normalize::value_key(a) == key)
                    || normalize::header_key(&self.column_label(c.key, None)) == hkey
            })
            .map(|c| c.key)
    }

    /// All names and aliases of the 分野, for suggestions.
    pub fn field_candidates(&self) -> Vec<&str> {
        self.fields.iter().map(|f| f.name.as_str()).collect()
    }

    /// The main 区分 value of each column (its first alias), for suggestions.
    pub fn column_candidates(&self) -> Vec<&str> {
        self.columns
            .iter()
            .map(|c| {
                c.aliases
                    .first()
                    .map(String::as_str)
                    .unwrap_or(c.key.short_label())
            })
            .collect()
    }

    /// Sort position of a department; unknown departments come last.
    pub fn department_rank(&self, department: &str) -> usize {
        self.departments
            .iter()
            .position(|d| d.name == department)
            .unwrap_or(self.departments.len())
    }

    /// The template's name for a department written another way
    /// (総務部総務課 → 総務課); unknown names are kept as written.
    pub fn department_name(&self, department: &str) -> String {
        let key = normalize::match_key(department);
        self.departments
            .iter()
            .find(|d| {
                std::iter::once(&d.name)
                    .chain(&d.aliases)
                    .any(|a| normalize::match_key(a) == key)
            })
            .map(|d| d.name.clone())
            .unwrap_or_else(|| department.to_string())
    }
}

fn check_well_formed(xml: &str) -> Result<(), (usize, String)> {
    let mut reader = quick_xml::Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => return Ok(()),
            Ok(_) => {}
            Err(e) => {
                return Err((
                    reader.error_position() as usize,
                    format!("XML として読めません（{e}）。タグの閉じ忘れなどを確認してください。"),
                ));
            }
        }
    }
}

fn line_of(text: &str, byte_pos: usize) -> usize {
    let end = byte_pos.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// serde errors carry no position; find the element they name.
fn guess_line(xml: &str, msg: &str) -> usize {
    let name = msg
        .split('`')
        .nth(1)
        .map(|n| n.trim_start_matches('@').to_string());
    match name {
        Some(n) if !n.is_empty() => xml
            .find(&format!("<{n}"))
            .or_else(|| xml.find(&format!("{n}=")))
            .map(|p| line_of(xml, p))
            .unwrap_or(1),
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_template_parses() {
        let t = Template::default();
        assert_eq!(t.fields.len(), 7);
        assert_eq!(t.fields[1].name, "DX推進");
        assert_eq!(t.document_number, "資料２");
        assert_eq!(t.paper.size_pt(), (1190.55, 841.89));
        assert_eq!(
            t.column_label(ColumnKey::Council, Some(2)),
            "第2回審議会での主な意見"
        );
        assert_eq!(
            t.column_label(ColumnKey::Council, None),
            "審議会での主な意見"
        );
    }

    #[test]
    fn aliases_resolve_ignoring_width_spaces_and_kankei() {
        let t = Template::default();
        assert_eq!(t.resolve_field("ＤＸ"), Some("DX推進"));
        assert_eq!(t.resolve_field(" 経営関係 "), Some("経営"));
        assert_eq!(t.resolve_field("財務関係"), Some("財務"));
        assert_eq!(t.resolve_field("その他行革関係"), Some("その他"));
        assert_eq!(t.resolve_field("観光"), None);
        assert_eq!(t.resolve_column("取組中"), Some(ColumnKey::Ongoing));
        assert_eq!(t.resolve_column("課題"), Some(ColumnKey::Issues));
        assert_eq!(t.resolve_column("要望"), None);
    }

    #[test]
    fn departments_with_aliases_and_margins() {
        let xml = DEFAULT_XML
            .replace(
                "<departments>",
                "<departments>\n    <department name=\"総務課\"><alias>総務部総務課</alias></department>\n    <department>財政課</department>",
            )
            .replace("margins top=\"10\"", "margins top=\"15\"");
        let t = Template::parse(&xml, "t.xml").unwrap();
        assert_eq!(t.department_name("総務部 総務課"), "総務課");
        assert_eq!(t.department_name("人事課"), "人事課");
        assert_eq!(t.department_rank("財政課"), 1);
        assert_eq!(t.margins.top, 15.0);
    }

    #[test]
    fn broken_template_names_the_line() {
        let xml = DEFAULT_XML.replacen("<title>", "<titel>", 1);
        let e = Template::parse(&xml, "t.xml").unwrap_err();
        assert_eq!(e.line, 9, "{e}");
        let xml = DEFAULT_XML.replace("size=\"A3\"", "size=\"B5\"");
        let e = Template::parse(&xml, "t.xml").unwrap_err();
        assert!(e.message.contains("B5"), "{e}");
        assert_eq!(e.line, 15);
    }

    #[test]
    fn unknown_element_is_an_error_with_line() {
        let xml = DEFAULT_XML.replace("</matrix>", "  <colour>red</colour>\n</matrix>");
        let e = Template::parse(&xml, "t.xml").unwrap_err();
        assert!(e.to_string().contains("colour"), "{e}");
        assert!(e.line > 60, "{e}");
    }
}
