//! Text measurement and Japanese line breaking (禁則処理), done once and used
//! by both the PDF and the Excel row heights.

/// Width of characters in some unit (Excel character units, PDF points…).
pub trait Measure {
    /// Advance width of one character.
    fn advance(&self, c: char) -> f64;

    /// Width of a string.
    fn width(&self, s: &str) -> f64 {
        s.chars().map(|c| self.advance(c)).sum()
    }
}

/// Characters that must not start a line (jlreq cl-02, 04–07, 09–11:
/// closing brackets, hyphens, dividing punctuation, middle dots, full stops,
/// commas, iteration marks, prolonged sound mark, small kana).
pub(crate) fn no_line_start(c: char) -> bool {
    matches!(
        c,
        '）' | ')'
            | '」'
            | '』'
            | '】'
            | '〕'
            | '〉'
            | '》'
            | '＞'
            | '>'
            | '］'
            | ']'
            | '｝'
            | '}'
            | '〙'
            | '〗'
            | '’'
            | '”'
            | '»'
            | '‐'
            | '〜'
            | '～'
            | '゠'
            | '–'
            | '！'
            | '？'
            | '!'
            | '?'
            | '‼'
            | '⁇'
            | '⁈'
            | '⁉'
            | '・'
            | '：'
            | '；'
            | ':'
            | ';'
            | '。'
            | '．'
            | '.'
            | '、'
            | '，'
            | ','
            | 'ヽ'
            | 'ヾ'
            | 'ゝ'
            | 'ゞ'
            | '々'
            | '〻'
            | 'ー'
            | 'ぁ'
            | 'ぃ'
            | 'ぅ'
            | 'ぇ'
            | 'ぉ'
            | 'っ'
            | 'ゃ'
            | 'ゅ'
            | 'ょ'
            | 'ゎ'
            | 'ゕ'
            | 'ゖ'
            | 'ァ'
            | 'ィ'
            | 'ゥ'
            | 'ェ'
            | 'ォ'
            | 'ッ'
            | 'ャ'
            | 'ュ'
            | 'ョ'
            | 'ヮ'
            | 'ヵ'
            | 'ヶ'
            | 'ㇰ'..='ㇿ' | '％' | '%'
    )
}

/// Characters that must not end a line (jlreq cl-01: opening brackets).
pub(crate) fn no_line_end(c: char) -> bool {
    matches!(
        c,
        '（' | '('
            | '「'
            | '『'
            | '【'
            | '〔'
            | '〈'
            | '《'
            | '＜'
            | '<'
            | '［'
            | '['
            | '｛'
            | '{'
            | '〘'
            | '〖'
            | '‘'
            | '“'
            | '«'
    )
}

/// Letters and digits that form an unbreakable word (ASCII and full-width),
/// plus the separators inside numbers such as `1,200` or `１，２００`.
fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(c, '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ')
        || (c.is_ascii_graphic() && !no_line_end(c))
}

fn is_number_separator(c: char) -> bool {
    matches!(c, ',' | '.' | '，' | '．')
}

/// May a line break come between `prev` and `next`?
pub(crate) fn can_break(prev: char, next: char, after_next: Option<char>) -> bool {
    if prev == ' ' {
        return next != ' ';
    }
    if next == ' ' {
        return false;
    }
    if no_line_start(next) || no_line_end(prev) {
        return false;
    }
    if is_word_char(prev) && is_word_char(next) {
        return false;
    }
    // １，２００: a separator between digits belongs to the number.
    if is_number_separator(prev) && next.is_numeric() {
        return false;
    }
    if is_number_separator(next) && prev.is_numeric() && after_next.is_some_and(char::is_numeric) {
        return false;
    }
    true
}

/// Breaks `text` into lines no wider than `max` (a word longer than a line
/// is broken by character rather than overflowing). Spaces at a break are
/// dropped.
pub(crate) fn break_lines(text: &str, max: f64, m: &(impl Measure + ?Sized)) -> Vec<String> {
    break_ranges(text, max, m)
        .into_iter()
        .map(|r| text[r].to_string())
        .collect()
}

/// Like [`break_lines`], as byte ranges into `text` (trailing spaces excluded).
pub(crate) fn break_ranges(
    text: &str,
    max: f64,
    m: &(impl Measure + ?Sized),
) -> Vec<std::ops::Range<usize>> {
    break_ranges_by(text, max, m, |_, _| true)
}

/// Like [`break_ranges`], for the text of a spreadsheet cell: a closing
/// bracket, comma or full stop also keeps the Latin letter or digit that
/// follows it on its line (LibreOffice Calc does not break 「、ICT」 or
/// 「し、AI・RPA」 after the comma; Excel's row heights are computed with
/// these stricter rules so that they never fall short of Calc's).
pub(crate) fn break_cell_ranges(
    text: &str,
    max: f64,
    m: &(impl Measure + ?Sized),
) -> Vec<std::ops::Range<usize>> {
    break_ranges_by(text, max, m, |prev, next| {
        !(closes(prev) && (next.is_alphanumeric() && is_word_char(next)))
    })
}

/// Closing brackets, ideographic and full-width commas and full stops
/// (UAX #14 class CL).
fn closes(c: char) -> bool {
    matches!(
        c,
        '、' | '。' | '，' | '．' | '）' | '」' | '』' | '】' | '〕' | '〉' | '》' | '］' | '｝'
    )
}

/// [`break_ranges`] with one more condition on every break opportunity
/// between two characters.
fn break_ranges_by(
    text: &str,
    max: f64,
    m: &(impl Measure + ?Sized),
    allowed: impl Fn(char, char) -> bool,
) -> Vec<std::ops::Range<usize>> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let byte = |i: usize| chars.get(i).map(|c| c.0).unwrap_or(text.len());
    // UAX #14 opportunities (a break before this byte is allowed), to which
    // our own rules below add the handout's stricter 禁則.
    // Per character: may a line start at it.
    let mut uax = vec![false; chars.len()];
    let mut at = 0;
    for (b, _) in unicode_linebreak::linebreaks(text) {
        while at < chars.len() && chars[at].0 < b {
            at += 1;
        }
        if let Some(u) = uax.get_mut(at).filter(|_| chars[at].0 == b) {
            *u = true;
        }
    }
    let ch = |i: usize| chars[i].1;
    let mut lines = Vec::new();
    let mut start = 0;
    while start < chars.len() {
        let mut width = 0.0;
        let mut end = start;
        let mut last_break = None;
        while end < chars.len() {
            let w = m.advance(ch(end));
            if width + w > max + 1e-9 && end > start && ch(end) != ' ' {
                break;
            }
            width += w;
            end += 1;
            if end < chars.len()
                && uax[end]
                && can_break(ch(end - 1), ch(end), chars.get(end + 1).map(|c| c.1))
                && allowed(ch(end - 1), ch(end))
            {
                last_break = Some(end);
            }
        }
        let cut = if end >= chars.len() {
            chars.len()
        } else {
            match last_break {
                Some(b) if b > start => b,
                _ => forced_cut(&chars, start, end),
            }
        };
        let mut line_end = cut;
        while line_end > start && ch(line_end - 1) == ' ' {
            line_end -= 1;
        }
        lines.push(byte(start)..byte(line_end));
        start = cut;
        while start < chars.len() && ch(start) == ' ' {
            start += 1;
        }
    }
    if lines.is_empty() {
        lines.push(0..0);
    }
    lines
}

/// No allowed break fits: cut by character, still keeping a
/// line-start-prohibited character off the next line. When backing off is
/// impossible (a line only one or two characters wide), up to two such
/// characters hang past the end instead (ぶら下げ).
fn forced_cut(chars: &[(usize, char)], start: usize, end: usize) -> usize {
    let bad = |cut: usize| {
        cut < chars.len() && (no_line_start(chars[cut].1) || no_line_end(chars[cut - 1].1))
    };
    let mut cut = end;
    while cut > start + 1 && bad(cut) {
        cut -= 1;
    }
    if bad(cut) {
        cut = end;
        for _ in 0..2 {
            if bad(cut) {
                cut += 1;
            }
        }
    }
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    use unicode_width::UnicodeWidthChar;

    /// East Asian width in Excel column units: a wide character counts `wide`,
    /// a narrow one `narrow`.
    #[derive(Debug, Clone, Copy, PartialEq)]
    struct CellUnits {
        /// Units of a full-width character.
        wide: f64,
        /// Units of a half-width character.
        narrow: f64,
    }

    impl Measure for CellUnits {
        fn advance(&self, c: char) -> f64 {
            match c.width() {
                Some(2) => self.wide,
                Some(0) | None => 0.0,
                _ => self.narrow,
            }
        }
    }

    const UNITS: CellUnits = CellUnits {
        wide: 2.0,
        narrow: 1.0,
    };

    fn check(text: &str, max: f64) -> Vec<String> {
        let lines = break_lines(text, max, &UNITS);
        assert_eq!(
            lines.concat().replace(' ', ""),
            text.replace(' ', ""),
            "no text lost"
        );
        for (i, l) in lines.iter().enumerate() {
            let hanging = l
                .chars()
                .rev()
                .take_while(|&c| no_line_start(c))
                .take(2)
                .map(|c| UNITS.advance(c))
                .sum::<f64>();
            assert!(
                UNITS.width(l) <= max + hanging || l.chars().count() == 1,
                "{l:?} too wide"
            );
            if i > 0 {
                let first = l.chars().next().unwrap();
                assert!(!no_line_start(first), "line starts with {first}: {lines:?}");
            }
            if i + 1 < lines.len() {
                let last = l.chars().last().unwrap();
                assert!(!no_line_end(last), "line ends with {last}: {lines:?}");
            }
        }
        lines
    }

    #[test]
    fn kinsoku_at_narrow_widths() {
        let texts = [
            "公共施設の再配置の推進。＜北九州市、秦野市など＞",
            "職員研修（デジタル基礎、EBPM、データ活用、デザイン思考等）の実施。",
            "「行政の常識が民間の非常識」を見直す。ギャップの解消。",
            "ショッピングセンターのチャットボット、ジャッジ、ちょっと",
            "予算は１，２００万円、2024年度のDX推進。",
        ];
        for t in texts {
            for max in [4.0, 5.0, 6.0, 7.0, 9.0, 12.0, 17.0] {
                check(t, max);
            }
        }
    }

    #[test]
    fn words_and_numbers_stay_whole() {
        let lines = check("あいうえおDXかきくけこ", 11.0);
        assert!(lines.iter().all(|l| !l.ends_with('D')), "{lines:?}");
        let lines = check("金額は1,200円です", 8.0);
        assert!(lines.iter().any(|l| l.contains("1,200")), "{lines:?}");
        let lines = check("Microsoft Teams の導入", 12.0);
        assert_eq!(lines[0], "Microsoft");
    }

    #[test]
    fn adversarial_strings_never_split_illegally() {
        // From 10 units up every word of these strings fits on a line, so no
        // word may be broken (a longer word would break by character).
        for max in [10.0, 11.0, 12.0, 13.0, 14.0, 16.0, 17.0, 21.0] {
            for text in [
                "ＤＸ推進とＤＸ人材",
                "予算１，２００万円の事業",
                "導入＜宗像市、明石市など＞",
                "（仮称）「ＤＸ」【重要】",
                "ちょっとチェックしてショップへ",
                "データ・ウェアハウス…ー",
                "2024年度から12,345件",
            ] {
                let lines = check(text, max);
                for pair in lines.windows(2) {
                    let (a, b) = (
                        pair[0].chars().last().unwrap(),
                        pair[1].chars().next().unwrap(),
                    );
                    let full_alnum = |c: char| matches!(c, '０'..='９' | 'Ａ'..='Ｚ' | '，');
                    assert!(
                        !(full_alnum(a) && full_alnum(b)),
                        "{text} split inside a word: {lines:?}"
                    );
                    assert!(
                        !(a.is_ascii_alphanumeric() && b.is_ascii_alphanumeric()),
                        "{text}: {lines:?}"
                    );
                    assert!(a != '＜' && b != '＞' && b != '、', "{text}: {lines:?}");
                }
            }
        }
    }

    #[test]
    fn hyphenated_words_stay_whole() {
        let lines = check("BPR(Business Process Re-engineering)に関して", 16.0);
        assert!(
            lines.iter().any(|l| l.contains("Re-engineering")),
            "{lines:?}"
        );
    }

    #[test]
    fn a_cell_keeps_a_latin_word_after_closing_punctuation() {
        // 12 units: 漢字漢字、 is 10 wide, ICT 3 more.
        let text = "漢字漢字、ICTの活用";
        let print: Vec<&str> = break_ranges(text, 12.0, &UNITS)
            .into_iter()
            .map(|r| &text[r])
            .collect();
        assert_eq!(print, ["漢字漢字、", "ICTの活用"]);
        let cell: Vec<&str> = break_cell_ranges(text, 12.0, &UNITS)
            .into_iter()
            .map(|r| &text[r])
            .collect();
        assert_eq!(cell, ["漢字漢", "字、ICTの活", "用"]);
        // Kana or a kanji before the word: a break as usual.
        let text = "漢字漢字しICTの活用";
        assert_eq!(break_cell_ranges(text, 12.0, &UNITS).len(), 2);
    }

    #[test]
    fn long_word_breaks_by_character() {
        let lines = check("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 10.0);
        assert_eq!(lines.len(), 3);
    }
}
