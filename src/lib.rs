//! shiryo (資料): turns a month of department submissions into the council
//! handout — a print-ready Excel workbook, a JSON matrix and a run report.
//!
//! Data flows one way: [`ingest`] (files → raw rows with provenance) →
//! [`normalize`] (SPEC §3 text rules) → [`matrix`] (分野 × 区分, dedup,
//! order, reconciliation) → [`render`] and `report`.

pub mod console;
mod corrections;
pub mod date;
pub mod digest;
pub mod fonts;
pub mod handout;
mod history;
pub mod ingest;
mod layout;
pub mod matrix;
pub mod normalize;
pub mod output;
mod progress;
pub mod render;
mod report;
mod review;
mod roster;
pub mod schema;
pub mod similar;
pub mod template;
pub mod vocab;

use std::path::{Path, PathBuf};

pub use date::Date;
pub use template::Template;
pub use vocab::ExitStatus;

/// What to build and where.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Folder with the month's submissions.
    pub input: PathBuf,
    /// Output folder; `None` only checks and writes nothing.
    pub output: Option<PathBuf>,
    /// Template file; `None` uses `templates/matrix.xml` or the default.
    pub template: Option<PathBuf>,
    /// Write nothing when any row is rejected or any file failed.
    pub strict: bool,
    /// Handout date and document timestamp.
    pub date: Date,
    /// `--font FILE[#INDEX]` for the PDF.
    pub font: Option<String>,
    /// How untrusted files are parsed.
    pub isolation: ingest::Isolation,
    /// Previous month's output folder, for 新規/継続/削除.
    pub previous: Option<PathBuf>,
    /// Show a progress bar on a terminal for runs longer than a moment.
    pub progress: bool,
    /// The secretariat's corrections file (`--edits`), besides any in the
    /// input folder.
    pub edits: Option<PathBuf>,
}

/// The result of a run that got as far as a report.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The report text (also written to `report.txt`).
    pub report: String,
    /// Clean, or problems with some input.
    pub status: ExitStatus,
    /// Files written.
    pub written: Vec<PathBuf>,
}

/// A fatal error: nothing (more) can be written; exit code 2.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The template is broken.
    #[error(transparent)]
    Template(#[from] template::TemplateError),
    /// The input folder cannot be read.
    #[error(transparent)]
    Ingest(#[from] ingest::IngestError),
    /// The previous month cannot be read.
    #[error(transparent)]
    History(#[from] history::HistoryError),
    /// The output folder cannot be created, locked or written.
    #[error(transparent)]
    Output(#[from] output::OutputError),
    /// The Excel writer failed.
    #[error("Excel の資料を作成できません（{0}）。")]
    Xlsx(#[source] rust_xlsxwriter::XlsxError),
}

/// Reads, builds and (unless checking) writes everything.
pub fn run(opts: &BuildOptions) -> Result<Outcome, Error> {
    let mut clock = Stages::new();
    let template = Template::load(opts.template.as_deref())?;
    let previous = match &opts.previous {
        Some(dir) => Some(history::load(dir)?),
        None => None,
    };
    let bar = progress::Progress::new(opts.progress);
    let edits: Vec<PathBuf> = opts.edits.iter().cloned().collect();
    let mut ingested = ingest::ingest_with(
        &opts.input,
        &edits,
        &template,
        &opts.isolation,
        &|done, total| {
            bar.files(done, total);
        },
    )?;
    bar.finish();
    clock.lap("ingest");
    let files = ingested.files.clone();
    let correction_rows = std::mem::take(&mut ingested.corrections);
    let rows_by_department = roster::rows_by_department(&ingested.rows, &template);
    // Each stage works out its part from the matrix as the stage before
    // left it, and the matrix takes it in (matrix.rs is the only writer).
    let m = matrix::build(ingested, &template);
    let departments = roster::status(&files, &rows_by_department, &m, &template);
    let m = m.with_departments(departments);
    // Months are compared by what was submitted, then the secretariat's
    // corrections change what is printed.
    let m = match &previous {
        Some(prev) => {
            let history = history::compare(&m, prev);
            m.with_history(history)
        }
        None => m,
    };
    let correction_files = files
        .iter()
        .filter(|f| f.corrections && matches!(f.status, ingest::FileStatus::Read { .. }))
        .map(|f| (f.name.clone(), f.sha256.clone()))
        .collect();
    let plan = corrections::plan(&m, &correction_rows, correction_files, &template);
    let m = m.corrected(plan);
    clock.lap("normalize+matrix");
    // The similar items' words are made where the similar items are.
    let words = || similar::Synonyms::with_builtin(&template.synonyms);
    let problems = m.has_problems();
    let mut extras = report::ReportExtras {
        input: opts.input.display().to_string(),
        previous: opts.previous.as_ref().map(|p| p.display().to_string()),
        ..Default::default()
    };

    let (report, written) = match &opts.output {
        Some(out) if !(opts.strict && problems) => {
            write(out, opts, &m, &template, &files, &mut extras, &mut clock)?
        }
        Some(_) => {
            extras
                .problems
                .push("--strict のため、却下・失敗があるので資料を書き出していません。".into());
            extras.similar = similar::suggest(&m, &words());
            (report::render(&m, &files, opts.date, &extras), Vec::new())
        }
        None => {
            extras.similar = similar::suggest(&m, &words());
            (report::render(&m, &files, opts.date, &extras), Vec::new())
        }
    };
    Ok(Outcome {
        report,
        status: ExitStatus::problems_if(report::needs_attention(&m, &extras)),
        written,
    })
}

/// Writes every output into `out` and returns the report and the files.
fn write(
    out: &Path,
    opts: &BuildOptions,
    m: &matrix::Matrix,
    template: &Template,
    files: &[ingest::FileRecord],
    extras: &mut report::ReportExtras,
    clock: &mut Stages,
) -> Result<(String, Vec<PathBuf>), Error> {
    // Held until the last file is in place: an output set is one run's.
    let dir = output::OutputDir::open(out)?;
    let links = output::relative_path(dir.path(), &opts.input);
    // The PDF and the workbooks are independent: made side by side, each
    // put into a temporary file in the folder as soon as it is made.
    let mut pdf_problems = Vec::new();
    let printed = handout::Handout::of(m, opts.date);
    // The PDF, the handout workbook, the web page and the rest (the similar
    // items, which the handout does not show, matrix.json, 事務局修正.xlsx
    // and the return sheets) side by side; the PDF's pages are drawn on
    // every core.
    let (pdf, (books, html)) = rayon::join(
        || {
            render::pdf::render(
                &printed,
                template,
                opts.date,
                opts.font.as_deref(),
                &mut pdf_problems,
            )
            .map(|pdf| dir.stage_with(render::PDF_NAME, |w| pdf.write_to(w)))
        },
        || {
            rayon::join(
                || workbooks(m, &printed, template, opts.date, links.as_deref(), &dir),
                || render::html::render(&printed, template),
            )
        },
    );
    let (handout_files, others, similar) = books?;
    extras.similar = similar;
    extras.problems.extend(pdf_problems);
    clock.lap("xlsx | pdf, json");
    let mut staged = handout_files;
    match pdf {
        Ok(pdf) => staged.push(pdf?),
        Err(e) => extras.problems.push(e.to_string()),
    }
    // The web page needs no font: it is written even when the PDF is not.
    staged.push(dir.stage(render::HTML_NAME, &html)?);
    staged.extend(others);
    extras.outputs = staged
        .iter()
        .map(|s| s.name.clone())
        .chain([render::REPORT_NAME, render::MANIFEST_NAME].map(String::from))
        .collect();
    let text = report::render(m, files, opts.date, extras);
    staged.push(dir.stage(render::REPORT_NAME, &render::text_file(&text))?);
    let listed: Vec<(&str, u64, &str)> = staged
        .iter()
        .map(|s| (s.name.as_str(), s.size, s.sha256.as_str()))
        .collect();
    let manifest = render::manifest::render(
        m,
        files,
        template,
        opts.date,
        extras.previous.as_deref(),
        &listed,
    );
    staged.push(dir.stage(render::MANIFEST_NAME, &manifest)?);
    let previous_outputs = dir.previous_outputs(render::MANIFEST_NAME);
    let written = dir.commit(staged, &previous_outputs, render::returns::FOLDER)?;
    clock.lap("report+manifest+write");
    clock.print();
    Ok((text, written))
}

/// Outputs staged beside the PDF: the handout workbook and matrix.json
/// (listed before the PDF), then 事務局修正.xlsx and one return sheet per
/// department with something to fix; and the similar items they show.
type Outputs = Vec<output::Staged>;

fn workbooks(
    m: &matrix::Matrix,
    printed: &handout::Handout,
    template: &Template,
    date: Date,
    links: Option<&str>,
    dir: &output::OutputDir,
) -> Result<(Outputs, Outputs, similar::Similar), Error> {
    let font = render::xlsx::TextStyle::of(template).font;
    // The handout workbook needs no similar items: made beside them.
    let (handout_xlsx, rest) = rayon::join(
        || {
            let bytes =
                render::xlsx::render(m, printed, template, date, links).map_err(Error::Xlsx)?;
            Ok::<_, Error>(dir.stage(render::XLSX_NAME, &bytes)?)
        },
        || {
            let words = similar::Synonyms::with_builtin(&template.synonyms);
            let similar = similar::suggest(m, &words);
            // 事務局修正.xlsx and the return sheets beside matrix.json, the longer
            // first: the other core takes matrix.json when it is free.
            let (others, json) = rayon::join(
                || {
                    let edits =
                        render::edits::render(m, &similar, &font, date).map_err(Error::Xlsx)?;
                    let mut others = vec![dir.stage(vocab::CORRECTIONS_FILE, &edits)?];
                    for sheet in render::returns::collect(m) {
                        let bytes =
                            render::returns::render(&sheet, m, &font, date).map_err(Error::Xlsx)?;
                        others.push(dir.stage(&sheet.file_name(), &bytes)?);
                    }
                    Ok::<_, Error>(others)
                },
                || {
                    let doc = schema::MatrixDoc::of(m, &similar);
                    dir.stage_with(schema::FILE_NAME, |w| doc.write_json(w))
                },
            );
            let (json, others) = (json?, others?);
            Ok::<_, Error>((json, others, similar))
        },
    );
    let (json, others, similar) = rest?;
    Ok((vec![handout_xlsx?, json], others, similar))
}

/// Wall time and heap per stage, printed to stderr when `SHIRYO_TIMING` is
/// set (used by the benchmark instructions in the README): the stage's
/// time, the most heap held during it, and the heap held at its end.
struct Stages {
    on: bool,
    last: std::time::Instant,
    laps: Vec<(&'static str, std::time::Duration, usize, usize)>,
}

impl Stages {
    fn new() -> Stages {
        let on = std::env::var_os("SHIRYO_TIMING").is_some();
        if on {
            ingest::worker::limits::count_allocations();
        }
        Stages {
            on,
            last: std::time::Instant::now(),
            laps: Vec::new(),
        }
    }

    fn lap(&mut self, name: &'static str) {
        let now = std::time::Instant::now();
        let (peak, live) = if self.on {
            (
                ingest::worker::limits::take_peak(),
                ingest::worker::limits::allocated_now(),
            )
        } else {
            (0, 0)
        };
        self.laps.push((name, now - self.last, peak, live));
        self.last = now;
    }

    fn print(&self) {
        if self.on {
            let mb = |b: usize| b as f64 / (1024.0 * 1024.0);
            for (name, d, peak, live) in &self.laps {
                eprintln!(
                    "{name:>24}: {:8.1} ms   heap peak {:7.1} MB, after {:7.1} MB",
                    d.as_secs_f64() * 1000.0,
                    mb(*peak),
                    mb(*live)
                );
            }
            eprintln!(
                "{:>24}: {:8.1} MB",
                "worker peak",
                mb(ingest::worker::peak_seen())
            );
        }
    }
}

/// Writes the blank department submission workbook (`shiryo template`).
pub fn write_form(out: &Path, template: Option<&Path>) -> Result<PathBuf, Error> {
    let template = Template::load(template)?;
    let bytes = render::form::render(&template).map_err(Error::Xlsx)?;
    write_one(out, bytes)
}

/// Writes the built-in template XML (`shiryo template --matrix`), for a
/// secretariat to start its own from.
pub fn write_default_template(out: &Path) -> Result<PathBuf, Error> {
    write_one(out, template::DEFAULT_XML.as_bytes().to_vec())
}

fn write_one(out: &Path, bytes: Vec<u8>) -> Result<PathBuf, Error> {
    output::write_all_atomic(&[(out.to_path_buf(), bytes.as_slice())])?;
    Ok(out.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::error::Error as _;

    #[test]
    fn an_excel_error_reads_as_before_and_keeps_its_cause() {
        let cause = || rust_xlsxwriter::XlsxError::ParameterError("列が多すぎます".into());
        let e = Error::Xlsx(cause());
        assert_eq!(
            e.to_string(),
            format!("Excel の資料を作成できません（{}）。", cause())
        );
        assert_eq!(
            e.source().map(ToString::to_string),
            Some(cause().to_string())
        );
    }
}
