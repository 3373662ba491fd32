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

/// Renders the report text.
pub(crate) fn render(
    m: &Matrix,
    files: &[FileRecord],
    date: Date,
    extras: &ReportExtras,
) -> String {
    let mut o = String::new();
    let c = &m.counts;
    let _ = writeln!(o, "shiryo 実行レポート（{}）", date.wareki_day());
    let _ = writeln!(o, "入力フォルダ: {}", extras.input);
    let status = if m.has_problems() || !extras.problems.is_empty() {
        "要確認（却下・失敗・問題があります。下の一覧を確認してください）"
    } else {
        "正常"
    };
    let _ = writeln!(o, "結果: {status}");
    if let Some(departments) = &m.departments {
        roster_section(&mut o, departments);
    }

    let read = files
        .iter()
        .filter(|f| matches!(f.status, FileStatus::Read { .. }))
        .count();
    let _ = writeln!(
        o,
        "\n■ ファイル {} 件（読込 {} / スキップ {} / 失敗 {}）",
        files.len(),
        read,
        files
            .iter()
            .filter(|f| matches!(f.status, FileStatus::Skipped(_)))
            .count(),
        c.failed
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
    let hidden = match c.items - printed_items {
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
    if let Some(removed) = &m.removed {
        history_section(&mut o, m, removed, extras.previous.as_deref().unwrap_or(""));
    }
    editorial_section(&mut o, &m.editorial);

    // The departments' rows go back to them; the secretariat's own
    // corrections rows are its to fix.
    let (own, submitted): (Vec<&crate::matrix::Rejection>, Vec<_>) = m
        .rejected
        .iter()
        .partition(|r| r.department == crate::vocab::SECRETARIAT);
    let _ = writeln!(
        o,
        "\n■ 却下した行（提出元で直してください） {} 件",
        submitted.len()
    );
    rejection_lines(&mut o, &submitted);
    if !own.is_empty() {
        let _ = writeln!(
            o,
            "\n■ 事務局修正で使えなかった行（事務局修正のファイルを直してください） {} 件",
            own.len()
        );
        rejection_lines(&mut o, &own);
    }
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
    merge_lines(&mut o, &m.merges);
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
