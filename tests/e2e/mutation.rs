//! A bounded mutation test: a few hundred damaged copies of the real sample
//! files go through the same isolation path as a real run. Every one must end
//! as items, skipped or failed in the report: no crash, no hang, no lost file.

use crate::common;

use std::time::{Duration, Instant};

use crate::synth::Rng;

/// Mutates one entry of a zip package and writes it back with valid CRCs,
/// so the damage reaches the XML parsers behind the zip checks.
fn mutate_inside_zip(original: &[u8], rng: &mut Rng) -> Option<Vec<u8>> {
    use std::io::{Read, Write};
    let mut src = zip::ZipArchive::new(std::io::Cursor::new(original)).ok()?;
    let target = rng.below(src.len());
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    for i in 0..src.len() {
        let mut e = src.by_index(i).ok()?;
        let name = e.name().ok()?.to_string();
        let mut data = Vec::new();
        e.read_to_end(&mut data).ok()?;
        if i == target && !data.is_empty() {
            data = mutate_bytes(&data, rng);
        }
        out.start_file(name, opts).ok()?;
        out.write_all(&data).ok()?;
    }
    Some(out.finish().ok()?.into_inner())
}

fn mutate(original: &[u8], rng: &mut Rng) -> Vec<u8> {
    if original.starts_with(b"PK")
        && rng.below(2) == 0
        && let Some(b) = mutate_inside_zip(original, rng)
    {
        return b;
    }
    mutate_bytes(original, rng)
}

fn mutate_bytes(original: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut b = original.to_vec();
    match rng.below(5) {
        0 => {
            for _ in 0..1 + rng.below(8) {
                let i = rng.below(b.len());
                b[i] ^= 1 << rng.below(8);
            }
        }
        1 => b.truncate(rng.below(b.len())),
        2 => {
            let i = rng.below(b.len());
            let n = rng.below(64);
            let junk: Vec<u8> = (0..n).map(|_| rng.next_u64() as u8).collect();
            b.splice(i..i, junk);
        }
        3 => {
            // Overwrite a 4-byte field with an extreme value (sizes, offsets, counts).
            let i = rng.below(b.len().saturating_sub(4));
            let v = [0xFFu8, 0xFF, 0xFF, 0x7F];
            b[i..i + 4].copy_from_slice(&v);
        }
        _ => {
            let i = rng.below(b.len());
            let j = rng.below(b.len());
            let (lo, hi) = (i.min(j), i.max(j));
            b.drain(lo..hi.min(lo + 256));
        }
    }
    b
}

#[test]
fn mutated_sample_files_never_crash_hang_or_vanish() {
    let input = common::sample_input();
    let originals: Vec<(String, Vec<u8>)> = std::fs::read_dir(&input)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| {
            [".xlsx", ".ods", ".csv", ".docx"]
                .iter()
                .any(|x| n.ends_with(x))
                && !n.starts_with("~$")
        })
        .map(|n| {
            let bytes = std::fs::read(input.join(&n)).unwrap();
            (n, bytes)
        })
        .collect();
    assert!(originals.len() >= 8);

    let mut rng = Rng::new(0x5EED_2026_1124);
    let batches = 4;
    let per_batch = 75;
    for batch in 0..batches {
        let dir = tempfile::tempdir().unwrap();
        let mut names = Vec::new();
        for k in 0..per_batch {
            let (name, bytes) = &originals[rng.below(originals.len())];
            let (stem, ext) = name.rsplit_once('.').unwrap();
            let file = format!("m{batch:02}_{k:03}_{stem}.{ext}");
            std::fs::write(dir.path().join(&file), mutate(bytes, &mut rng)).unwrap();
            names.push(file);
        }
        let start = Instant::now();
        let run = common::build_at(dir.path(), &[]);
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "batch {batch} took {:?}",
            start.elapsed()
        );
        assert!(
            matches!(run.code, 0 | 1),
            "batch {batch}: exit {}\n{}",
            run.code,
            run.stderr
        );
        let json = run.json();
        assert_eq!(
            json["counts"]["files"], per_batch,
            "batch {batch}: every file counted"
        );
        let report = run.report();
        for n in &names {
            let listed = report.lines().any(|l| {
                l.contains(n.as_str())
                    && (l.contains("読込") || l.contains("失敗") || l.contains("スキップ"))
            });
            assert!(
                listed,
                "batch {batch}: {n} is not accounted for in the report"
            );
        }
        eprintln!(
            "batch {batch}: failed {} rejected {} items {}",
            json["counts"]["failed"], json["counts"]["rejected"], json["counts"]["items"]
        );
        assert!(
            !report.contains("不一致") && report.matches("… 一致").count() == 2,
            "batch {batch}: counts do not reconcile"
        );
        // A damaged file is the file's fault; a panic in our code is ours.
        run.assert_no_internal_error();
    }
}
