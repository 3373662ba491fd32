//! Deterministic synthetic months for tests and benchmarks (shared with
//! `examples/gen_month.rs` and `benches/stages.rs` through `#[path]`; not
//! part of the library): N departments ×
//! M rows in the SPEC §2 layouts (long with a metadata block, wide, CSV),
//! Japanese statements of 40–120 characters with bullets and examples.

use std::path::Path;

use rust_xlsxwriter::Workbook;

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub struct MonthSpec {
    /// Number of department files.
    pub departments: usize,
    /// Rows per file.
    pub rows: usize,
    /// Size of the kanji pool (distinct kanji used), up to 2,965.
    pub kanji: usize,
    /// Seed of the generator.
    pub seed: u64,
}

impl Default for MonthSpec {
    fn default() -> Self {
        MonthSpec {
            departments: 100,
            rows: 30,
            kanji: 400,
            seed: 2026,
        }
    }
}

/// A small deterministic generator (xorshift64*), for reproducible test data.
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed (0 is replaced by 1).
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    fn pick<T: Copy>(&mut self, v: &[T]) -> T {
        v[self.below(v.len())]
    }
}

/// The JIS X 0208 level-1 kanji (2,965), which every Japanese font has.
pub fn level1_kanji() -> Vec<char> {
    let mut out = Vec::new();
    for ku in 16u8..=47 {
        for ten in 1u8..=94 {
            let (j1, j2) = (ku + 0x20, ten + 0x20);
            let s1 = ((j1 + 1) >> 1) + if j1 <= 0x5E { 0x70 } else { 0xB0 };
            let s2 = if j1 % 2 == 1 {
                j2 + if j2 >= 0x60 { 0x20 } else { 0x1F }
            } else {
                j2 + 0x7E
            };
            let bytes = [s1, s2];
            let (text, _, bad) = encoding_rs::SHIFT_JIS.decode(&bytes);
            if let (false, Some(c)) = (bad, text.chars().next())
                && ('\u{4E00}'..='\u{9FFF}').contains(&c)
            {
                out.push(c);
            }
        }
    }
    out
}

const FIELDS: [&str; 6] = [
    "行政施策",
    "DX推進",
    "財務",
    "人材育成",
    "働き方改革",
    "経営",
];
const KINDS: [&str; 3] = ["現状と課題", "解決案", "取組済み"];
const PARTICLES: [&str; 8] = ["の", "を", "に", "が", "は", "と", "で", "や"];
const ENDINGS: [&str; 6] = [
    "している。",
    "が課題である。",
    "が必要である。",
    "の導入を検討する。",
    "を実施している。",
    "に時間を要している。",
];
const CITIES: [&str; 8] = [
    "宗像市",
    "明石市",
    "北九州市",
    "柏市",
    "仙台市",
    "徳島県",
    "鎌倉市",
    "金沢市",
];

fn word(rng: &mut Rng, kanji: &[char]) -> String {
    (0..2 + rng.below(3)).map(|_| rng.pick(kanji)).collect()
}

fn statement(rng: &mut Rng, kanji: &[char]) -> String {
    let target = 40 + rng.below(81);
    let mut s = String::new();
    while s.chars().count() + 8 < target {
        s.push_str(&word(rng, kanji));
        s.push_str(rng.pick(&PARTICLES));
        if rng.below(6) == 0 {
            s.push_str("DX");
        }
    }
    s.push_str(&word(rng, kanji));
    s.push_str(rng.pick(&ENDINGS));
    s
}

fn cell(rng: &mut Rng, kanji: &[char]) -> String {
    let n = 1 + rng.below(3);
    if n == 1 {
        return statement(rng, kanji);
    }
    (0..n)
        .map(|_| {
            let mut s = format!("・{}", statement(rng, kanji));
            if rng.below(5) == 0 {
                s.push_str(&format!(
                    "＜{}、{}など＞",
                    rng.pick(&CITIES),
                    rng.pick(&CITIES)
                ));
            }
            s
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Writes the month's files into `dir` (created if needed); returns the
/// number of files written.
pub fn write_month(dir: &Path, spec: MonthSpec) -> Result<usize, String> {
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    let all = level1_kanji();
    let mut rng = Rng::new(spec.seed);
    let kanji: Vec<char> = (0..spec.kanji.clamp(10, all.len()))
        .map(|_| rng.pick(&all))
        .collect();
    for d in 0..spec.departments {
        let dept = format!("第{}{}課", d + 1, word(&mut rng, &kanji));
        match d % 3 {
            0 => {
                let mut wb = Workbook::new();
                let ws = wb.add_worksheet();
                ws.set_name("回答").map_err(|e| e.to_string())?;
                let put = |ws: &mut rust_xlsxwriter::Worksheet, r: u32, c: u16, v: &str| {
                    ws.write_string(r, c, v)
                        .map(|_| ())
                        .map_err(|e| e.to_string())
                };
                put(ws, 0, 0, "各課行政改革インタビュー　回答票")?;
                put(ws, 1, 0, "所属")?;
                put(ws, 1, 1, &dept)?;
                for (c, h) in ["分野", "区分", "内容", "他自治体の事例"]
                    .iter()
                    .enumerate()
                {
                    put(ws, 3, c as u16, h)?;
                }
                for r in 0..spec.rows {
                    let row = 4 + r as u32;
                    put(ws, row, 0, rng.pick(&FIELDS))?;
                    put(ws, row, 1, rng.pick(&KINDS))?;
                    put(ws, row, 2, &cell(&mut rng, &kanji))?;
                    if rng.below(4) == 0 {
                        put(ws, row, 3, &format!("{}など", rng.pick(&CITIES)))?;
                    }
                }
                wb.save(dir.join(format!("R8_11_{dept}_提出.xlsx")))
                    .map_err(|e| e.to_string())?;
            }
            1 => {
                let mut wb = Workbook::new();
                let ws = wb.add_worksheet();
                let heads = [
                    "分野",
                    "現状と課題",
                    "想定される解決案",
                    "既に取り組んでいる内容",
                ];
                for (c, h) in heads.iter().enumerate() {
                    ws.write_string(0, c as u16, *h)
                        .map_err(|e| e.to_string())?;
                }
                for r in 0..spec.rows {
                    let row = 1 + r as u32;
                    ws.write_string(row, 0, rng.pick(&FIELDS))
                        .map_err(|e| e.to_string())?;
                    let col = 1 + rng.below(3) as u16;
                    ws.write_string(row, col, cell(&mut rng, &kanji))
                        .map_err(|e| e.to_string())?;
                }
                wb.save(dir.join(format!("{dept}.xlsx")))
                    .map_err(|e| e.to_string())?;
            }
            _ => {
                let mut csv = String::from("\u{feff}分野,区分,内容\r\n");
                for _ in 0..spec.rows {
                    let text = cell(&mut rng, &kanji).replace('"', "\"\"");
                    csv.push_str(&format!(
                        "{},{},\"{}\"\r\n",
                        rng.pick(&FIELDS),
                        rng.pick(&KINDS),
                        text
                    ));
                }
                std::fs::write(dir.join(format!("{dept}.csv")), csv).map_err(|e| e.to_string())?;
            }
        }
    }
    Ok(spec.departments)
}

#[cfg(test)]
#[allow(unused_imports)]
mod tests {
    use super::*;

    #[test]
    fn level1_kanji_are_all_there() {
        let k = level1_kanji();
        assert_eq!(k.len(), 2965);
        assert_eq!(k[0], '亜');
        assert_eq!(*k.last().unwrap(), '腕');
    }

    #[test]
    fn generation_is_deterministic() {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        let spec = MonthSpec {
            departments: 3,
            rows: 5,
            ..MonthSpec::default()
        };
        write_month(a.path(), spec).unwrap();
        write_month(b.path(), spec).unwrap();
        let names = |d: &Path| {
            let mut v: Vec<_> = std::fs::read_dir(d)
                .unwrap()
                .flatten()
                .map(|e| e.file_name())
                .collect();
            v.sort();
            v
        };
        assert_eq!(names(a.path()), names(b.path()));
        let csv = names(a.path())
            .into_iter()
            .find(|n| n.to_string_lossy().ends_with(".csv"))
            .unwrap();
        assert_eq!(
            std::fs::read(a.path().join(&csv)).unwrap(),
            std::fs::read(b.path().join(&csv)).unwrap()
        );
    }
}
