//! Text normalisation of SPEC §3 as pure functions, one per rule.
//!
//! No Unicode normalisation form is applied: text keeps its exact code points
//! (河﨑, 塚 U+FA10, ①, ㈱) apart from the explicit rules below.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::compose;

/// Applies the character rules of SPEC §3 to a whole cell, keeping its line
/// structure: width, half-width katakana, Kangxi radicals, combining voiced
/// marks, `_x000D_` artefacts, control characters and white space.
/// Every line is trimmed and inner runs of spaces become one space; empty
/// lines at the start and end are dropped.
pub fn normalize_text(s: &str) -> String {
    let s = remove_x000d(s);
    let chars = map_chars(&s);
    let mut out = String::with_capacity(chars.len());
    for line in chars.split('\n') {
        if !out.is_empty() || !line.trim().is_empty() {
            collapse_spaces(&mut out, line);
            out.push('\n');
        }
    }
    let end = out.trim_end_matches('\n').len();
    out.truncate(end);
    out
}

/// Normalises a single-line value (file name, department, 分野 cell):
/// [`normalize_text`] with line breaks joined by the soft-wrap rule.
pub fn normalize_line(s: &str) -> String {
    let t = normalize_text(s);
    let mut out = String::new();
    for line in t.split('\n') {
        join_continuation(&mut out, line);
    }
    out
}

fn remove_x000d(s: &str) -> std::borrow::Cow<'_, str> {
    if s.contains("_x000") {
        s.replace("_x000D_", "").replace("_x000d_", "").into()
    } else {
        s.into()
    }
}

/// The per-character rules; line breaks become `\n`.
fn map_chars(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut it = s.chars();
    loop {
        // Most characters stay as they are: copied a run at a time.
        let rest = it.as_str();
        let kept = rest
            .char_indices()
            .find(|&(_, c)| !stays(c))
            .map_or(rest.len(), |(i, _)| i);
        out.push_str(&rest[..kept]);
        it = rest[kept..].chars();
        let Some(c) = it.next() else { break };
        match c {
            '\r' => {
                if it.clone().next() != Some('\n') {
                    out.push('\n');
                }
            }
            '\n' => out.push('\n'),
            '\t' | '\u{a0}' | '\u{2000}'..='\u{200a}' | '\u{202f}' | '\u{205f}' => out.push(' '),
            '\u{200b}' | '\u{feff}' => {}
            c if c.is_control() => {}
            // Full-width ASCII letters and digits become half-width.
            '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' => {
                out.push(char::from_u32(c as u32 - 0xFEE0).unwrap_or(c));
            }
            // Half-width katakana block becomes full-width (ｶﾞ → ガ).
            '\u{ff61}'..='\u{ff9f}' => {
                let base = halfwidth_kana(c);
                match it.clone().next() {
                    Some(m @ ('\u{ff9e}' | '\u{ff9f}'))
                        if !matches!(c, '\u{ff9e}' | '\u{ff9f}') =>
                    {
                        let mark = if m == '\u{ff9e}' {
                            '\u{3099}'
                        } else {
                            '\u{309a}'
                        };
                        if let Some(composed) = compose(base, mark) {
                            it.next();
                            out.push(composed);
                        } else {
                            out.push(base);
                        }
                    }
                    _ => out.push(base),
                }
            }
            // Kangxi radicals and CJK radical supplements that stand for a kanji.
            '\u{2e80}'..='\u{2ef3}' | '\u{2f00}'..='\u{2fd5}' => out.push(single_nfkc(c)),
            // A combining voiced mark after a kana composes with it.
            '\u{3099}' | '\u{309a}' => {
                let prev = out.pop();
                match prev.and_then(|p| compose(p, c)) {
                    Some(composed) => out.push(composed),
                    None => {
                        if let Some(p) = prev {
                            out.push(p);
                        }
                        out.push(if c == '\u{3099}' { '゛' } else { '゜' });
                    }
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// Characters no rule of [`map_chars`] changes, nor looks at when they
/// follow another: printable ASCII, kana but the combining marks, CJK
/// punctuation and the common kanji.
fn stays(c: char) -> bool {
    matches!(c, ' '..='~' | '\u{3000}'..='\u{3098}' | '\u{309b}'..='\u{30ff}' | '\u{4e00}'..='\u{9fff}')
}

fn halfwidth_kana(c: char) -> char {
    match c {
        // Stand-alone voiced marks become the spacing full-width marks.
        '\u{ff9e}' => '゛',
        '\u{ff9f}' => '゜',
        _ => single_nfkc(c),
    }
}

/// The compatibility mapping of one character when it is a single character.
fn single_nfkc(c: char) -> char {
    let mut m = std::iter::once(c).nfkc();
    match (m.next(), m.next()) {
        (Some(k), None) => k,
        _ => c,
    }
}

/// Appends `line` trimmed, its inner runs of spaces made one space.
fn collapse_spaces(out: &mut String, line: &str) {
    let line = line.trim();
    if !line.contains("  ") {
        out.push_str(line);
        return;
    }
    let mut space = false;
    for c in line.chars() {
        if c == ' ' {
            if !space {
                out.push(' ');
            }
            space = true;
        } else {
            out.push(c);
            space = false;
        }
    }
}

/// Appends a continuation line: leading spaces (U+3000 too) are dropped and a
/// single space is put in only between two ASCII letters or digits.
pub fn join_continuation(acc: &mut String, line: &str) {
    let line = line.trim_start();
    if line.is_empty() {
        return;
    }
    let last = acc.chars().last();
    let first = line.chars().next();
    if let (Some(a), Some(b)) = (last, first)
        && a.is_ascii_alphanumeric()
        && b.is_ascii_alphanumeric()
    {
        acc.push(' ');
    }
    acc.push_str(line);
}

/// Key for comparing values and headers: width rules applied, all white
/// space and line breaks removed.
pub fn match_key(s: &str) -> String {
    let mut key = normalize_text(s);
    key.retain(|c| !c.is_whitespace());
    key
}

/// Key for a 分野/区分 value: [`match_key`] without a trailing 関係.
pub fn value_key(s: &str) -> String {
    let k = match_key(s);
    match k.strip_suffix("関係") {
        Some(rest) if !rest.is_empty() => rest.to_string(),
        _ => k,
    }
}

/// Key for a header cell: [`match_key`] without a bracketed suffix
/// (`内容（具体的に）` = 内容, `分野\n（選択）` = 分野).
pub fn header_key(s: &str) -> String {
    let k = match_key(s);
    for (open, close) in [
        ('（', '）'),
        ('(', ')'),
        ('【', '】'),
        ('［', '］'),
        ('[', ']'),
    ] {
        if k.ends_with(close)
            && let Some(pos) = k.rfind(open)
            && pos > 0
        {
            return k[..pos].to_string();
        }
    }
    k
}

/// False when [`header_key`] of `text` is surely longer than `longest`
/// characters, told without normalising it: more characters than that
/// survive normalisation, and no closing bracket could shorten the key. A
/// cheap test before [`header_key`] for cells that are seldom headers.
pub fn may_be_header(text: &str, longest: usize) -> bool {
    if text.contains("_x000") {
        return true;
    }
    let removed = |c: char| {
        c.is_whitespace()
            || c.is_control()
            || matches!(
                c,
                '\u{200b}' | '\u{feff}' | '\u{3099}' | '\u{309a}' | '\u{ff9e}' | '\u{ff9f}'
            )
    };
    let kept = text
        .chars()
        .filter(|&c| !removed(c))
        .take(longest + 1)
        .count();
    kept <= longest || text.contains(['）', ')', '】', '］', ']'])
}

/// Key under which two items are duplicates: the normalised text without a
/// trailing 。.
pub fn dedup_key(text: &str) -> String {
    let k = match_key(text);
    k.trim_end_matches(['。', '.']).to_string()
}

const BULLETS: &[char] = &[
    '・', '•', '●', '○', '◦', '■', '□', '◆', '◇', '＊', '*', '-', '–',
];

const CIRCLED: std::ops::RangeInclusive<char> = '①'..='⑳';
const PARENTHESIZED: std::ops::RangeInclusive<char> = '⑴'..='⒇';

/// If the line starts with a bullet or list numbering, the text after it.
pub fn strip_marker(line: &str) -> Option<&str> {
    let mut chars = line.char_indices();
    let (_, first) = chars.next()?;
    if BULLETS.contains(&first) || CIRCLED.contains(&first) || PARENTHESIZED.contains(&first) {
        let rest = &line[first.len_utf8()..];
        // A bullet counts with or without a space after it (「*資格を…」);
        // only a minus sign before a number ("-5%") is not one.
        if matches!(first, '-' | '–') && rest.starts_with(|c: char| c.is_ascii_digit()) {
            return None;
        }
        return Some(rest.trim_start());
    }
    // (1) （1） (ア)
    if matches!(first, '(' | '（') {
        let inner_start = first.len_utf8();
        let rest = &line[inner_start..];
        let n = numbering_len(rest)?;
        let after = &rest[n..];
        let close = after.chars().next()?;
        if matches!(close, ')' | '）') {
            return Some(after[close.len_utf8()..].trim_start());
        }
        return None;
    }
    // 1. 1． 1) 1） ア. ア． ア）
    let n = numbering_len(line)?;
    let after = &line[n..];
    let sep = after.chars().next()?;
    if matches!(sep, '.' | '．' | ')' | '）') {
        let rest = &after[sep.len_utf8()..];
        // "1.5倍" is a number, not a marker.
        if sep == '.' && rest.starts_with(|c: char| c.is_ascii_digit()) {
            return None;
        }
        return Some(rest.trim_start());
    }
    None
}

/// Length in bytes of a list number at the start: ASCII digits (up to three)
/// or one katakana of the アイウエオ order.
fn numbering_len(s: &str) -> Option<usize> {
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=3).contains(&digits) {
        return Some(digits);
    }
    let c = s.chars().next()?;
    ('ア'..='ン').contains(&c).then_some(c.len_utf8())
}

/// Splits a normalised cell into items (SPEC §3): a line with a bullet or list
/// number starts an item; other lines continue it. Without any marker in the
/// cell, a line ending in 。 ends an item and other breaks are soft wraps.
/// A blank line always ends an item.
pub fn split_items(text: &str) -> Vec<String> {
    let has_markers = text.lines().any(|l| strip_marker(l.trim_start()).is_some());
    let mut items: Vec<String> = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        let line = line.trim_start();
        if line.is_empty() {
            items.extend(current.take());
            continue;
        }
        if has_markers && let Some(rest) = strip_marker(line) {
            items.extend(current.take());
            current = Some(rest.to_string());
            continue;
        }
        let acc = current.get_or_insert_with(String::new);
        join_continuation(acc, line);
        if !has_markers && line.ends_with('。') {
            items.extend(current.take());
        }
    }
    items.extend(current);
    items.retain(|i| !i.trim().is_empty());
    items
}

/// Moves a trailing `＜…＞`, `<…>` or `〈…〉` of an item into its examples.
pub fn split_examples(item: &str) -> (String, Option<String>) {
    let t = item.trim_end();
    for (open, close) in [('＜', '＞'), ('<', '>'), ('〈', '〉')] {
        if !t.ends_with(close) {
            continue;
        }
        let body = &t[..t.len() - close.len_utf8()];
        // Find the matching opening bracket, allowing nested pairs.
        let mut depth = 0usize;
        for (i, c) in body.char_indices().rev() {
            if c == close {
                depth += 1;
            } else if c == open {
                if depth == 0 {
                    let text = body[..i].trim_end();
                    let ex = body[i + open.len_utf8()..].trim();
                    if text.is_empty() || ex.is_empty() {
                        return (t.to_string(), None);
                    }
                    return (text.to_string(), Some(ex.to_string()));
                }
                depth -= 1;
            }
        }
    }
    (t.to_string(), None)
}

/// Cleans a 他自治体の事例 cell: one line, surrounding brackets removed.
pub fn clean_examples(cell: &str) -> Option<String> {
    let mut s = String::new();
    for line in normalize_text(cell).lines() {
        let line = strip_marker(line.trim_start()).unwrap_or(line);
        if !s.is_empty() && !s.ends_with(['、', '。']) && !line.is_empty() {
            s.push('、');
        }
        join_continuation(&mut s, line);
    }
    let (rest, ex) = split_examples(&s);
    let s = match ex {
        Some(e) if rest.is_empty() => e,
        _ if s.starts_with(['＜', '<', '〈']) => s
            .trim_matches(['＜', '＞', '<', '>', '〈', '〉'])
            .to_string(),
        _ => s,
    };
    (!s.trim().is_empty()).then(|| s.trim().to_string())
}

/// A number that is written as one but does not fit (第九九九九九九九九九九九回).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooLarge;

/// Parses a number written in ASCII, full-width or kanji numerals (第２回,
/// 第十二回): `None` when the text is no number, `Some(Err)` when it is one
/// too large for a `u32`.
pub fn parse_number(s: &str) -> Option<Result<u32, TooLarge>> {
    let s = match_key(s);
    if s.is_empty() {
        return None;
    }
    if s.bytes().all(|b| b.is_ascii_digit()) {
        return Some(s.parse().map_err(|_| TooLarge));
    }
    let digit = |c: char| {
        "〇一二三四五六七八九"
            .chars()
            .position(|d| d == c)
            .map(|v| v as u32)
    };
    let units = |c: char| match c {
        '十' => Some(10),
        '百' => Some(100),
        '千' => Some(1000),
        _ => None,
    };
    if !s.chars().all(|c| digit(c).is_some() || units(c).is_some()) {
        return None;
    }
    let mut total = 0u32;
    let mut current = 0u32;
    for c in s.chars() {
        let step = match digit(c) {
            Some(d) => current
                .checked_mul(10)
                .and_then(|v| v.checked_add(d))
                .map(|v| {
                    current = v;
                }),
            None => units(c)
                .and_then(|unit| current.max(1).checked_mul(unit))
                .and_then(|v| total.checked_add(v))
                .map(|v| {
                    total = v;
                    current = 0;
                }),
        };
        if step.is_none() {
            return Some(Err(TooLarge));
        }
    }
    Some(total.checked_add(current).ok_or(TooLarge))
}

/// The department from a file name stem: split at `_ - ` and spaces, drop
/// numbers, era and date tokens and submission words
/// (`R8_11_総務課_提出` → 総務課). Falls back to the whole stem.
pub fn department_from_stem(stem: &str) -> String {
    const WORDS: &[&str] = &[
        "提出",
        "回答",
        "報告",
        "照会",
        "様式",
        "取りまとめ",
        "修正",
        "最新",
        "コピー",
        "copy",
    ];
    let stem = normalize_line(stem);
    let kept: Vec<&str> = stem
        .split(['_', '-', ' ', '\u{3000}', '－', '＿'])
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .filter(|t| !is_date_token(t))
        .filter(|t| !WORDS.iter().any(|w| t.eq_ignore_ascii_case(w)))
        .collect();
    if kept.is_empty() {
        stem.trim().to_string()
    } else {
        kept.join(" ")
    }
}

fn is_date_token(t: &str) -> bool {
    let t = t.trim_matches(['(', ')', '（', '）']);
    if t.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return true;
    }
    // R8, H30, 令和8年, 2026年, 11月, 8日, 令和8年度, R8.11
    let rest = ["令和", "平成", "昭和", "R", "H", "S", "r", "h"]
        .iter()
        .find_map(|p| t.strip_prefix(p))
        .unwrap_or(t);
    rest.chars().any(|c| c.is_ascii_digit() || c == '元')
        && rest
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '元' | '.' | '年' | '月' | '日' | '度'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_ruled_out_as_a_header_has_a_longer_key() {
        let texts = [
            "分野",
            " 修正後の文 ",
            "修正後の文（ここに）",
            "現在の文\u{200b}\u{200b}\u{200b}",
            "ｶﾞｶﾞｶﾞ",
            "カ\u{3099}カ\u{3099}カ\u{3099}カ\u{3099}",
            "分_x000D_野_x000D_",
            "庁内の会議資料をペーパーレス化する",
            "庁内の会議資料をペーパーレス化する（令和5年度）",
            "\t\r\n載せない\r\n",
            "ＡＢＣＤＥＦ",
        ];
        for t in texts {
            let key = header_key(t).chars().count();
            if !may_be_header(t, 5) {
                assert!(key > 5, "{t:?} ruled out, yet its key has {key} characters");
            }
        }
        assert!(!may_be_header("庁内の会議資料をペーパーレス化する", 5));
        assert!(may_be_header("修正後の文（ここに書いてください）", 5));
    }

    #[test]
    fn no_normalisation_form_is_applied() {
        for s in ["河﨑", "\u{FA10}", "髙橋", "𠮟る", "第①項", "㈱飯塚", "ⅰ"] {
            assert_eq!(normalize_text(s), s, "{s:?} must stay as written");
        }
    }

    #[test]
    fn width_rule() {
        let cases = [
            ("ＤＸ推進", "DX推進"),
            ("ＰＣ", "PC"),
            ("１２件", "12件"),
            ("ｼｽﾃﾑ", "システム"),
            ("ｶﾞｲﾄﾞ", "ガイド"),
            ("ﾊﾟｿｺﾝ", "パソコン"),
            ("｡｢｣､･", "。「」、・"),
            ("（）「」＜＞・／、。", "（）「」＜＞・／、。"),
            ("UI／UX", "UI／UX"),
        ];
        for (a, b) in cases {
            assert_eq!(normalize_text(a), b, "{a:?}");
        }
    }

    #[test]
    fn kangxi_radicals_become_kanji() {
        assert_eq!(normalize_text("⽣活"), "生活");
        assert_eq!(normalize_text("⼈材"), "人材");
        assert_eq!(normalize_text("⾏政"), "行政");
        assert_eq!(normalize_text("⺟子"), "母子");
    }

    #[test]
    fn combining_voiced_mark_composes() {
        assert_eq!(normalize_text("カ\u{3099}イド"), "ガイド");
        assert_eq!(normalize_text("ハ\u{309a}ス"), "パス");
    }

    #[test]
    fn whitespace_and_artefacts() {
        assert_eq!(normalize_text("  a \t b\u{a0}c  "), "a b c");
        assert_eq!(normalize_text("行政_x000D_\n施策"), "行政\n施策");
        assert_eq!(normalize_text("a\r\nb\rc"), "a\nb\nc");
        assert_eq!(normalize_text("a\u{7}b"), "ab");
        assert_eq!(normalize_text("\n\n本文\n\n"), "本文");
    }

    #[test]
    fn continuation_joins() {
        assert_eq!(
            split_items("・Microsoft\nTeams の利用"),
            vec!["Microsoft Teams の利用"]
        );
        assert_eq!(
            split_items("・出張用の\nPCがあればいい。"),
            vec!["出張用のPCがあればいい。"]
        );
        assert_eq!(split_items("・職員\n\u{3000}研修"), vec!["職員研修"]);
    }

    #[test]
    fn five_bulleted_items() {
        let cell = "・一つ目。\n・二つ目\n● 三つ目\n① 四つ目\n(5) 五つ目";
        assert_eq!(
            split_items(cell),
            vec!["一つ目。", "二つ目", "三つ目", "四つ目", "五つ目"]
        );
    }

    #[test]
    fn numbering_markers() {
        for (line, rest) in [
            ("1. 項目", Some("項目")),
            ("1．項目", Some("項目")),
            ("1)項目", Some("項目")),
            ("1）項目", Some("項目")),
            ("(1)項目", Some("項目")),
            ("（1）項目", Some("項目")),
            ("⑴項目", Some("項目")),
            ("ア．項目", Some("項目")),
            ("ア）項目", Some("項目")),
            ("1.5倍にする", None),
            ("2024年度", None),
            ("-5%の削減", None),
            ("*資格", Some("資格")),
            ("- 項目", Some("項目")),
            ("アンケート", None),
        ] {
            assert_eq!(strip_marker(line), rest, "{line}");
        }
    }

    #[test]
    fn markerless_cell_splits_only_after_maru() {
        let cell = "先進地の事例に関する情報把握が必要。\n庁内手続きなどに関し、電\n話で問い合わせする職員も多い。\n整備状況\nに差がある。";
        assert_eq!(
            split_items(cell),
            vec![
                "先進地の事例に関する情報把握が必要。",
                "庁内手続きなどに関し、電話で問い合わせする職員も多い。",
                "整備状況に差がある。"
            ]
        );
        assert_eq!(split_items("一行目\n二行目"), vec!["一行目二行目"]);
    }

    #[test]
    fn examples_are_extracted() {
        assert_eq!(
            split_examples("名刺管理システムの導入。＜徳島県、仙台市など＞"),
            (
                "名刺管理システムの導入。".to_string(),
                Some("徳島県、仙台市など".to_string())
            )
        );
        assert_eq!(
            split_examples("導入<石狩市>"),
            ("導入".to_string(), Some("石狩市".to_string()))
        );
        assert_eq!(
            split_examples("導入〈柏市〉"),
            ("導入".to_string(), Some("柏市".to_string()))
        );
        assert_eq!(split_examples("＜のみ＞"), ("＜のみ＞".to_string(), None));
        assert_eq!(split_examples("A＜B＞C"), ("A＜B＞C".to_string(), None));
    }

    #[test]
    fn examples_cell_is_cleaned() {
        assert_eq!(
            clean_examples(" 北九州市、八王子市 "),
            Some("北九州市、八王子市".into())
        );
        assert_eq!(clean_examples("＜宗像市＞"), Some("宗像市".into()));
        assert_eq!(
            clean_examples("宗像市\n明石市"),
            Some("宗像市、明石市".into())
        );
        assert_eq!(clean_examples("  "), None);
    }

    #[test]
    fn keys() {
        assert_eq!(value_key(" ＤＸ・ＢＰＲ関係 "), "DX・BPR");
        assert_eq!(header_key("内容（具体的に）"), "内容");
        assert_eq!(header_key("分野\n（選択）"), "分野");
        assert_eq!(header_key("現状と\n課題"), "現状と課題");
        assert_eq!(
            dedup_key("部署によって求められるＰＣの仕様。"),
            dedup_key("部署によって求められるPCの仕様")
        );
    }

    #[test]
    fn numbers() {
        assert_eq!(parse_number("２"), Some(Ok(2)));
        assert_eq!(parse_number("12"), Some(Ok(12)));
        assert_eq!(parse_number("十二"), Some(Ok(12)));
        assert_eq!(parse_number("二十"), Some(Ok(20)));
        assert_eq!(parse_number("三"), Some(Ok(3)));
        assert_eq!(parse_number("x"), None);
        assert_eq!(parse_number("第2"), None);
        // Out of range is said, not wrapped (it printed 第1215752191回).
        assert_eq!(parse_number("九九九九九九九九九九九"), Some(Err(TooLarge)));
        assert_eq!(parse_number("99999999999"), Some(Err(TooLarge)));
        assert_eq!(
            parse_number("千千千千千千千千千千千千千千"),
            Some(Ok(14000))
        );
    }

    #[test]
    fn bullets_with_or_without_a_space() {
        assert_eq!(
            split_items("*資格を持つ職員が少ない。\n＊研修が足りない。\n-人手不足"),
            vec!["資格を持つ職員が少ない。", "研修が足りない。", "人手不足"]
        );
    }

    #[test]
    fn department_from_file_name() {
        for (stem, dep) in [
            ("R8_11_総務課_提出", "総務課"),
            ("R5_06_財政課_回答", "財政課"),
            ("情報政策課", "情報政策課"),
            ("令和8年11月-人事課 報告", "人事課"),
            ("2026_11月_市民課_最新", "市民課"),
            ("H30 企画課 copy", "企画課"),
            ("提出", "提出"),
        ] {
            assert_eq!(department_from_stem(stem), dep, "{stem}");
        }
    }
}
