//! Command line: parses arguments, calls the library, sets the exit code.
//!
//! Besides the commands, shiryo is used the way a clerk uses a program on
//! Windows: a folder dropped on the exe (`shiryo FOLDER`) builds it into the
//! sibling folder `FOLDER_資料`, and a double-click (no argument) builds
//! `input` of the current folder or of the exe's folder (SPEC §7.10).

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::error::{ContextKind, ErrorKind};
use clap::{ArgAction, Parser, Subcommand};

use shiryo::console::{self, Session};
use shiryo::ingest::Isolation;
use shiryo::ingest::worker::{CappedAlloc, WorkerCommand};
use shiryo::{BuildOptions, Date, ExitStatus};

/// Workers cap their allocations with it; the main process only forwards.
#[global_allocator]
static ALLOC: CappedAlloc = CappedAlloc;

const ABOUT: &str =
    "審議会資料（各分野の現状と課題及び想定される解決策）を各課の提出ファイルから作成します。";

/// How to use shiryo, for a double-click without a sample month and for
/// argument errors.
const USAGE: &str = "\
使い方:
  提出ファイルの入ったフォルダを shiryo.exe の上にドラッグ＆ドロップしてください。
  同じ場所に「フォルダ名_資料」というフォルダができ、その中に資料（Excel・PDF）と
  レポート（report.txt）ができます。

  コマンドで使うとき:
    shiryo build [提出フォルダ] [-o 出力フォルダ]   資料を作ります
    shiryo check [提出フォルダ]                     読み込んで確認だけします
    shiryo template                                  各課に配る回答様式を作ります
    shiryo --help                                    くわしい説明
";

#[derive(Parser)]
#[command(
    name = "shiryo",
    version,
    about = ABOUT,
    long_about = None,
    disable_help_flag = true,
    disable_version_flag = true,
    disable_help_subcommand = true,
    subcommand_help_heading = "コマンド",
    help_template = "{about}\n\n使い方: shiryo <コマンド> [指定]\n       shiryo 提出フォルダ（フォルダのドラッグ＆ドロップと同じ）\n\n{subcommands}\n\n指定:\n{options}\n",
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// 説明を表示します
    #[arg(
        short = 'h',
        long = "help",
        action = ArgAction::Help,
        global = true,
        help_heading = "指定"
    )]
    help: Option<bool>,
    /// 版を表示します
    #[arg(short = 'V', long = "version", action = ArgAction::Version)]
    version: Option<bool>,
}

/// Help of one command, with Japanese headings.
const COMMAND_HELP: &str = "{about}\n\n使い方: {usage}\n\n{all-args}\n";

#[derive(Subcommand)]
enum Command {
    /// 資料を作成します（Excel・PDF・JSON・レポート）
    #[command(
        override_usage = "shiryo build [提出フォルダ] [-o 出力フォルダ] [指定]",
        help_template = COMMAND_HELP,
        next_help_heading = "指定"
    )]
    Build {
        /// 提出ファイルのフォルダ（既定: input）
        #[arg(
            default_value = "input",
            hide_default_value = true,
            value_name = "提出フォルダ",
            help_heading = "引数"
        )]
        input: PathBuf,
        /// 出力先フォルダ（既定: output）
        #[arg(
            short,
            long,
            default_value = "output",
            hide_default_value = true,
            value_name = "出力フォルダ"
        )]
        output: PathBuf,
        /// テンプレートファイル（既定: templates/matrix.xml、無ければ内蔵の既定値）
        #[arg(long, value_name = "ファイル")]
        template: Option<PathBuf>,
        /// 却下・読込失敗が一つでもあれば資料を書き出さない
        #[arg(long)]
        strict: bool,
        /// 資料の日付 YYYY-MM-DD（既定: 今日、日本時間）
        #[arg(long, value_parser = parse_date, value_name = "YYYY-MM-DD")]
        date: Option<Date>,
        /// PDF に使う日本語フォントのファイル（.ttc は ファイル#番号 で書体を選択）
        #[arg(long, value_name = "ファイル[#番号]")]
        font: Option<String>,
        /// 前回の出力フォルダ。項目ごとに 新規・継続・削除 を示します
        #[arg(long, value_name = "前回の出力フォルダ")]
        previous: Option<PathBuf>,
        /// 事務局修正のファイル（出力の 事務局修正.xlsx に記入したもの）。提出フォルダに置いても読みます
        #[arg(long, value_name = "ファイル")]
        edits: Option<PathBuf>,
        /// (開発用) 提出ファイルを別プロセスでなく、このプロセスで読み取る
        #[arg(long, hide = true)]
        no_worker: bool,
    },
    /// 提出ファイルを読んで確認だけします（何も書き出しません）
    #[command(
        override_usage = "shiryo check [提出フォルダ] [指定]",
        help_template = COMMAND_HELP,
        next_help_heading = "指定"
    )]
    Check {
        /// 提出ファイルのフォルダ（既定: input）
        #[arg(
            default_value = "input",
            hide_default_value = true,
            value_name = "提出フォルダ",
            help_heading = "引数"
        )]
        input: PathBuf,
        /// テンプレートファイル
        #[arg(long, value_name = "ファイル")]
        template: Option<PathBuf>,
    },
    /// 各課に配る回答様式（Excel）を書き出します
    #[command(
        override_usage = "shiryo template [-o ファイル] [指定]",
        help_template = COMMAND_HELP,
        next_help_heading = "指定"
    )]
    Template {
        /// 書き出すファイル（既定: output/各課回答様式.xlsx、--matrix のときは matrix.xml）
        #[arg(short, long, value_name = "ファイル")]
        output: Option<PathBuf>,
        /// 分野・区分の一覧に使う資料テンプレート
        #[arg(long, value_name = "ファイル")]
        template: Option<PathBuf>,
        /// 様式の代わりに、既定の資料テンプレート（matrix.xml）を書き出します
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

const COMMANDS: &[&str] = &["build", "check", "template", "__worker"];

fn main() -> ExitCode {
    shiryo::ingest::worker::limits::return_large_blocks();
    let session = Session::start();
    let status = run(std::env::args_os().collect());
    session.end();
    ExitCode::from(status.code())
}

/// What the command line asks for.
enum Invocation {
    /// One of the commands.
    Command(Cli),
    /// Folders dropped on the exe (or given without a command).
    Dropped(Vec<PathBuf>),
    /// No argument at all (a double-click).
    Bare,
}

fn run(args: Vec<OsString>) -> ExitStatus {
    let invocation = match classify(&args) {
        Ok(i) => i,
        Err(message) => {
            console::err(&format!("エラー: {message}\n\n{USAGE}"));
            return ExitStatus::Fatal;
        }
    };
    match invocation {
        Invocation::Command(cli) => command(cli.command),
        Invocation::Dropped(folders) => folders
            .iter()
            .map(|f| build(drop_options(f)))
            .max()
            .unwrap_or(ExitStatus::Clean),
        Invocation::Bare => match sample_base() {
            Some(base) => build(BuildOptions {
                output: Some(base.join("output")),
                ..build_options(base.join("input"), None)
            }),
            None => {
                console::out(&format!("{ABOUT}\n\n{USAGE}"));
                ExitStatus::Fatal
            }
        },
    }
}

/// Sorts the arguments into a command, dropped folders or nothing, with a
/// Japanese message for what cannot be used.
fn classify(args: &[OsString]) -> Result<Invocation, String> {
    if let Some(bad) = args.iter().skip(1).find_map(swallowed_quote) {
        return Err(bad);
    }
    let Some(first) = args.get(1) else {
        return Ok(Invocation::Bare);
    };
    let first_str = first.to_string_lossy();
    if first_str.starts_with('-') || COMMANDS.contains(&first_str.as_ref()) {
        return Cli::try_parse_from(args)
            .map(Invocation::Command)
            .map_err(|e| match e.kind() {
                ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
                    // Help and version are answers, not errors.
                    console::out(&e.render().to_string());
                    std::process::exit(0)
                }
                _ => japanese(&e),
            });
    }
    let mut folders = Vec::new();
    for a in &args[1..] {
        let p = PathBuf::from(a);
        if p.is_dir() {
            folders.push(p);
        } else if p.is_file() {
            return Err(format!(
                "「{}」はファイルです。ファイルではなく、提出ファイルの入ったフォルダを指定（ドラッグ＆ドロップ）してください。",
                p.display()
            ));
        } else {
            return Err(format!(
                "「{}」というコマンドもフォルダもありません。",
                p.display()
            ));
        }
    }
    Ok(Invocation::Dropped(folders))
}

/// A `"` in an argument that names nothing: a path written `"C:\…\提出\"`
/// in a .bat, where `\"` escapes the closing quote and the rest of the line
/// runs into the path.
fn swallowed_quote(arg: &OsString) -> Option<String> {
    let s = arg.to_string_lossy();
    if !s.contains('"') || Path::new(arg).exists() {
        return None;
    }
    let (path, rest) = s.split_once('"').unwrap_or((&s, ""));
    Some(format!(
        "指定「{s}」は、フォルダ名の最後の \\ のすぐ後に \" があるため、後ろの指定（{}）までフォルダ名の一部になっています。\"{}\" のように最後の \\ を消すか、\\\\ と二つ重ねて書いてください。",
        rest.trim(),
        path.trim_end_matches(['\\', '/'])
    ))
}

/// A clap error in Japanese, with what to do.
fn japanese(e: &clap::Error) -> String {
    let ctx = |k: ContextKind| e.get(k).map(|v| v.to_string()).unwrap_or_default();
    let arg = ctx(ContextKind::InvalidArg);
    let value = ctx(ContextKind::InvalidValue);
    let source = std::error::Error::source(e)
        .map(|s| s.to_string())
        .unwrap_or_default();
    match e.kind() {
        ErrorKind::InvalidSubcommand => format!(
            "「{}」というコマンドはありません。",
            ctx(ContextKind::InvalidSubcommand)
        ),
        ErrorKind::UnknownArgument => format!("「{arg}」という指定はありません。"),
        ErrorKind::InvalidValue | ErrorKind::ValueValidation if !source.is_empty() => source,
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            format!("{arg} の値「{value}」は使えません。")
        }
        ErrorKind::MissingRequiredArgument => format!("{arg} を指定してください。"),
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues => {
            format!("{arg} に指定できる値の数が違います（「{value}」）。")
        }
        ErrorKind::ArgumentConflict => format!("{arg} は一緒に指定できません。"),
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            "コマンド（build・check・template）を指定してください。".into()
        }
        _ => "指定が正しくありません。".into(),
    }
}

/// The folder with a sample month to build on a double-click: the current
/// folder's `input`, else the exe's.
fn sample_base() -> Option<PathBuf> {
    let cwd = std::env::current_dir().ok();
    let exe_dir = std::env::current_exe()
        .ok()
        .and_then(|e| e.parent().map(Path::to_path_buf));
    cwd.into_iter()
        .chain(exe_dir)
        .find(|base| base.join("input").is_dir())
}

/// `shiryo FOLDER`: build into the sibling folder `FOLDER_資料`.
fn drop_options(folder: &Path) -> BuildOptions {
    let output = match folder.file_name() {
        Some(name) => {
            let mut sibling = name.to_os_string();
            sibling.push("_資料");
            folder.with_file_name(sibling)
        }
        // A drive root has no sibling: the handout goes inside it.
        None => folder.join("資料"),
    };
    BuildOptions {
        output: Some(output),
        ..build_options(folder.to_path_buf(), None)
    }
}

/// A build of `input` with the defaults of `shiryo build`.
fn build_options(input: PathBuf, template: Option<PathBuf>) -> BuildOptions {
    let template = shiryo::template::locate(template.as_deref());
    BuildOptions {
        isolation: isolation(template.as_deref()),
        input,
        output: None,
        template,
        strict: false,
        date: Date::today(),
        font: None,
        previous: None,
        progress: true,
        edits: None,
    }
}

fn command(command: Command) -> ExitStatus {
    let opts = match command {
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
                let template = shiryo::template::locate(template.as_deref());
                shiryo::write_form(&out, template.as_deref())
            };
            return match result {
                Ok(path) => {
                    console::out(&format!("書き出しました: {}\n", path.display()));
                    ExitStatus::Clean
                }
                Err(e) => {
                    console::err(&format!("エラー: {e}\n"));
                    ExitStatus::Fatal
                }
            };
        }
        Command::Worker { template } => {
            return shiryo::ingest::worker::serve(template.as_deref());
        }
        Command::Build {
            input,
            output,
            template,
            strict,
            date,
            font,
            previous,
            edits,
            no_worker,
        } => {
            let mut opts = build_options(input, template);
            if no_worker {
                opts.isolation = Isolation::InProcess;
            }
            BuildOptions {
                output: Some(output),
                strict,
                date: date.unwrap_or(opts.date),
                font,
                previous,
                edits,
                ..opts
            }
        }
        Command::Check { input, template } => build_options(input, template),
    };
    build(opts)
}

fn build(opts: BuildOptions) -> ExitStatus {
    match shiryo::run(&opts) {
        Ok(outcome) => {
            console::out(&outcome.report);
            if let Some(dir) = opts.output.as_ref().filter(|_| !outcome.written.is_empty()) {
                console::out(&format!("  出力フォルダ: {}\n", dir.display()));
            }
            outcome.status
        }
        Err(e) => {
            console::err(&format!("エラー: {e}\n"));
            ExitStatus::Fatal
        }
    }
}

/// The worker command line for this binary: the same executable, hidden
/// subcommand, same template.
fn isolation(template: Option<&Path>) -> Isolation {
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
