//! The run report in Japanese (SPEC §5): every file, every count, every
//! rejected row with its cell and what to fix.

use std::fmt::Write;

use crate::date::Date;
use crate::ingest::{FileRecord, FileStatus};
use crate::matrix::{DepartmentStatus, Editorial, Matrix, Similar, SubmissionStatus};

/// Extra lines the report shows besides the matrix.
#[derive(Debug, Default, Clone)]
pub(crate) struct ReportExtras {
    /// Input folder as given.
    pub input: String,
    /// Names of the output files written (empty for `check`); the folder is
    /// left out so that the same month gives the same report anywhere.
    pub outputs: Vec<String>,
    /// Further problems found while writing (missing glyphs…).
    pub problems: Vec<String>,
    /// The previous output folder compared with, if any.
    pub previous: Option<String>,
    /// The suggested groups of similar items (SPEC §8.2).
    pub similar: Similar,
}

/// `s` padded with spaces to `width` columns (full-width characters count 2).
fn pad(s: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthStr;
    let w = s.width();
    format!("{s}{}", " ".repeat(width.saturating_sub(w)))
}

/// The 提出状況 table (SPEC §7.7): the first thing the clerk reads during
/// the collection week.
fn roster_section(o: &mut String, departments: &[DepartmentStatus]) {
    use unicode_width::UnicodeWidthStr;
    let count = |s: SubmissionStatus| departments.iter().filter(|d| d.status == s).count();
    let on_roster = departments.len() - count(SubmissionStatus::NotOnRoster);
    let summary: Vec<String> = SubmissionStatus::ALL
        .iter()
        .map(|&s| format!("{} {}", s.label(), count(s)))
        .collect();
    let _ = writeln!(
        o,
        "\n■ 提出状況（名簿 {on_roster} 課: {}）",
        summary.join(" / ")
    );
    let width = departments
        .iter()
        .map(|d| d.name.width())
        .max()
        .unwrap_or(0);
    for d in departments {
        let detail = if d.files.is_empty() {
            String::new()
        } else {
            format!(
                "  行 {} / 項目 {} / 却下 {}  {}",
                d.rows,
                d.items,
                d.rejected,
                d.files.join("、")
            )
        };
        let line = format!(
            "  {}  {}{detail}",
            pad(&d.name, width),
            pad(d.status.label(), 8)
        );
        let _ = writeln!(o, "{}", line.trim_end());
    }
    if count(SubmissionStatus::NotOnRoster) > 0 {
        let _ = writeln!(
            o,
            "  （名簿外の課は、テンプレートの <departments> に名前か別名（alias）を足すと名簿の課になります）"
        );
    }
}

/// The secretariat's corrections: every one applied, merged or not applied.
fn editorial_section(o: &mut String, ed: &Editorial) {
    if ed.files.is_empty() && ed.applied.is_empty() && ed.unapplied.is_empty() {
        return;
    }
    let names: Vec<&str> = ed.files.iter().map(|(n, _)| n.as_str()).collect();
    let _ = writeln!(
        o,
        "\n■ 事務局修正（{}） 適用 {} 件 / まとめた項目 {} 件 / 適用されなかった修正 {} 件",
        names.join("、"),
        ed.applied.len(),
        ed.merged.len(),
        ed.unapplied.len()
    );
    for a in &ed.applied {
        let what = match (&a.after, a.hidden) {
            (Some(after), true) => format!("「{}」→「{after}」、資料に載せない", a.before),
            (Some(after), false) => format!("「{}」→「{after}」", a.before),
            (None, _) => format!("「{}」を資料に載せない", a.before),
        };
        let _ = writeln!(
            o,
            "  [{}／{}] {what}（{}）",
            a.field,
            a.column.short_label(),
            a.at
        );
    }
    if !ed.merged.is_empty() {
        let _ = writeln!(o, "  同じ修正後の文で一つにまとめた項目:");
        merge_lines(o, &ed.merged);
    }
    if !ed.superseded.is_empty() {
        let _ = writeln!(
            o,
            "\n■ 同じ項目への修正が複数あり、後の行を使った修正 {} 件（前の行は使っていません。前の行の内容を使うときは、後の行を消すか直してください）",
            ed.superseded.len()
        );
        for s in &ed.superseded {
            let _ = writeln!(
                o,
                "  [{}／{}] {}（{}、使った行: {}）",
                s.field,
                s.column.short_label(),
                s.text,
                s.at,
                s.by
            );
        }
    }
    if !ed.unapplied.is_empty() {
        let _ = writeln!(
            o,
            "\n■ 適用されなかった修正 {} 件（この文は今月提出されていないか、提出された文が変わりました。資料には提出されたとおり載せます。直すときは、今回の 事務局修正.xlsx で新しい文の行に記入してください）",
            ed.unapplied.len()
        );
        for u in &ed.unapplied {
            let _ = writeln!(
                o,
                "  [{}／{}] {}（{}）",
                u.field,
                u.column.short_label(),
                u.text,
                u.at
            );
        }
    }
}

/// Rejected rows: the cell, what is wrong, what to do, the row's text.
fn rejection_lines(o: &mut String, rows: &[&crate::matrix::Rejection]) {
    for r in rows {
        let _ = writeln!(o, "  {}: {}{}", r.at, r.reason, r.fix);
        if !r.text.is_empty() {
            let _ = writeln!(o, "      内容: {}", r.text);
        }
    }
}

/// Merged items: the kept text with the place of every source.
fn merge_lines(o: &mut String, merges: &[crate::matrix::Merge]) {
    for mg in merges {
        let _ = writeln!(
            o,
            "  [{}／{}] {}",
            mg.field,
            mg.column.short_label(),
            mg.text
        );
        for s in &mg.sources {
            let _ = writeln!(o, "      ← {}（{}）", s.at, s.department);
        }
    }
}

/// Groups of similar items (SPEC §8.2): each item's text and sources, so
/// the secretariat can decide to merge them in 事務局修正.xlsx.
fn similar_section(o: &mut String, m: &Matrix, similar: &Similar) {
    let groups = &similar.groups;
    let _ = writeln!(o, "\n■ 似ている項目（まとめる候補） {} 組", groups.len());
    if groups.is_empty() {
        return;
    }
    let _ = writeln!(
        o,
        "  同じことを別の言葉で書いた項目の候補です（資料は変えていません）。まとめるときは、事務局修正.xlsx で「似ている項目」が同じ番号の行に、同じ「修正後の文」を書いてください。"
    );
    for g in groups {
        let field = &m.fields[g.field];
        let _ = writeln!(
            o,
            "  {} [{}／{}]",
            crate::render::edits::similar_label(g.number),
            field.name,
            g.column.short_label()
        );
        for &i in &g.items {
            let item = &field.cells[g.column.index()][i];
            let sources: Vec<String> = item
                .sources
                .iter()
                .map(|s| format!("{} {}", s.department, s.at))
                .collect();
            let _ = writeln!(o, "    ・{}（{}）", item.line(), sources.join("、"));
        }
    }
}

fn history_section(o: &mut String, m: &Matrix, removed: &[crate::matrix::Removed], previous: &str) {
    use crate::vocab::ItemStatus;
    let count = |f: &crate::matrix::FieldRow, s: ItemStatus| {
        f.cells
            .iter()
            .flatten()
            .filter(|i| i.status == Some(s))
            .count()
    };
    let total = |s: ItemStatus| m.fields.iter().map(|f| count(f, s)).sum::<usize>();
    let _ = writeln!(
        o,
        "\n■ 前回との比較（前回の出力: {previous}） 新規 {} / 継続 {} / 削除 {}",
        total(ItemStatus::New),
        total(ItemStatus::Continued),
        removed.len()
    );
    for f in &m.fields {
        let gone = removed.iter().filter(|r| r.field == f.name).count();
        let _ = writeln!(
            o,
            "  {}: 新規 {} / 継続 {} / 削除 {gone}",
            f.name,
            count(f, ItemStatus::New),
            count(f, ItemStatus::Continued)
        );
    }
    for r in removed {
        let _ = writeln!(
            o,
            "  削除 [{}／{}] {}（前回: {}）",
            r.field,
            r.column.short_label(),
            r.text,
            r.departments.join("、")
        );
    }
}

/// True when the run needs the secretariat's attention: a rejected row, a
/// failed file, or a problem with an output. Decides the report's verdict
/// and the exit code.
pub(crate) fn needs_attention(m: &Matrix, extras: &ReportExtras) -> bool {
    m.has_problems() || !extras.problems.is_empty()
}

/// Renders the report text.
pub(crate) fn render(
    m: &Matrix,
    files: &[FileRecord],
    date: Date,
    extras: &ReportExtras,
) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "shiryo 実行レポート（{}）", date.wareki_day());
    let _ = writeln!(o, "入力フォルダ: {}", extras.input);
    let status = if needs_attention(m, extras) {
        "要確認（却下・失敗・問題があります。下の一覧を確認してください）"
    } else {
        "正常"
    };
    let _ = writeln!(o, "結果: {status}");
    if let Some(departments) = &m.departments {
        roster_section(&mut o, departments);
    }
    files_section(&mut o, files, m.counts.failed);
    counts_section(&mut o, m, extras);
    if let Some(removed) = &m.removed {
        history_section(&mut o, m, removed, extras.previous.as_deref().unwrap_or(""));
    }
    editorial_section(&mut o, &m.editorial);
    rejections_section(&mut o, m);
    reading_section(&mut o, m);
    similar_section(&mut o, m, &extras.similar);
    if !extras.problems.is_empty() {
        let _ = writeln!(o, "\n■ 出力の問題 {} 件", extras.problems.len());
        for p in &extras.problems {
            let _ = writeln!(o, "  {p}");
        }
    }
    if !extras.outputs.is_empty() {
        let _ = writeln!(o, "\n■ 出力ファイル（出力フォルダ内）");
        for f in &extras.outputs {
            let _ = writeln!(o, "  {f}");
        }
    }
    o
}

/// Every file of the input folder: read (with its kind and rows), skipped
/// or failed, with the reason.
fn files_section(o: &mut String, files: &[FileRecord], failed: usize) {
    let count = |p: fn(&FileStatus) -> bool| files.iter().filter(|f| p(&f.status)).count();
    let _ = writeln!(
        o,
        "\n■ ファイル {} 件（読込 {} / スキップ {} / 失敗 {}）",
        files.len(),
        count(|s| matches!(s, FileStatus::Read { .. })),
        count(|s| matches!(s, FileStatus::Skipped(_))),
        failed
    );
    for f in files {
        match &f.status {
            FileStatus::Read {
                rows, kind, note, ..
            } => {
                let note = note
                    .as_deref()
                    .map(|n| format!("（{n}）"))
                    .unwrap_or_default();
                let _ = writeln!(o, "  読込    {}  [{kind}] 入力行 {rows}{note}", f.name);
            }
            FileStatus::Skipped(reason) => {
                let _ = writeln!(o, "  スキップ {}  {reason}", f.name);
            }
            FileStatus::Failed(reason) => {
                let _ = writeln!(o, "  失敗    {}  {reason}", f.name);
            }
        }
    }
}

/// The two reconciliations of independent tallies, the printed items per
/// 分野 and 区分, the meeting and the similar items' count.
fn counts_section(o: &mut String, m: &Matrix, extras: &ReportExtras) {
    let c = &m.counts;
    let _ = writeln!(o, "\n■ 件数");
    let verdict = |ok: bool| {
        if ok {
            "一致"
        } else {
            "不一致（プログラムの不具合です。開発担当に連絡してください）"
        }
    };
    let corrections = if c.correction_rows > 0 {
        format!(" + 事務局修正の行 {}", c.correction_rows)
    } else {
        String::new()
    };
    let _ = writeln!(
        o,
        "  入力行 {}（各ファイルで数えた行） = 項目になった行 {} + スキップした行 {} + 却下した行 {}{corrections}  … {}",
        c.rows,
        c.rows_with_items,
        c.rows_skipped,
        c.rejected,
        verdict(c.rows_reconcile())
    );
    let _ = writeln!(
        o,
        "  行から作った項目 {} = 資料の項目に記録された出典 {}  … {}",
        c.sources,
        c.sources_listed,
        verdict(c.sources_reconcile())
    );
    let printed: Vec<[Vec<&crate::matrix::Item>; 4]> =
        m.fields.iter().map(|f| f.printed()).collect();
    let printed_items: usize = printed.iter().flatten().map(Vec::len).sum();
    let hidden = match c.items.saturating_sub(printed_items) {
        0 => String::new(),
        n => format!("、事務局修正で載せない {n}"),
    };
    let _ = writeln!(
        o,
        "  資料の項目 {printed_items}（提出された項目 {} のうち重複統合 {}{hidden}）",
        c.sources_listed, c.duplicates_merged
    );
    if let Some(n) = m.meeting_number {
        let _ = writeln!(o, "  審議会の回: 第{n}回（会議録またはテンプレートから）");
    }
    let _ = writeln!(
        o,
        "  似ている項目（まとめる候補）: {} 組 / {} 項目",
        extras.similar.groups.len(),
        extras
            .similar
            .groups
            .iter()
            .map(|g| g.items.len())
            .sum::<usize>()
    );
    for (f, items) in m.fields.iter().zip(&printed) {
        let counts: Vec<String> = m
            .columns
            .iter()
            .map(|col| format!("{} {}", col.key.short_label(), items[col.key.index()].len()))
            .collect();
        let _ = writeln!(o, "  {}: {}", f.name, counts.join(" / "));
    }
}

/// Rejected rows: the departments' (theirs to fix), then the secretariat's
/// own corrections rows.
fn rejections_section(o: &mut String, m: &Matrix) {
    let (own, submitted): (Vec<&crate::matrix::Rejection>, Vec<_>) = m
        .rejected
        .iter()
        .partition(|r| r.department == crate::vocab::SECRETARIAT);
    let _ = writeln!(
        o,
        "\n■ 却下した行（提出元で直してください） {} 件",
        submitted.len()
    );
    rejection_lines(o, &submitted);
    if !own.is_empty() {
        let _ = writeln!(
            o,
            "\n■ 事務局修正で使えなかった行（事務局修正のファイルを直してください） {} 件",
            own.len()
        );
        rejection_lines(o, &own);
    }
}

/// What reading the files noted: failed files, skipped rows, values taken
/// from the row above, duplicates merged.
fn reading_section(o: &mut String, m: &Matrix) {
    if !m.failed.is_empty() {
        let _ = writeln!(o, "\n■ 読み取れなかったファイル {} 件", m.failed.len());
        for f in &m.failed {
            let _ = writeln!(o, "  {}: {}", f.file, f.reason);
        }
    }
    let _ = writeln!(o, "\n■ スキップ {} 件", m.skipped.len());
    for s in &m.skipped {
        let _ = writeln!(o, "  {}: {}", s.at, s.reason);
    }
    let _ = writeln!(
        o,
        "\n■ 上の行から引き継いだ分野・区分（空欄または結合セル） {} 件",
        m.fill_downs.len()
    );
    for f in &m.fill_downs {
        let how = if f.merged { "結合セル" } else { "空欄" };
        let _ = writeln!(o, "  {}: {how} →「{}」", f.at, f.value);
    }
    let _ = writeln!(o, "\n■ 重複として一つにまとめた項目 {} 件", m.merges.len());
    merge_lines(o, &m.merges);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{Failed, FileError, FillDown, Ingested, RawRow, Skipped};
    use crate::matrix::{
        AppliedCorrection, Item, Merge, Rejection, Removed, SimilarGroup, SupersededCorrection,
        UnappliedCorrection,
    };
    use crate::vocab::{ColumnKey, ItemStatus, Location, SECRETARIAT, Source};

    const DX: usize = 1;
    const FINANCE: usize = 2;
    const OTHER: usize = 6;

    fn source(department: &str, cell: &str) -> Source {
        Source {
            department: department.into(),
            at: Location::cell(&format!("{department}.xlsx"), Some("提出"), cell),
        }
    }

    fn item(text: &str, examples: Option<&str>, sources: &[(&str, &str)]) -> Item {
        let mut it = Item::new(
            text.into(),
            examples.map(String::from),
            source(sources[0].0, sources[0].1),
        );
        it.sources
            .extend(sources[1..].iter().map(|(d, c)| source(d, c)));
        it
    }

    fn empty() -> Matrix {
        crate::matrix::build(Ingested::default(), &crate::Template::default())
    }

    fn edits_at(cell: &str) -> Location {
        Location::cell("事務局修正.xlsx", Some("事務局修正"), cell)
    }

    use crate::matrix::test_support::department;

    #[test]
    fn roster_lines_are_aligned_by_display_width() {
        use SubmissionStatus as S;
        let departments = vec![
            department("総務課", S::Submitted, &["総務部総務課.xlsx"], (1, 2, 0)),
            department(
                "財政課",
                S::PartlyRejected,
                &["財政課.xlsx", "財政課2.csv"],
                (3, 2, 1),
            ),
            department("人事課", S::Missing, &[], (0, 0, 0)),
            department("下水道課", S::NotOnRoster, &["下水道課.xlsx"], (1, 1, 0)),
        ];
        let mut o = String::new();
        roster_section(&mut o, &departments);
        assert_eq!(
            o,
            "\n■ 提出状況（名簿 3 課: 提出済 1 / 一部却下 1 / 読込失敗 0 / 未提出 1 / 名簿外 1）\n\
             \x20 総務課    提出済    行 1 / 項目 2 / 却下 0  総務部総務課.xlsx\n\
             \x20 財政課    一部却下  行 3 / 項目 2 / 却下 1  財政課.xlsx、財政課2.csv\n\
             \x20 人事課    未提出\n\
             \x20 下水道課  名簿外    行 1 / 項目 1 / 却下 0  下水道課.xlsx\n\
             \x20 （名簿外の課は、テンプレートの <departments> に名前か別名（alias）を足すと名簿の課になります）\n"
        );

        // Without a department off the roster: no hint about aliases.
        let mut o = String::new();
        roster_section(
            &mut o,
            &[department("企画課", S::Failed, &["企画課.xlsx"], (0, 0, 0))],
        );
        assert_eq!(
            o,
            "\n■ 提出状況（名簿 1 課: 提出済 0 / 一部却下 0 / 読込失敗 1 / 未提出 0 / 名簿外 0）\n\
             \x20 企画課  読込失敗  行 0 / 項目 0 / 却下 0  企画課.xlsx\n"
        );
    }

    #[test]
    fn editorial_lists_every_correction() {
        let mut o = String::new();
        editorial_section(&mut o, &Editorial::default());
        assert_eq!(o, "", "no corrections file, no section");

        let ed = Editorial {
            files: vec![
                ("事務局修正.xlsx".into(), "a1".into()),
                ("追加修正.xlsx".into(), "b2".into()),
            ],
            applied: vec![
                AppliedCorrection {
                    field: "財務".into(),
                    column: ColumnKey::Issues,
                    before: "A案".into(),
                    after: Some("C案".into()),
                    hidden: true,
                    at: edits_at("C2"),
                },
                AppliedCorrection {
                    field: "財務".into(),
                    column: ColumnKey::Solutions,
                    before: "B案".into(),
                    after: Some("C案＜柏市＞".into()),
                    hidden: false,
                    at: edits_at("C3"),
                },
                AppliedCorrection {
                    field: "DX推進".into(),
                    column: ColumnKey::Ongoing,
                    before: "古い文".into(),
                    after: None,
                    hidden: true,
                    at: edits_at("C4"),
                },
            ],
            unapplied: vec![UnappliedCorrection {
                field: "財務".into(),
                column: ColumnKey::Council,
                text: "消えた文".into(),
                at: edits_at("C7"),
            }],
            superseded: vec![SupersededCorrection {
                field: "財務".into(),
                column: ColumnKey::Issues,
                text: "A案".into(),
                at: edits_at("C8"),
                by: edits_at("C2"),
            }],
            merged: vec![Merge {
                field: "財務".into(),
                column: ColumnKey::Issues,
                text: "C案".into(),
                sources: vec![source("総務課", "C4"), source("人事課", "C6")],
            }],
            sheet: Vec::new(),
        };
        let mut o = String::new();
        editorial_section(&mut o, &ed);
        assert_eq!(
            o,
            "\n■ 事務局修正（事務局修正.xlsx、追加修正.xlsx） 適用 3 件 / まとめた項目 1 件 / 適用されなかった修正 1 件\n\
             \x20 [財務／現状と課題] 「A案」→「C案」、資料に載せない（事務局修正.xlsx!事務局修正!C2）\n\
             \x20 [財務／解決案] 「B案」→「C案＜柏市＞」（事務局修正.xlsx!事務局修正!C3）\n\
             \x20 [DX推進／取組済み] 「古い文」を資料に載せない（事務局修正.xlsx!事務局修正!C4）\n\
             \x20 同じ修正後の文で一つにまとめた項目:\n\
             \x20 [財務／現状と課題] C案\n\
             \x20     ← 総務課.xlsx!提出!C4（総務課）\n\
             \x20     ← 人事課.xlsx!提出!C6（人事課）\n\
             \n■ 同じ項目への修正が複数あり、後の行を使った修正 1 件（前の行は使っていません。前の行の内容を使うときは、後の行を消すか直してください）\n\
             \x20 [財務／現状と課題] A案（事務局修正.xlsx!事務局修正!C8、使った行: 事務局修正.xlsx!事務局修正!C2）\n\
             \n■ 適用されなかった修正 1 件（この文は今月提出されていないか、提出された文が変わりました。資料には提出されたとおり載せます。直すときは、今回の 事務局修正.xlsx で新しい文の行に記入してください）\n\
             \x20 [財務／審議会意見] 消えた文（事務局修正.xlsx!事務局修正!C7）\n"
        );

        // A corrections file with nothing to apply still shows it was read.
        let mut o = String::new();
        editorial_section(
            &mut o,
            &Editorial {
                files: vec![("事務局修正.xlsx".into(), "a1".into())],
                ..Editorial::default()
            },
        );
        assert_eq!(
            o,
            "\n■ 事務局修正（事務局修正.xlsx） 適用 0 件 / まとめた項目 0 件 / 適用されなかった修正 0 件\n"
        );
    }

    #[test]
    fn history_counts_per_field_and_lists_what_is_gone() {
        let mut m = empty();
        let mut new = item("新しい意見", None, &[("総務課", "C2")]);
        new.status = Some(ItemStatus::New);
        let mut continued = item("続く意見", None, &[("総務課", "C3")]);
        continued.status = Some(ItemStatus::Continued);
        m.fields[DX].cells[ColumnKey::Issues.index()] = vec![new.clone(), continued];
        m.fields[FINANCE].cells[ColumnKey::Solutions.index()] = vec![new];
        let removed = vec![
            Removed {
                field: "財務".into(),
                column: ColumnKey::Solutions,
                text: "消えた文".into(),
                examples: Some("柏市".into()),
                departments: vec!["総務課".into(), "財政課".into()],
            },
            Removed {
                field: "その他".into(),
                column: ColumnKey::Council,
                text: "古い意見".into(),
                examples: None,
                departments: vec!["審議会".into()],
            },
        ];
        let mut o = String::new();
        history_section(&mut o, &m, &removed, "出力/10月");
        assert_eq!(
            o,
            "\n■ 前回との比較（前回の出力: 出力/10月） 新規 2 / 継続 1 / 削除 2\n\
             \x20 行政施策: 新規 0 / 継続 0 / 削除 0\n\
             \x20 DX推進: 新規 1 / 継続 1 / 削除 0\n\
             \x20 財務: 新規 1 / 継続 0 / 削除 1\n\
             \x20 人材育成: 新規 0 / 継続 0 / 削除 0\n\
             \x20 働き方改革: 新規 0 / 継続 0 / 削除 0\n\
             \x20 経営: 新規 0 / 継続 0 / 削除 0\n\
             \x20 その他: 新規 0 / 継続 0 / 削除 1\n\
             \x20 削除 [財務／解決案] 消えた文（前回: 総務課、財政課）\n\
             \x20 削除 [その他／審議会意見] 古い意見（前回: 審議会）\n"
        );
    }

    #[test]
    fn similar_groups_show_each_item_with_its_sources() {
        let mut m = empty();
        m.fields[DX].cells[ColumnKey::Issues.index()] = vec![
            item("会議資料が紙である", Some("柏市"), &[("総務課", "C2")]),
            item("別の話", None, &[("総務課", "C3")]),
            item(
                "紙の資料が多い",
                None,
                &[("財政課", "C4"), ("人事課", "C9")],
            ),
        ];
        let mut o = String::new();
        similar_section(&mut o, &m, &Similar::default());
        assert_eq!(o, "\n■ 似ている項目（まとめる候補） 0 組\n");

        let similar = Similar {
            groups: vec![SimilarGroup {
                number: 1,
                field: DX,
                column: ColumnKey::Issues,
                items: vec![0, 2],
            }],
        };
        let mut o = String::new();
        similar_section(&mut o, &m, &similar);
        assert_eq!(
            o,
            "\n■ 似ている項目（まとめる候補） 1 組\n\
             \x20 同じことを別の言葉で書いた項目の候補です（資料は変えていません）。まとめるときは、事務局修正.xlsx で「似ている項目」が同じ番号の行に、同じ「修正後の文」を書いてください。\n\
             \x20 似1 [DX推進／現状と課題]\n\
             \x20   ・会議資料が紙である＜柏市＞（総務課 総務課.xlsx!提出!C2）\n\
             \x20   ・紙の資料が多い（財政課 財政課.xlsx!提出!C4、人事課 人事課.xlsx!提出!C9）\n"
        );
    }

    fn row(file: &str, r: u32, field: &str, kind: &str, content: &str) -> RawRow {
        crate::matrix::test_support::row(file, r, field, kind, content, None)
    }

    fn record(name: &str, status: FileStatus) -> FileRecord {
        FileRecord {
            name: name.into(),
            size: 0,
            sha256: String::new(),
            status,
            corrections: false,
        }
    }

    /// A small month: two files read, one skipped, one failed, a rejected
    /// row and a fill-down.
    fn month() -> (Matrix, Vec<FileRecord>) {
        let read = |department: &str, rows, kind, note: Option<&str>| FileStatus::Read {
            departments: vec![department.into()],
            rows,
            kind,
            note: note.map(String::from),
        };
        let skip = "提出ファイルの種類ではありません（.txt）。";
        let files = vec![
            record("総務課.xlsx", read("総務課", 2, "Excel", None)),
            record(
                "財政課.csv",
                read("財政課", 1, "CSV", Some("Shift_JIS として読みました")),
            ),
            record("メモ.txt", FileStatus::Skipped(skip.into())),
            record("壊れた.xlsx", FileStatus::Failed(FileError::Empty)),
        ];
        let ing = Ingested {
            files: files.clone(),
            rows: vec![
                row("総務課.xlsx", 2, "DX推進", "課題", "会議資料が紙である"),
                row("総務課.xlsx", 3, "観光", "課題", "x"),
                row("財政課.csv", 2, "財務", "解決案", "・一\n・二"),
            ],
            skipped: vec![Skipped::new(Location::file("メモ.txt"), skip)],
            failed: vec![Failed {
                file: "壊れた.xlsx".into(),
                department: "壊れた".into(),
                reason: FileError::Empty,
            }],
            fill_downs: vec![FillDown {
                at: Location::cell("総務課.xlsx", Some("提出"), "B3"),
                value: "課題".into(),
                merged: true,
            }],
            ..Ingested::default()
        };
        (
            crate::matrix::build(ing, &crate::Template::default()),
            files,
        )
    }

    #[test]
    fn a_month_reads_in_full() {
        let (m, files) = month();
        let extras = ReportExtras {
            input: "提出/11月".into(),
            outputs: vec!["資料.xlsx".into(), "report.txt".into()],
            ..ReportExtras::default()
        };
        let text = render(&m, &files, Date::parse("2026-11-24").unwrap(), &extras);
        let empty = "失敗    壊れた.xlsx  空のファイルです（0 バイト）。保存や送信に失敗している可能性があります。もう一度提出してもらってください。";
        let expected = [
            "shiryo 実行レポート（令和8年11月24日）",
            "入力フォルダ: 提出/11月",
            "結果: 要確認（却下・失敗・問題があります。下の一覧を確認してください）",
            "",
            "■ ファイル 4 件（読込 2 / スキップ 1 / 失敗 1）",
            "  読込    総務課.xlsx  [Excel] 入力行 2",
            "  読込    財政課.csv  [CSV] 入力行 1（Shift_JIS として読みました）",
            "  スキップ メモ.txt  提出ファイルの種類ではありません（.txt）。",
            &format!("  {empty}"),
            "",
            "■ 件数",
            "  入力行 3（各ファイルで数えた行） = 項目になった行 2 + スキップした行 0 + 却下した行 1  … 一致",
            "  行から作った項目 3 = 資料の項目に記録された出典 3  … 一致",
            "  資料の項目 3（提出された項目 3 のうち重複統合 0）",
            "  似ている項目（まとめる候補）: 0 組 / 0 項目",
            "  行政施策: 審議会意見 0 / 現状と課題 0 / 解決案 0 / 取組済み 0",
            "  DX推進: 審議会意見 0 / 現状と課題 1 / 解決案 0 / 取組済み 0",
            "  財務: 審議会意見 0 / 現状と課題 0 / 解決案 2 / 取組済み 0",
            "  人材育成: 審議会意見 0 / 現状と課題 0 / 解決案 0 / 取組済み 0",
            "  働き方改革: 審議会意見 0 / 現状と課題 0 / 解決案 0 / 取組済み 0",
            "  経営: 審議会意見 0 / 現状と課題 0 / 解決案 0 / 取組済み 0",
            "  その他: 審議会意見 0 / 現状と課題 0 / 解決案 0 / 取組済み 0",
            "",
            "■ 却下した行（提出元で直してください） 1 件",
            "  総務課.xlsx!提出!A3: 分野「観光」は登録されていません。候補: 行政施策、DX推進、財務、人材育成、働き方改革、経営、その他 のどれかに直してください。",
            "      内容: x",
            "",
            "■ 読み取れなかったファイル 1 件",
            &format!("  壊れた.xlsx: {}", FileError::Empty),
            "",
            "■ スキップ 1 件",
            "  メモ.txt: 提出ファイルの種類ではありません（.txt）。",
            "",
            "■ 上の行から引き継いだ分野・区分（空欄または結合セル） 1 件",
            "  総務課.xlsx!提出!B3: 結合セル →「課題」",
            "",
            "■ 重複として一つにまとめた項目 0 件",
            "",
            "■ 似ている項目（まとめる候補） 0 組",
            "",
            "■ 出力ファイル（出力フォルダ内）",
            "  資料.xlsx",
            "  report.txt",
            "",
        ]
        .join("\n");
        assert_eq!(text, expected);
    }

    /// The lines of the report section whose heading starts with `title`.
    fn section<'a>(text: &'a str, title: &str) -> Vec<&'a str> {
        let start = text
            .find(&format!("\n■ {title}"))
            .unwrap_or_else(|| panic!("no section {title} in\n{text}"));
        text[start + 1..]
            .lines()
            .take_while(|l| !l.is_empty())
            .collect()
    }

    #[test]
    fn hidden_items_the_meeting_and_the_secretariats_own_rows() {
        let (mut m, files) = month();
        m.meeting_number = Some(3);
        m.fields[FINANCE].cells[ColumnKey::Solutions.index()][1].hidden = true;
        m.rejected.push(Rejection {
            at: edits_at("A8"),
            department: SECRETARIAT.into(),
            reason: "分野「観光」は登録されていません。".into(),
            fix: "候補: 財務 のどれかに直してください。".into(),
            text: String::new(),
        });
        m.counts.rejected += 1;
        m.counts.correction_rows = 0;
        m.fields[OTHER].cells[ColumnKey::Council.index()] =
            vec![item("委員意見", None, &[("審議会", "¶3")])];
        m.counts.sources += 1;
        m.recount();
        let extras = ReportExtras {
            problems: vec!["PDF を作れませんでした。".into()],
            ..ReportExtras::default()
        };
        let text = render(&m, &files, Date::parse("2026-11-24").unwrap(), &extras);
        let counts = section(&text, "件数");
        assert_eq!(
            counts[2],
            "  行から作った項目 4 = 資料の項目に記録された出典 4  … 一致"
        );
        assert_eq!(
            counts[3..5],
            [
                "  資料の項目 3（提出された項目 4 のうち重複統合 0、事務局修正で載せない 1）",
                "  審議会の回: 第3回（会議録またはテンプレートから）",
            ]
        );
        assert_eq!(
            counts[8],
            "  財務: 審議会意見 0 / 現状と課題 0 / 解決案 1 / 取組済み 0"
        );
        assert_eq!(
            counts[12],
            "  その他: 審議会意見 1 / 現状と課題 0 / 解決案 0 / 取組済み 0"
        );
        assert_eq!(
            section(&text, "却下した行")[0],
            "■ 却下した行（提出元で直してください） 1 件"
        );
        assert_eq!(
            section(&text, "事務局修正で使えなかった行"),
            [
                "■ 事務局修正で使えなかった行（事務局修正のファイルを直してください） 1 件",
                "  事務局修正.xlsx!事務局修正!A8: 分野「観光」は登録されていません。候補: 財務 のどれかに直してください。",
            ]
        );
        assert_eq!(
            section(&text, "出力の問題"),
            ["■ 出力の問題 1 件", "  PDF を作れませんでした。"]
        );
        assert!(!text.contains("■ 出力ファイル"), "check writes nothing");
    }

    #[test]
    fn a_clean_month_is_normal() {
        let mut m = empty();
        m.fields[DX].cells[ColumnKey::Issues.index()] = vec![item("一", None, &[("総務課", "C2")])];
        m.counts.rows = 1;
        m.counts.rows_with_items = 1;
        m.counts.sources = 1;
        m.recount();
        let date = Date::parse("2019-05-01").unwrap();
        let text = render(&m, &[], date, &ReportExtras::default());
        assert_eq!(
            text.lines().take(3).collect::<Vec<_>>(),
            [
                "shiryo 実行レポート（令和元年5月1日）",
                "入力フォルダ: ",
                "結果: 正常"
            ]
        );
        // Extra problems alone make the run 要確認.
        let extras = ReportExtras {
            problems: vec!["x".into()],
            ..ReportExtras::default()
        };
        let text = render(&m, &[], date, &extras);
        assert_eq!(
            text.lines().nth(2),
            Some("結果: 要確認（却下・失敗・問題があります。下の一覧を確認してください）")
        );
    }
}
