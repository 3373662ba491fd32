//! Per-stage benchmark on a synthetic 100 × 30 month (issue 6):
//! `cargo bench --bench stages`. The whole process is measured with
//! hyperfine and /usr/bin/time (see README).

use criterion::{Criterion, criterion_group, criterion_main};
use shiryo::ingest::{Isolation, ingest_dir};
use shiryo::synth::{MonthSpec, write_month};
use shiryo::{Date, Template, fonts, matrix, render};

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
        b.iter(|| matrix::build(ingested.clone(), &template))
    });
    let m = matrix::build(ingested, &template);
    g.bench_function("xlsx", |b| {
        b.iter(|| render::xlsx::render(&m, &template, date).expect("xlsx"))
    });
    g.bench_function("json", |b| b.iter(|| render::json::render(&m)));
    if let Ok(f) = fonts::discover(None, &template.font_families) {
        let regular = |ch: char| f.regular.advance_em(ch).unwrap_or(1.0);
        let bold = |ch: char| {
            f.bold
                .as_ref()
                .unwrap_or(&f.regular)
                .advance_em(ch)
                .unwrap_or(1.0)
        };
        let measures = render::pdf::Measures {
            regular: &regular,
            bold: &bold,
        };
        g.bench_function("pdf layout", |b| {
            b.iter(|| render::pdf::paginate(&m, &template, date, &measures))
        });
        let model = render::pdf::paginate(&m, &template, date, &measures);
        g.bench_function("pdf write", |b| {
            b.iter(|| render::pdf::render(model.clone(), &f, &m.title, date).expect("pdf"))
        });
    }
    g.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
