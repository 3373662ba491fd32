//! CSV submissions in UTF-8 (with or without BOM) or Shift_JIS/CP932,
//! detected automatically.

use std::path::Path;

use super::table::{Grid, SheetSource, read_grid};
use super::{FileResult, Skipped, file_stem};
use crate::normalize;
use crate::template::Template;

/// Decodes the bytes: UTF-8 when valid (BOM removed), else CP932.
/// Returns the text and the name of the encoding for the report.
pub fn decode(bytes: &[u8]) -> Result<(String, &'static str), String> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return std::str::from_utf8(rest)
            .map(|s| (s.to_string(), "UTF-8（BOM付き）"))
            .map_err(|_| {
                "文字コードが壊れています（UTF-8 として読めない部分があります）。".to_string()
            });
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok((s.to_string(), "UTF-8"));
    }
    let (text, _, had_errors) = encoding_rs::SHIFT_JIS.decode(bytes);
    if had_errors {
        return Err(
            "文字コードを判別できません。Excel で開き「CSV UTF-8（コンマ区切り）」で保存し直してください。".into(),
        );
    }
    Ok((text.into_owned(), "Shift_JIS"))
}

/// Reads a CSV file as one sheet named after the file.
pub fn read(path: &Path, name: &str, template: &Template) -> Result<FileResult, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("ファイルを開けません（{e}）。"))?;
    let (text, encoding) = decode(&bytes)?;
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record =
            record.map_err(|e| format!("{} 行目付近を CSV として読めません（{e}）。", i + 1))?;
        rows.push(record.iter().map(str::to_string).collect());
    }
    let stem = file_stem(name);
    let department = normalize::department_from_stem(stem);
    let src = SheetSource {
        file: name,
        sheet: stem,
        sheet_index: 0,
        file_department: &department,
    };
    let grid = Grid::from_rows((0, 0), rows).map_err(|e| e.to_string())?;
    let mut out = read_grid(&grid, &src, template).unwrap_or_else(|| FileResult {
        skipped: vec![Skipped {
            file: name.to_string(),
            sheet: Some(stem.to_string()),
            cell: None,
            reason: "見出し行（分野・区分・内容）が見つかりません。".into(),
        }],
        ..FileResult::default()
    });
    out.note = Some(format!("文字コード {encoding}"));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_encodings() {
        assert_eq!(
            decode("分野".as_bytes()).unwrap(),
            ("分野".to_string(), "UTF-8")
        );
        assert_eq!(decode(b"\xEF\xBB\xBFa").unwrap().1, "UTF-8（BOM付き）");
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode("分野,区分,河﨑");
        assert_eq!(
            decode(&sjis).unwrap(),
            ("分野,区分,河﨑".to_string(), "Shift_JIS")
        );
    }
}
