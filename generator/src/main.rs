use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use generator::manifest::Manifest;
use generator::pipeline::SerdeImpls;
use generator::write::{existing_crate, read_existing, replace_crate, FileSet, WriteOutcome};
use generator::{generate_crate, generate_from_manifest, standalone_input};

/// A generation allocates and frees millions of small token trees and
/// strings; with glibc's allocator that was a third of the CPU profile.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Generates typed Rust clients from OpenAPI 3.0/3.1 documents.
#[derive(Parser)]
#[command(name = "generator", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate the crate the manifest describes, or, with --spec and
    /// --out, a stand-alone crate for any document.
    Generate {
        /// The manifest of APIs.
        #[arg(long, default_value = "specs/apis.toml")]
        manifest: PathBuf,
        /// An OpenAPI document to turn into a stand-alone crate.
        #[arg(long, requires = "out")]
        spec: Option<PathBuf>,
        /// Directory of the stand-alone crate.
        #[arg(long, requires = "spec")]
        out: Option<PathBuf>,
        /// Package name of the stand-alone crate (default: from the file name).
        #[arg(long, requires = "spec")]
        name: Option<String>,
        /// Every struct of the stand-alone crate derives serde's
        /// `Serialize` and `Deserialize` instead of going through the
        /// runtime: the twin the decoding benchmark compares against.
        #[arg(long, requires = "spec")]
        derive_serde: bool,
    },
    /// Regenerate in memory and compare with the committed crate; exit 1
    /// and show the differences when they are not identical.
    Check {
        /// The manifest of APIs.
        #[arg(long, default_value = "specs/apis.toml")]
        manifest: PathBuf,
    },
    /// A semantic changelog between two versions of an API description:
    /// operations and schemas added, removed and changed, each classified
    /// breaking or non-breaking for code that uses the generated crate.
    ///
    /// Exit status: 0; 1 with `--fail-on breaking` when a breaking change is
    /// present; 2 when a document cannot be read.
    Diff {
        /// The old version: an OpenAPI document (JSON or YAML), or the name
        /// of an API in the manifest (its vendored document with overlays).
        old: String,
        /// The new version, likewise.
        new: String,
        #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
        format: DiffFormat,
        /// Exit with status 1 when changes of this kind are present.
        #[arg(long, value_enum)]
        fail_on: Option<FailOn>,
        /// The manifest that API names are looked up in.
        #[arg(long, default_value = "specs/apis.toml")]
        manifest: PathBuf,
        /// Read a file side as it is, even when the other side names an
        /// API (whose overlays it otherwise takes, so that both sides are
        /// generated alike).
        #[arg(long)]
        raw: bool,
    },
    /// Fetch a new version of one API's document (from the manifest's
    /// upstream URL, or --from a URL or file), check that it generates,
    /// print the changelog, replace the vendored file and regenerate.
    Update {
        /// The API's name in the manifest.
        api: String,
        /// Where to read the new document: an http(s) URL or a file.
        #[arg(long)]
        from: Option<String>,
        /// How to print the changelog.
        #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
        format: DiffFormat,
        /// The manifest of APIs.
        #[arg(long, default_value = "specs/apis.toml")]
        manifest: PathBuf,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum DiffFormat {
    /// For people; coloured when standard output is a terminal.
    Text,
    /// For a pull-request description.
    Markdown,
    /// For tools.
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum FailOn {
    /// Any breaking change.
    Breaking,
}

/// `print!` that keeps going when standard output is closed early
/// (`generator generate | head`) instead of panicking: the files are still
/// written.
macro_rules! out {
    ($($arg:tt)*) => {
        write_stdout(&format!($($arg)*))
    };
}

/// `println!`, likewise.
macro_rules! outln {
    ($($arg:tt)*) => {
        write_stdout(&format!("{}\n", format_args!($($arg)*)))
    };
}

fn write_stdout(text: &str) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("warning: writing to standard output: {e}");
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Documents may nest thousands of levels deep (see generator::support::stack).
    generator::support::stack::on_large_stack(|| run_command(cli))
}

fn run_command(cli: Cli) -> ExitCode {
    if let Command::Diff {
        old,
        new,
        format,
        fail_on,
        manifest,
        raw,
    } = &cli.command
    {
        return diff(old, new, *format, *fail_on, manifest, *raw);
    }
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<(), String> {
    match cli.command {
        Command::Check { manifest } => check(&manifest),
        Command::Diff { .. } => unreachable!("diff runs on its own in main"),
        Command::Update {
            api,
            from,
            format,
            manifest,
        } => update(&manifest, &api, from.as_deref(), format),
        Command::Generate {
            manifest,
            spec,
            out,
            name,
            derive_serde,
        } => match (spec, out) {
            (Some(spec), Some(out)) => {
                let mut input = standalone_input(&spec, name.as_deref());
                if derive_serde {
                    for api in &mut input.apis {
                        api.serde_impls = SerdeImpls::Derived;
                    }
                }
                let (generated, existing) =
                    while_reading(existing_crate, &out, || generate_crate(&input));
                finish(&out, generated, existing)
            }
            _ => {
                let manifest = Manifest::load(&manifest).map_err(|e| e.to_string())?;
                let output = manifest.output_dir();
                let (generated, existing) = while_reading(existing_crate, &output, || {
                    generate_from_manifest(&manifest)
                });
                finish(&output, generated, existing)
            }
        },
    }
}

/// Runs `generate` while `read` reads what the output directory holds on
/// another thread: loading a document keeps one core busy and the other
/// free, and comparing with the files on disk needs them all read.
fn while_reading<T: Send>(
    read: impl FnOnce(&std::path::Path) -> generator::Result<T> + Send,
    output: &std::path::Path,
    generate: impl FnOnce() -> generator::Result<generator::GeneratedCrate>,
) -> (Result<generator::GeneratedCrate, String>, Result<T, String>) {
    std::thread::scope(|scope| {
        let existing = scope.spawn(|| read(output));
        let generated = generate().map_err(|e| e.to_string());
        let existing = existing
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            .map_err(|e| e.to_string());
        (generated, existing)
    })
}

fn check(manifest: &std::path::Path) -> Result<(), String> {
    let manifest = Manifest::load(manifest).map_err(|e| e.to_string())?;
    let output = manifest.output_dir();
    let (generated, on_disk) =
        while_reading(read_existing, &output, || generate_from_manifest(&manifest));
    let generated = generated?;
    let drift = generator::workflows::check::compare(&on_disk?, &generated.files);
    if drift.is_clean() {
        outln!(
            "{}: up to date ({} files)",
            output.display(),
            generated.files.len()
        );
        return Ok(());
    }
    out!("{drift}");
    Err(format!(
        "{} is out of date: run `cargo run -p generator -- generate` and commit the result",
        output.display()
    ))
}

fn update(
    manifest: &std::path::Path,
    api: &str,
    from: Option<&str>,
    format: DiffFormat,
) -> Result<(), String> {
    let manifest = Manifest::load(manifest).map_err(|e| e.to_string())?;
    let report =
        generator::workflows::update::update(&manifest, api, from).map_err(|e| e.to_string())?;
    out!(
        "{}",
        generator::workflows::diff::render::render(&report.changelog, format.into(), use_color())
    );
    for coverage in &report.coverage {
        out!("{coverage}");
    }
    outln!(
        "{}: replaced with {}",
        report.document.display(),
        report.source
    );
    print_release(report.release.as_ref());
    let output = manifest.output_dir();
    match report.outcome {
        WriteOutcome::Unchanged => outln!("{}: up to date", output.display()),
        WriteOutcome::Replaced => outln!("{}: regenerated", output.display()),
    }
    Ok(())
}

/// The crate's version and why it moved.
fn print_release(release: Option<&generator::workflows::release::Release>) {
    let Some(release) = release else {
        return;
    };
    match release.bump {
        _ if release.initial => outln!(
            "version {}: the changelog starts (the surfaces are recorded for the next generation)",
            release.version
        ),
        None => outln!("version {}: unchanged", release.version),
        Some(bump) => outln!("version {}: {}", release.version, bump.describe()),
    }
}

fn use_color() -> bool {
    use std::io::IsTerminal;
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

impl From<DiffFormat> for generator::workflows::diff::render::Format {
    fn from(format: DiffFormat) -> Self {
        use generator::workflows::diff::render::Format;
        match format {
            DiffFormat::Text => Format::Text,
            DiffFormat::Markdown => Format::Markdown,
            DiffFormat::Json => Format::Json,
        }
    }
}

fn finish(
    out: &std::path::Path,
    generated: Result<generator::GeneratedCrate, String>,
    existing: Result<Option<FileSet>, String>,
) -> Result<(), String> {
    let generated = generated?;
    if !generated.rustfmt_applied {
        eprintln!("warning: rustfmt was not found; the code keeps prettyplease's layout");
    }
    for coverage in &generated.coverage {
        out!("{coverage}");
    }
    print_release(generated.release.as_ref());
    let outcome =
        replace_crate(out, &generated.files, existing?.as_ref()).map_err(|e| e.to_string())?;
    match outcome {
        WriteOutcome::Unchanged => outln!(
            "{}: up to date ({} files)",
            out.display(),
            generated.files.len()
        ),
        WriteOutcome::Replaced => {
            outln!("{}: wrote {} files", out.display(), generated.files.len())
        }
    }
    Ok(())
}

/// `generator diff`: exit 0, 1 for breaking changes under `--fail-on
/// breaking`, 2 for errors.
fn diff(
    old: &str,
    new: &str,
    format: DiffFormat,
    fail_on: Option<FailOn>,
    manifest: &std::path::Path,
    raw: bool,
) -> ExitCode {
    use generator::workflows::diff::render::{render, Format};
    use generator::workflows::sides::{diff_models, diff_with_names, Overlays};
    use std::io::Write;

    let overlays = match raw {
        true => Overlays::None,
        false => Overlays::LikeTheApi,
    };
    let (old_model, new_model) = match diff_models(old, new, manifest, overlays) {
        Ok(models) => models,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    let sides = (
        (&old_model, std::path::Path::new(old)),
        (&new_model, std::path::Path::new(new)),
    );
    let mut changelog = match diff_with_names(sides.0, sides.1) {
        Ok(changelog) => changelog,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(2);
        }
    };
    changelog.old.source = old.to_owned();
    changelog.new.source = new.to_owned();
    let format: Format = format.into();
    let output = render(&changelog, format, use_color());
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout
        .write_all(output.as_bytes())
        .and_then(|()| stdout.flush())
    {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("error: writing the changelog: {e}");
            return ExitCode::from(2);
        }
    }
    match fail_on {
        Some(FailOn::Breaking) if changelog.has_breaking() => {
            eprintln!(
                "{} breaking change(s) between {old} and {new}",
                changelog.breaking_count()
            );
            ExitCode::from(1)
        }
        _ => ExitCode::SUCCESS,
    }
}
