//! `templates/matrix.xml` → [`Template`]: everything a secretariat may change
//! without rebuilding (SPEC §6). Parsed once; every other module receives
//! `&Template` and none reads XML.

pub mod model;
pub mod resolve;
pub mod xml;

use std::path::{Path, PathBuf};

pub use crate::vocab::{ColumnKey, Paper, PaperSize};
pub use model::{ColumnDef, DepartmentDef, FieldDef, Margins, Template, TemplateError};
pub use resolve::Resolver;

/// The built-in default template, identical to `templates/matrix.xml`.
pub const DEFAULT_XML: &str = include_str!("../../templates/matrix.xml");

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
    std::iter::once(relative)
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
            line: None,
            message: format!(
                "読み込めません（{}）。--template のファイル名と場所を確かめてください。",
                crate::output::japanese_read_reason(&e)
            ),
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
        xml::parse(xml, file)
    }
}

impl Template {
    /// The handout label of a column; the council label gets the meeting number.
    pub fn column_label(&self, key: ColumnKey, meeting: Option<u32>) -> String {
        let label = &self.columns[key.index()].label;
        match meeting.or(self.council_meeting) {
            Some(n) => label.replace("{N}", &n.to_string()),
            None => label.replace("第{N}回", "").replace("{N}", ""),
        }
    }

    /// Canonical 分野 name for a submitted value, matched by SPEC §1 rules
    /// (a [`Resolver`] answers many).
    pub fn resolve_field(&self, value: &str) -> Option<&str> {
        Resolver::new(self).field_name(value)
    }

    /// Index of a 分野 in the row order.
    pub fn field_index(&self, name: &str) -> Option<usize> {
        self.fields.iter().position(|f| f.name == name)
    }

    /// Column for a submitted 区分 value (aliases and handout labels; a
    /// [`Resolver`] answers many).
    pub fn resolve_column(&self, value: &str) -> Option<ColumnKey> {
        Resolver::new(self).column(value)
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
    /// (総務部総務課 → 総務課); unknown names are kept as written (a
    /// [`Resolver`] answers many).
    pub fn department_name(&self, department: &str) -> String {
        Resolver::new(self).department_name(department)
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
        assert_eq!(e.line, Some(9), "{e}");
        let xml = DEFAULT_XML.replace("size=\"A3\"", "size=\"B5\"");
        let e = Template::parse(&xml, "t.xml").unwrap_err();
        assert!(e.message.contains("B5"), "{e}");
        assert_eq!(e.line, Some(15));
    }

    #[test]
    fn a_bad_department_or_width_names_its_own_line() {
        let xml = DEFAULT_XML.replace(
            "<departments>",
            "<departments>\n    <department name=\"総務課\"/>\n    <department name=\" \"/>",
        );
        let e = Template::parse(&xml, "t.xml").unwrap_err();
        let line = xml.lines().position(|l| l.contains("name=\" \"")).unwrap() + 1;
        assert_eq!(e.line, Some(line), "{e}");
        let xml = DEFAULT_XML.replace(
            "<column key=\"solutions\" label=\"想定される解決案（他自治体の事例含む）\" width=\"23\">",
            "<column key=\"solutions\" label=\"想定される解決案（他自治体の事例含む）\" width=\"0\">",
        );
        let e = Template::parse(&xml, "t.xml").unwrap_err();
        assert!(e.message.contains("列幅"), "{e}");
        assert_eq!(e.line, Some(58), "{e}");
    }

    #[test]
    fn an_example_in_a_comment_does_not_take_the_line() {
        // A commented-out example above the real element, with the same
        // wrong key: the error names the element's line, not the comment's.
        let xml = DEFAULT_XML
            .replacen(
                "<columns",
                "<!-- 例: <paper size=\"A3\"/> <column key=\"opinions\"/> <columns> -->\n  <columns",
                1,
            )
            .replace("key=\"ongoing\"", "key=\"opinions\"")
            .replace("size=\"A3\"", "size=\"B5\"");
        let e = Template::parse(&xml, "t.xml").unwrap_err();
        let real = xml
            .lines()
            .position(|l| l.contains("size=\"B5\"") && !l.contains("<!--"))
            .unwrap()
            + 1;
        assert_eq!(
            (e.line, e.message.contains("B5")),
            (Some(real), true),
            "{e}"
        );
        let xml = xml.replace("size=\"B5\"", "size=\"A3\"");
        let e = Template::parse(&xml, "t.xml").unwrap_err();
        let real = xml
            .lines()
            .position(|l| l.contains("key=\"opinions\"") && !l.contains("<!--"))
            .unwrap()
            + 1;
        assert_eq!(e.line, Some(real), "{e}");
    }

    #[test]
    fn unknown_element_is_an_error_with_line() {
        let xml = DEFAULT_XML.replace("</matrix>", "  <colour>red</colour>\n</matrix>");
        let e = Template::parse(&xml, "t.xml").unwrap_err();
        assert!(e.to_string().contains("colour"), "{e}");
        assert!(e.line > Some(60), "{e}");
    }
}
