//! The unit registry, `config/units.csv` (SPEC §3, contract).
//!
//! Officers keep unit lists in Excel, so the registry is a CSV table: columns
//! `code`, `name`, `kind`, and optionally `parent`, `opened`, `closed`,
//! `successor`, `flags`. Unknown columns are ignored. Since the 2025 reform a
//! unit may close and hand its figures to a successor.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::domain::{Period, UnitCode};
use crate::text::fold;

/// One registered unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    /// Code, as units write it in `Mã đơn vị`.
    pub code: UnitCode,
    /// Vietnamese name.
    pub name: String,
    /// `xã`, `phường`, `thị trấn`, `phòng ban`, `huyện`, `tỉnh`…
    pub kind: String,
    /// The unit it rolls up into, for multi-level reports.
    pub parent: Option<UnitCode>,
    /// First day it exists.
    pub opened: Option<NaiveDate>,
    /// First day it no longer exists (after a merger).
    pub closed: Option<NaiveDate>,
    /// The unit that takes over its figures when it closes.
    pub successor: Option<UnitCode>,
    /// Flags such as `dbkk` (đặc biệt khó khăn).
    pub flags: Vec<String>,
}

impl Unit {
    /// True when the unit must report for `period`: opened by the end of the
    /// month and not closed by then.
    pub fn is_expected(&self, period: Period) -> bool {
        let end = period.last_day();
        self.opened.is_none_or(|d| d <= end) && self.closed.is_none_or(|d| d > end)
    }

    /// True when the unit carries the flag (case-insensitive).
    pub fn has_flag(&self, flag: &str) -> bool {
        self.flags.iter().any(|f| f.eq_ignore_ascii_case(flag))
    }
}

/// All registered units, with lookups by code.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    /// Units in file order.
    pub units: Vec<Unit>,
    index: BTreeMap<UnitCode, usize>,
    by_key: BTreeMap<String, usize>,
    /// For each successor, the units that hand their figures to it, in file order.
    handed_to: BTreeMap<UnitCode, Vec<usize>>,
}

impl Registry {
    /// Reads the CSV text; errors name the line and say what is expected.
    pub fn parse(text: &str) -> Result<Self, (usize, String)> {
        let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
        // A line starting with `#` is a comment (`gnbv init` writes a commented example).
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .trim(csv::Trim::All)
            .comment(Some(b'#'))
            .from_reader(text.as_bytes());
        let headers: Vec<String> = reader
            .headers()
            .map_err(|e| (1, format!("cannot read the header row: {e}")))?
            .iter()
            .map(|h| h.trim().to_lowercase())
            .collect();
        let col = |name: &str| headers.iter().position(|h| h == name);
        let (Some(c_code), Some(c_name), Some(c_kind)) = (col("code"), col("name"), col("kind")) else {
            return Err((1, "the header row must have the columns code, name and kind".into()));
        };
        let (c_parent, c_opened, c_closed, c_succ, c_flags) =
            (col("parent"), col("opened"), col("closed"), col("successor"), col("flags"));
        let mut units = Vec::new();
        // Where each line starts, so a record's line is found without
        // counting from the top each time (a national registry has 10,000).
        let line_starts: Vec<usize> =
            std::iter::once(0).chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1)).collect();
        for (i, record) in reader.records().enumerate() {
            let record = record.map_err(|e| (i + 2, format!("cannot read the row: {e}")))?;
            let line = record
                .position()
                .and_then(|p| usize::try_from(p.byte()).ok())
                .map_or(i + 2, |b| line_at(text, &line_starts, b));
            let get = |c: Option<usize>| c.and_then(|c| record.get(c)).map(str::trim).filter(|s| !s.is_empty());
            if record.iter().all(|f| f.trim().is_empty()) {
                continue;
            }
            let code = get(Some(c_code)).ok_or((line, "the code is empty".to_string()))?;
            if code.chars().any(char::is_control) {
                return Err((line, format!("the code '{code}' holds control characters")));
            }
            let date = |c: Option<usize>, what: &str| -> Result<Option<NaiveDate>, (usize, String)> {
                get(c)
                    .map(|s| {
                        NaiveDate::parse_from_str(s, "%Y-%m-%d")
                            .map_err(|_| (line, format!("{what} '{s}' is not a date: write YYYY-MM-DD")))
                    })
                    .transpose()
            };
            let opened = date(c_opened, "opened")?;
            let closed = date(c_closed, "closed")?;
            if let (Some(o), Some(c)) = (opened, closed)
                && c <= o
            {
                return Err((line, format!("closed {c} is not after opened {o}")));
            }
            units.push(Unit {
                code: UnitCode::new(code),
                name: get(Some(c_name)).ok_or((line, "the name is empty".to_string()))?.to_string(),
                kind: get(Some(c_kind)).unwrap_or_default().to_string(),
                parent: get(c_parent).map(UnitCode::new),
                opened,
                closed,
                successor: get(c_succ).map(UnitCode::new),
                flags: get(c_flags)
                    .map(|f| f.split([';', '|', ' ']).filter(|s| !s.is_empty()).map(str::to_string).collect())
                    .unwrap_or_default(),
            });
        }
        let mut index = BTreeMap::new();
        let mut by_key: BTreeMap<String, usize> = BTreeMap::new();
        let mut by_stem: BTreeMap<String, usize> = BTreeMap::new();
        for (i, u) in units.iter().enumerate() {
            if index.insert(u.code.clone(), i).is_some() {
                return Err((i + 2, format!("unit code '{}' appears twice", u.code)));
            }
            // Workbooks name units loosely (case, accents, punctuation) and
            // file names keep only safe characters: two codes that read or
            // file the same would take each other's reports or feedback.
            if let Some(&j) = by_key.get(&code_key(u.code.as_str())) {
                return Err((
                    i + 2,
                    format!("unit codes '{}' and '{}' cannot be told apart in a workbook", units[j].code, u.code),
                ));
            }
            by_key.insert(code_key(u.code.as_str()), i);
            let stem = crate::text::safe_file_stem(u.code.as_str()).to_lowercase();
            if let Some(&j) = by_stem.get(&stem) {
                return Err((
                    i + 2,
                    format!("unit codes '{}' and '{}' give the same file name ('{stem}')", units[j].code, u.code),
                ));
            }
            by_stem.insert(stem, i);
        }
        for (i, u) in units.iter().enumerate() {
            if let Some(s) = &u.successor {
                if !index.contains_key(s) {
                    return Err((i + 2, format!("successor '{s}' of '{}' is not a registered unit", u.code)));
                }
                if u.closed.is_none() {
                    return Err((i + 2, format!("'{}' has a successor but no closed date", u.code)));
                }
            }
        }
        let mut handed_to: BTreeMap<UnitCode, Vec<usize>> = BTreeMap::new();
        for (i, u) in units.iter().enumerate() {
            if let Some(s) = &u.successor {
                handed_to.entry(s.clone()).or_default().push(i);
            }
        }
        let registry = Self { units, index, by_key, handed_to };
        for u in &registry.units {
            // A successor chain must end: A -> B -> A would loop forever.
            let mut seen = vec![u.code.clone()];
            let mut current = u;
            while let Some(next) = current.successor.as_ref().and_then(|s| registry.get(s)) {
                if seen.contains(&next.code) {
                    let line = registry.index[&u.code] + 2;
                    return Err((line, format!("successors of '{}' form a loop", u.code)));
                }
                seen.push(next.code.clone());
                current = next;
            }
        }
        Ok(registry)
    }

    /// The unit with exactly this code.
    pub fn get(&self, code: &UnitCode) -> Option<&Unit> {
        self.index.get(code).map(|&i| &self.units[i])
    }

    /// Finds the unit a workbook names: case- and accent-insensitive, and a code
    /// that Excel stored as a number (`3364` for `03364`) still matches.
    pub fn find(&self, written: &str) -> Option<&Unit> {
        self.by_key.get(&code_key(written)).map(|&i| &self.units[i])
    }

    /// Units expected to report for `period`, in file order.
    pub fn expected(&self, period: Period) -> impl Iterator<Item = &Unit> {
        self.units.iter().filter(move |u| u.is_expected(period))
    }

    /// Where a closed unit's figures go for `period`: the first successor in
    /// the chain that exists then (the unit itself while it is open).
    pub fn current_holder(&self, code: &UnitCode, period: Period) -> UnitCode {
        let mut current = code.clone();
        for _ in 0..self.units.len() {
            match self.get(&current) {
                Some(u) if !u.is_expected(period) => match &u.successor {
                    Some(s) => current = s.clone(),
                    None => break,
                },
                _ => break,
            }
        }
        current
    }

    /// Units that closed into `code` (directly or through a chain).
    pub fn predecessors(&self, code: &UnitCode) -> Vec<&Unit> {
        let mut out: Vec<&Unit> = Vec::new();
        let mut frontier = vec![code];
        while let Some(c) = frontier.pop() {
            for &i in self.handed_to.get(c).into_iter().flatten() {
                let u = &self.units[i];
                if !out.iter().any(|o| o.code == u.code) {
                    out.push(u);
                    frontier.push(&u.code);
                }
            }
        }
        out
    }
}

/// The file's line of a record the csv reader says starts at `byte`: its
/// position is where it began reading, before the comment and blank lines it
/// skipped (and its line count leaves comments out).
fn line_at(text: &str, line_starts: &[usize], byte: usize) -> usize {
    let mut offset = byte.min(text.len());
    while let Some(rest) = text.get(offset..).filter(|r| !r.is_empty()) {
        let first = rest.split('\n').next().unwrap_or_default();
        if !(first.starts_with('#') || first.trim().is_empty()) {
            break;
        }
        offset += first.len() + 1;
    }
    // Lines before `offset` = line starts at or before it, the first one included.
    line_starts.partition_point(|&start| start <= offset.min(text.len()))
}

/// Case- and accent-insensitive key; a purely numeric code loses leading zeros.
fn code_key(code: &str) -> String {
    let folded: String = fold(code).chars().filter(|c| !c.is_whitespace()).collect();
    if !folded.is_empty() && folded.chars().all(|c| c.is_ascii_digit()) {
        let trimmed = folded.trim_start_matches('0');
        if trimmed.is_empty() { "0".into() } else { trimmed.into() }
    } else {
        folded
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CSV: &str = "code,name,kind,parent,opened,closed,successor,flags,ghi chu\n\
        03364,Xã A,xã,,,2025-07-01,NEW,dbkk,x\n\
        03367,Xã B,xã,,,2025-07-01,NEW,,\n\
        NEW,Xã Mới,xã,,2025-07-01,,,,\n\
        TTYT,Trung tâm Y tế,phòng ban,,,,,,\n";

    #[test]
    fn reads_contract_columns_and_ignores_others() {
        let r = Registry::parse(CSV).unwrap();
        assert_eq!(r.units.len(), 4);
        assert!(r.units[0].has_flag("DBKK"));
        assert_eq!(r.find("3364").map(|u| u.code.as_str()), Some("03364"));
        assert_eq!(r.find("ttyt").map(|u| u.code.as_str()), Some("TTYT"));
    }

    #[test]
    fn closing_and_succession() {
        let r = Registry::parse(CSV).unwrap();
        let june = Period::new(2025, 6).unwrap();
        let july = Period::new(2025, 7).unwrap();
        let expected_june: Vec<_> = r.expected(june).map(|u| u.code.as_str()).collect();
        assert_eq!(expected_june, ["03364", "03367", "TTYT"]);
        let expected_july: Vec<_> = r.expected(july).map(|u| u.code.as_str()).collect();
        assert_eq!(expected_july, ["NEW", "TTYT"]);
        assert_eq!(r.current_holder(&UnitCode::new("03364"), july).as_str(), "NEW");
        assert_eq!(r.current_holder(&UnitCode::new("03364"), june).as_str(), "03364");
        assert_eq!(r.predecessors(&UnitCode::new("NEW")).len(), 2);
    }

    #[test]
    fn predecessors_follow_a_chain_of_closings_in_file_order() {
        // A and B close into C in 2025, C closes into D in 2026: D counts all three.
        let r = Registry::parse(
            "code,name,kind,closed,successor\n\
             A,Xã A,xã,2025-06-30,C\n\
             D,Xã D,xã,,\n\
             B,Xã B,xã,2025-06-30,C\n\
             C,Xã C,xã,2026-06-30,D\n\
             E,Xã E,xã,,\n",
        )
        .unwrap();
        let codes =
            |u: &str| -> Vec<String> { r.predecessors(&UnitCode::new(u)).iter().map(|p| p.code.to_string()).collect() };
        assert_eq!(codes("D"), ["C", "A", "B"]);
        assert_eq!(codes("C"), ["A", "B"]);
        assert!(codes("A").is_empty());
        assert!(codes("E").is_empty());
    }

    #[test]
    fn errors_name_the_line() {
        let (line, msg) = Registry::parse("code,name,kind\nA,Xã A,xã\nA,Xã A2,xã\n").unwrap_err();
        assert_eq!(line, 3);
        assert!(msg.contains("twice"));
        let (line, msg) = Registry::parse("code,name,kind,closed\nA,Xã A,xã,01/07/2025\n").unwrap_err();
        assert_eq!(line, 2);
        assert!(msg.contains("YYYY-MM-DD"));
        let (line, _) = Registry::parse("code,name\nA,B\n").unwrap_err();
        assert_eq!(line, 1);
        let (_, msg) =
            Registry::parse("code,name,kind,closed,successor\nA,a,xã,2025-07-01,B\nB,b,xã,2025-07-02,A\n").unwrap_err();
        assert!(msg.contains("loop"));
    }

    #[test]
    fn comments_and_no_units() {
        let r = Registry::parse("code,name,kind\n# A,Xã A,xã\n").unwrap();
        assert!(r.units.is_empty());
        let (line, _) = Registry::parse("code,name,kind,closed\n# ví dụ\nA,Xã A,xã,01/07/2025\n").unwrap_err();
        assert_eq!(line, 3, "the file's line, comments counted");
        let (line, _) = Registry::parse("code,name,kind\nA,a,xã\n\n# x\n# y\n,b,xã\n").unwrap_err();
        assert_eq!(line, 6);
    }

    #[test]
    fn path_like_codes_are_accepted_but_never_collide() {
        // A code is the unit's own business; a file name made from it is
        // sanitized (`text::safe_file_stem`), so it must stay unique.
        let r = Registry::parse("code,name,kind\n../../x,=cmd,xã\nB,b,xã\n").unwrap();
        assert_eq!(r.find("../../x").map(|u| u.code.as_str()), Some("../../x"));
        let (line, msg) = Registry::parse("code,name,kind\n../../x,a,xã\nX,b,xã\n").unwrap_err();
        assert_eq!(line, 3);
        assert!(msg.contains("cannot be told apart"), "{msg}");
        let (line, msg) = Registry::parse("code,name,kind\nA_1,a,xã\nA 1,b,xã\n").unwrap_err();
        assert_eq!(line, 3);
        assert!(msg.contains("told apart") || msg.contains("same file name"), "{msg}");
        let (_, msg) = Registry::parse("code,name,kind\nÁ-1,a,xã\nA-1!,b,xã\n").unwrap_err();
        assert!(msg.contains("told apart") || msg.contains("same file name"), "{msg}");
    }
}
