//! Writes a synthetic month for benchmarks:
//! `cargo run --release --example gen_month -- --departments 100 --rows 30 --out /tmp/m`

use clap::Parser;
#[path = "../tests/e2e/synth.rs"]
#[allow(dead_code, unreachable_pub)]
mod synth;

use synth::{MonthSpec, write_month};

/// 合成の1か月分（各課の提出ファイル）を作ります。
#[derive(Parser)]
struct Args {
    /// 課（ファイル）の数
    #[arg(long, default_value_t = 100)]
    departments: usize,
    /// 1ファイルあたりの行数
    #[arg(long, default_value_t = 30)]
    rows: usize,
    /// 使う漢字の種類（最大 2965）
    #[arg(long, default_value_t = 400)]
    kanji: usize,
    /// 乱数の種
    #[arg(long, default_value_t = 2026)]
    seed: u64,
    /// 出力フォルダ
    #[arg(long)]
    out: std::path::PathBuf,
}

fn main() {
    let a = Args::parse();
    let spec = MonthSpec {
        departments: a.departments,
        rows: a.rows,
        kanji: a.kanji,
        seed: a.seed,
    };
    match write_month(&a.out, spec) {
        Ok(n) => println!("{n} ファイルを {} に作りました", a.out.display()),
        Err(e) => {
            eprintln!("エラー: {e}");
            std::process::exit(2);
        }
    }
}
