//! Fuzzes the ingest of every input format: the first byte picks the format
//! the file name promises, the rest is the file. Content sniffing, the zip
//! checks and the readers (calamine, CSV, the Word and PDF minutes) all run
//! in-process.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use shiryo::Template;
use shiryo::ingest::sniff::Format;
use shiryo::ingest::{Job, parse_file};

const FORMATS: [(Format, &str); 7] = [
    (Format::Xlsx, "f.xlsx"),
    (Format::Ods, "f.ods"),
    (Format::Xls, "f.xls"),
    (Format::Csv, "f.csv"),
    (Format::Docx, "f.docx"),
    (Format::Xlsb, "f.xlsb"),
    (Format::Pdf, "f.pdf"),
];

fn dir() -> &'static std::path::Path {
    static DIR: OnceLock<tempfile_dir::Dir> = OnceLock::new();
    DIR.get_or_init(tempfile_dir::Dir::new).path()
}

mod tempfile_dir {
    /// A per-process scratch folder.
    pub struct Dir(std::path::PathBuf);
    impl Dir {
        pub fn new() -> Dir {
            let p = std::env::temp_dir().join(format!("shiryo-fuzz-{}", std::process::id()));
            std::fs::create_dir_all(&p).expect("scratch folder");
            Dir(p)
        }
        pub fn path(&self) -> &std::path::Path {
            &self.0
        }
    }
}

fuzz_target!(init: {
    // As in the worker, a panic fails only that file: `parse_file` catches
    // it and records where it happened. Aborts, OOMs and hangs remain
    // findings, and so does a panic in shiryo's own code (below).
    shiryo::ingest::quiet_panics();
}, |data: &[u8]| {
    let Some((&sel, body)) = data.split_first() else { return };
    let (promised, name) = FORMATS[sel as usize % FORMATS.len()];
    let path = dir().join(name);
    std::fs::write(&path, body).expect("scratch file");
    let template = Template::default();
    let job = Job { path, name: name.to_string(), promised };
    if let Err(e) = parse_file(&job, &template) {
        assert!(!e.is_internal(), "a bug in shiryo, not in the file: {e}");
    }
});
