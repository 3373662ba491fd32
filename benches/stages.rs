//! Per-stage benchmark on a synthetic 100 × 30 month (issue 6):
//! `cargo bench --bench stages`. The whole process is measured with
//! hyperfine and /usr/bin/time (see README).

use criterion::{Criterion, criterion_group, criterion_main};
use shiryo::ingest::{Isolation, ingest_dir};
#[path = "../tests/e2e/synth.rs"]
#[allow(dead_code, unreachable_pub)]
mod synth;

use shiryo::{Date, Template, fonts, matrix, render, similar};
use synth::{MonthSpec, write_month};

fn stages(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("scratch folder");
    write_month(dir.path(), MonthSpec::default()).expect("month written");
    let template = Template::default();
    let date = Date::parse("2026-11-24").expect("valid date");
    let read =
        || ingest_dir(dir.path(), &template, &Isolation::InProcess, &|_, _| {}).expect("readable");

    let mut g = c.benchmark_group("100x30");
    g.sample_size(10);
    g.bench_function("ingest", |b| b.iter(read));
    let ingested = read();
    g.bench_function("normalize+matrix", |b| {
        b.iter(|| matrix::build(ingested.clone(), &template));
    });
    let m = matrix::build(ingested, &template);
    let printed = shiryo::handout::Handout::of(&m, date);
    g.bench_function("xlsx", |b| {
        b.iter(|| {
            render::xlsx::render(&m, &printed, &template, date, Some("../input")).expect("xlsx")
        });
    });
    let words = similar::Synonyms::with_builtin(&template.synonyms);
    g.bench_function("similar", |b| {
        b.iter(|| similar::suggest(&m, &words));
    });
    let groups = similar::suggest(&m, &words);
    g.bench_function("json", |b| {
        b.iter(|| shiryo::schema::MatrixDoc::of(&m, &groups).to_json());
    });
    if let Ok(f) = fonts::discover::discover(None, &template.font_families) {
        let regular = |ch: char| f.regular.advance_em(ch).unwrap_or(1.0);
        let bold = |ch: char| {
            f.bold
                .as_ref()
                .unwrap_or(&f.regular)
                .advance_em(ch)
                .unwrap_or(1.0)
        };
        let measures = render::pdf::layout::Measures {
            regular: &regular,
            bold: &bold,
        };
        g.bench_function("pdf layout", |b| {
            b.iter(|| render::pdf::layout::paginate(&printed, &template, &measures));
        });
        g.bench_function("pdf draw+finish", |b| {
            b.iter(|| {
                let layout = render::pdf::layout::Layout::new(&printed, &template, &measures);
                let table = layout.sheet.table.clone();
                let drawn = render::pdf::draw::draw(layout, &f, &m.title, date).expect("pdf");
                let mut out = Vec::new();
                render::pdf::finish::finish(drawn, &table, &m.title, date)
                    .expect("pdf")
                    .write_to(&mut out)
                    .expect("pdf");
                out
            });
        });
    }
    g.finish();
}

/// A long sheet whose 分野 cell is merged over two columns on every row
/// (20,000 rows, 200,000 cells): reading it looks up merges per cell.
fn merged_sheet(c: &mut Criterion) {
    use shiryo::ingest::table::{Grid, SheetSource, read_grid};
    let mut grid = Grid::default();
    for (col, head) in ["分野", "", "区分", "内容"].iter().enumerate() {
        grid.set(0, col as u32, head.to_string()).expect("cell");
    }
    for r in 1..20_000u32 {
        grid.set(r, 0, "経営".into()).expect("cell");
        grid.add_merge((r, 0), (r, 1));
        grid.set(r, 2, "課題".into()).expect("cell");
        grid.set(r, 3, format!("項目{r}")).expect("cell");
        for col in 4..10 {
            grid.set(r, col, "x".into()).expect("cell");
        }
    }
    let template = Template::default();
    let src = SheetSource {
        file: "a.xlsx",
        sheet: "s",
        sheet_index: 0,
        file_department: "総務課",
    };
    let mut g = c.benchmark_group("grid");
    g.sample_size(10);
    g.bench_function("20000 rows with merges", |b| {
        b.iter(|| read_grid(&grid, &src, &template).expect("read"));
    });
    g.finish();
}

/// The similar-items stage alone on a month of your own:
/// `SHIRYO_BENCH_MONTH=DIR cargo bench --bench stages -- similar` (for
/// the figures in src/similar.rs, months written by
/// ../shared/tools/gen_corpus.py). Nothing without the variable.
fn similar_month(c: &mut Criterion) {
    let Some(dir) = std::env::var_os("SHIRYO_BENCH_MONTH") else {
        return;
    };
    let template = Template::default();
    let ingested = ingest_dir(
        std::path::Path::new(&dir),
        &template,
        &Isolation::InProcess,
        &|_, _| {},
    )
    .expect("readable");
    let m = matrix::build(ingested, &template);
    let words = similar::Synonyms::with_builtin(&template.synonyms);
    let items: usize = m
        .fields
        .iter()
        .flat_map(|f| f.cells.iter())
        .map(Vec::len)
        .sum();
    let mut g = c.benchmark_group(format!("month of {items} items"));
    g.sample_size(10);
    g.bench_function("similar", |b| {
        b.iter(|| similar::suggest(&m, &words));
    });
    g.finish();
}

criterion_group!(benches, stages, merged_sheet, similar_month);
criterion_main!(benches);
