//! Reading `templates/matrix.xml`: the XML as written (serde structs that
//! mirror it), then checked into a [`Template`] with the line of any
//! mistake.

use serde::Deserialize;

use super::model::{ColumnDef, DepartmentDef, FieldDef, Margins, Template, TemplateError};
use crate::normalize;
use crate::vocab::{ColumnKey, Paper, PaperSize};

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
    #[serde(default)]
    synonyms: Option<XmlSynonyms>,
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
struct XmlSynonyms {
    #[serde(rename = "group", default)]
    groups: Vec<XmlSynonymGroup>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct XmlSynonymGroup {
    #[serde(rename = "word", default)]
    words: Vec<String>,
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

/// A template error at a line.
type ErrAt<'a> = dyn Fn(usize, String) -> TemplateError + 'a;

/// Parses template XML; errors carry the 1-based line number.
pub fn parse(xml: &str, file: &str) -> Result<Template, TemplateError> {
    let err = |line: usize, message: String| TemplateError {
        file: file.to_string(),
        line: Some(line),
        message,
    };
    check_well_formed(xml).map_err(|(pos, msg)| err(line_of(xml, pos), msg))?;
    let raw: XmlMatrix = quick_xml::de::from_str(xml).map_err(|e| {
        let msg = e.to_string();
        let line = guess_line(xml, &msg);
        err(line, format!("書式が正しくありません（{msg}）。"))
    })?;
    // The line of an element's first start tag (comments are not looked in).
    let line_for = |name: &str| element_lines(xml, name).first().copied().unwrap_or(1);
    let paper = paper(&raw.paper, &|m| err(line_for("paper"), m))?;
    let council_meeting = council_meeting(raw.council_meeting.as_deref(), &|m| {
        err(line_for("council-meeting"), m)
    })?;
    if !(4.0..=30.0).contains(&raw.font.size) {
        return Err(err(
            line_for("font"),
            format!(
                "文字の大きさ {} は 4〜30 の範囲で指定してください。",
                raw.font.size
            ),
        ));
    }
    if raw.fields.fields.is_empty() {
        return Err(err(
            line_for("fields"),
            "分野（field）が一つもありません。".into(),
        ));
    }
    let columns = columns(xml, raw.columns.columns, raw.fields.width, &err)?;
    let margins = margins(raw.margins, &|m| err(line_for("margins"), m))?;
    let departments = departments(
        xml,
        raw.departments.map(|d| d.departments).unwrap_or_default(),
        &err,
    )?;
    let synonyms = synonym_groups(
        xml,
        raw.synonyms.map(|s| s.groups).unwrap_or_default(),
        &err,
    )?;
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
        synonyms,
        source_file: None,
        source_sha256: crate::digest::sha256(xml.as_bytes()),
    })
}

/// `<paper size orientation>`.
fn paper(raw: &XmlPaper, err: &dyn Fn(String) -> TemplateError) -> Result<Paper, TemplateError> {
    Ok(Paper {
        size: match raw.size.trim().to_ascii_uppercase().as_str() {
            "A3" => PaperSize::A3,
            "A4" => PaperSize::A4,
            other => {
                return Err(err(format!(
                    "用紙サイズ「{other}」は使えません。A3 または A4 を指定してください。"
                )));
            }
        },
        landscape: match raw.orientation.trim() {
            "landscape" => true,
            "portrait" => false,
            other => {
                return Err(err(format!(
                    "用紙の向き「{other}」は使えません。landscape（横）または portrait（縦）を指定してください。"
                )));
            }
        },
    })
}

/// `<council-meeting>`: a number, or nothing.
fn council_meeting(
    raw: Option<&str>,
    err: &dyn Fn(String) -> TemplateError,
) -> Result<Option<u32>, TemplateError> {
    match raw.map(str::trim) {
        None | Some("") => Ok(None),
        Some(s) => match normalize::parse_number(s) {
            Some(Ok(n)) => Ok(Some(n)),
            Some(Err(_)) => Err(err(format!(
                "審議会の回「{s}」は大きすぎます。正しい回に直してください。"
            ))),
            None => Err(err(format!("審議会の回「{s}」は数字で書いてください。"))),
        },
    }
}

/// The four `<column>`s, each key once, with positive widths (the 分野
/// column's width is `field_width`).
fn columns(
    xml: &str,
    raw: Vec<XmlColumn>,
    field_width: f64,
    err: &ErrAt,
) -> Result<[ColumnDef; 4], TemplateError> {
    // The i-th `<column` start tag is the i-th column.
    let lines = element_lines(xml, "column");
    let at = |i: usize| lines.get(i).copied().unwrap_or(1);
    let mut slots: [Option<(usize, ColumnDef)>; 4] = Default::default();
    for (i, c) in raw.into_iter().enumerate() {
        let key = ColumnKey::parse(c.key.trim()).ok_or_else(|| {
            err(
                at(i),
                format!(
                    "区分の key「{}」は使えません。council, issues, solutions, ongoing のいずれかです。",
                    c.key
                ),
            )
        })?;
        let slot = &mut slots[key.index()];
        if slot.is_some() {
            return Err(err(
                at(i),
                format!("区分の key「{}」が二度書かれています。", c.key),
            ));
        }
        *slot = Some((
            i,
            ColumnDef {
                key,
                label: c.label,
                aliases: c.aliases,
                width: c.width,
            },
        ));
    }
    // The 分野 column's width is checked first.
    if field_width <= 0.0 || field_width.is_nan() {
        let fields_line = element_lines(xml, "fields").first().copied().unwrap_or(1);
        return Err(err(
            fields_line,
            "列幅（width）は正の数で指定してください。".into(),
        ));
    }
    let columns_line = element_lines(xml, "columns").first().copied().unwrap_or(1);
    let mut out = Vec::with_capacity(4);
    for (key, slot) in ColumnKey::ALL.into_iter().zip(slots) {
        let (i, c) = slot.ok_or_else(|| {
            err(
                columns_line,
                format!("区分 key=\"{}\" の column がありません。", key.as_str()),
            )
        })?;
        if c.width <= 0.0 || c.width.is_nan() {
            return Err(err(
                at(i),
                "列幅（width）は正の数で指定してください。".into(),
            ));
        }
        out.push(c);
    }
    Ok(out
        .try_into()
        .unwrap_or_else(|_| unreachable!("four columns")))
}

/// `<margins>` in millimetres, 0 to 50 each; the default when absent.
fn margins(
    raw: Option<XmlMargins>,
    err: &dyn Fn(String) -> TemplateError,
) -> Result<Margins, TemplateError> {
    let Some(m) = raw else {
        return Ok(Margins::default());
    };
    if ![m.top, m.bottom, m.left, m.right]
        .iter()
        .all(|v| (0.0..=50.0).contains(v))
    {
        return Err(err("余白（margins）は 0〜50 mm で指定してください。".into()));
    }
    Ok(Margins {
        top: m.top,
        bottom: m.bottom,
        left: m.left,
        right: m.right,
    })
}

/// The `<department>`s of the roster, each with a name.
fn departments(
    xml: &str,
    raw: Vec<XmlDepartment>,
    err: &ErrAt,
) -> Result<Vec<DepartmentDef>, TemplateError> {
    // `<department` elements in order (not `<departments>`, not the
    // examples in comments).
    let lines = element_lines(xml, "department");
    let mut out = Vec::new();
    for (i, d) in raw.into_iter().enumerate() {
        let name = d
            .name
            .or(d.text)
            .map(|n| n.trim().to_string())
            .unwrap_or_default();
        if name.is_empty() {
            return Err(err(
                lines.get(i).copied().unwrap_or(0),
                "課（department）の名前が空です。name=\"総務課\" のように書いてください。".into(),
            ));
        }
        out.push(DepartmentDef {
            name,
            aliases: d.aliases,
        });
    }
    Ok(out)
}

/// The `<group>` elements of `<synonyms>`, each with two words or more
/// (after SPEC §3); a mistake names the group's line.
fn synonym_groups(
    xml: &str,
    groups: Vec<XmlSynonymGroup>,
    err: &ErrAt,
) -> Result<Vec<Vec<String>>, TemplateError> {
    let lines = element_lines(xml, "group");
    let mut out = Vec::new();
    for (i, g) in groups.into_iter().enumerate() {
        let line = lines.get(i).copied().unwrap_or(0);
        let words: Vec<String> = g
            .words
            .iter()
            .map(|w| normalize::normalize_line(w))
            .collect();
        if words.iter().any(String::is_empty) {
            return Err(err(
                line,
                "同じ意味の言葉（word）が空です。<word>公用車</word> のように書いてください。"
                    .into(),
            ));
        }
        if words.len() < 2 {
            return Err(err(
                line,
                "同じ意味の言葉のまとまり（group）には、言葉（word）を2つ以上書いてください。"
                    .into(),
            ));
        }
        out.push(words);
    }
    Ok(out)
}

/// The lines of the elements named `name` outside comments, in order.
fn element_lines(xml: &str, name: &str) -> Vec<usize> {
    let comments: Vec<(usize, usize)> = xml
        .match_indices("<!--")
        .map(|(i, _)| (i, xml[i..].find("-->").map_or(xml.len(), |e| i + e)))
        .collect();
    let open = format!("<{name}");
    xml.match_indices(&open)
        .filter(|(i, m)| {
            let tag_ends = xml[i + m.len()..]
                .chars()
                .next()
                .is_some_and(|c| c == '>' || c == '/' || c.is_whitespace());
            tag_ends && !comments.iter().any(|(s, e)| (*s..*e).contains(i))
        })
        .map(|(i, _)| line_of(xml, i))
        .collect()
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
