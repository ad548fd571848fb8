use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use generator::manifest::Manifest;
use generator::write::{write_crate, WriteOutcome};
use generator::{generate_crate, generate_from_manifest, standalone_input};

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
    },
    /// Regenerate in memory and compare with the committed crate; exit 1
    /// and show the differences when they are not identical.
    Check {
        /// The manifest of APIs.
        #[arg(long, default_value = "specs/apis.toml")]
        manifest: PathBuf,
    },
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
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
        Command::Generate {
            manifest,
            spec,
            out,
            name,
        } => match (spec, out) {
            (Some(spec), Some(out)) => {
                let generated = generate_crate(&standalone_input(&spec, name.as_deref()))
                    .map_err(|e| e.to_string())?;
                finish(&out, generated)
            }
            _ => {
                let manifest = Manifest::load(&manifest).map_err(|e| e.to_string())?;
                let generated = generate_from_manifest(&manifest).map_err(|e| e.to_string())?;
                finish(&manifest.output_dir(), generated)
            }
        },
    }
}

fn check(manifest: &std::path::Path) -> Result<(), String> {
    let manifest = Manifest::load(manifest).map_err(|e| e.to_string())?;
    let generated = generate_from_manifest(&manifest).map_err(|e| e.to_string())?;
    let output = manifest.output_dir();
    let drift = generator::check::drift_of(&output, &generated.files).map_err(|e| e.to_string())?;
    if drift.is_clean() {
        println!(
            "{}: up to date ({} files)",
            output.display(),
            generated.files.len()
        );
        return Ok(());
    }
    print!("{drift}");
    Err(format!(
        "{} is out of date: run `cargo run -p generator -- generate` and commit the result",
        output.display()
    ))
}

fn finish(out: &std::path::Path, generated: generator::GeneratedCrate) -> Result<(), String> {
    if !generated.rustfmt_applied {
        eprintln!("warning: rustfmt was not found; the code keeps prettyplease's layout");
    }
    for coverage in &generated.coverage {
        print!("{coverage}");
    }
    let outcome = write_crate(out, &generated.files).map_err(|e| e.to_string())?;
    match outcome {
        WriteOutcome::Unchanged => println!(
            "{}: up to date ({} files)",
            out.display(),
            generated.files.len()
        ),
        WriteOutcome::Replaced => {
            println!("{}: wrote {} files", out.display(), generated.files.len())
        }
    }
    Ok(())
}
