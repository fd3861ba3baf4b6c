//! Unit workbooks as offices really send them: one content (the "clean
//! twin"), many layouts. Written with `rust_xlsxwriter` directly — not with
//! gnbv's template — so every layout here is something gnbv has to find by
//! its labels.

#![allow(dead_code)]

use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};
use unicode_normalization::UnicodeNormalization;

/// (project code, heading, name), in Decision 90's order.
pub const PROJECTS: &[(&str, &str, &str)] = &[
    (
        "DA1",
        "Dự án 1",
        "Hỗ trợ đầu tư phát triển hạ tầng kinh tế - xã hội các huyện nghèo, các xã đặc biệt khó khăn vùng bãi ngang, ven biển và hải đảo",
    ),
    ("DA2", "Dự án 2", "Đa dạng hóa sinh kế, phát triển mô hình giảm nghèo"),
    ("DA3", "Dự án 3", "Hỗ trợ phát triển sản xuất, cải thiện dinh dưỡng"),
    ("DA3.1", "Tiểu dự án 1", "Hỗ trợ phát triển sản xuất trong lĩnh vực nông nghiệp"),
    ("DA3.2", "Tiểu dự án 2", "Cải thiện dinh dưỡng"),
    ("DA4", "Dự án 4", "Phát triển giáo dục nghề nghiệp, việc làm bền vững"),
    ("DA4.1", "Tiểu dự án 1", "Phát triển giáo dục nghề nghiệp vùng nghèo, vùng khó khăn"),
    ("DA4.2", "Tiểu dự án 2", "Hỗ trợ người lao động đi làm việc ở nước ngoài theo hợp đồng"),
    ("DA4.3", "Tiểu dự án 3", "Hỗ trợ việc làm bền vững"),
    ("DA5", "Dự án 5", "Hỗ trợ nhà ở cho hộ nghèo, hộ cận nghèo trên địa bàn các huyện nghèo"),
    ("DA6", "Dự án 6", "Truyền thông và giảm nghèo về thông tin"),
    ("DA6.1", "Tiểu dự án 1", "Giảm nghèo về thông tin"),
    ("DA6.2", "Tiểu dự án 2", "Truyền thông về giảm nghèo đa chiều"),
    ("DA7", "Dự án 7", "Nâng cao năng lực và giám sát, đánh giá Chương trình"),
    ("DA7.1", "Tiểu dự án 1", "Nâng cao năng lực thực hiện Chương trình"),
    ("DA7.2", "Tiểu dự án 2", "Giám sát, đánh giá"),
];

/// (code, source label, allocated, month, cumulative) in million VND.
pub const MONEY: &[(&str, &str, f64, f64, f64)] = &[
    ("DA2", "NSTW", 530.0, 95.0, 215.0),
    ("DA3.2", "NSTW", 342.0, 55.0, 135.5),
    ("DA3.2", "NSĐP", 20.5, 0.0, 10.0),
    ("DA4.1", "NSTW", 685.0, 110.0, 310.0),
    ("DA4.3", "NSTW", 81.0, 12.25, 42.0),
    ("DA7.2", "Kéo dài", 22.0, 6.0, 6.0),
];

/// The source codes gnbv should find for each label.
pub fn source_code(label: &str) -> &'static str {
    match label {
        "NSTW" => "NSTW",
        "NSĐP" => "NSDP",
        "Kéo dài" => "KEO_DAI",
        _ => "KHAC",
    }
}

/// (code, name, unit, target, month, achieved); rates as fractions, points as points.
pub const INDICATORS: &[(&str, &str, &str, Option<f64>, Option<f64>, Option<f64>)] = &[
    ("HO_TONG", "Tổng số hộ dân cư", "hộ", None, None, Some(2000.0)),
    ("HN_DAU", "Số hộ nghèo đầu năm (1/1)", "hộ", None, None, Some(100.0)),
    ("HN_THOAT", "Số hộ thoát nghèo", "hộ", Some(10.0), Some(2.0), Some(5.0)),
    ("HN_PS", "Số hộ nghèo phát sinh", "hộ", None, Some(1.0), Some(1.0)),
    ("GIAM_TL_HN", "Mức giảm tỷ lệ hộ nghèo", "điểm %", Some(0.3), None, None),
    ("LD_TONG", "Số lao động trong độ tuổi", "người", None, None, Some(3000.0)),
    ("LD_DT", "Số lao động qua đào tạo", "người", None, None, Some(1800.0)),
    ("TL_LD_DT", "Tỷ lệ lao động qua đào tạo", "%", Some(0.65), None, None),
];

/// How headers are laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Header {
    /// Group over sources, merged group cells.
    TwoRowMerged,
    /// Group over sources, group written once, no merge.
    TwoRowUnmerged,
    /// Group, then "Tổng số" | "Trong đó", then sources; merged.
    ThreeRow,
    /// One row: "KH vốn NSTW", "Lũy kế giải ngân NSĐP"…
    OneRow,
}

/// How a project is named in its row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Names {
    /// "Dự án 2: Đa dạng hóa…", "Tiểu dự án 2: Cải thiện dinh dưỡng".
    Heading,
    /// The name only.
    Plain,
}

/// How a code is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Codes {
    /// `DA3.2`
    Canonical,
    /// `3.2`
    Numeric,
    /// `da 3.2`
    Lower,
    /// No code column at all.
    None,
}

/// How numbers are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Numbers {
    /// Number cells.
    Cells,
    /// Vietnamese text: `1.234,5`.
    VietText,
    /// English text: `1,234.5`.
    EnglishText,
    /// Formulas with cached results.
    Formulas,
}

/// How label text is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Text {
    /// NFC.
    Nfc,
    /// NFD (decomposed accents).
    Nfd,
    /// Non-breaking and doubled spaces.
    Spaces,
    /// Capitals without accents.
    Ascii,
}

/// How the period is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodStyle {
    /// As text.
    Text(&'static str),
    /// A date cell.
    Date,
}

/// Every knob of a layout.
#[derive(Debug, Clone)]
pub struct Layout {
    pub ext: &'static str,
    pub capital_sheet: &'static str,
    pub indicator_sheet: &'static str,
    pub notes_sheet: Option<&'static str>,
    pub sheets_before: &'static [&'static str],
    pub identity_sheet: Option<&'static str>,
    pub code_in_label_cell: bool,
    pub period: PeriodStyle,
    pub money_unit: (&'static str, f64),
    pub title_rows: u32,
    pub col_offset: u16,
    pub header: Header,
    pub group_order: [usize; 3],
    pub source_order: &'static [&'static str],
    pub total_columns: bool,
    pub total_row_top: bool,
    pub total_row_bottom: bool,
    pub parent_rows: bool,
    pub codes: Codes,
    pub names: Names,
    pub extra_columns: bool,
    pub numbers: Numbers,
    pub text: Text,
    pub numbering_row: bool,
    pub hidden_rows: bool,
    pub trong_do_rows: bool,
    pub blank_zero: bool,
    pub month_column: bool,
    pub ind_code_column: bool,
    pub ind_two_row_header: bool,
    pub ind_percent_text: bool,
    pub ind_rate_as_percent_number: bool,
    /// The money rows (default [`MONEY`]).
    pub money: &'static [(&'static str, &'static str, f64, f64, f64)],
    /// `Ngày báo cáo`.
    pub submitted: &'static str,
    /// A project whose NSTW allocation cell holds `#REF!`.
    pub ref_error_in: Option<&'static str>,
    /// Added to every cell of the `Tổng cộng` row (a checksum that disagrees).
    pub total_row_error: f64,
    /// How the header names the central budget (`NSTW`, `Ngân sách TW`…).
    pub nstw_label: &'static str,
}

impl Default for Layout {
    fn default() -> Self {
        Self {
            ext: "xlsx",
            capital_sheet: "Vốn",
            indicator_sheet: "Chỉ tiêu",
            notes_sheet: Some("Kiến nghị"),
            sheets_before: &[],
            identity_sheet: None,
            code_in_label_cell: false,
            period: PeriodStyle::Text("06/2024"),
            money_unit: ("triệu đồng", 1.0),
            title_rows: 2,
            col_offset: 0,
            header: Header::TwoRowMerged,
            group_order: [0, 1, 2],
            source_order: &["NSTW", "NSĐP", "Khác", "Kéo dài"],
            total_columns: false,
            total_row_top: false,
            total_row_bottom: false,
            parent_rows: false,
            codes: Codes::Canonical,
            names: Names::Heading,
            extra_columns: false,
            numbers: Numbers::Cells,
            text: Text::Nfc,
            numbering_row: false,
            hidden_rows: false,
            trong_do_rows: false,
            blank_zero: false,
            month_column: true,
            ind_code_column: true,
            ind_two_row_header: false,
            ind_percent_text: false,
            ind_rate_as_percent_number: false,
            money: MONEY,
            submitted: "15/06/2024",
            ref_error_in: None,
            total_row_error: 0.0,
            nstw_label: "NSTW",
        }
    }
}

fn strip_accents(s: &str) -> String {
    s.nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .map(|c| {
            if c == 'đ' {
                'd'
            } else if c == 'Đ' {
                'D'
            } else {
                c
            }
        })
        .collect()
}

impl Layout {
    /// A label as this layout writes it.
    fn t(&self, s: &str) -> String {
        match self.text {
            Text::Nfc => s.nfc().collect(),
            Text::Nfd => s.nfd().collect(),
            Text::Spaces => s.replace(' ', "\u{a0} "),
            Text::Ascii => strip_accents(s).to_uppercase(),
        }
    }

    fn number_text(&self, v: f64) -> String {
        let fixed = if v.fract() == 0.0 { format!("{v:.0}") } else { format!("{v}") };
        let (int, frac) = fixed.split_once('.').unwrap_or((&fixed, ""));
        let mut grouped = String::new();
        let sep = if self.numbers == Numbers::VietText { '.' } else { ',' };
        for (i, ch) in int.chars().enumerate() {
            if i > 0 && (int.len() - i) % 3 == 0 {
                grouped.push(sep);
            }
            grouped.push(ch);
        }
        if frac.is_empty() {
            grouped
        } else {
            let mark = if self.numbers == Numbers::VietText { ',' } else { '.' };
            format!("{grouped}{mark}{frac}")
        }
    }

    /// Writes the workbook of unit `code` into `path`.
    pub fn write(&self, code: &str, path: &std::path::Path) {
        let mut wb = Workbook::new();
        for name in self.sheets_before {
            let ws = wb.add_worksheet().set_name(*name).unwrap();
            ws.write_string(0, 0, "Trang này không liên quan: hướng dẫn, ghi chú của đơn vị.").unwrap();
        }
        let period_cell = |ws: &mut rust_xlsxwriter::Worksheet, row: u32, col: u16| match self.period {
            PeriodStyle::Text(t) => {
                ws.write_string(row, col, t).unwrap();
            }
            PeriodStyle::Date => {
                let fmt = Format::new().set_num_format("dd/mm/yyyy");
                ws.write_datetime_with_format(row, col, ExcelDateTime::from_ymd(2024, 6, 1).unwrap(), &fmt).unwrap();
            }
        };
        let identity = |ws: &mut rust_xlsxwriter::Worksheet, first: u32, layout: &Layout| {
            if layout.code_in_label_cell {
                ws.write_string(first, 0, format!("{} {code}", layout.t("Mã đơn vị:"))).unwrap();
            } else {
                ws.write_string(first, 0, layout.t("Mã đơn vị:")).unwrap();
                ws.write_string(first, 1, code).unwrap();
            }
            ws.write_string(first + 1, 0, layout.t("Kỳ báo cáo:")).unwrap();
            period_cell(ws, first + 1, 1);
            ws.write_string(first + 2, 0, layout.t("Ngày báo cáo:")).unwrap();
            ws.write_string(first + 2, 1, layout.submitted).unwrap();
            ws.write_string(first + 3, 0, layout.t("Đơn vị tính:")).unwrap();
            ws.write_string(first + 3, 1, layout.t(layout.money_unit.0)).unwrap();
        };
        if let Some(name) = self.identity_sheet {
            let ws = wb.add_worksheet().set_name(self.t(name)).unwrap();
            ws.write_string(0, 0, self.t("THÔNG TIN ĐƠN VỊ BÁO CÁO")).unwrap();
            identity(ws, 2, self);
        }

        // ---- Capital sheet ----
        let ws = wb.add_worksheet().set_name(self.t(self.capital_sheet)).unwrap();
        ws.write_string(0, 0, self.t("BÁO CÁO TÌNH HÌNH THỰC HIỆN CHƯƠNG TRÌNH MTQG GIẢM NGHÈO BỀN VỮNG")).unwrap();
        let mut row = self.title_rows.max(1);
        if self.identity_sheet.is_none() {
            identity(ws, row, self);
            row += 5;
        }
        let c0 = self.col_offset;
        let merge = Format::new();
        // Columns: [STT], [Mã], Nội dung, [Ghi chú], groups…
        let mut col = c0;
        let mut stt_col = None;
        if self.extra_columns {
            stt_col = Some(col);
            col += 1;
        }
        let code_col = if self.codes == Codes::None {
            None
        } else {
            col += 1;
            Some(col - 1)
        };
        let name_col = col;
        col += 1;
        let note_col = if self.extra_columns {
            col += 1;
            Some(col - 1)
        } else {
            None
        };
        let groups_all = ["Kế hoạch vốn năm 2024", "Giải ngân trong tháng", "Lũy kế giải ngân từ đầu năm"];
        let short = ["KH vốn", "Giải ngân trong tháng", "Lũy kế giải ngân"];
        let header_rows = match self.header {
            Header::OneRow => 1,
            Header::TwoRowMerged | Header::TwoRowUnmerged => 2,
            Header::ThreeRow => 3,
        };
        let top = row;
        let last_header = top + header_rows - 1;
        let label_at = |ws: &mut rust_xlsxwriter::Worksheet, r: u32, c: u16, text: &str| {
            ws.write_string(r, c, text).unwrap();
        };
        if let Some(c) = stt_col {
            label_at(ws, top, c, &self.t("STT"));
        }
        if let Some(c) = code_col {
            label_at(ws, top, c, &self.t("Mã"));
        }
        label_at(ws, top, name_col, &self.t("Nội dung"));
        if let Some(c) = note_col {
            label_at(ws, top, c, &self.t("Ghi chú"));
        }
        // (column, group index, Some(source) or None for the group total)
        let mut money_cols: Vec<(u16, usize, Option<&'static str>)> = Vec::new();
        for &g in &self.group_order {
            if g == 1 && !self.month_column {
                continue;
            }
            let start = col;
            let mut sources: Vec<Option<&'static str>> = self.source_order.iter().map(|s| Some(*s)).collect();
            if self.total_columns || self.header == Header::ThreeRow {
                sources.insert(0, None);
            }
            for (i, s) in sources.iter().enumerate() {
                let c = start + i as u16;
                money_cols.push((c, g, *s));
                let src_label = s.map_or_else(
                    || "Tổng số".to_string(),
                    |s| match s {
                        "Khác" => "Vốn huy động khác".to_string(),
                        "NSTW" => self.nstw_label.to_string(),
                        other => other.to_string(),
                    },
                );
                match self.header {
                    Header::OneRow => label_at(ws, top, c, &self.t(&format!("{} {}", short[g], src_label))),
                    Header::TwoRowMerged | Header::TwoRowUnmerged => label_at(ws, top + 1, c, &self.t(&src_label)),
                    Header::ThreeRow => {
                        if s.is_some() {
                            label_at(ws, top + 2, c, &self.t(&src_label));
                        }
                    }
                }
            }
            let end = start + sources.len() as u16 - 1;
            match self.header {
                Header::OneRow => {}
                Header::TwoRowMerged => {
                    ws.merge_range(top, start, top, end, &self.t(groups_all[g]), &merge).unwrap();
                }
                Header::TwoRowUnmerged => label_at(ws, top, start, &self.t(groups_all[g])),
                Header::ThreeRow => {
                    ws.merge_range(top, start, top, end, &self.t(groups_all[g]), &merge).unwrap();
                    ws.merge_range(top + 1, start, top + 2, start, &self.t("Tổng số"), &merge).unwrap();
                    ws.merge_range(top + 1, start + 1, top + 1, end, &self.t("Trong đó"), &merge).unwrap();
                }
            }
            col = end + 1;
        }
        let rate_col = if self.extra_columns {
            label_at(ws, top, col, &self.t("Tỷ lệ giải ngân (%)"));
            Some(col)
        } else {
            None
        };
        if header_rows > 1 && matches!(self.header, Header::TwoRowMerged | Header::ThreeRow) {
            for c in [code_col, Some(name_col), stt_col, note_col, rate_col].into_iter().flatten() {
                let text = match c {
                    _ if Some(c) == code_col => "Mã",
                    _ if Some(c) == stt_col => "STT",
                    _ if Some(c) == note_col => "Ghi chú",
                    _ if Some(c) == rate_col => "Tỷ lệ giải ngân (%)",
                    _ => "Nội dung",
                };
                ws.merge_range(top, c, last_header, c, &self.t(text), &merge).unwrap();
            }
        }
        row = last_header + 1;
        if self.numbering_row {
            for c in c0..col {
                ws.write_string(row, c, format!("({})", c - c0 + 1)).unwrap();
            }
            row += 1;
        }

        let value_of = |code: &str, g: usize, source: Option<&str>| -> f64 {
            let is_parent = !code.contains('.') && PROJECTS.iter().any(|(c, _, _)| c.starts_with(&format!("{code}.")));
            self.money
                .iter()
                .filter(|(c, s, ..)| {
                    (if is_parent { c.starts_with(&format!("{code}.")) } else { *c == code })
                        && source.is_none_or(|x| x == *s)
                })
                .map(|m| [m.2, m.3, m.4][g])
                .sum()
        };
        let write_money = |ws: &mut rust_xlsxwriter::Worksheet, r: u32, c: u16, v: f64, layout: &Layout| {
            let v = v * layout.money_unit.1;
            if v == 0.0 && layout.blank_zero {
                return;
            }
            match layout.numbers {
                Numbers::Cells => {
                    ws.write_number(r, c, v).unwrap();
                }
                Numbers::VietText | Numbers::EnglishText => {
                    ws.write_string(r, c, layout.number_text(v)).unwrap();
                }
                Numbers::Formulas => {
                    ws.write_formula(r, c, Formula::new(format!("={v}*1")).set_result(format!("{v}"))).unwrap();
                }
            }
        };
        let grand_row = |ws: &mut rust_xlsxwriter::Worksheet, r: u32, layout: &Layout| {
            ws.write_string(r, name_col, layout.t("Tổng cộng")).unwrap();
            for &(c, g, s) in &money_cols {
                let v: f64 =
                    layout.money.iter().filter(|m| s.is_none_or(|x| x == m.1)).map(|m| [m.2, m.3, m.4][g]).sum();
                write_money(ws, r, c, v + layout.total_row_error, layout);
            }
        };
        if self.total_row_top {
            grand_row(ws, row, self);
            row += 1;
        }
        for (i, (code, heading, name)) in PROJECTS.iter().enumerate() {
            let is_parent = PROJECTS.iter().any(|(c, _, _)| c.starts_with(&format!("{code}.")));
            if let Some(c) = stt_col {
                ws.write_string(row, c, (i + 1).to_string()).unwrap();
            }
            if let Some(c) = code_col {
                let written = match self.codes {
                    Codes::Canonical => (*code).to_string(),
                    Codes::Numeric => code.trim_start_matches("DA").to_string(),
                    Codes::Lower => format!("da {}", code.trim_start_matches("DA")),
                    Codes::None => String::new(),
                };
                ws.write_string(row, c, written).unwrap();
            }
            let shown = match self.names {
                Names::Heading => format!("{heading}: {name}"),
                Names::Plain => (*name).to_string(),
            };
            ws.write_string(row, name_col, self.t(&shown)).unwrap();
            if !is_parent || self.parent_rows {
                for &(c, g, s) in &money_cols {
                    if self.ref_error_in == Some(*code) && g == 0 && s == Some("NSTW") {
                        ws.write_formula(row, c, Formula::new("=#REF!*2").set_result("#REF!")).unwrap();
                        continue;
                    }
                    write_money(ws, row, c, value_of(code, g, s), self);
                }
            }
            if let Some(c) = rate_col {
                let alloc = value_of(code, 0, None);
                if alloc > 0.0 {
                    ws.write_number(row, c, value_of(code, 2, None) / alloc * 100.0).unwrap();
                }
            }
            if self.hidden_rows && *code == "DA4.1" {
                ws.set_row_hidden(row).unwrap();
            }
            row += 1;
            if self.trong_do_rows && *code == "DA4.1" {
                ws.write_string(row, name_col, self.t("Trong đó: vốn đầu tư phát triển")).unwrap();
                for &(c, _, _) in &money_cols {
                    ws.write_number(row, c, 1.0).unwrap();
                }
                row += 1;
            }
            if self.hidden_rows && *code == "DA5" {
                ws.set_row_hidden(row).unwrap();
                row += 1;
            }
        }
        if self.total_row_bottom {
            grand_row(ws, row, self);
            row += 1;
        }
        ws.write_string(row + 2, name_col, self.t("Người lập biểu")).unwrap();

        // ---- Indicator sheet ----
        let ws = wb.add_worksheet().set_name(self.t(self.indicator_sheet)).unwrap();
        ws.write_string(0, 0, self.t("KẾT QUẢ THỰC HIỆN CHỈ TIÊU")).unwrap();
        let mut c = 0;
        let code_c = if self.ind_code_column {
            c += 1;
            Some(c - 1)
        } else {
            None
        };
        let (name_c, unit_c) = (c, c + 1);
        let (target_c, month_c, achieved_c) = (c + 2, c + 3, c + 4);
        let h = 2;
        if let Some(cc) = code_c {
            ws.write_string(h, cc, self.t("Mã")).unwrap();
        }
        ws.write_string(h, name_c, self.t("Chỉ tiêu")).unwrap();
        ws.write_string(h, unit_c, self.t("Đơn vị tính")).unwrap();
        ws.write_string(h, target_c, self.t("Kế hoạch năm")).unwrap();
        let mut r = h + 1;
        if self.ind_two_row_header {
            ws.merge_range(h, month_c, h, achieved_c, &self.t("Kết quả thực hiện"), &merge).unwrap();
            ws.write_string(h + 1, month_c, self.t("Trong tháng")).unwrap();
            ws.write_string(h + 1, achieved_c, self.t("Lũy kế từ đầu năm")).unwrap();
            r += 1;
        } else {
            ws.write_string(h, month_c, self.t("Thực hiện trong tháng")).unwrap();
            ws.write_string(h, achieved_c, self.t("Lũy kế từ đầu năm")).unwrap();
        }
        for (code, name, unit, target, month, achieved) in INDICATORS {
            if let Some(cc) = code_c {
                ws.write_string(r, cc, *code).unwrap();
            }
            ws.write_string(r, name_c, self.t(name)).unwrap();
            ws.write_string(r, unit_c, self.t(unit)).unwrap();
            for (cidx, v) in [(target_c, target), (month_c, month), (achieved_c, achieved)] {
                let Some(v) = v else { continue };
                if *unit == "%" && self.ind_percent_text {
                    ws.write_string(r, cidx, format!("{}%", number_text_percent(*v * 100.0))).unwrap();
                } else if *unit == "%" && self.ind_rate_as_percent_number {
                    ws.write_number(r, cidx, v * 100.0).unwrap();
                } else if *unit == "điểm %" && self.ind_percent_text {
                    ws.write_string(r, cidx, number_text_percent(*v)).unwrap();
                } else {
                    ws.write_number(r, cidx, *v).unwrap();
                }
            }
            r += 1;
        }

        // ---- Notes ----
        if let Some(name) = self.notes_sheet {
            let ws = wb.add_worksheet().set_name(self.t(name)).unwrap();
            ws.write_string(0, 0, self.t("KHÓ KHĂN, VƯỚNG MẮC VÀ KIẾN NGHỊ")).unwrap();
            ws.write_string(2, 0, self.t("I. Khó khăn, vướng mắc:")).unwrap();
            ws.write_string(3, 0, "Thiếu cán bộ theo dõi chương trình ở cơ sở.").unwrap();
            ws.write_string(5, 0, self.t("II. Kiến nghị, đề xuất:")).unwrap();
            ws.write_string(6, 0, "Đề nghị tập huấn sử dụng mẫu biểu mới.").unwrap();
        }
        wb.save(path).unwrap();
    }
}

/// A number as Vietnamese text, with a decimal comma ("12,83").
fn number_text_percent(v: f64) -> String {
    let text = format!("{}", (v * 1e6).round() / 1e6);
    text.replace('.', ",")
}
