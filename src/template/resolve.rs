//! What a submitted 分野, 区分 or department value stands for in the
//! template (SPEC §1 matching), with the template's names and aliases
//! turned into keys once rather than for every row.

use super::{ColumnKey, Template};
use crate::normalize;

/// The template's names and aliases as match keys.
#[derive(Debug)]
pub struct Resolver<'t> {
    template: &'t Template,
    /// Key of every 分野 name and alias, with the 分野's index, in template
    /// order.
    fields: Vec<(String, usize)>,
    /// Per column: its aliases' keys and its handout label's header key.
    columns: Vec<(ColumnKey, Vec<String>, String)>,
    /// Key of every department name and alias, with the department's index.
    departments: Vec<(String, usize)>,
}

impl<'t> Resolver<'t> {
    /// Computes the keys of a template.
    pub fn new(template: &'t Template) -> Resolver<'t> {
        let fields = template
            .fields
            .iter()
            .enumerate()
            .flat_map(|(i, f)| {
                std::iter::once(&f.name)
                    .chain(&f.aliases)
                    .map(move |a| (normalize::value_key(a), i))
            })
            .collect();
        let columns = template
            .columns
            .iter()
            .map(|c| {
                (
                    c.key,
                    c.aliases.iter().map(|a| normalize::value_key(a)).collect(),
                    normalize::header_key(&template.column_label(c.key, None)),
                )
            })
            .collect();
        let departments = template
            .departments
            .iter()
            .enumerate()
            .flat_map(|(i, d)| {
                std::iter::once(&d.name)
                    .chain(&d.aliases)
                    .map(move |a| (normalize::match_key(a), i))
            })
            .collect();
        Resolver {
            template,
            fields,
            columns,
            departments,
        }
    }

    /// The index of the 分野 a submitted value names.
    pub fn field(&self, value: &str) -> Option<usize> {
        let key = normalize::value_key(value);
        self.fields.iter().find(|(k, _)| *k == key).map(|(_, i)| *i)
    }

    /// The canonical name of the 分野 a submitted value names.
    pub fn field_name(&self, value: &str) -> Option<&'t str> {
        self.field(value)
            .map(|i| self.template.fields[i].name.as_str())
    }

    /// The column a submitted 区分 value (an alias or a handout label) names.
    pub fn column(&self, value: &str) -> Option<ColumnKey> {
        let key = normalize::value_key(value);
        let hkey = normalize::header_key(value);
        self.columns
            .iter()
            .find(|(_, aliases, label)| aliases.contains(&key) || *label == hkey)
            .map(|(k, _, _)| *k)
    }

    /// The template's name for a department written another way
    /// (総務部総務課 → 総務課); unknown names are kept as written.
    pub fn department_name(&self, department: &str) -> String {
        let key = normalize::match_key(department);
        self.departments
            .iter()
            .find(|(k, _)| *k == key)
            .map_or_else(
                || department.to_string(),
                |(_, i)| self.template.departments[*i].name.clone(),
            )
    }
}
