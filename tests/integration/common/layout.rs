//! Issue 10's layouts: the clean twin's content ([`Content`]: [`MONEY`],
//! [`INDICATORS`] and [`MORE_INDICATORS`]) in headers of up to four rows ("Kế hoạch vốn" →
//! "Trong đó" → source → "Số tiền | Tỷ lệ (%)"), with ratio, comparison,
//! estimate and difference columns left of the figures, dashes for zero,
//! space-grouped numbers, Roman and hierarchical numbering, footnotes and
//! signature blocks. Written with `rust_xlsxwriter` directly, so gnbv has to
//! find everything by its labels.
//!
//! A sheet is a list of columns, each with what it holds (its role) and its
//! header path from the top header row down (`["Kế hoạch vốn năm 2024",
//! "Trong đó", "NSTW", "Số tiền"]`). [`CONT`] in a path continues the cell
//! above (merged down); paths shorter than the header are merged down to its
//! last row. Equal labels under the same parent in adjacent columns are one
//! cell (merged across, or written once, or repeated: [`Merge`]).

#![allow(dead_code)]

use rust_xlsxwriter::{Format, Workbook, Worksheet};

pub use super::variant::{INDICATORS, MONEY, PROJECTS, source_code};

/// In a header path: the cell above goes on down into this row.
pub const CONT: &str = "^";

/// Indicators the layouts carry beyond the variants' [`INDICATORS`], so that
/// every status occurs (exceeded, met, not yet): (code, name, unit, target,
/// month, achieved).
pub const MORE_INDICATORS: &[IndicatorRow] = &[
    ("DT_NGHE", "Số người được hỗ trợ đào tạo nghề", "người", Some(50.0), Some(10.0), Some(60.0)),
    ("NHA_O", "Số hộ được hỗ trợ nhà ở", "hộ", Some(12.0), Some(3.0), Some(12.0)),
    ("VL_KN", "Số lao động được kết nối việc làm thành công", "người", Some(2000.0), Some(150.0), Some(1728.0)),
];

/// A money row: (project code, source label, allocated, month, cumulative) in million đồng.
pub type MoneyRow = (&'static str, &'static str, f64, f64, f64);
/// An indicator row: (code, name, unit, target, month, achieved); rates as
/// fractions, points as points.
pub type IndicatorRow = (&'static str, &'static str, &'static str, Option<f64>, Option<f64>, Option<f64>);

/// What one unit reports: the clean twin's figures, made the unit's own.
#[derive(Debug, Clone)]
pub struct Content {
    pub money: Vec<MoneyRow>,
    pub indicators: Vec<IndicatorRow>,
}

impl Content {
    /// The twin's content ([`MONEY`], [`INDICATORS`], [`MORE_INDICATORS`])
    /// with DA2's central allocation `530 + k` million đồng and `2000 + k`
    /// households: no two units of a corpus carry identical figures (gnbv
    /// rightly flags a copied workbook). `k = 0` is the twin itself.
    pub fn of(k: u32) -> Self {
        let k = f64::from(k);
        let money = MONEY
            .iter()
            .map(|m| if (m.0, m.1) == ("DA2", "NSTW") { (m.0, m.1, m.2 + k, m.3, m.4) } else { *m })
            .collect();
        let indicators = INDICATORS
            .iter()
            .chain(MORE_INDICATORS)
            .map(|r| if r.0 == "HO_TONG" { (r.0, r.1, r.2, r.3, r.4, r.5.map(|v| v + k)) } else { *r })
            .collect();
        Self { money, indicators }
    }

    /// Money of a project (a parent: its children's sums) for a group and a
    /// source (`None`: all sources), in million đồng.
    pub fn money_of(&self, code: &str, g: usize, source: Option<&str>) -> f64 {
        let child = format!("{code}.");
        let is_parent = PROJECTS.iter().any(|(c, _, _)| c.starts_with(&child));
        self.money
            .iter()
            .filter(|(c, s, ..)| {
                (if is_parent { c.starts_with(&child) } else { *c == code }) && source.is_none_or(|x| x == *s)
            })
            .map(|m| [m.2, m.3, m.4][g])
            .sum::<f64>()
            + 0.0
    }

    /// The whole table's money for a group and source, in million đồng.
    fn money_total(&self, g: usize, source: Option<&str>) -> f64 {
        self.money.iter().filter(|m| source.is_none_or(|x| x == m.1)).map(|m| [m.2, m.3, m.4][g]).sum::<f64>() + 0.0
    }
}

/// The three money groups' default headers.
pub const GROUPS: [&[&str]; 3] =
    [&["Kế hoạch vốn năm 2024"], &["Giải ngân trong tháng"], &["Lũy kế giải ngân từ đầu năm"]];

/// How a header cell that spans several cells is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Merge {
    /// Merged cells.
    Merged,
    /// No merge: the label in the span's top-left cell only.
    FirstCell,
    /// No merge: across, the label in every column of the span; down, in the top cell.
    Repeated,
    /// No merge: across, in the first column; down, in the bottom cell
    /// ("Nội dung" on the header's last row).
    Bottom,
}

/// How a figure (money or count) is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Num {
    /// A number cell.
    Cells,
    /// Text grouped by this character with a decimal comma: `1 728 000`, `12,25`.
    Grouped(char),
}

/// How a zero amount is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zero {
    /// A number cell 0.
    Number,
    /// This text (`-`, ` - `); also in an empty ratio cell.
    Dash(&'static str),
    /// A number cell 0 whose accounting format shows `-`.
    AccountingDash,
}

/// How a percentage ("Tỷ lệ (%)") is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rate {
    /// `40.57`.
    Percent,
    /// `0.4057` formatted `0.00%`.
    Fraction,
    /// Text `40,57%`.
    Text,
}

/// How the STT column numbers rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stt {
    /// 1, 2, 3… down the table.
    Arabic,
    /// Projects (sections) I, II…; sub-projects (rows) 1, 2…
    Roman,
    /// Projects (sections) 1, 2…; sub-projects (rows) 1.1, 1.2…
    Hierarchical,
    /// Projects (sections) 1, 2… (I, II… for indicator sections); sub-projects (rows) a, b…
    Letters,
}

/// What is written under the table, on both sheets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Footer {
    None,
    /// A blank row, then "Ghi chú: (1) …", "(2) …", "* Số liệu ước tính".
    Notes,
    /// Date line, "Người lập biểu" | "Kế toán trưởng" | "Thủ trưởng đơn vị", names.
    Signatures,
    /// Both, with a blank row between table and notes.
    Both,
    /// Both, the notes right under the last row.
    TightBoth,
}

/// A row under the header numbering the columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberingRow {
    None,
    /// `(1) (2) (3)…`
    Parens,
    /// `A B C 1 2 3=4+5…`: letters for the text columns, numbers for the figures.
    Letters,
}

/// What a capital column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CapRole {
    Stt,
    Code,
    Name,
    /// Group (0 allocated, 1 month, 2 cumulative), source (`None`: the group's total).
    Amount(usize, Option<&'static str>),
    /// The group's percentage beside an amount: share of the allocation
    /// (group 0) or disbursed over allocated (groups 1, 2).
    Rate(usize, Option<&'static str>),
    /// A column that is not a figure of the report.
    Extra(CapX, Option<&'static str>),
}

/// The capital sheet's columns that must not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CapX {
    /// Cumulative over allocated, %.
    DisbursedPct,
    /// Against the same period last year, %.
    VsLastYearPct,
    /// Cumulative against the plan, %.
    VsPlanPct,
    /// Estimate for the whole year (money).
    Estimate,
    /// Expected next month (money).
    Forecast,
    /// Allocated minus cumulative (money).
    Difference,
    /// Last year's cumulative at the same date (money).
    LastYear,
    /// Next year's expected allocation (money).
    NextYearPlan,
}

/// What an indicator column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndRole {
    Stt,
    Code,
    Name,
    Unit,
    Target,
    Month,
    Achieved,
    Extra(IndX),
}

/// The indicator sheet's columns that must not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndX {
    /// Achieved over target, %.
    PctOfTarget,
    /// Against the same period last year, %.
    VsLastYearPct,
    /// Estimate for the whole year.
    Estimate,
    /// Expected next month.
    Forecast,
    /// Achieved minus target.
    Difference,
    /// Achieved at the same date last year.
    LastYear,
    /// Next year's expected target.
    NextYearPlan,
}

/// One column: its role and its header path.
#[derive(Debug, Clone)]
pub struct Col<R> {
    pub role: R,
    pub path: Vec<String>,
}

/// A column.
pub fn col<R, S: AsRef<str>>(role: R, path: &[S]) -> Col<R> {
    Col { role, path: path.iter().map(|s| s.as_ref().to_string()).collect() }
}

/// How the money groups are headed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Header {
    /// Group → source.
    TwoRow,
    /// Group → "Tổng số" (down) | "Trong đó" → source.
    TrongDo,
    /// Group → source → "Số tiền" | "Tỷ lệ (%)".
    Pairs,
    /// Group → "Tổng số" | "Trong đó" → source → "Số tiền" | "Tỷ lệ (%)".
    TrongDoPairs,
}

/// A block of capital columns after the name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Block {
    /// A money group (0, 1, 2).
    Group(usize),
    /// A column (or, per source, a group of columns) that is not a figure.
    Extra(&'static str, CapX, bool),
}

/// The capital sheet's columns, described at a higher level.
#[derive(Debug, Clone)]
pub struct Cap {
    pub stt: bool,
    pub code: bool,
    pub name_label: &'static str,
    pub header: Header,
    pub blocks: Vec<Block>,
    /// Each group's header path above its sources.
    pub groups: [&'static [&'static str]; 3],
    pub sources: &'static [&'static str],
    /// Sources named in full ("Ngân sách trung ương").
    pub long_sources: bool,
    /// A "Tổng số" column in each group (always with "Trong đó").
    pub total: bool,
    /// "Tỷ lệ (%)" left of "Số tiền".
    pub rate_first: bool,
    pub trong_do: &'static str,
    pub amount_label: &'static str,
    pub rate_label: &'static str,
}

impl Default for Cap {
    fn default() -> Self {
        Self {
            stt: false,
            code: true,
            name_label: "Nội dung",
            header: Header::TwoRow,
            blocks: vec![Block::Group(0), Block::Group(1), Block::Group(2)],
            groups: GROUPS,
            sources: &["NSTW", "NSĐP", "Khác", "Kéo dài"],
            long_sources: false,
            total: false,
            rate_first: false,
            trong_do: "Trong đó",
            amount_label: "Số tiền",
            rate_label: "Tỷ lệ (%)",
        }
    }
}

impl Cap {
    fn source_label(&self, s: &str) -> &'static str {
        match (s, self.long_sources) {
            ("NSTW", false) => "NSTW",
            ("NSTW", true) => "Ngân sách trung ương",
            ("NSĐP", false) => "NSĐP",
            ("NSĐP", true) => "Ngân sách địa phương",
            ("Khác", false) => "Vốn huy động khác",
            ("Khác", true) => "Vốn huy động hợp pháp khác",
            ("Kéo dài", false) => "Kéo dài",
            _ => "Vốn năm trước kéo dài",
        }
    }

    /// The columns, left to right.
    pub fn cols(&self) -> Vec<Col<CapRole>> {
        let mut cols = Vec::new();
        if self.stt {
            cols.push(col(CapRole::Stt, &["STT"]));
        }
        if self.code {
            cols.push(col(CapRole::Code, &["Mã"]));
        }
        cols.push(col(CapRole::Name, &[self.name_label]));
        for block in &self.blocks {
            match *block {
                Block::Group(g) => self.group(g, &mut cols),
                Block::Extra(label, x, false) => cols.push(col(CapRole::Extra(x, None), &[label])),
                Block::Extra(label, x, true) => {
                    for s in self.sources {
                        cols.push(col(CapRole::Extra(x, Some(*s)), &[label, self.source_label(s)]));
                    }
                }
            }
        }
        cols
    }

    fn group(&self, g: usize, cols: &mut Vec<Col<CapRole>>) {
        let prefix = self.groups[g];
        let with = |rest: &[&str]| -> Vec<String> { prefix.iter().chain(rest).map(|s| (*s).to_string()).collect() };
        let pair = |cols: &mut Vec<Col<CapRole>>, s: Option<&'static str>, above: &[&str]| {
            let amount = col(CapRole::Amount(g, s), &with(&[above, &[self.amount_label]].concat()));
            let rate = col(CapRole::Rate(g, s), &with(&[above, &[self.rate_label]].concat()));
            if self.rate_first {
                cols.extend([rate, amount]);
            } else {
                cols.extend([amount, rate]);
            }
        };
        let total = self.total || matches!(self.header, Header::TrongDo | Header::TrongDoPairs);
        match self.header {
            Header::TwoRow => {
                if total {
                    cols.push(col(CapRole::Amount(g, None), &with(&["Tổng số"])));
                }
                for s in self.sources {
                    cols.push(col(CapRole::Amount(g, Some(*s)), &with(&[self.source_label(s)])));
                }
            }
            Header::TrongDo => {
                cols.push(col(CapRole::Amount(g, None), &with(&["Tổng số"])));
                for s in self.sources {
                    cols.push(col(CapRole::Amount(g, Some(*s)), &with(&[self.trong_do, self.source_label(s)])));
                }
            }
            Header::Pairs => {
                if total {
                    pair(cols, None, &["Tổng số"]);
                }
                for s in self.sources {
                    pair(cols, Some(*s), &[self.source_label(s)]);
                }
            }
            Header::TrongDoPairs => {
                pair(cols, None, &["Tổng số", CONT]);
                for s in self.sources {
                    pair(cols, Some(*s), &[self.trong_do, self.source_label(s)]);
                }
            }
        }
    }
}

/// The default indicator columns: Mã, Chỉ tiêu, Đơn vị tính, Kế hoạch năm,
/// Thực hiện trong tháng, Lũy kế từ đầu năm.
pub fn ind_flat() -> Vec<Col<IndRole>> {
    vec![
        col(IndRole::Code, &["Mã"]),
        col(IndRole::Name, &["Chỉ tiêu"]),
        col(IndRole::Unit, &["Đơn vị tính"]),
        col(IndRole::Target, &["Kế hoạch năm"]),
        col(IndRole::Month, &["Thực hiện trong tháng"]),
        col(IndRole::Achieved, &["Lũy kế từ đầu năm"]),
    ]
}

/// Every knob of a layout.
#[derive(Debug, Clone)]
pub struct Layout {
    pub ext: &'static str,
    pub money_unit: (&'static str, f64),
    pub cap: Cap,
    pub ind: Vec<Col<IndRole>>,
    pub cap_merge: Merge,
    pub ind_merge: Merge,
    /// Money amounts.
    pub num: Num,
    /// Indicator figures.
    pub ind_num: Num,
    pub zero: Zero,
    pub rate: Rate,
    pub stt: Stt,
    pub footer: Footer,
    /// "TỔNG CỘNG" right under the header (a checksum).
    pub total_row: bool,
    /// Parent projects' rows carry their children's sums.
    pub parent_figures: bool,
    /// Section rows without figures ("A | CHƯƠNG TRÌNH…", "I | HỘ NGHÈO…").
    pub heading_rows: bool,
    pub numbering_row: NumberingRow,
    /// Names without "Dự án 2:" headings.
    pub plain_names: bool,
}

impl Default for Layout {
    fn default() -> Self {
        Self {
            ext: "xlsx",
            money_unit: ("triệu đồng", 1.0),
            cap: Cap::default(),
            ind: ind_flat(),
            cap_merge: Merge::Merged,
            ind_merge: Merge::Merged,
            num: Num::Cells,
            ind_num: Num::Cells,
            zero: Zero::Number,
            rate: Rate::Percent,
            stt: Stt::Arabic,
            footer: Footer::None,
            total_row: false,
            parent_figures: false,
            heading_rows: false,
            numbering_row: NumberingRow::None,
            plain_names: false,
        }
    }
}

const ROMAN: [&str; 10] = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"];
const LETTERS: [&str; 10] = ["a", "b", "c", "d", "e", "g", "h", "i", "k", "l"];

/// A number as text grouped by `sep` with a decimal comma.
pub fn grouped(v: f64, sep: char) -> String {
    let text = format!("{}", (v.abs() * 1e6).round() / 1e6);
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let mut out = String::new();
    if v < 0.0 {
        out.push('-');
    }
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(sep);
        }
        out.push(ch);
    }
    if !frac.is_empty() {
        out.push(',');
        out.push_str(frac);
    }
    out
}

fn figure(ws: &mut Worksheet, r: u32, c: u16, v: f64, num: Num) {
    match num {
        Num::Cells => ws.write_number(r, c, v).unwrap(),
        Num::Grouped(sep) => ws.write_string(r, c, grouped(v, sep)).unwrap(),
    };
}

/// A header of `paths`, from `top`, columns from `c0`.
fn write_header<R>(ws: &mut Worksheet, top: u32, c0: u16, cols: &[Col<R>], merge: Merge) -> u32 {
    let depth = cols.iter().map(|c| c.path.len()).max().unwrap_or(1);
    let paths: Vec<Vec<&str>> = cols
        .iter()
        .map(|c| {
            let mut p: Vec<&str> = c.path.iter().map(String::as_str).collect();
            p.resize(depth, CONT);
            p
        })
        .collect();
    let fmt = Format::new().set_text_wrap();
    for r in 0..depth {
        for c in 0..paths.len() {
            let label = paths[c][r];
            if label == CONT || (c > 0 && paths[c - 1][..=r] == paths[c][..=r]) {
                continue;
            }
            let mut end = c;
            while end + 1 < paths.len() && paths[end + 1][..=r] == paths[c][..=r] {
                end += 1;
            }
            let mut bottom = r;
            while bottom + 1 < depth && (c..=end).all(|k| paths[k][bottom + 1] == CONT) {
                bottom += 1;
            }
            let (row, first, last) = (top + r as u32, c0 + c as u16, c0 + end as u16);
            let row_last = top + bottom as u32;
            match merge {
                Merge::Merged if row_last > row || last > first => {
                    ws.merge_range(row, first, row_last, last, label, &fmt).unwrap();
                }
                Merge::Merged | Merge::FirstCell => {
                    ws.write_string(row, first, label).unwrap();
                }
                Merge::Repeated => {
                    for k in first..=last {
                        ws.write_string(row, k, label).unwrap();
                    }
                }
                Merge::Bottom => {
                    ws.write_string(row_last, first, label).unwrap();
                }
            }
        }
    }
    top + depth as u32
}

impl Layout {
    fn money(&self, ws: &mut Worksheet, r: u32, c: u16, million: f64) {
        let v = million * self.money_unit.1;
        if v.abs() < 1e-9 {
            match self.zero {
                Zero::Number => ws.write_number(r, c, 0.0).unwrap(),
                Zero::Dash(d) => ws.write_string(r, c, d).unwrap(),
                Zero::AccountingDash => ws
                    .write_number_with_format(
                        r,
                        c,
                        0.0,
                        &Format::new().set_num_format(r#"_(* #,##0_);_(* (#,##0);_(* "-"_);_(@_)"#),
                    )
                    .unwrap(),
            };
            return;
        }
        figure(ws, r, c, v, self.num);
    }

    /// A percentage (40.57 for 40.57%); `None` is an empty ratio.
    fn percent(&self, ws: &mut Worksheet, r: u32, c: u16, pct: Option<f64>) {
        let Some(p) = pct.map(|p| (p * 100.0).round() / 100.0) else {
            if let Zero::Dash(d) = self.zero {
                ws.write_string(r, c, d).unwrap();
            }
            return;
        };
        match self.rate {
            Rate::Percent => ws.write_number(r, c, p).unwrap(),
            Rate::Fraction => {
                ws.write_number_with_format(r, c, p / 100.0, &Format::new().set_num_format("0.00%")).unwrap()
            }
            Rate::Text => ws.write_string(r, c, format!("{}%", grouped(p, '.'))).unwrap(),
        };
    }

    /// The row number (STT) of a project, and whether it is a section.
    fn project_stt(&self, index: usize) -> String {
        let (code, _, _) = PROJECTS[index];
        let parts: Vec<&str> = code.trim_start_matches("DA").split('.').collect();
        let project: usize = parts[0].parse().unwrap();
        let sub: Option<usize> = parts.get(1).map(|s| s.parse().unwrap());
        match (self.stt, sub) {
            (Stt::Arabic, _) => (index + 1).to_string(),
            (Stt::Roman, None) => ROMAN[project - 1].to_string(),
            (Stt::Roman, Some(s)) => s.to_string(),
            (Stt::Hierarchical | Stt::Letters, None) => project.to_string(),
            (Stt::Hierarchical, Some(s)) => format!("{project}.{s}"),
            (Stt::Letters, Some(s)) => LETTERS[s - 1].to_string(),
        }
    }

    /// Writes the footer under a table whose last row is `last`, and whose
    /// columns are `c0..c0 + width`.
    fn footer(&self, ws: &mut Worksheet, last: u32, c0: u16, width: u16, name_col: u16) {
        let mut r = last + 1;
        if matches!(self.footer, Footer::Notes | Footer::Both | Footer::TightBoth) {
            if self.footer != Footer::TightBoth {
                r += 1;
            }
            ws.write_string(r, c0, "Ghi chú: (1) Số liệu giải ngân tính đến hết ngày 15/6/2024.").unwrap();
            ws.write_string(
                r + 1,
                c0,
                "(2) Kế hoạch vốn theo Quyết định số 123/QĐ-UBND ngày 10/01/2024 của UBND huyện.",
            )
            .unwrap();
            ws.write_string(r + 2, c0, "* Số liệu ước tính").unwrap();
            r += 3;
        }
        if matches!(self.footer, Footer::Signatures | Footer::Both | Footer::TightBoth) {
            let mid = c0 + width / 2;
            let right = c0 + width - 1;
            r += 1;
            ws.write_string(r, right, "Lai Châu, ngày 15 tháng 6 năm 2024").unwrap();
            r += 1;
            for (c, who, name) in [
                (name_col, "Người lập biểu", "Nguyễn Văn An"),
                (mid, "Kế toán trưởng", "Trần Thị Bình"),
                (right, "Thủ trưởng đơn vị", "Lò Văn Cường"),
            ] {
                ws.write_string(r, c, who).unwrap();
                ws.write_string(r + 1, c, "(Ký, ghi rõ họ tên)").unwrap();
                ws.write_string(r + 5, c, name).unwrap();
            }
        }
    }

    fn numbering(&self, ws: &mut Worksheet, r: u32, c0: u16, text_cols: usize, width: usize) -> bool {
        match self.numbering_row {
            NumberingRow::None => return false,
            NumberingRow::Parens => {
                for c in 0..width {
                    ws.write_string(r, c0 + c as u16, format!("({})", c + 1)).unwrap();
                }
            }
            NumberingRow::Letters => {
                for c in 0..width {
                    let text = match c.cmp(&text_cols) {
                        std::cmp::Ordering::Less => ["A", "B", "C", "D"][c].to_string(),
                        std::cmp::Ordering::Equal => "1=2+3".to_string(),
                        std::cmp::Ordering::Greater => (c - text_cols + 1).to_string(),
                    };
                    ws.write_string(r, c0 + c as u16, text).unwrap();
                }
            }
        }
        true
    }

    /// Writes the workbook of unit `code` into `path`.
    pub fn write(&self, code: &str, content: &Content, path: &std::path::Path) {
        let mut wb = Workbook::new();
        self.capital_sheet(&mut wb, code, content);
        self.indicator_sheet(&mut wb, content);
        let ws = wb.add_worksheet().set_name("Kiến nghị").unwrap();
        ws.write_string(0, 0, "KHÓ KHĂN, VƯỚNG MẮC VÀ KIẾN NGHỊ").unwrap();
        ws.write_string(2, 0, "I. Khó khăn, vướng mắc:").unwrap();
        ws.write_string(3, 0, "Thiếu cán bộ theo dõi chương trình ở cơ sở.").unwrap();
        ws.write_string(5, 0, "II. Kiến nghị, đề xuất:").unwrap();
        ws.write_string(6, 0, "Đề nghị tập huấn sử dụng mẫu biểu mới.").unwrap();
        wb.save(path).unwrap();
    }

    fn capital_sheet(&self, wb: &mut Workbook, code: &str, content: &Content) {
        let ws = wb.add_worksheet().set_name("Vốn").unwrap();
        ws.write_string(0, 0, "BÁO CÁO TÌNH HÌNH THỰC HIỆN CHƯƠNG TRÌNH MTQG GIẢM NGHÈO BỀN VỮNG").unwrap();
        ws.write_string(2, 0, "Mã đơn vị:").unwrap();
        ws.write_string(2, 1, code).unwrap();
        ws.write_string(3, 0, "Kỳ báo cáo:").unwrap();
        ws.write_string(3, 1, "06/2024").unwrap();
        ws.write_string(4, 0, "Ngày báo cáo:").unwrap();
        ws.write_string(4, 1, "15/06/2024").unwrap();
        ws.write_string(5, 0, "Đơn vị tính:").unwrap();
        ws.write_string(5, 1, self.money_unit.0).unwrap();
        let cols = self.cap.cols();
        let c0 = 0u16;
        let mut row = write_header(ws, 7, c0, &cols, self.cap_merge);
        let text_cols = cols.iter().filter(|c| matches!(c.role, CapRole::Stt | CapRole::Code | CapRole::Name)).count();
        if self.numbering(ws, row, c0, text_cols, cols.len()) {
            row += 1;
        }
        let name_col = c0 + cols.iter().position(|c| c.role == CapRole::Name).unwrap() as u16;
        let first_col = c0;
        if self.total_row {
            ws.write_string(row, name_col, "TỔNG CỘNG").unwrap();
            self.money_cells(ws, row, c0, &cols, &|g, s| content.money_total(g, s));
            row += 1;
        }
        if self.heading_rows {
            let stt = cols.iter().position(|c| c.role == CapRole::Stt);
            if let Some(c) = stt {
                ws.write_string(row, c0 + c as u16, "A").unwrap();
            }
            ws.write_string(row, name_col, "CHƯƠNG TRÌNH MTQG GIẢM NGHÈO BỀN VỮNG GIAI ĐOẠN 2021-2025").unwrap();
            row += 1;
        }
        for (i, (pcode, heading, name)) in PROJECTS.iter().enumerate() {
            let is_parent = PROJECTS.iter().any(|(c, _, _)| c.starts_with(&format!("{pcode}.")));
            for (k, column) in cols.iter().enumerate() {
                let c = c0 + k as u16;
                match column.role {
                    CapRole::Stt => {
                        ws.write_string(row, c, self.project_stt(i)).unwrap();
                    }
                    CapRole::Code => {
                        ws.write_string(row, c, *pcode).unwrap();
                    }
                    CapRole::Name => {
                        let shown = if self.plain_names { (*name).to_string() } else { format!("{heading}: {name}") };
                        ws.write_string(row, c, shown).unwrap();
                    }
                    _ => {}
                }
            }
            if !is_parent || self.parent_figures {
                self.money_cells(ws, row, c0, &cols, &|g, s| content.money_of(pcode, g, s));
            }
            row += 1;
        }
        self.footer(ws, row - 1, first_col, cols.len() as u16, name_col);
    }

    /// The figures of one capital row, from `value(group, source)` in million đồng.
    fn money_cells(
        &self,
        ws: &mut Worksheet,
        row: u32,
        c0: u16,
        cols: &[Col<CapRole>],
        value: &dyn Fn(usize, Option<&str>) -> f64,
    ) {
        let pct = |num: f64, den: f64| (den > 0.0).then(|| num / den * 100.0);
        for (k, column) in cols.iter().enumerate() {
            let c = c0 + k as u16;
            match column.role {
                CapRole::Amount(g, s) => self.money(ws, row, c, value(g, s)),
                CapRole::Rate(0, s) => self.percent(ws, row, c, pct(value(0, s), value(0, None))),
                CapRole::Rate(g, s) => self.percent(ws, row, c, pct(value(g, s), value(0, s))),
                CapRole::Extra(x, s) => {
                    let (alloc, month, cum) = (value(0, s), value(1, s), value(2, s));
                    match x {
                        CapX::DisbursedPct | CapX::VsPlanPct => self.percent(ws, row, c, pct(cum, alloc)),
                        CapX::VsLastYearPct => self.percent(ws, row, c, (cum > 0.0).then_some(118.5)),
                        CapX::Estimate => self.money(ws, row, c, alloc * 0.9),
                        CapX::Forecast => self.money(ws, row, c, month + alloc * 0.1),
                        CapX::Difference => self.money(ws, row, c, alloc - cum),
                        CapX::LastYear => self.money(ws, row, c, cum * 0.8),
                        CapX::NextYearPlan => self.money(ws, row, c, alloc * 1.2),
                    }
                }
                CapRole::Stt | CapRole::Code | CapRole::Name => {}
            }
        }
    }

    fn indicator_sheet(&self, wb: &mut Workbook, content: &Content) {
        let ws = wb.add_worksheet().set_name("Chỉ tiêu").unwrap();
        ws.write_string(0, 0, "KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU GIẢM NGHÈO").unwrap();
        let cols = &self.ind;
        let c0 = 0u16;
        let mut row = write_header(ws, 2, c0, cols, self.ind_merge);
        let text_cols = cols
            .iter()
            .filter(|c| matches!(c.role, IndRole::Stt | IndRole::Code | IndRole::Name | IndRole::Unit))
            .count();
        if self.numbering(ws, row, c0, text_cols, cols.len()) {
            row += 1;
        }
        let name_col = c0 + cols.iter().position(|c| c.role == IndRole::Name).unwrap() as u16;
        let stt_col = cols.iter().position(|c| c.role == IndRole::Stt).map(|c| c0 + c as u16);
        let sections = [
            ("HO_TONG", "HỘ NGHÈO, HỘ CẬN NGHÈO"),
            ("LD_TONG", "LAO ĐỘNG, ĐÀO TẠO NGHỀ"),
            ("DT_NGHE", "HỖ TRỢ ĐÀO TẠO NGHỀ, NHÀ Ở, VIỆC LÀM"),
        ];
        let (mut section, mut item, mut serial) = (0usize, 0usize, 0usize);
        for &(code, name, unit, target, month, achieved) in &content.indicators {
            if let Some(title) = sections.iter().find(|(c, _)| *c == code).map(|(_, t)| *t) {
                section += 1;
                item = 0;
                if self.heading_rows {
                    if let Some(c) = stt_col {
                        let s = match self.stt {
                            Stt::Roman | Stt::Letters => ROMAN[section - 1].to_string(),
                            Stt::Arabic | Stt::Hierarchical => section.to_string(),
                        };
                        ws.write_string(row, c, s).unwrap();
                    }
                    ws.write_string(row, name_col, title).unwrap();
                    row += 1;
                }
            }
            item += 1;
            serial += 1;
            for (k, column) in cols.iter().enumerate() {
                let c = c0 + k as u16;
                let value = |v: Option<f64>| v.map(|v| if unit == "%" || unit == "điểm %" { v } else { v.round() });
                match column.role {
                    IndRole::Stt => {
                        let s = match (self.stt, self.heading_rows) {
                            (Stt::Arabic, _) | (_, false) => serial.to_string(),
                            (Stt::Roman, true) => item.to_string(),
                            (Stt::Hierarchical, true) => format!("{section}.{item}"),
                            (Stt::Letters, true) => LETTERS[item - 1].to_string(),
                        };
                        ws.write_string(row, c, s).unwrap();
                    }
                    IndRole::Code => {
                        ws.write_string(row, c, code).unwrap();
                    }
                    IndRole::Name => {
                        ws.write_string(row, c, name).unwrap();
                    }
                    IndRole::Unit => {
                        ws.write_string(row, c, unit).unwrap();
                    }
                    IndRole::Target => self.ind_value(ws, row, c, value(target)),
                    IndRole::Month => self.ind_value(ws, row, c, value(month)),
                    IndRole::Achieved => self.ind_value(ws, row, c, value(achieved)),
                    IndRole::Extra(x) => {
                        let flow = !matches!(code, "HO_TONG" | "HN_DAU" | "LD_TONG" | "LD_DT");
                        match x {
                            IndX::PctOfTarget => {
                                let p = match (target, achieved) {
                                    (Some(goal), Some(done)) if goal > 0.0 => Some(done / goal * 100.0),
                                    _ => None,
                                };
                                self.ind_percent(ws, row, c, p);
                            }
                            IndX::VsLastYearPct => self.ind_percent(ws, row, c, achieved.map(|_| 104.2)),
                            IndX::Estimate => {
                                self.ind_value(ws, row, c, achieved.map(|a| if flow { a * 2.0 } else { a }));
                            }
                            IndX::Forecast => self.ind_value(ws, row, c, month.map(|m| m + 1.0)),
                            IndX::Difference => {
                                self.ind_value(ws, row, c, target.zip(achieved).map(|(t, a)| a - t));
                            }
                            IndX::LastYear => {
                                self.ind_value(
                                    ws,
                                    row,
                                    c,
                                    achieved.map(|a| if flow { (a * 0.9).round() } else { a - 1.0 }),
                                );
                            }
                            IndX::NextYearPlan => {
                                let count = unit != "%" && unit != "điểm %";
                                self.ind_value(
                                    ws,
                                    row,
                                    c,
                                    target.map(|t| if count { (t * 1.2).round() } else { t * 1.2 }),
                                );
                            }
                        }
                    }
                }
            }
            row += 1;
        }
        self.footer(ws, row - 1, c0, cols.len() as u16, name_col);
    }

    fn ind_value(&self, ws: &mut Worksheet, r: u32, c: u16, v: Option<f64>) {
        if let Some(v) = v {
            figure(ws, r, c, v, self.ind_num);
        }
    }

    fn ind_percent(&self, ws: &mut Worksheet, r: u32, c: u16, pct: Option<f64>) {
        if pct.is_some() {
            self.percent(ws, r, c, pct);
        }
    }
}
