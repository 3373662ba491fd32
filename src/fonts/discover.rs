//! Finding fonts on this system (SPEC: BIZ UDP Gothic, then IPAex and Noto
//! Sans CJK): `--font`, the template's families, the built-in list; known
//! file names first, then the font folders; regular and bold faces by
//! weight and style, never by file name; fallbacks for characters the main
//! face lacks.

use std::path::{Path, PathBuf};
use std::rc::Rc;

use super::{Font, FontError, FontPair, FontSpec};

/// Well-known file names of the families we prefer, relative to a font
/// folder: Debian's packages, Windows' own files, a manual install.
const KNOWN: &[(&str, &[&str])] = &[
    (
        "BIZ UDPGothic",
        &[
            "truetype/bizud-gothic/BIZUDPGothic-Regular.ttf",
            "truetype/bizud-gothic/BIZUDPGothic-Bold.ttf",
            "BIZ-UDGothicR.ttc",
            "BIZ-UDGothicB.ttc",
            "BIZUDPGothic-Regular.ttf",
            "BIZUDPGothic-Bold.ttf",
        ],
    ),
    (
        "IPAexGothic",
        &[
            "opentype/ipaexfont-gothic/ipaexg.ttf",
            "truetype/ipaexfont-gothic/ipaexg.ttf",
            "ipaexg.ttf",
        ],
    ),
    (
        "Noto Sans CJK JP",
        &[
            "opentype/noto/NotoSansCJK-Regular.ttc",
            "opentype/noto/NotoSansCJK-Bold.ttc",
            "noto-cjk/NotoSansCJK-Regular.ttc",
            "noto-cjk/NotoSansCJK-Bold.ttc",
            "NotoSansCJK-Regular.ttc",
            "NotoSansCJK-Bold.ttc",
        ],
    ),
];

/// The folders fonts are installed in on this system: on Windows the
/// system's and the user's own (a font installed without admin rights).
fn font_dirs() -> Vec<PathBuf> {
    let env = |k: &str| std::env::var_os(k).map(PathBuf::from);
    #[cfg(windows)]
    {
        let windir = env("WINDIR")
            .or_else(|| env("SystemRoot"))
            .unwrap_or_else(|| PathBuf::from("C:\\Windows"));
        let mut dirs = vec![windir.join("Fonts")];
        dirs.extend(env("LOCALAPPDATA").map(|d| d.join("Microsoft").join("Windows").join("Fonts")));
        dirs
    }
    #[cfg(not(windows))]
    {
        let mut dirs: Vec<PathBuf> = [
            "/usr/share/fonts",
            "/usr/local/share/fonts",
            "/Library/Fonts",
            "/System/Library/Fonts",
        ]
        .iter()
        .map(PathBuf::from)
        .collect();
        if let Some(home) = env("HOME") {
            for sub in [".local/share/fonts", ".fonts", "Library/Fonts"] {
                dirs.push(home.join(sub));
            }
        }
        dirs
    }
}

/// Families of a face (every localized name), lower-cased without spaces.
fn family_names(face: &ttf_parser::Face) -> Vec<String> {
    face.names()
        .into_iter()
        .filter(|n| {
            matches!(
                n.name_id,
                ttf_parser::name_id::FAMILY
                    | ttf_parser::name_id::TYPOGRAPHIC_FAMILY
                    | ttf_parser::name_id::FULL_NAME
            )
        })
        .filter_map(|n| n.to_string())
        .map(|s| family_key(&s))
        .collect()
}

fn family_key(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// A face of a family with what tells regular from bold.
#[derive(Debug, Clone, PartialEq)]
struct Styled {
    spec: FontSpec,
    /// OS/2 weight class: 400 regular, 700 bold.
    weight: u16,
    italic: bool,
    /// The file, read once: the chosen faces are made from it.
    bytes: Rc<Vec<u8>>,
}

impl Styled {
    /// The font of this face, without reading its file again.
    fn load(self) -> Result<Font, FontError> {
        Font::from_bytes(self.spec, Rc::unwrap_or_clone(self.bytes), true)
    }
}

/// The faces in `bytes` (a .ttf or every face of a .ttc) of `family`.
fn faces_of_family(path: &Path, bytes: Rc<Vec<u8>>, family: &str) -> Vec<Styled> {
    let key = family_key(family);
    let n = ttf_parser::fonts_in_collection(&bytes).unwrap_or(1);
    (0..n)
        .filter_map(|index| {
            let face = ttf_parser::Face::parse(&bytes, index).ok()?;
            let matches = family_names(&face)
                .iter()
                .any(|name| *name == key || name.starts_with(&key));
            matches.then(|| Styled {
                spec: FontSpec {
                    path: path.to_path_buf(),
                    index,
                },
                weight: face.weight().to_number(),
                italic: face.is_italic(),
                bytes: Rc::clone(&bytes),
            })
        })
        .collect()
}

/// The regular and bold faces among `faces`, by weight and style — never
/// by file name: upright and nearest 400 for the body, upright and at
/// least 600 (nearest 700) for headers.
fn regular_and_bold(faces: Vec<Styled>) -> Option<(Styled, Option<Styled>)> {
    let distance = |f: &Styled, to: u16| (f.italic, f.weight.abs_diff(to));
    let regular = faces.iter().min_by_key(|f| distance(f, 400))?.clone();
    let bold = faces
        .into_iter()
        .filter(|f| !f.italic && f.weight >= 600 && f.spec != regular.spec)
        .min_by_key(|f| distance(f, 700));
    Some((regular, bold))
}

/// Largest font file looked at as a fallback.
const MAX_FALLBACK_FILE: u64 = 64 * 1024 * 1024;
/// Most font files looked at as fallbacks.
const MAX_FALLBACK_FILES: usize = 400;

impl FontPair {
    /// Looks through the system's fonts for the characters the regular
    /// face lacks and keeps the fonts that draw some of them.
    pub fn add_fallbacks(&mut self, needed: &[char]) {
        let mut missing: Vec<char> = needed.iter().copied().filter(|c| !self.has(*c)).collect();
        if missing.is_empty() {
            return;
        }
        let mut candidates: Vec<FontSpec> = KNOWN
            .iter()
            .flat_map(|(family, _)| faces_in(known_files(family), family))
            .map(|f| f.spec)
            .collect();
        candidates.extend(
            font_files()
                .into_iter()
                .map(|path| FontSpec { path, index: 0 }),
        );
        for spec in candidates {
            if missing.is_empty() {
                break;
            }
            let taken = std::iter::once(&self.regular)
                .chain(&self.bold)
                .chain(&self.fallbacks);
            if taken.into_iter().any(|f| f.spec == spec) {
                continue;
            }
            let Ok(font) = Font::load_checked(spec, false) else {
                continue;
            };
            let before = missing.len();
            missing.retain(|c| !font.has_glyph(*c));
            if missing.len() < before {
                self.fallbacks.push(font);
            }
        }
    }
}

/// Parses `FILE` or `FILE#INDEX`.
pub fn parse_font_arg(arg: &str) -> FontSpec {
    match arg.rsplit_once('#') {
        Some((p, i)) if i.parse::<u32>().is_ok() => FontSpec {
            path: PathBuf::from(p),
            index: i.parse().unwrap_or(0),
        },
        _ => FontSpec {
            path: PathBuf::from(arg),
            index: 0,
        },
    }
}

/// The known files of `family` that exist in this system's font folders.
fn known_files(family: &str) -> Vec<PathBuf> {
    let names = KNOWN
        .iter()
        .filter(|(f, _)| family_key(f) == family_key(family))
        .flat_map(|(_, names)| names.iter());
    let dirs = font_dirs();
    names
        .flat_map(|n| dirs.iter().map(move |d| d.join(n)))
        .filter(|p| p.is_file())
        .collect()
}

/// Every face of `family` in `files`.
fn faces_in(files: Vec<PathBuf>, family: &str) -> Vec<Styled> {
    files
        .into_iter()
        .filter_map(|p| {
            let bytes = std::fs::read(&p).ok()?;
            Some(faces_of_family(&p, Rc::new(bytes), family))
        })
        .flatten()
        .collect()
}

/// The faces of `family` in the font folders. Reading every font is slow;
/// only files whose name looks like the family are opened.
fn scan_for_family(family: &str) -> Vec<Styled> {
    let key = family_key(family);
    let hint: String = key
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .take(4)
        .collect();
    let files = font_files()
        .into_iter()
        .filter(|p| {
            let name = p
                .file_name()
                .map(|n| family_key(&n.to_string_lossy()))
                .unwrap_or_default();
            name.replace(['-', '_'], "").contains(&hint)
        })
        .collect();
    faces_in(files, family)
}

/// Font files (.ttf .otf .ttc) under the system's font folders, sorted
/// within each folder, at most [`MAX_FALLBACK_FILES`]; the folders are
/// walked once per run.
fn font_files() -> Vec<PathBuf> {
    static FILES: std::sync::OnceLock<Vec<PathBuf>> = std::sync::OnceLock::new();
    FILES.get_or_init(walk_font_dirs).clone()
}

fn walk_font_dirs() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for dir in font_dirs() {
        let mut stack = vec![dir];
        while let Some(d) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&d) else {
                continue;
            };
            let mut entries: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
            entries.sort();
            for p in entries {
                if p.is_dir() {
                    stack.push(p);
                } else if out.len() < MAX_FALLBACK_FILES
                    && p.extension().is_some_and(|e| {
                        matches!(e.to_ascii_lowercase().to_str(), Some("ttf" | "otf" | "ttc"))
                    })
                    && p.metadata().is_ok_and(|m| m.len() <= MAX_FALLBACK_FILE)
                {
                    out.push(p);
                }
            }
        }
    }
    out
}

/// Chooses the fonts: `--font` first, then the template's families, then
/// the built-in preference list; for each family its known files, else the
/// font folders; regular and bold faces by weight.
pub fn discover(font_arg: Option<&str>, families: &[String]) -> Result<FontPair, FontError> {
    if let Some(arg) = font_arg {
        let regular = Font::load(parse_font_arg(arg))?;
        return Ok(FontPair {
            regular,
            bold: None,
            fallbacks: Vec::new(),
        });
    }
    let mut order: Vec<&str> = families.iter().map(String::as_str).collect();
    for (f, _) in KNOWN {
        if !order.iter().any(|o| family_key(o) == family_key(f)) {
            order.push(f);
        }
    }
    for family in order {
        let mut faces = faces_in(known_files(family), family);
        if faces.is_empty() {
            faces = scan_for_family(family);
        }
        let Some((regular, bold)) = regular_and_bold(faces) else {
            continue;
        };
        let Ok(regular) = regular.load() else {
            continue;
        };
        return Ok(FontPair {
            regular,
            bold: bold.and_then(|b| b.load().ok()),
            fallbacks: Vec::new(),
        });
    }
    Err(FontError::NotFound)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn font_argument_with_face_index() {
        assert_eq!(
            parse_font_arg("a.ttc#2"),
            FontSpec {
                path: "a.ttc".into(),
                index: 2
            }
        );
        assert_eq!(
            parse_font_arg("x#y.ttf"),
            FontSpec {
                path: "x#y.ttf".into(),
                index: 0
            }
        );
    }

    fn styled(path: &str, weight: u16, italic: bool) -> Styled {
        Styled {
            spec: FontSpec {
                path: path.into(),
                index: 0,
            },
            weight,
            italic,
            bytes: Rc::new(Vec::new()),
        }
    }

    #[test]
    fn regular_and_bold_by_weight_not_by_file_name() {
        // As a manual install leaves them: Bold sorts first by name.
        let faces = [
            styled("BIZUDPGothic-Bold.ttf", 700, false),
            styled("BIZUDPGothic-Regular.ttf", 400, false),
            styled("X-Italic.ttf", 400, true),
        ];
        let (regular, bold) = regular_and_bold(faces.to_vec()).unwrap();
        assert_eq!(regular.spec.path, PathBuf::from("BIZUDPGothic-Regular.ttf"));
        assert_eq!(
            bold.unwrap().spec.path,
            PathBuf::from("BIZUDPGothic-Bold.ttf")
        );
        let only_regular = vec![styled("a.ttf", 400, false)];
        assert_eq!(regular_and_bold(only_regular).unwrap().1, None);
        assert_eq!(regular_and_bold(Vec::new()), None);
    }

    #[test]
    fn an_unusable_font_file_is_a_clear_error() {
        let e = discover(Some("/nonexistent/font.ttf"), &[]).err().unwrap();
        assert!(e.to_string().contains("/nonexistent/font.ttf"), "{e}");
    }
}
