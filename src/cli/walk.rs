//! Turning path arguments into the list of inputs.

use std::path::{Path, PathBuf};

/// One input: stdin or a file, with the path to use below an output directory.
#[derive(Debug, Clone)]
pub enum Input {
    Stdin,
    File { path: PathBuf, relative: PathBuf },
}

impl Input {
    pub fn display(&self) -> String {
        match self {
            Input::Stdin => "<stdin>".to_string(),
            Input::File { path, .. } => path.display().to_string(),
        }
    }
}

/// Expands the arguments: `-` or nothing is stdin, directories are walked recursively
/// (honouring .gitignore and .ignore unless `no_ignore`, skipping hidden entries unless
/// `hidden`), files are taken as given. Walk errors are passed to `on_error` and skipped.
pub fn inputs(
    paths: &[PathBuf],
    hidden: bool,
    no_ignore: bool,
    on_error: &mut dyn FnMut(String),
) -> Vec<Input> {
    if paths.is_empty() {
        return vec![Input::Stdin];
    }
    let mut out = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            out.push(Input::Stdin);
            continue;
        }
        if p.is_dir() {
            let mut files = Vec::new();
            let walker = ignore::WalkBuilder::new(p)
                .hidden(!hidden)
                .ignore(!no_ignore)
                .git_ignore(!no_ignore)
                .git_global(!no_ignore)
                .git_exclude(!no_ignore)
                .require_git(false)
                .follow_links(false)
                .build();
            for entry in walker {
                match entry {
                    Ok(e) if e.file_type().is_some_and(|t| t.is_file()) => {
                        let path = e.into_path();
                        let relative = path.strip_prefix(p).unwrap_or(&path).to_path_buf();
                        files.push(Input::File { path, relative });
                    }
                    Ok(_) => {}
                    Err(err) => on_error(err.to_string()),
                }
            }
            // Deterministic order whatever the file system returns.
            files.sort_by_cached_key(Input::display);
            out.extend(files);
        } else {
            out.push(Input::File {
                path: p.clone(),
                relative: file_name(p),
            });
        }
    }
    out
}

fn file_name(p: &Path) -> PathBuf {
    p.file_name()
        .map(PathBuf::from)
        .unwrap_or_else(|| p.to_path_buf())
}
