//! The clean configuration of a new agency, as `gnbv init` writes it (and as
//! the Debian package installs it in `/etc/gnbv`).
//!
//! The program catalogue, the funding sources, the indicators and the
//! validation rules are the shipped files, embedded at build time; the
//! settings are the shipped ones with the demo city's `[agency]` block
//! replaced by fields to fill; the unit registry is empty, with its header
//! and a commented example. The demo's official decisions (`official/`) are
//! never part of it: they name the demo city's units.

use std::path::Path;

use anyhow::Context;

/// The shipped settings (the demo city's agency).
const SHIPPED_SETTINGS: &str = include_str!("../config/settings.toml");
/// The `[agency]` block to fill, with what each field is, in Vietnamese.
const AGENCY: &str = include_str!("scaffold/agency.toml");
/// An empty unit registry: header, explanation, one commented example line.
const UNITS: &str = include_str!("scaffold/units.csv");

/// The files shipped as they are: (path inside the config folder, text).
/// Every catalogue under `config/catalogue/` is listed (a test checks it).
const SHIPPED: &[(&str, &str)] = &[
    ("catalogue/qd90_2021_2025.toml", include_str!("../config/catalogue/qd90_2021_2025.toml")),
    ("sources.toml", include_str!("../config/sources.toml")),
    ("indicators.toml", include_str!("../config/indicators.toml")),
    ("rules.toml", include_str!("../config/rules.toml")),
];

/// Writes every file into a temporary folder beside `config`, then renames
/// it: a failure leaves no half-written config behind.
///
/// # Errors
///
/// The folder or a file cannot be written (nothing is left half-written).
pub fn write(config: &Path) -> anyhow::Result<()> {
    let parent = config.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or_else(|| Path::new("."));
    std::fs::create_dir_all(parent).with_context(|| format!("không tạo được thư mục {}", parent.display()))?;
    let staging = tempfile::Builder::new().prefix(".gnbv-init-").tempdir_in(parent)?;
    for (name, text) in files() {
        let path = staging.path().join(name);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        crate::output::write_synced(&path, text.as_bytes()).with_context(|| format!("không ghi được {name}"))?;
    }
    let staged = staging.keep();
    std::fs::rename(&staged, config).with_context(|| format!("không tạo được {}", config.display()))?;
    Ok(())
}

/// Every file of a new config folder: (path inside it, `/` separated; text).
pub fn files() -> Vec<(&'static str, String)> {
    let mut out = vec![("settings.toml", settings()), ("units.csv", UNITS.to_string())];
    out.extend(SHIPPED.iter().map(|(path, text)| (*path, (*text).to_string())));
    out
}

/// The shipped settings with the `[agency]` block to fill.
fn settings() -> String {
    let start = SHIPPED_SETTINGS.find("\n[agency]").map_or(0, |i| i + 1);
    let rest = &SHIPPED_SETTINGS[start..];
    // The block ends where the next table's header begins (its comments belong to it).
    let end = rest
        .match_indices("\n[")
        .map(|(i, _)| i + 1)
        .find(|&i| i > 0)
        .map_or(rest.len(), |i| start_of_comments(rest, i));
    format!("{}{AGENCY}{}", &SHIPPED_SETTINGS[..start], &rest[end..])
}

/// Where the comment lines just above the line starting at `at` begin.
fn start_of_comments(text: &str, at: usize) -> usize {
    let mut begin = at;
    while let Some(prev_end) = begin.checked_sub(1) {
        let line_start = text[..prev_end].rfind('\n').map_or(0, |i| i + 1);
        if text[line_start..prev_end].trim_start().starts_with('#') {
            begin = line_start;
        } else {
            break;
        }
    }
    begin
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_catalogue_is_embedded() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("config/catalogue");
        let mut shipped: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| format!("catalogue/{}", e.unwrap().file_name().to_string_lossy()))
            .collect();
        shipped.sort();
        let embedded: Vec<&str> = SHIPPED.iter().map(|(p, _)| *p).filter(|p| p.starts_with("catalogue/")).collect();
        assert_eq!(shipped, embedded, "add the new catalogue to scaffold::SHIPPED");
    }

    #[test]
    fn settings_keep_everything_but_the_demo_agency() {
        let text = settings();
        let value: toml::Table = toml::from_str(&text).unwrap();
        let agency = value["agency"].as_table().unwrap();
        assert_eq!(agency["code"].as_str(), Some(""));
        assert!(!text.contains("LAI CHÂU") && !text.contains("Lai Châu"), "{text}");
        for table in ["deadline", "report", "input", "limits", "run", "rules"] {
            assert!(value.contains_key(table), "[{table}] kept");
        }
        // Everything after the agency is the shipped text, comments included.
        let tail = |t: &str| t[t.find("\n[deadline]").unwrap()..].to_string();
        assert_eq!(tail(&text), tail(SHIPPED_SETTINGS));
        assert!(text.starts_with("# Thiết lập"), "the file's own header comment is kept");
    }

    #[test]
    fn no_demo_data() {
        let files = files();
        assert!(files.iter().all(|(p, _)| !p.starts_with("official")));
        let units = &files.iter().find(|(p, _)| *p == "units.csv").unwrap().1;
        assert!(units.starts_with("code,name,kind,"));
        assert!(units.lines().skip(1).all(|l| l.starts_with('#')));
    }
}
