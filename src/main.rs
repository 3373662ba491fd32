//! Command line: parses arguments, calls the library, sets the exit code.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use shiryo::ingest::Isolation;
use shiryo::ingest::worker::WorkerCommand;
use shiryo::{BuildOptions, Date};

/// 審議会資料（各分野の現状と課題及び想定される解決策）を各課の提出ファイルから作成します。
#[derive(Parser)]
#[command(
    name = "shiryo",
    version,
    about = "審議会資料（各分野の現状と課題及び想定される解決策）を各課の提出ファイルから作成します。",
    long_about = None
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// 資料を作成します（Excel・PDF・JSON・レポート）[build]
    Build {
        /// 提出ファイルのフォルダ [INPUT_DIR]
        #[arg(default_value = "input", value_name = "INPUT_DIR")]
        input: PathBuf,
        /// 出力先フォルダ [OUTPUT_DIR]
        #[arg(short, long, default_value = "output", value_name = "OUTPUT_DIR")]
        output: PathBuf,
        /// テンプレートファイル（既定: templates/matrix.xml、無ければ内蔵の既定値）[template]
        #[arg(long, value_name = "FILE")]
        template: Option<PathBuf>,
        /// 却下・読込失敗が一つでもあれば資料を書き出さない [strict]
        #[arg(long)]
        strict: bool,
        /// 資料の日付 YYYY-MM-DD（既定: 今日）[date]
        #[arg(long, value_parser = parse_date, value_name = "YYYY-MM-DD")]
        date: Option<Date>,
        /// PDF に使う日本語フォントのファイル（.ttc は FILE#番号 で書体を選択）[font]
        #[arg(long, value_name = "FILE[#INDEX]")]
        font: Option<String>,
        /// 前回の出力フォルダ。項目ごとに 新規・継続・削除 を示します [previous]
        #[arg(long, value_name = "PREV_OUTPUT_DIR")]
        previous: Option<PathBuf>,
        /// (開発用) 提出ファイルを別プロセスでなく、このプロセスで読み取る
        #[arg(long, hide = true)]
        no_worker: bool,
    },
    /// 提出ファイルを読んで確認だけします（何も書き出しません）[check]
    Check {
        /// 提出ファイルのフォルダ [INPUT_DIR]
        #[arg(default_value = "input", value_name = "INPUT_DIR")]
        input: PathBuf,
        /// テンプレートファイル [template]
        #[arg(long, value_name = "FILE")]
        template: Option<PathBuf>,
    },
    /// 各課に配る回答様式（Excel）を書き出します [template]
    Template {
        /// 書き出すファイル（既定: output/各課回答様式.xlsx、--matrix のときは matrix.xml）[output]
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// 分野・区分の一覧に使う資料テンプレート [template]
        #[arg(long, value_name = "FILE")]
        template: Option<PathBuf>,
        /// 様式の代わりに、既定の資料テンプレート（matrix.xml）を書き出します [matrix]
        #[arg(long)]
        matrix: bool,
    },
    /// (内部用) 提出ファイルを別プロセスで読み取ります
    #[command(name = "__worker", hide = true)]
    Worker {
        #[arg(long)]
        template: Option<PathBuf>,
    },
}

/// The worker command line for this binary: the same executable, hidden
/// subcommand, same template.
fn isolation(template: Option<&PathBuf>) -> Isolation {
    match std::env::current_exe() {
        Ok(exe) => {
            let mut args = vec!["__worker".to_string()];
            if let Some(t) = template {
                args.push("--template".into());
                args.push(t.display().to_string());
            }
            Isolation::Worker(WorkerCommand { exe, args })
        }
        Err(_) => Isolation::InProcess,
    }
}

fn parse_date(s: &str) -> Result<Date, String> {
    Date::parse(s).ok_or_else(|| {
        format!("日付「{s}」は YYYY-MM-DD の形で、実在する日を指定してください（例: 2026-11-24）")
    })
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let opts = match cli.command {
        Command::Template {
            output,
            template,
            matrix,
        } => {
            let result = if matrix {
                shiryo::write_default_template(
                    &output.unwrap_or_else(|| PathBuf::from("matrix.xml")),
                )
            } else {
                let out = output.unwrap_or_else(|| {
                    PathBuf::from("output").join(shiryo::render::form::FORM_NAME)
                });
                shiryo::write_form(&out, template.as_deref())
            };
            return match result {
                Ok(path) => {
                    println!("書き出しました: {}", path.display());
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("エラー: {e}");
                    ExitCode::from(2)
                }
            };
        }
        Command::Worker { template } => {
            return ExitCode::from(shiryo::ingest::worker::serve(template.as_deref()) as u8);
        }
        Command::Build {
            input,
            output,
            template,
            strict,
            date,
            font,
            previous,
            no_worker,
        } => BuildOptions {
            previous,
            progress: true,
            input,
            output: Some(output),
            isolation: if no_worker {
                Isolation::InProcess
            } else {
                isolation(template.as_ref())
            },
            template,
            strict,
            date: date.unwrap_or_else(Date::today),
            font,
        },
        Command::Check { input, template } => BuildOptions {
            input,
            output: None,
            isolation: isolation(template.as_ref()),
            template,
            strict: false,
            date: Date::today(),
            font: None,
            previous: None,
            progress: true,
        },
    };
    match shiryo::run(&opts) {
        Ok(outcome) => {
            print!("{}", outcome.report);
            if let Some(dir) = outcome.written.first().and_then(|p| p.parent()) {
                println!("  出力フォルダ: {}", dir.display());
            }
            ExitCode::from(outcome.exit_code as u8)
        }
        Err(e) => {
            eprintln!("エラー: {e}");
            ExitCode::from(2)
        }
    }
}
