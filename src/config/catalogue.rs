//! The program catalogue: projects and sub-projects of one program phase.
//!
//! One TOML file per phase under `config/catalogue/`; the run picks the one
//! whose years hold the period, so the 2026-2035 program (Nghị quyết
//! 257/2025/QH15) is a new file, not new code.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::domain::ProjectCode;
use crate::text::{fold, fold_code};

/// The kind of capital a project receives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CapitalType {
    /// Vốn đầu tư phát triển.
    DauTu,
    /// Vốn sự nghiệp.
    SuNghiep,
    /// Both kinds.
    HonHop,
}

impl CapitalType {
    /// The Vietnamese label.
    pub fn label(self) -> &'static str {
        match self {
            CapitalType::DauTu => "Đầu tư phát triển",
            CapitalType::SuNghiep => "Sự nghiệp",
            CapitalType::HonHop => "Đầu tư và sự nghiệp",
        }
    }
}

/// A program phase, as written in its TOML file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogueFile {
    /// The program phase.
    pub program: Program,
    /// Projects and sub-projects, parents before their children.
    #[serde(rename = "project")]
    pub projects: Vec<Project>,
}

/// A program phase.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Program {
    /// Short code (`QD90`).
    pub code: String,
    /// Full Vietnamese name.
    pub name: String,
    /// The legal basis, shown in run information.
    #[serde(default)]
    pub basis: String,
    /// First budget year the catalogue applies to.
    pub first_year: i32,
    /// Last budget year the catalogue applies to.
    pub last_year: i32,
}

/// A project or sub-project.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Project {
    /// Code (`DA3.2`).
    pub code: ProjectCode,
    /// Heading as documents number it (`Dự án 3`, `Tiểu dự án 2`).
    pub heading: String,
    /// Vietnamese name.
    pub name: String,
    /// The parent project, for a sub-project.
    #[serde(default)]
    pub parent: Option<ProjectCode>,
    /// Capital type.
    pub capital: CapitalType,
    /// Other names units write for it.
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// A loaded, checked catalogue with its lookup tables.
#[derive(Debug, Clone)]
pub struct Catalogue {
    /// The program phase.
    pub program: Program,
    /// Projects in catalogue order.
    pub projects: Vec<Project>,
    index: BTreeMap<ProjectCode, usize>,
    by_code_key: BTreeMap<String, usize>,
    by_name: Vec<(String, usize)>,
}

impl Catalogue {
    /// Checks a parsed file and builds the lookups.
    ///
    /// # Errors
    ///
    /// A message naming the project when codes repeat, a parent is unknown or
    /// comes after its child, or a parent is itself a sub-project's child of a
    /// child (two levels at most).
    pub fn build(file: CatalogueFile) -> Result<Self, String> {
        let mut index = BTreeMap::new();
        for (i, p) in file.projects.iter().enumerate() {
            if index.insert(p.code.clone(), i).is_some() {
                return Err(format!("project code '{}' appears twice", p.code));
            }
            if let Some(parent) = &p.parent {
                match index.get(parent) {
                    None => {
                        return Err(format!(
                            "project '{}' names parent '{}', which is not listed before it",
                            p.code, parent
                        ));
                    }
                    Some(&pi) if file.projects[pi].parent.is_some() => {
                        return Err(format!(
                            "project '{}' has parent '{}', which is itself a sub-project: two levels at most",
                            p.code, parent
                        ));
                    }
                    Some(_) => {}
                }
            }
        }
        if file.program.first_year > file.program.last_year {
            return Err("program first_year is after last_year".into());
        }
        let mut by_code_key = BTreeMap::new();
        let mut by_name = Vec::new();
        for (i, p) in file.projects.iter().enumerate() {
            for key in code_keys(p.code.as_str()) {
                by_code_key.entry(key).or_insert(i);
            }
            by_name.push((fold(&p.name), i));
            for alias in &p.aliases {
                by_name.push((fold(alias), i));
            }
        }
        // Longest names first, so "cai thien dinh duong" wins over a shorter alias it contains.
        by_name.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.1.cmp(&b.1)));
        Ok(Self { program: file.program, projects: file.projects, index, by_code_key, by_name })
    }

    /// True when the catalogue applies to `year`.
    pub fn covers(&self, year: i32) -> bool {
        (self.program.first_year..=self.program.last_year).contains(&year)
    }

    /// The project with this code.
    pub fn get(&self, code: &ProjectCode) -> Option<&Project> {
        self.index.get(code).map(|&i| &self.projects[i])
    }

    /// Position in catalogue order (for sorting rows as the catalogue lists them).
    pub fn order(&self, code: &ProjectCode) -> usize {
        self.index.get(code).copied().unwrap_or(usize::MAX)
    }

    /// Children of a project, in catalogue order.
    pub fn children(&self, code: &ProjectCode) -> impl Iterator<Item = &Project> {
        let code = code.clone();
        self.projects.iter().filter(move |p| p.parent.as_ref() == Some(&code))
    }

    /// True when the project has sub-projects.
    pub fn has_children(&self, code: &ProjectCode) -> bool {
        self.children(code).next().is_some()
    }

    /// Top-level projects, in order.
    pub fn roots(&self) -> impl Iterator<Item = &Project> {
        self.projects.iter().filter(|p| p.parent.is_none())
    }

    /// The project itself and its parent, if any.
    pub fn lineage(&self, code: &ProjectCode) -> Vec<ProjectCode> {
        let mut out = vec![code.clone()];
        if let Some(parent) = self.get(code).and_then(|p| p.parent.clone()) {
            out.push(parent);
        }
        out
    }

    /// Finds a project by the code a unit wrote (`DA3.2`, `da 3.2`, `3.2`, `TDA3.2`).
    pub fn find_by_code(&self, text: &str) -> Option<&Project> {
        let key = code_key(text);
        self.by_code_key.get(&key).map(|&i| &self.projects[i])
    }

    /// Finds a project from a row's name, with the project of the last parent
    /// row above it as context (`Tiểu dự án 2` under `Dự án 3` is `DA3.2`).
    pub fn find_by_name(&self, name: &str, context: Option<&ProjectCode>) -> Option<&Project> {
        let folded = fold(name);
        if folded.is_empty() {
            return None;
        }
        // 1. A numbered heading: "Dự án 3", "Tiểu dự án 2", "TDA 2", "DA3".
        if let Some(found) = self.find_by_heading(&folded, context) {
            return Some(found);
        }
        // 2. The name itself: exact, then the row's text containing a known name.
        if let Some((_, i)) = self.by_name.iter().find(|(n, _)| *n == folded) {
            return Some(&self.projects[*i]);
        }
        let stripped = strip_numbering(&folded);
        if let Some((_, i)) = self.by_name.iter().find(|(n, _)| *n == stripped) {
            return Some(&self.projects[*i]);
        }
        self.by_name
            .iter()
            .find(|(n, _)| n.len() >= 8 && crate::text::has_words(&folded, n))
            .map(|(_, i)| &self.projects[*i])
    }

    /// Finds a project whose name is exactly `name` (accents, case and
    /// list numbering aside), without headings or context: the strict match
    /// used to tell that a row's code and name disagree.
    pub fn find_by_exact_name(&self, name: &str) -> Option<&Project> {
        let folded = fold(name);
        if folded.is_empty() {
            return None;
        }
        let stripped = strip_numbering(&folded);
        self.by_name.iter().find(|(n, _)| *n == folded || *n == stripped).map(|(_, i)| &self.projects[*i])
    }

    fn find_by_heading(&self, folded: &str, context: Option<&ProjectCode>) -> Option<&Project> {
        let (is_sub, number) = parse_heading(folded)?;
        if is_sub {
            // "Tiểu dự án 2 ... Dự án 3" may name its parent in the same text.
            let parent = parse_parent_in_sub_heading(folded)
                .and_then(|n| self.roots().find(|p| heading_number(&p.heading) == Some(n)))
                .map(|p| p.code.clone())
                .or_else(|| context.cloned())?;
            let parent = self.get(&parent).and_then(|p| p.parent.clone()).unwrap_or(parent);
            self.children(&parent).find(|c| heading_number(&c.heading) == Some(number))
        } else {
            self.roots().find(|p| heading_number(&p.heading) == Some(number))
        }
    }
}

/// The lookup key of a code: letters and digits with a `.` kept between digits.
fn code_key(text: &str) -> String {
    let folded = fold(text.replace(['.', ','], " dot ").as_str());
    let mut out = String::new();
    for word in folded.split(' ') {
        if word == "dot" {
            out.push('.');
        } else {
            out.push_str(&word.to_uppercase());
        }
    }
    out.trim_matches('.').to_string()
}

/// Every spelling of a catalogue code that units use: `DA3.2`, `3.2`, `TDA3.2`, `DA3_2`.
fn code_keys(code: &str) -> Vec<String> {
    let key = code_key(code);
    let mut keys = vec![key.clone(), fold_code(code)];
    let digits_start = key.find(|c: char| c.is_ascii_digit());
    if let Some(start) = digits_start {
        let number = &key[start..];
        keys.push(number.to_string());
        keys.push(format!("DA{number}"));
        keys.push(format!("TDA{number}"));
        keys.push(format!("DUAN{number}"));
        keys.push(format!("TIEUDUAN{number}"));
    }
    keys.sort();
    keys.dedup();
    keys
}

/// `(is_sub_project, number)` from the start of a folded row name.
fn parse_heading(folded: &str) -> Option<(bool, u32)> {
    let rest = strip_leading_numbering(folded);
    let (is_sub, after) = if let Some(after) = rest.strip_prefix("tieu du an") {
        (true, after)
    } else if let Some(after) = rest.strip_prefix("tda") {
        (true, after)
    } else if let Some(after) = rest.strip_prefix("du an") {
        (false, after)
    } else if let Some(after) = rest.strip_prefix("da") {
        (false, after)
    } else {
        return None;
    };
    let digits: String = after.trim_start().chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() {
        return None;
    }
    // "da 3 2" (from "DA3.2") is a sub-project written as a code.
    let after_digits = after.trim_start()[digits.len()..].trim_start();
    if !is_sub {
        let second: String = after_digits.chars().take_while(char::is_ascii_digit).collect();
        if !second.is_empty() && after_digits[second.len()..].trim().is_empty() {
            return None;
        }
    }
    Some((is_sub, digits.parse().ok()?))
}

/// In "tieu du an 2 du an 3 ...", the parent's number 3.
fn parse_parent_in_sub_heading(folded: &str) -> Option<u32> {
    let pos = folded.find(" thuoc du an ").map(|p| p + " thuoc du an ".len()).or_else(|| {
        let first = folded.find("du an")?;
        folded[first + 5..].find("du an ").map(|p| first + 5 + p + "du an ".len())
    })?;
    let digits: String = folded[pos..].chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// The number in a catalogue heading (`Dự án 3` gives 3).
fn heading_number(heading: &str) -> Option<u32> {
    parse_heading(&fold(heading)).map(|(_, n)| n)
}

/// Drops list numbering at the start: `1.`, `a)`, `i.`, `-`, `3.2`.
fn strip_leading_numbering(folded: &str) -> &str {
    let mut rest = folded.trim_start();
    loop {
        let word_end = rest.find(' ').unwrap_or(rest.len());
        let word = &rest[..word_end];
        let is_numbering = !word.is_empty()
            && word.len() <= 4
            && (word.chars().all(|c| c.is_ascii_digit())
                || matches!(word, "a" | "b" | "c" | "d" | "e" | "i" | "ii" | "iii" | "iv" | "v" | "vi" | "vii"));
        if is_numbering && word_end < rest.len() {
            rest = rest[word_end..].trim_start();
        } else {
            return rest;
        }
    }
}

/// The name without a leading heading (`du an 2 da dang hoa sinh ke` gives
/// `da dang hoa sinh ke`).
fn strip_numbering(folded: &str) -> String {
    let rest = strip_leading_numbering(folded);
    for prefix in ["tieu du an", "du an", "tda", "da"] {
        if let Some(after) = rest.strip_prefix(prefix) {
            let after = after.trim_start();
            let digits = after.chars().take_while(char::is_ascii_digit).count();
            if digits > 0 {
                return after[digits..].trim_start().to_string();
            }
        }
    }
    rest.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalogue() -> Catalogue {
        let text =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/config/catalogue/qd90_2021_2025.toml"))
                .unwrap();
        Catalogue::build(toml::from_str(&text).unwrap()).unwrap()
    }

    fn code(c: &str) -> ProjectCode {
        ProjectCode::new(c)
    }

    #[test]
    fn codes_as_units_write_them() {
        let c = catalogue();
        for text in ["DA3.2", "da 3.2", "3.2", "TDA3.2", "DA 3.2", "Da3.2"] {
            assert_eq!(c.find_by_code(text).map(|p| p.code.as_str()), Some("DA3.2"), "{text}");
        }
        assert_eq!(c.find_by_code("DA3").map(|p| p.code.as_str()), Some("DA3"));
        assert!(c.find_by_code("DA9").is_none());
    }

    #[test]
    fn names_with_headings_under_their_parent() {
        let c = catalogue();
        let sub = c.find_by_name("Tiểu dự án 2: Cải thiện dinh dưỡng", Some(&code("DA3")));
        assert_eq!(sub.map(|p| p.code.as_str()), Some("DA3.2"));
        let sub = c.find_by_name("Tiểu dự án 2", Some(&code("DA4.1")));
        assert_eq!(sub.map(|p| p.code.as_str()), Some("DA4.2"), "context may be a sibling");
        let top = c.find_by_name("Dự án 2: Đa dạng hóa sinh kế, phát triển mô hình giảm nghèo", None);
        assert_eq!(top.map(|p| p.code.as_str()), Some("DA2"));
        let by_name = c.find_by_name("CẢI THIỆN DINH DƯỠNG", None);
        assert_eq!(by_name.map(|p| p.code.as_str()), Some("DA3.2"));
        let with_parent = c.find_by_name("Tiểu dự án 3 thuộc Dự án 4: Hỗ trợ việc làm bền vững", None);
        assert_eq!(with_parent.map(|p| p.code.as_str()), Some("DA4.3"));
    }

    #[test]
    fn lineage_and_children() {
        let c = catalogue();
        assert_eq!(c.lineage(&code("DA3.2")), vec![code("DA3.2"), code("DA3")]);
        assert!(c.has_children(&code("DA3")));
        assert!(!c.has_children(&code("DA2")));
    }
}
