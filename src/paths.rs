//! Where the config, input and output folders are, when the command line
//! does not say.
//!
//! For each folder, the first that applies:
//!
//! 1. the flag (`--config`, `--input`, `--output`);
//! 2. the environment: `GNBV_CONFIG`, `GNBV_INPUT`, `GNBV_OUTPUT`, else
//!    `GNBV_HOME` (a folder holding `config/`, `input/`, `output/`);
//! 3. the package's folders, `/etc/gnbv`, `/var/lib/gnbv/input` and
//!    `/var/lib/gnbv/output`, when gnbv runs as installed by the Debian
//!    package (`/usr/bin/gnbv`), or when the current folder has no `config/`
//!    and `/etc/gnbv` exists;
//! 4. `config/`, `input/` and `output/` in the current folder (running from
//!    the repository, or `cargo install`).
//!
//! The rule is decided once for the three folders, so a run never mixes the
//! package's config with the current folder's input.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// The installed package's config folder.
pub const PACKAGE_CONFIG: &str = "/etc/gnbv";
/// The installed package's input folder.
pub const PACKAGE_INPUT: &str = "/var/lib/gnbv/input";
/// The installed package's output folder.
pub const PACKAGE_OUTPUT: &str = "/var/lib/gnbv/output";
/// Where the package installs the binary.
pub const PACKAGE_BIN_DIR: &str = "/usr/bin";

/// The three folders of a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths {
    /// The config folder.
    pub config: PathBuf,
    /// The folder of unit workbooks.
    pub input: PathBuf,
    /// The output folder.
    pub output: PathBuf,
}

/// The folders given on the command line (`None`: not given).
#[derive(Debug, Clone, Copy, Default)]
pub struct Flags<'a> {
    /// `--config`.
    pub config: Option<&'a Path>,
    /// `--input`.
    pub input: Option<&'a Path>,
    /// `--output`.
    pub output: Option<&'a Path>,
}

/// What the resolver looks at besides the flags, so that tests can give it
/// another world.
pub struct World<'a> {
    /// An environment variable.
    pub var: &'a dyn Fn(&str) -> Option<OsString>,
    /// The running binary.
    pub exe: Option<PathBuf>,
    /// Whether a folder exists (relative paths: from the current folder).
    pub is_dir: &'a dyn Fn(&Path) -> bool,
}

impl World<'_> {
    /// This process's environment, binary and file system.
    pub fn real() -> World<'static> {
        World { var: &|name| std::env::var_os(name), exe: std::env::current_exe().ok(), is_dir: &Path::is_dir }
    }

    fn nonempty(&self, name: &str) -> Option<PathBuf> {
        (self.var)(name).filter(|v| !v.is_empty()).map(PathBuf::from)
    }
}

/// True when the binary is the one the package installed.
pub fn is_package_binary(exe: Option<&Path>) -> bool {
    exe.and_then(Path::parent) == Some(Path::new(PACKAGE_BIN_DIR))
}

/// Resolves the three folders (see the module documentation).
pub fn resolve(flags: Flags<'_>, world: &World<'_>) -> Paths {
    let home = world.nonempty("GNBV_HOME");
    let package = is_package_binary(world.exe.as_deref())
        || (!(world.is_dir)(Path::new("config")) && (world.is_dir)(Path::new(PACKAGE_CONFIG)));
    let pick = |flag: Option<&Path>, var: &str, name: &str, packaged: &str| -> PathBuf {
        if let Some(flag) = flag {
            return flag.to_path_buf();
        }
        if let Some(value) = world.nonempty(var) {
            return value;
        }
        match (&home, package) {
            (Some(home), _) => home.join(name),
            (None, true) => PathBuf::from(packaged),
            (None, false) => PathBuf::from(name),
        }
    };
    Paths {
        config: pick(flags.config, "GNBV_CONFIG", "config", PACKAGE_CONFIG),
        input: pick(flags.input, "GNBV_INPUT", "input", PACKAGE_INPUT),
        output: pick(flags.output, "GNBV_OUTPUT", "output", PACKAGE_OUTPUT),
    }
}

/// Resolves the folders for this process.
pub fn resolve_here(flags: Flags<'_>) -> Paths {
    resolve(flags, &World::real())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn world<'a>(
        vars: &'a [(&'a str, &'a str)],
        exe: &str,
        dirs: &'a [&'a str],
    ) -> (impl Fn(&str) -> Option<OsString> + 'a, Option<PathBuf>, impl Fn(&Path) -> bool + 'a) {
        let var = move |name: &str| vars.iter().find(|(k, _)| *k == name).map(|(_, v)| OsString::from(v));
        let is_dir = move |p: &Path| dirs.iter().any(|d| Path::new(d) == p);
        (var, Some(PathBuf::from(exe)), is_dir)
    }

    fn paths(vars: &[(&str, &str)], exe: &str, dirs: &[&str], flags: Flags<'_>) -> (String, String, String) {
        let (var, exe, is_dir) = world(vars, exe, dirs);
        let p = resolve(flags, &World { var: &var, exe, is_dir: &is_dir });
        (p.config.display().to_string(), p.input.display().to_string(), p.output.display().to_string())
    }

    const REPO_BIN: &str = "/work/gnbv/target/release/gnbv";

    #[test]
    fn from_the_repository_the_current_folder() {
        let p = paths(&[], REPO_BIN, &["config"], Flags::default());
        assert_eq!(p, ("config".into(), "input".into(), "output".into()));
        // The package installed on the same machine changes nothing.
        let p = paths(&[], REPO_BIN, &["config", "/etc/gnbv"], Flags::default());
        assert_eq!(p, ("config".into(), "input".into(), "output".into()));
    }

    #[test]
    fn the_installed_binary_uses_the_package_folders() {
        let p = paths(&[], "/usr/bin/gnbv", &["config", "/etc/gnbv"], Flags::default());
        assert_eq!(p, ("/etc/gnbv".into(), "/var/lib/gnbv/input".into(), "/var/lib/gnbv/output".into()));
        // Another binary, in a folder without config/, with the package installed.
        let p = paths(&[], "/usr/local/bin/gnbv", &["/etc/gnbv"], Flags::default());
        assert_eq!(p.0, "/etc/gnbv");
        // No package and no config/: the current folder (the config error names it).
        let p = paths(&[], "/usr/local/bin/gnbv", &[], Flags::default());
        assert_eq!(p.0, "config");
    }

    #[test]
    fn flags_then_environment_then_home() {
        let vars = [("GNBV_HOME", "/srv/tinh"), ("GNBV_INPUT", "/mnt/thu_den"), ("GNBV_OUTPUT", "")];
        let flags = Flags { output: Some(Path::new("ra")), ..Flags::default() };
        let p = paths(&vars, "/usr/bin/gnbv", &["/etc/gnbv"], flags);
        assert_eq!(p, ("/srv/tinh/config".into(), "/mnt/thu_den".into(), "ra".into()));
        let p = paths(&vars, REPO_BIN, &["config"], Flags::default());
        assert_eq!(p.2, "/srv/tinh/output", "an empty variable counts as unset");
        let flags = Flags { config: Some(Path::new("c")), input: Some(Path::new("i")), output: None };
        let p = paths(&[("GNBV_CONFIG", "/x")], REPO_BIN, &[], flags);
        assert_eq!(p, ("c".into(), "i".into(), "output".into()));
    }
}
