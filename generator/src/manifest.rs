//! The project's manifest of APIs (`specs/apis.toml`).

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::support::error::{Error, Location, Result};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    #[serde(rename = "crate")]
    pub krate: CrateSettings,
    #[serde(rename = "api")]
    pub apis: Vec<ApiEntry>,
    /// Directory of the manifest file; relative paths start from here.
    #[serde(skip)]
    pub base_dir: PathBuf,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrateSettings {
    /// Package name of the generated crate.
    pub name: String,
    /// Directory of the generated crate.
    pub output: PathBuf,
    /// Path of the `api-runtime` crate, relative to the generated crate.
    pub runtime: String,
    pub description: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiEntry {
    /// Short name used on the command line (`generator update elevenlabs`).
    pub name: String,
    /// Rust module of the API in the generated crate.
    pub module: String,
    /// The vendored document.
    pub spec: PathBuf,
    /// Where upstream publishes the document.
    pub upstream: String,
    /// Overlay documents applied in order before generation.
    #[serde(default)]
    pub overlays: Vec<PathBuf>,
    /// AsyncAPI documents describing the API's WebSocket channels.
    #[serde(default)]
    pub asyncapi: Vec<PathBuf>,
}

impl Manifest {
    pub fn load(path: &Path) -> Result<Manifest> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        let mut manifest: Manifest = toml::from_str(&text).map_err(|e| {
            let location = e
                .span()
                .map(|span| {
                    let prefix = &text[..span.start.min(text.len())];
                    Location::LineColumn {
                        line: prefix.matches('\n').count() + 1,
                        column: prefix.len() - prefix.rfind('\n').map_or(0, |i| i + 1) + 1,
                    }
                })
                .unwrap_or(Location::Document);
            Error::invalid(path, location, e.message().to_owned())
        })?;
        manifest.base_dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        Ok(manifest)
    }

    /// A manifest path made absolute-or-relative like the manifest's own,
    /// with `dir/..` pairs folded (`specs/../generated` -> `generated`).
    pub fn resolve(&self, relative: &Path) -> PathBuf {
        let mut out = PathBuf::new();
        for component in self.base_dir.join(relative).components() {
            match component {
                std::path::Component::ParentDir
                    if matches!(
                        out.components().next_back(),
                        Some(std::path::Component::Normal(_))
                    ) =>
                {
                    out.pop();
                }
                std::path::Component::CurDir => {}
                other => out.push(other),
            }
        }
        if out.as_os_str().is_empty() {
            out.push(".");
        }
        out
    }

    pub fn output_dir(&self) -> PathBuf {
        self.resolve(&self.krate.output)
    }

    /// The workspace's build directory: `CARGO_TARGET_DIR`, or `target/`
    /// beside the output crate. The generator keeps its rustfmt cache there.
    pub fn build_dir(&self) -> PathBuf {
        match std::env::var_os("CARGO_TARGET_DIR") {
            Some(dir) => PathBuf::from(dir),
            None => {
                let output = self.output_dir();
                output.parent().unwrap_or(Path::new(".")).join("target")
            }
        }
    }

    pub fn api(&self, name: &str) -> Option<&ApiEntry> {
        self.apis.iter().find(|api| api.name == name)
    }

    /// Every file whose change should regenerate the crate.
    pub fn inputs(&self) -> Vec<PathBuf> {
        self.apis
            .iter()
            .flat_map(|api| {
                std::iter::once(&api.spec)
                    .chain(&api.overlays)
                    .chain(&api.asyncapi)
            })
            .map(|path| self.resolve(path))
            .collect()
    }
}
