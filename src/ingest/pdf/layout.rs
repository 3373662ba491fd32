//! Undoing a PDF's page layout (SPEC §8.3): glyphs become lines, lines
//! become segments (the cells of a table row stay apart), and segments
//! become paragraphs — a line that runs to the right edge continues on the
//! next line at the same indent; a bullet, a numbered heading, a blank
//! line, a short line or another indent starts a new paragraph.
//! Letter-spaced words (`会 議 録`) are closed up, bullets from symbol fonts
//! (U+F06C…) become `・`, and text repeated at the same place on most pages
//! (running headers and footers) and page numbers are furniture.

use std::collections::HashMap;

use super::content::{Glyph, Page};
use crate::ingest::minutes::Paragraph;
use crate::normalize;

/// A gap of this many ems between two words on a line separates columns
/// (the cells of a table row, a label and its value).
const COLUMN_GAP: f32 = 2.0;
/// How far short of the right edge (ems) a line may end and still be
/// wrapped rather than ended.
const FULL_LINE: f32 = 2.0;
/// Shortest line (ems) that can be a wrapped one: a few words flush with
/// each other do not make a right edge.
const WRAP_WIDTH: f32 = 8.0;
/// Most distance between two baselines of one paragraph, in ems, when the
/// document's own line pitch cannot be told.
const LINE_PITCH: f32 = 2.2;
/// Most distance between two baselines of one paragraph, as a multiple of
/// the document's usual line pitch.
const PITCH_SLACK: f32 = 1.35;
/// How far apart (ems) two lines may start and still be one column.
const ALIGN: f32 = 0.6;
/// Share of the page height at the top and at the bottom where running
/// headers, footers and page numbers are looked for.
const MARGIN_BAND: f32 = 0.15;

/// Bullets that symbol fonts and word processors draw, besides those the
/// text rules already know (`・●○■◆…`).
const EXTRA_BULLETS: &[char] = &[
    '▪', '▫', '➢', '➤', '►', '▶', '✓', '✔', '❖', '◘', '·', '∙', '\u{2023}', '\u{2043}',
];

/// True for a bullet drawn from a symbol font (a private-use code point,
/// as Word maps Wingdings and Symbol) or another bullet glyph.
fn is_symbol_bullet(c: char) -> bool {
    ('\u{E000}'..='\u{F8FF}').contains(&c) || EXTRA_BULLETS.contains(&c)
}

/// True for a character set full-width (kanji, kana, full-width forms):
/// no space is read between two of them.
fn is_wide(c: char) -> bool {
    unicode_width::UnicodeWidthChar::width(c) == Some(2) || is_symbol_bullet(c)
}

/// A word on a line: glyphs with no gap between them.
#[derive(Debug, Clone)]
struct Atom {
    text: String,
    x0: f32,
    x1: f32,
    /// What separated it from the previous word: the space glyphs drawn
    /// there, or one space for a gap.
    before: String,
    /// The gap before it (points).
    gap: f32,
    /// x of its second glyph (where text starts after a bullet glyph).
    second_x0: Option<f32>,
}

/// A run of words of one line that belongs to one column.
#[derive(Debug, Clone)]
struct Segment {
    text: String,
    x0: f32,
    x1: f32,
    /// Where the text starts after a leading bullet or number.
    text_x0: f32,
    /// Starts with a bullet or list number.
    marked: bool,
}

/// One line of a page.
#[derive(Debug, Clone)]
struct Line {
    y: f32,
    size: f32,
    segments: Vec<Segment>,
}

impl Line {
    fn text(&self) -> String {
        self.segments
            .iter()
            .map(|s| s.text.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Glyphs into lines, top to bottom, each sorted left to right.
fn lines(page: &Page) -> Vec<Line> {
    let mut glyphs: Vec<&Glyph> = page
        .glyphs
        .iter()
        .filter(|g| g.text.as_deref().is_some_and(|t| !t.is_empty()) && g.size > 0.0)
        .collect();
    glyphs.sort_by(|a, b| b.y.total_cmp(&a.y).then(a.x0.total_cmp(&b.x0)));
    let mut groups: Vec<Vec<&Glyph>> = Vec::new();
    for g in glyphs {
        match groups.last_mut() {
            Some(line) if (line[0].y - g.y).abs() <= 0.4 * line[0].size.min(g.size).max(1.0) => {
                line.push(g);
            }
            _ => groups.push(vec![g]),
        }
    }
    groups
        .into_iter()
        .filter_map(|mut glyphs| {
            glyphs.sort_by(|a, b| a.x0.total_cmp(&b.x0));
            line(&glyphs)
        })
        .collect()
}

/// One line from its glyphs, left to right.
fn line(glyphs: &[&Glyph]) -> Option<Line> {
    let mut sizes: Vec<f32> = glyphs.iter().map(|g| g.size).collect();
    sizes.sort_by(f32::total_cmp);
    let size = sizes[sizes.len() / 2];
    let y = glyphs.iter().map(|g| g.y).sum::<f32>() / glyphs.len() as f32;
    let mut atoms: Vec<Atom> = Vec::new();
    let mut spaces = String::new();
    let mut last: Option<&Glyph> = None;
    for g in glyphs {
        let text = g.text.as_deref().unwrap_or_default();
        if text.trim().is_empty() {
            spaces.push_str(text);
            continue;
        }
        // The same glyph drawn twice (shadow or fake bold) is read once.
        if let Some(prev) = last
            && prev.text == g.text
            && (g.x0 - prev.x0).abs() < 0.3 * g.size
        {
            continue;
        }
        let gap = last.map_or(0.0, |p| g.x0 - p.x1);
        let joins = match (last, atoms.last_mut()) {
            (Some(prev), Some(atom)) if spaces.is_empty() => {
                let a = atom.text.chars().last().unwrap_or(' ');
                let b = text.chars().next().unwrap_or(' ');
                let wide = is_wide(a) || is_wide(b);
                let limit = if wide { 0.6 } else { 0.2 } * prev.size.min(g.size);
                if gap <= limit {
                    if atom.second_x0.is_none() {
                        atom.second_x0 = Some(g.x0);
                    }
                    atom.text.push_str(text);
                    atom.x1 = atom.x1.max(g.x1);
                    true
                } else {
                    false
                }
            }
            _ => false,
        };
        if !joins {
            // A space drawn between two Latin words is a space, whatever
            // the font maps it to; between Japanese words it is kept as
            // drawn (an ideographic space stays one).
            let latin = atoms
                .last()
                .and_then(|a| a.text.chars().last())
                .is_some_and(|a| !is_wide(a))
                && text.chars().next().is_some_and(|b| !is_wide(b));
            let before = if atoms.is_empty() {
                String::new()
            } else if spaces.is_empty() || latin {
                " ".to_string()
            } else {
                std::mem::take(&mut spaces)
            };
            atoms.push(Atom {
                text: text.to_string(),
                x0: g.x0,
                x1: g.x1,
                before,
                gap,
                second_x0: None,
            });
        }
        spaces.clear();
        last = Some(g);
    }
    let atoms = close_up(atoms, size);
    let segments = segments(atoms, size);
    (!segments.is_empty()).then_some(Line { y, size, segments })
}

/// Closes up letter-spaced words: a run of two or more single full-width
/// characters set apart by even gaps (`会 議 録`, `事　務　局`) is one word.
fn close_up(atoms: Vec<Atom>, size: f32) -> Vec<Atom> {
    let single = |a: &Atom| {
        let mut c = a.text.chars();
        matches!((c.next(), c.next()), (Some(ch), None) if is_wide(ch) && !is_symbol_bullet(ch) && !ch.is_ascii())
    };
    let mut out: Vec<Atom> = Vec::new();
    let mut i = 0;
    while i < atoms.len() {
        let mut j = i + 1;
        if single(&atoms[i]) {
            let mut gaps: Vec<f32> = Vec::new();
            while j < atoms.len() && single(&atoms[j]) && atoms[j].gap <= 8.0 * size {
                let g = atoms[j].gap;
                let lo = gaps.iter().copied().fold(g, f32::min);
                let hi = gaps.iter().copied().fold(g, f32::max);
                if hi > 1.5 * lo + 0.5 * size {
                    break;
                }
                gaps.push(g);
                j += 1;
            }
        }
        if j - i >= 2 {
            let mut merged = atoms[i].clone();
            for a in &atoms[i + 1..j] {
                merged.text.push_str(&a.text);
                merged.x1 = a.x1;
            }
            merged.second_x0 = Some(atoms[i + 1].x0);
            out.push(merged);
        } else {
            out.extend(atoms[i..j].iter().cloned());
        }
        i = j;
    }
    out
}

/// A word that is only a list marker (a bullet, `３`, `(1)`, `①`): it
/// belongs with the text after it, however wide the tab between them.
fn is_lone_marker(text: &str) -> bool {
    let t = normalize::normalize_line(text);
    let mut chars = t.chars();
    if let (Some(c), None) = (chars.next(), chars.next())
        && (is_symbol_bullet(c) || normalize::strip_marker(&t).is_some_and(str::is_empty))
    {
        return true;
    }
    let digits = t.trim_end_matches(['.', '．', ')', '）', '、']);
    if !digits.is_empty() && digits.len() <= 3 && digits.chars().all(|c| c.is_ascii_digit()) {
        return true;
    }
    normalize::strip_marker(&t).is_some_and(str::is_empty)
}

/// Whether a segment's text starts with a bullet or list numbering.
fn starts_marked(text: &str) -> bool {
    let t = normalize::normalize_line(text);
    t.chars().next().is_some_and(is_symbol_bullet) || normalize::strip_marker(&t).is_some()
}

/// Splits a line's words into segments at column gaps.
fn segments(atoms: Vec<Atom>, size: f32) -> Vec<Segment> {
    let mut out: Vec<Segment> = Vec::new();
    let mut lone_marker = false;
    for a in atoms {
        let column = a.gap >= COLUMN_GAP * size;
        match out.last_mut() {
            Some(seg) if !column || lone_marker => {
                if lone_marker {
                    seg.text_x0 = a.x0;
                }
                seg.text.push_str(&a.before);
                seg.text.push_str(&a.text);
                seg.x1 = a.x1;
                lone_marker = false;
            }
            _ => {
                lone_marker = is_lone_marker(&a.text);
                let marked = starts_marked(&a.text);
                let text_x0 = if marked && !lone_marker {
                    a.second_x0.unwrap_or(a.x0)
                } else {
                    a.x0
                };
                out.push(Segment {
                    text: a.text,
                    x0: a.x0,
                    x1: a.x1,
                    text_x0,
                    marked,
                });
            }
        }
    }
    out
}

/// A line's text as a key for repeated furniture: digits as `#`, no spaces.
fn furniture_key(text: &str) -> String {
    normalize::match_key(text)
        .chars()
        .map(|c| if c.is_ascii_digit() { '#' } else { c })
        .collect()
}

/// Page numbers: `3`, `- 3 -`, `3/12`, `3ページ`, `p.3`, `３頁`.
fn is_page_number(text: &str) -> bool {
    let key = furniture_key(text);
    let key = key.strip_suffix("ページ").unwrap_or(&key);
    let core: String = key
        .chars()
        .filter(|c| !"-－‐–—ー―()（）[]［］・".contains(*c))
        .collect();
    let core = core
        .trim_start_matches(['p', 'P'])
        .trim_start_matches(['.', '第'])
        .trim_end_matches(['頁']);
    let mut parts = core.split('/');
    let all_digits = |s: &str| !s.is_empty() && s.chars().all(|c| c == '#');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(a), None, None) => all_digits(a),
        (Some(a), Some(b), None) => all_digits(a) && all_digits(b),
        _ => false,
    }
}

/// Marks each page's lines that are furniture: running headers and
/// footers repeated at the same place on most pages, and page numbers at
/// the top or the bottom.
fn furniture(pages: &[(f32, Vec<Line>)]) -> Vec<Vec<bool>> {
    let in_band =
        |height: f32, y: f32| y > height * (1.0 - MARGIN_BAND) || y < height * MARGIN_BAND;
    let candidates = |lines: &[Line]| -> Vec<usize> {
        let n = lines.len();
        (0..n).filter(|&i| i < 2 || i + 2 >= n).collect()
    };
    // key → pages and heights where it stands.
    let mut seen: HashMap<String, Vec<(usize, f32)>> = HashMap::new();
    for (p, (height, lines)) in pages.iter().enumerate() {
        for i in candidates(lines) {
            if in_band(*height, lines[i].y) {
                let entry = seen.entry(furniture_key(&lines[i].text())).or_default();
                if entry.last().is_none_or(|(q, _)| *q != p) {
                    entry.push((p, lines[i].y));
                }
            }
        }
    }
    let repeated = |key: &str, y: f32, height: f32| {
        seen.get(key).is_some_and(|places| {
            let near = places
                .iter()
                .filter(|(_, y2)| (y - y2).abs() <= 0.02 * height)
                .count();
            near >= 2 && near * 2 > pages.len()
        })
    };
    pages
        .iter()
        .map(|(height, lines)| {
            let mut marks = vec![false; lines.len()];
            for i in candidates(lines) {
                let l = &lines[i];
                if in_band(*height, l.y) {
                    let text = l.text();
                    marks[i] =
                        is_page_number(&text) || repeated(&furniture_key(&text), l.y, *height);
                }
            }
            marks
        })
        .collect()
}

/// The right edge of the text: the furthest x that at least three line
/// ends reach (one long line alone does not move it).
fn right_edge(ends: &mut [(f32, f32)]) -> Option<f32> {
    ends.sort_by(|a, b| b.0.total_cmp(&a.0));
    for (k, (x, size)) in ends.iter().enumerate() {
        let near = ends[k..]
            .iter()
            .take_while(|(x2, _)| *x2 >= x - 1.5 * size)
            .count();
        if near >= 3 {
            return Some(*x);
        }
    }
    ends.first().map(|e| e.0)
}

/// The document's usual distance between the baselines of two lines that
/// follow each other (the most common one), if it has enough lines to say.
fn line_pitch(laid: &[(f32, Vec<Line>)], marks: &[Vec<bool>]) -> Option<f32> {
    let mut counts: HashMap<i64, usize> = HashMap::new();
    for ((_, lines), marks) in laid.iter().zip(marks) {
        let body: Vec<&Line> = lines
            .iter()
            .zip(marks)
            .filter(|(_, f)| !**f)
            .map(|(l, _)| l)
            .collect();
        for pair in body.windows(2) {
            let d = pair[0].y - pair[1].y;
            let em = pair[0].size.max(pair[1].size);
            if d >= 0.8 * em && d <= 4.0 * em {
                *counts.entry((d * 2.0).round() as i64).or_default() += 1;
            }
        }
    }
    let (half_points, n) = counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))?;
    (n >= 3).then_some(half_points as f32 / 2.0)
}

/// Whether a text ends a sentence.
fn ends_sentence(text: &str) -> bool {
    text.trim_end()
        .ends_with(['。', '．', '！', '？', '」', '）', '.'])
}

/// The last segment of an open paragraph.
#[derive(Debug, Clone)]
struct Open {
    paragraph: usize,
    page: usize,
    /// Body line index on its page.
    line: usize,
    y: f32,
    size: f32,
    x0: f32,
    x1: f32,
    /// The last segment of its line.
    ends_line: bool,
    /// The last body line of its page.
    ends_page: bool,
    ends_sentence: bool,
    /// The paragraph's first segment: where it starts and its text starts.
    first_x0: f32,
    first_text_x0: f32,
    marked: bool,
    lines: usize,
}

/// The right edge of full lines for each page width (portrait and
/// landscape pages differ).
fn right_edges(
    pages: &[Page],
    laid: &[(f32, Vec<Line>)],
    marks: &[Vec<bool>],
) -> HashMap<i64, f32> {
    let mut ends: HashMap<i64, Vec<(f32, f32)>> = HashMap::new();
    for ((_, lines), (page, marks)) in laid.iter().zip(pages.iter().zip(marks)) {
        for (l, furniture) in lines.iter().zip(marks) {
            if !furniture
                && let Some(last) = l.segments.last()
                && last.x1 - last.x0 >= WRAP_WIDTH * l.size
            {
                ends.entry(page.width.round() as i64)
                    .or_default()
                    .push((last.x1, l.size));
            }
        }
    }
    ends.into_iter()
        .filter_map(|(w, mut e)| right_edge(&mut e).map(|x| (w, x)))
        .collect()
}

/// The body line being read: its page, its index among the page's body
/// lines, the line, the right edge of full lines and the line pitch.
struct Here<'a> {
    page: usize,
    body: usize,
    line: &'a Line,
    right: f32,
    pitch: Option<f32>,
}

/// Whether segment `s` of the line `here` continues the open paragraph
/// `o`: on the next line (or at the top of the next page), the same size,
/// `o` filling its line, and `s` aligned with it (or with its text after
/// a bullet, or a first-line indent).
fn continues(o: &Open, s: &Segment, here: &Here) -> bool {
    let (p, body, l, right) = (here.page, here.body, here.line, here.right);
    let most = here
        .pitch
        .map_or(LINE_PITCH * o.size.max(l.size), |p| PITCH_SLACK * p);
    let adjacent = (o.page == p && o.line + 1 == body && o.y - l.y > 0.0 && o.y - l.y <= most)
        || (o.page + 1 == p && o.ends_page && body == 0);
    let em = o.size.max(1.0);
    let same_size = o.size.max(l.size) <= 1.2 * o.size.min(l.size);
    let full = o.ends_line
        && o.x1 - o.x0 >= WRAP_WIDTH * em
        && o.x1 >= right - FULL_LINE * em
        && !(o.ends_sentence && o.x1 < right - 0.7 * em);
    let aligned = (s.x0 - o.x0).abs() <= ALIGN * em
        || (o.lines == 1
            && ((o.marked && (s.x0 - o.first_text_x0).abs() <= ALIGN * em)
                || (!o.marked && s.x0 < o.first_x0 - 0.3 * em && s.x0 >= o.first_x0 - 3.5 * em)));
    adjacent && same_size && full && aligned
}

/// The paragraphs of a document's pages, in reading order (furniture
/// included, marked).
pub(crate) fn paragraphs(pages: &[Page]) -> Vec<Paragraph> {
    let laid: Vec<(f32, Vec<Line>)> = pages.iter().map(|p| (p.height, lines(p))).collect();
    let marks = furniture(&laid);
    let edges = right_edges(pages, &laid, &marks);
    let pitch = line_pitch(&laid, &marks);

    let mut out: Vec<Paragraph> = Vec::new();
    let mut open: Vec<Open> = Vec::new();
    for (p, ((_, lines), marks)) in laid.iter().zip(&marks).enumerate() {
        let place = format!("p{}", p + 1);
        let right = edges
            .get(&(pages[p].width.round() as i64))
            .copied()
            .unwrap_or(f32::MAX);
        let body_lines = marks.iter().filter(|m| !**m).count();
        let mut body = 0usize;
        for (l, furniture) in lines.iter().zip(marks) {
            if *furniture {
                out.push(Paragraph {
                    text: l.text(),
                    place: place.clone(),
                    furniture: true,
                });
                continue;
            }
            let mut next_open = Vec::new();
            // A paragraph started left of a segment on the same line is a
            // new table row: the cells right of it start anew too.
            let mut row_started = false;
            for (k, s) in l.segments.iter().enumerate() {
                let ends_line = k + 1 == l.segments.len();
                let here = Here {
                    page: p,
                    body,
                    line: l,
                    right,
                    pitch,
                };
                let found = open
                    .iter()
                    .enumerate()
                    .filter(|(_, o)| !s.marked && !row_started && continues(o, s, &here))
                    .min_by(|(_, a), (_, b)| (a.x0 - s.x0).abs().total_cmp(&(b.x0 - s.x0).abs()))
                    .map(|(i, _)| i);
                let state = match found {
                    Some(i) => {
                        let o = open.swap_remove(i);
                        normalize::join_continuation(&mut out[o.paragraph].text, &s.text);
                        Open {
                            line: body,
                            page: p,
                            y: l.y,
                            size: l.size,
                            x0: s.x0,
                            x1: s.x1,
                            ends_line,
                            ends_page: body + 1 == body_lines,
                            ends_sentence: ends_sentence(&s.text),
                            lines: o.lines + 1,
                            ..o
                        }
                    }
                    None => {
                        row_started = true;
                        out.push(Paragraph::new(bullet_as_text(&s.text), place.clone()));
                        Open {
                            paragraph: out.len() - 1,
                            page: p,
                            line: body,
                            y: l.y,
                            size: l.size,
                            x0: s.x0,
                            x1: s.x1,
                            ends_line,
                            ends_page: body + 1 == body_lines,
                            ends_sentence: ends_sentence(&s.text),
                            first_x0: s.x0,
                            first_text_x0: s.text_x0,
                            marked: s.marked,
                            lines: 1,
                        }
                    }
                };
                next_open.push(state);
            }
            // Paragraphs not continued on this line are finished.
            open = next_open;
            body += 1;
        }
        // A paragraph can go on at the top of the next page only from the
        // last line of this one.
        open.retain(|o| o.ends_page && o.page == p);
    }
    out
}

/// A paragraph's leading symbol-font bullet as the bullet the text rules
/// know.
fn bullet_as_text(text: &str) -> String {
    let t = text.trim_start();
    match t.chars().next() {
        Some(c) if is_symbol_bullet(c) => format!("・{}", t[c.len_utf8()..].trim_start()),
        _ => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A page of runs `(x, y, size, text)`, each character one em wide
    /// (half an em for ASCII), `gap` ems between the characters.
    fn page(runs: &[(f32, f32, f32, &str)], gap: f32) -> Page {
        let mut glyphs = Vec::new();
        for (x, y, size, text) in runs {
            let mut x = *x;
            for c in text.chars() {
                let w = if c.is_ascii() { 0.5 } else { 1.0 } * size;
                glyphs.push(Glyph {
                    text: Some(c.to_string()),
                    x0: x,
                    x1: x + w,
                    y: *y,
                    size: *size,
                    font: 0,
                });
                x += w + gap * size;
            }
        }
        Page {
            glyphs,
            width: 595.0,
            height: 842.0,
            ..Page::default()
        }
    }

    fn texts(pages: &[Page]) -> Vec<(String, String, bool)> {
        paragraphs(pages)
            .into_iter()
            .map(|p| (p.place, p.text, p.furniture))
            .collect()
    }

    fn body(place: &str, text: &str) -> (String, String, bool) {
        (place.into(), text.into(), false)
    }

    #[test]
    fn page_numbers() {
        for n in [
            "3",
            "- 3 -",
            "－３－",
            "3/12",
            "3 / 12",
            "3ページ",
            "p.3",
            "P3",
            "３頁",
            "(3)",
        ] {
            assert!(is_page_number(n), "{n}");
        }
        for n in ["3月", "第3回", "3.5", "-", "会議録", "3人"] {
            assert!(!is_page_number(n), "{n}");
        }
    }

    #[test]
    fn letter_spacing_is_closed_up_and_table_cells_stay_apart() {
        let spaced = page(&[(200.0, 760.0, 16.0, "会議録")], 1.0);
        assert_eq!(texts(&[spaced]), vec![body("p1", "会議録")]);
        // A label and its value: two cells, not one letter-spaced word.
        let row = page(
            &[
                (72.0, 700.0, 10.5, "開催日時"),
                (160.0, 700.0, 10.5, "令和５年８月３日"),
            ],
            0.0,
        );
        assert_eq!(
            texts(&[row]),
            vec![body("p1", "開催日時"), body("p1", "令和５年８月３日")]
        );
    }

    #[test]
    fn symbol_bullets_start_paragraphs_and_read_as_bullets() {
        // Three full lines of 20 ems: the second and third start bullets.
        let full = "あいうえおかきくけこさしすせそたちつてと";
        let p = page(
            &[
                (72.0, 700.0, 10.0, "\u{F06C}"),
                (87.0, 700.0, 10.0, full),
                (87.0, 682.0, 10.0, "続き。"),
                (72.0, 664.0, 10.0, "\u{F0B7}"),
                (87.0, 664.0, 10.0, full),
                (87.0, 646.0, 10.0, full),
                (72.0, 628.0, 10.0, "\u{F0D8}"),
                (87.0, 628.0, 10.0, "短い。"),
            ],
            0.0,
        );
        assert_eq!(
            texts(&[p]),
            vec![
                body("p1", &format!("・{full}続き。")),
                body("p1", &format!("・{full}{full}")),
                body("p1", "・短い。"),
            ]
        );
    }

    #[test]
    fn running_headers_and_page_numbers_are_furniture() {
        let pages: Vec<Page> = (1..=3)
            .map(|n| {
                page(
                    &[
                        (300.0, 805.0, 9.0, &format!("第{n}回審議会 会議録")),
                        (72.0, 700.0, 10.5, "本文。"),
                        (280.0, 40.0, 9.0, &format!("- {n} -")),
                    ],
                    0.0,
                )
            })
            .collect();
        let got = texts(&pages);
        let furniture: Vec<&str> = got.iter().filter(|p| p.2).map(|p| p.1.as_str()).collect();
        assert_eq!(furniture.len(), 6, "{got:?}");
        assert_eq!(
            got.iter().filter(|p| !p.2).cloned().collect::<Vec<_>>(),
            vec![
                body("p1", "本文。"),
                body("p2", "本文。"),
                body("p3", "本文。")
            ]
        );
    }

    #[test]
    fn wrapped_lines_join_and_short_lines_end_paragraphs() {
        let full = "あいうえおかきくけこさしすせそたちつてと";
        let p = page(
            &[
                (72.0, 700.0, 10.0, full),
                (72.0, 682.0, 10.0, "つづき。"),
                (72.0, 664.0, 10.0, full),
                (72.0, 646.0, 10.0, full),
                (72.0, 628.0, 10.0, "Business"),
                (72.0, 610.0, 10.0, "Process。"),
                // A blank line apart: a new paragraph.
                (72.0, 574.0, 10.0, full),
                (72.0, 520.0, 10.0, "離れた行。"),
            ],
            0.0,
        );
        // "Business" is short: it ends its paragraph.
        assert_eq!(
            texts(&[p]),
            vec![
                body("p1", &format!("{full}つづき。")),
                body("p1", &format!("{full}{full}Business")),
                body("p1", "Process。"),
                body("p1", full),
                body("p1", "離れた行。"),
            ]
        );
    }
}
