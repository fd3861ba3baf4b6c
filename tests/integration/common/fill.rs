//! Fills a gnbv template the way a clerk does in Excel: open the file, type
//! numbers into cells, save. It finds rows by the code in column A and
//! columns by the header labels a person reads, with umya-spreadsheet — a
//! second, independent reader and writer of xlsx, not gnbv's own.

#![allow(dead_code)]

use std::path::Path;

/// A money column group of the capital sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    /// Kế hoạch vốn.
    Allocated,
    /// Giải ngân trong tháng.
    Month,
    /// Lũy kế giải ngân từ đầu năm.
    Cumulative,
}

/// A value column of the indicator sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// Kế hoạch năm.
    Target,
    /// Thực hiện trong tháng.
    Month,
    /// Lũy kế từ đầu năm.
    Achieved,
}

/// An open template.
pub struct Filler {
    book: umya_spreadsheet::Workbook,
}

fn col_letters(mut col: u32) -> String {
    let mut s = Vec::new();
    while col > 0 {
        let rem = (col - 1) % 26;
        s.push((b'A' + rem as u8) as char);
        col = (col - 1) / 26;
    }
    s.iter().rev().collect()
}

fn addr(col: u32, row: u32) -> String {
    format!("{}{}", col_letters(col), row)
}

impl Filler {
    /// Opens a template.
    pub fn open(path: &Path) -> Self {
        Self { book: umya_spreadsheet::reader::xlsx::read(path).expect("template opens") }
    }

    fn sheet(&mut self, name: &str) -> &mut umya_spreadsheet::Worksheet {
        self.book.sheet_by_name_mut(name).unwrap_or_else(|_| panic!("sheet {name}"))
    }

    fn value(&mut self, sheet: &str, col: u32, row: u32) -> String {
        self.sheet(sheet).value(addr(col, row).as_str()).trim().to_string()
    }

    /// The 1-based row whose column A holds `code`.
    fn row_of(&mut self, sheet: &str, code: &str) -> u32 {
        for row in 1..200 {
            if self.value(sheet, 1, row) == code {
                return row;
            }
        }
        panic!("no row {code} in {sheet}")
    }

    /// The 1-based (row, col) of the cell right of a label in column A.
    fn label_row(&mut self, sheet: &str, label: &str) -> u32 {
        for row in 1..30 {
            if self.value(sheet, 1, row).starts_with(label) {
                return row;
            }
        }
        panic!("no label {label} in {sheet}")
    }

    /// Types the period (`06/2024`).
    pub fn set_period(&mut self, text: &str) {
        let row = self.label_row("Vốn", "Kỳ báo cáo");
        self.sheet("Vốn").cell_mut(addr(2, row).as_str()).set_value_string(text);
    }

    /// Types the submission date as text (`15/06/2024`).
    pub fn set_submitted(&mut self, text: &str) {
        let row = self.label_row("Vốn", "Ngày báo cáo");
        self.sheet("Vốn").cell_mut(addr(2, row).as_str()).set_value_string(text);
    }

    /// Types a unit code over the one in the template.
    pub fn set_unit(&mut self, code: &str) {
        let row = self.label_row("Vốn", "Mã đơn vị");
        self.sheet("Vốn").cell_mut(addr(2, row).as_str()).set_value_string(code);
    }

    /// The column of a money group and source (by the header labels).
    fn money_col(&mut self, group: Group, source: &str) -> u32 {
        let header = self.row_of("Vốn", "Mã");
        let mut current = String::new();
        for col in 3..40 {
            let top = self.value("Vốn", col, header);
            if !top.is_empty() {
                current = top;
            }
            let wanted = match group {
                Group::Allocated => current.starts_with("Kế hoạch vốn"),
                Group::Month => current.starts_with("Giải ngân trong tháng"),
                Group::Cumulative => current.starts_with("Lũy kế"),
            };
            if wanted && self.value("Vốn", col, header + 1) == source {
                return col;
            }
        }
        panic!("no column {group:?} {source}")
    }

    /// Types an amount (in the template's unit, triệu đồng) for a project.
    pub fn money(&mut self, project: &str, group: Group, source: &str, value: f64) {
        let row = self.row_of("Vốn", project);
        let col = self.money_col(group, source);
        self.sheet("Vốn").cell_mut(addr(col, row).as_str()).set_value_number(value);
    }

    /// Types text into a money cell (as clerks do: "1.728", "12,5").
    pub fn money_text(&mut self, project: &str, group: Group, source: &str, text: &str) {
        let row = self.row_of("Vốn", project);
        let col = self.money_col(group, source);
        self.sheet("Vốn").cell_mut(addr(col, row).as_str()).set_value_string(text);
    }

    /// Types an indicator value (rates as fractions, points as points).
    pub fn indicator(&mut self, code: &str, field: Field, value: f64) {
        let row = self.row_of("Chỉ tiêu", code);
        let col = match field {
            Field::Target => 4,
            Field::Month => 5,
            Field::Achieved => 6,
        };
        self.sheet("Chỉ tiêu").cell_mut(addr(col, row).as_str()).set_value_number(value);
    }

    /// Writes a difficulty (`recommendation = false`) or a recommendation.
    pub fn note(&mut self, recommendation: bool, text: &str) {
        let heading = if recommendation { "II." } else { "I." };
        let start = self.label_row("Kiến nghị", heading) + 1;
        for row in start..start + 5 {
            if self.value("Kiến nghị", 1, row).is_empty() {
                self.sheet("Kiến nghị").cell_mut(addr(1, row).as_str()).set_value_string(text);
                return;
            }
        }
        panic!("no free note line")
    }

    /// Types text into the cell of a row (found by its code in column A) and
    /// a 1-based column: a name over the template's, a dash, a date.
    pub fn text_at(&mut self, sheet: &str, code: &str, col: u32, text: &str) -> u32 {
        let row = self.row_of(sheet, code);
        self.sheet(sheet).cell_mut(addr(col, row).as_str()).set_value_string(text);
        row
    }

    /// Saves the filled workbook.
    pub fn save(&self, path: &Path) {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("folder");
        }
        umya_spreadsheet::writer::xlsx::write(&self.book, path).expect("saved");
    }
}
