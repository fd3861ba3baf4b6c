//! One header model for every table gnbv reads: the capital sheet, the
//! indicator sheet and the official decisions.
//!
//! A table's header is one to four rows (a group such as `Kế hoạch vốn`,
//! then `Tổng số | Trong đó`, then the sources, then `Số tiền | Tỷ lệ (%)`),
//! with cells merged across and down. Each column's label is read top to
//! bottom ([`column_parts`]) and its meaning decided once, here:
//!
//! - a label that says the column is a ratio, a percentage, a comparison, a
//!   difference, an estimate, a forecast, a remainder or a note
//!   ([`not_a_figure`]) is never read as a figure, whatever else it says;
//! - a figure label is specific (`Lũy kế từ đầu năm`, `Trong tháng`,
//!   `Kế hoạch năm`) or generic (`Thực hiện`, `Kết quả`, `Giải ngân`)
//!   ([`figure_of`]); a specific column beats a generic one for the same
//!   figure, and two columns of the same strength competing for one figure
//!   are reported by the reader, naming both cells, never resolved silently.

use super::grid::Grid;
use crate::text::has_words;

/// The most header rows a table may have.
pub(crate) const MAX_HEADER_ROWS: usize = 4;

/// Which figure a column holds, as its label says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Figure {
    /// The year's plan: allocated capital, the indicator's yearly target.
    Planned,
    /// This month's disbursement or result.
    Month,
    /// Since 1 January.
    Cumulative,
}

/// How a label names its figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Strength {
    /// "Thực hiện", "Kết quả", "Giải ngân": a result, without saying which.
    Generic,
    /// "Lũy kế từ đầu năm", "Trong tháng", "Kế hoạch năm".
    Specific,
}

const CUMULATIVE: &[&str] =
    &["luy ke", "tu dau nam", "giai ngan den", "den thoi diem bao cao", "den thoi diem", "den nay", "den ngay"];
const MONTH: &[&str] =
    &["trong thang", "thang nay", "trong ky", "thuc hien thang", "giai ngan thang", "phat sinh thang"];
const PLANNED: &[&str] = &[
    "ke hoach",
    "kh von",
    "kh nam",
    "khv",
    "von giao",
    "duoc giao",
    "phan bo",
    "du toan",
    "chi tieu giao",
    "chi tieu nam",
    "chi tieu ke hoach",
    "muc tieu",
];
const RESULT: &[&str] = &["thuc hien", "ket qua", "giai ngan", "da giai ngan", "ket qua giai ngan", "so thuc hien"];

/// Words that make a column something other than a figure to add: a ratio
/// or percentage, a comparison or a difference, an estimate or a forecast,
/// what remains, a multi-year plan, a note.
const NOT_A_FIGURE: &[&str] = &[
    "ty le",
    "ti le",
    "so voi",
    "so sanh",
    "chenh lech",
    "tang giam",
    "cung ky",
    "uoc",
    "du kien",
    "du bao",
    "con lai",
    "chua giai ngan",
    "ghi chu",
    "binh quan",
    "trung binh",
];

/// Words under a ratio heading that bring the column back to a figure
/// (`Tỷ lệ giải ngân` over… no; `Giải ngân` over `Số tiền | Tỷ lệ (%)`: yes).
const AMOUNT: &[&str] = &["so tien", "gia tri", "so luong", "so lieu"];

fn any_word(label: &str, words: &[&str]) -> bool {
    words.iter().any(|w| has_words(label, w))
}

/// True when a folded label (one header cell) says its column is a ratio,
/// a comparison, an estimate… (see [`NOT_A_FIGURE`]; a `%` anywhere counts).
pub(crate) fn is_not_a_figure_label(label: &str) -> bool {
    any_word(label, NOT_A_FIGURE) || label.contains('%')
}

/// True when a column whose header cells are `parts` (top to bottom, folded)
/// holds something other than a figure to add. The lowest cell that says
/// either decides: `Lũy kế` over `Tỷ lệ (%)` is a ratio, `Tỷ lệ giải ngân`
/// over `NSTW` is a ratio, `Giải ngân (số tiền, tỷ lệ)` over `Số tiền` is an
/// amount (a cell that names both is only a grouping heading).
pub(crate) fn not_a_figure(parts: &[String]) -> bool {
    let mut ratio = false;
    for part in parts {
        match (is_not_a_figure_label(part), any_word(part, AMOUNT)) {
            (true, false) => ratio = true,
            (false, true) => ratio = false,
            _ => {}
        }
    }
    ratio
}

/// The figure a folded label names and how specifically.
pub(crate) fn figure_of(label: &str) -> Option<(Figure, Strength)> {
    if any_word(label, CUMULATIVE) {
        Some((Figure::Cumulative, Strength::Specific))
    } else if any_word(label, MONTH) {
        Some((Figure::Month, Strength::Specific))
    } else if any_word(label, PLANNED) {
        Some((Figure::Planned, Strength::Specific))
    } else if any_word(label, RESULT) {
        Some((Figure::Cumulative, Strength::Generic))
    } else {
        None
    }
}

/// True for a label made only of header words: a figure, a ratio, an
/// amount, `Trong đó`, `Tổng số`, `Số tiền`.
pub(crate) fn is_header_words(label: &str) -> bool {
    figure_of(label).is_some()
        || is_not_a_figure_label(label)
        || any_word(label, AMOUNT)
        || label.starts_with("trong do")
        || is_total_label(label)
}

/// True for a label naming a total (`Tổng`, `Tổng số`, `Cộng`): a checksum column.
pub(crate) fn is_total_label(label: &str) -> bool {
    ["tong", "tong so", "tong cong", "cong"].iter().any(|w| has_words(label, w))
}

/// For each header row and column, the cell whose label covers it: the cell
/// itself, the start of a merged region over it, or — in a sheet without
/// merge information — the nearest label to its left in the same row, when a
/// lower header row names this column and every upper row puts both columns
/// under the same heading (a blank never borrows across a group boundary:
/// the "Tổng số" column of one group does not take the last source of the
/// group before it). Indexed `[row index][col - first_col]`.
pub(crate) struct Origins {
    first_col: u32,
    cells: Vec<Vec<(u32, u32)>>,
}

impl Origins {
    pub(crate) fn new(grid: &Grid, rows: &[u32]) -> Self {
        let (first, end) = (grid.first_col(), grid.end_col());
        let width = (end - first) as usize;
        let last = rows.len().saturating_sub(1);
        let mut cells: Vec<Vec<(u32, u32)>> = Vec::with_capacity(rows.len());
        for (i, &row) in rows.iter().enumerate() {
            let mut line = Vec::with_capacity(width);
            // Per upper row, where the current run of one heading began.
            let mut run_start = vec![first; i];
            let mut left: Option<u32> = None;
            for col in first..end {
                let k = (col - first) as usize;
                for (j, start) in run_start.iter_mut().enumerate() {
                    if k > 0 && cells[j][k] != cells[j][k - 1] {
                        *start = col;
                    }
                }
                let own = if !grid.folded(row, col).is_empty() {
                    left = Some(col);
                    (row, col)
                } else if let Some(m) = grid.merge_at(row, col) {
                    m.start
                } else if !grid.has_merges()
                    && i < last
                    && rows[i + 1..].iter().any(|&r| !grid.folded(r, col).is_empty())
                    && let Some(l) = left
                    && run_start.iter().all(|&s| s <= l)
                {
                    (row, l)
                } else {
                    (row, col)
                };
                line.push(own);
            }
            cells.push(line);
        }
        Self { first_col: first, cells }
    }
}

/// A column's labels from the header rows, top to bottom, each part folded
/// and with the cell it is written in (so messages quote the label as the
/// unit wrote it); a label spanning several rows counts once.
pub(crate) fn column_parts(grid: &Grid, origins: &Origins, col: u32) -> Vec<(String, (u32, u32))> {
    let mut parts: Vec<(String, (u32, u32))> = Vec::new();
    let Some(k) = col.checked_sub(origins.first_col).map(|k| k as usize) else { return parts };
    for line in &origins.cells {
        let Some(&(row, c)) = line.get(k) else { continue };
        let text = grid.folded(row, c).to_string();
        if !text.is_empty() && parts.last().map(|p| &p.0) != Some(&text) {
            parts.push((text, (row, c)));
        }
    }
    parts
}

/// The header rows from `top`: the top row, then each following row that
/// `continues` says is more header, up to [`MAX_HEADER_ROWS`].
pub(crate) fn header_rows(top: u32, continues: impl Fn(u32) -> bool) -> Vec<u32> {
    let mut rows = vec![top];
    while rows.len() < MAX_HEADER_ROWS {
        let next = top + u32::try_from(rows.len()).unwrap_or(u32::MAX - top);
        if !continues(next) {
            break;
        }
        rows.push(next);
    }
    rows
}

/// One column's label as the unit wrote it: its header cells joined by `/`.
pub(crate) fn shown(grid: &Grid, parts: &[(String, (u32, u32))]) -> String {
    parts.iter().filter_map(|(_, (r, c))| grid.text(*r, *c)).collect::<Vec<_>>().join(" / ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::fold;

    fn parts(labels: &[&str]) -> Vec<String> {
        labels.iter().map(|l| fold(l)).collect()
    }

    #[test]
    fn ratios_comparisons_and_estimates_are_never_figures() {
        for label in [
            "Tỷ lệ thực hiện (%)",
            "So sánh với KH (%)",
            "So với cùng kỳ",
            "Ước thực hiện cả năm",
            "Dự kiến tháng sau",
            "Chênh lệch",
            "Tăng (+), giảm (-)",
            "Tỉ lệ giải ngân",
            "%",
        ] {
            assert!(not_a_figure(&parts(&[label])), "{label}");
        }
        assert!(not_a_figure(&parts(&["Lũy kế từ đầu năm", "Tỷ lệ (%)"])));
        assert!(not_a_figure(&parts(&["Tỷ lệ giải ngân", "NSTW"])));
        assert!(!not_a_figure(&parts(&["Lũy kế từ đầu năm", "Số tiền"])));
        assert!(!not_a_figure(&parts(&["Kế hoạch vốn", "Trong đó", "NSTW", "Số tiền"])));
        assert!(!not_a_figure(&parts(&["Lũy kế giải ngân từ đầu năm", "NSTW năm trước chuyển sang"])));
    }

    #[test]
    fn a_specific_label_outranks_a_generic_one() {
        let f = |l: &str| figure_of(&fold(l));
        assert_eq!(f("Lũy kế từ đầu năm"), Some((Figure::Cumulative, Strength::Specific)));
        assert_eq!(f("Kết quả thực hiện Lũy kế"), Some((Figure::Cumulative, Strength::Specific)));
        assert_eq!(f("Thực hiện trong tháng"), Some((Figure::Month, Strength::Specific)));
        assert_eq!(f("Kế hoạch năm 2024"), Some((Figure::Planned, Strength::Specific)));
        assert_eq!(f("Thực hiện"), Some((Figure::Cumulative, Strength::Generic)));
        assert_eq!(f("Chỉ tiêu"), None);
    }
}
