//! Findings: what is wrong with a unit's workbook, as data.
//!
//! A finding names the rule, its severity, the unit, the file, the sheet and the
//! cell, and says in Vietnamese what the unit must correct. Findings are
//! collected and written out (the data-checks sheet, the feedback workbooks,
//! `gnbv check`); they never stop the run.

use std::fmt;

use serde::Serialize;

use crate::domain::{CellRef, UnitCode};

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The workbook is rejected: none of its figures are used.
    Error,
    /// The figures are used; the finding is shown.
    Warning,
    /// For information only.
    Info,
}

impl Severity {
    /// The Vietnamese label shown in reports.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "Lỗi (từ chối)",
            Severity::Warning => "Cảnh báo",
            Severity::Info => "Thông tin",
        }
    }

    /// Reads `error`, `warning` or `info` from config.
    pub fn from_config(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "error" => Some(Severity::Error),
            "warning" => Some(Severity::Warning),
            "info" => Some(Severity::Info),
            _ => None,
        }
    }
}

macro_rules! rules {
    ($($variant:ident = $code:literal, $severity:ident, $title:literal;)*) => {
        /// Every check gnbv makes. The code is stable: config overrides severities by it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Rule {
            $(
                #[doc = $title]
                $variant,
            )*
        }

        impl Rule {
            /// Every rule, in order.
            pub const ALL: &'static [Rule] = &[$(Rule::$variant),*];

            /// The stable code (`GIAI_NGAN_VUOT_KH`).
            pub fn code(self) -> &'static str {
                match self { $(Rule::$variant => $code),* }
            }

            /// The default severity.
            pub fn default_severity(self) -> Severity {
                match self { $(Rule::$variant => Severity::$severity),* }
            }

            /// A short Vietnamese title.
            pub fn title(self) -> &'static str {
                match self { $(Rule::$variant => $title),* }
            }

            /// The rule with this code.
            pub fn from_code(code: &str) -> Option<Rule> {
                match code { $($code => Some(Rule::$variant),)* _ => None }
            }
        }
    };
}

rules! {
    FileUnreadable = "TEP_KHONG_DOC_DUOC", Error, "Không đọc được tệp";
    FileEncrypted = "TEP_CO_MAT_KHAU", Error, "Tệp được đặt mật khẩu";
    NotAWorkbook = "KHONG_PHAI_BANG_TINH", Error, "Tệp không phải bảng tính Excel/ODS";
    FileEmpty = "TEP_RONG", Error, "Tệp rỗng";
    FileTooLarge = "TEP_QUA_LON", Error, "Tệp hoặc trang tính vượt giới hạn an toàn";
    UnitMissing = "THIEU_MA_DON_VI", Error, "Không có mã đơn vị";
    UnknownUnit = "DON_VI_KHONG_CO", Error, "Mã đơn vị không có trong danh sách";
    UnitClosed = "DON_VI_DA_GIAI_THE", Warning, "Đơn vị đã sáp nhập, số liệu chuyển cho đơn vị kế thừa";
    PeriodMissing = "THIEU_KY_BAO_CAO", Error, "Không có kỳ báo cáo";
    WrongPeriod = "SAI_KY_BAO_CAO", Error, "Kỳ báo cáo không đúng";
    SheetMissing = "THIEU_TRANG_TINH", Error, "Thiếu trang tính bắt buộc";
    ColumnMissing = "THIEU_COT", Error, "Thiếu cột bắt buộc";
    ErrorValue = "O_LOI_CONG_THUC", Error, "Ô số liệu chứa lỗi công thức";
    NotANumber = "KHONG_PHAI_SO", Error, "Ô số liệu không phải là số";
    NegativeMoney = "SO_TIEN_AM", Error, "Số tiền âm";
    MoneyUnitMissing = "THIEU_DON_VI_TINH", Warning, "Không ghi đơn vị tính";
    SourceAssumed = "KHONG_RO_NGUON_VON", Warning, "Cột tiền không ghi nguồn vốn";
    UnknownSource = "NGUON_VON_KHONG_CO", Warning, "Cột tiền ghi nguồn vốn không có trong danh mục";
    UnknownProject = "DU_AN_KHONG_CO", Warning, "Dòng dự án không nhận ra";
    UnknownIndicator = "CHI_TIEU_KHONG_CO", Warning, "Dòng chỉ tiêu không nhận ra";
    DuplicateRow = "DONG_TRUNG", Warning, "Một dự án/chỉ tiêu có nhiều dòng";
    DisbursedOverAllocated = "GIAI_NGAN_VUOT_KH", Warning, "Giải ngân lớn hơn kế hoạch vốn";
    MonthOverCumulative = "THANG_VUOT_LUY_KE", Warning, "Giải ngân trong tháng lớn hơn lũy kế";
    ChecksumRow = "DONG_TONG_LECH", Warning, "Dòng tổng cộng không khớp";
    ChecksumColumn = "COT_TONG_LECH", Warning, "Cột tổng không khớp";
    ParentSum = "DU_AN_CHA_LECH", Warning, "Số của dự án khác tổng các tiểu dự án";
    ParentOnly = "CHI_GHI_DU_AN_CHA", Warning, "Chỉ ghi số ở dòng dự án, không chia cho tiểu dự án";
    DuplicateWorkbook = "TEP_TRUNG", Warning, "Đơn vị gửi nhiều tệp cho một kỳ";
    AllocationMismatch = "KH_VON_KHAC_QUYET_DINH", Warning, "Kế hoạch vốn khác quyết định giao vốn";
    TargetMismatch = "CHI_TIEU_KHAC_GIAO", Warning, "Kế hoạch chỉ tiêu khác chỉ tiêu được giao";
    CumulativeDecreased = "LUY_KE_GIAM", Warning, "Lũy kế thấp hơn tháng trước";
    TemplateDrift = "MAU_BIEU_THAY_DOI", Info, "Mẫu biểu khác tháng trước";
    PoorIdentity = "HO_NGHEO_AM", Warning, "Số hộ nghèo hiện tại âm";
    RateOutOfRange = "TY_LE_NGOAI_KHOANG", Warning, "Tỷ lệ nằm ngoài 0-100%";
    NegativeCount = "SO_LIEU_AM", Warning, "Số liệu chỉ tiêu âm";
    DerivedDiffers = "TY_LE_TU_TINH_KHAC", Warning, "Số đơn vị tự tính khác số tính từ các chỉ tiêu";
    MissingReport = "CHUA_BAO_CAO", Warning, "Đơn vị chưa gửi báo cáo";
    LateReport = "NOP_MUON", Info, "Gửi báo cáo sau hạn";
    UnitNameDiffers = "TEN_DON_VI_KHAC", Info, "Tên đơn vị khác danh sách";
    ColumnUnrecognised = "COT_KHONG_RO", Info, "Cột không nhận ra, không dùng";
    OtherPeriodOnly = "CHI_CO_KY_KHAC", Info, "Chỉ nhận được báo cáo của kỳ khác";
    NoFigures = "KHONG_CO_SO_LIEU", Warning, "Báo cáo không có số liệu nào";
    ColumnConflict = "HAI_COT_MOT_SO_LIEU", Error, "Hai cột cùng ghi một số liệu";
    CodeNameMismatch = "MA_TEN_KHONG_KHOP", Warning, "Mã và tên trên một dòng không khớp nhau";
    PercentInMoney = "TY_LE_O_O_TIEN", Error, "Ô số tiền ghi tỷ lệ phần trăm";
    MoneyUnitSlip = "SAI_DON_VI_TINH", Error, "Số tiền không cân xứng, có thể sai đơn vị tính";
    CopiedWorkbook = "SO_LIEU_TRUNG_DON_VI_KHAC", Info, "Số liệu giống hệt báo cáo của đơn vị khác";
    SubmittedBeforePeriod = "NGAY_BAO_CAO_TRUOC_KY", Warning, "Ngày báo cáo trước kỳ báo cáo";
    ResentPrevious = "GUI_LAI_BAO_CAO_CU", Info, "Có thể là báo cáo tháng trước gửi lại";
    Validation = "KIEM_TRA_SO_LIEU", Warning, "Quy tắc kiểm tra số liệu (config/rules.toml)";
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl Serialize for Rule {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

/// One problem found in one place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The rule.
    pub rule: Rule,
    /// Severity after config overrides.
    pub severity: Severity,
    /// The unit, when known.
    pub unit: Option<UnitCode>,
    /// The file, relative to the input folder.
    pub file: Option<String>,
    /// The sheet.
    pub sheet: Option<String>,
    /// The cell.
    pub cell: Option<CellRef>,
    /// What is wrong and what to correct, in Vietnamese.
    pub message: String,
}

impl Finding {
    /// A finding with the rule's default severity and no place yet.
    pub fn new(rule: Rule, message: impl Into<String>) -> Self {
        Self {
            rule,
            severity: rule.default_severity(),
            unit: None,
            file: None,
            sheet: None,
            cell: None,
            message: message.into(),
        }
    }

    /// Sets the sheet and cell.
    #[must_use]
    pub fn at(mut self, sheet: &str, cell: CellRef) -> Self {
        self.sheet = Some(sheet.to_string());
        self.cell = Some(cell);
        self
    }

    /// Sets the sheet only.
    #[must_use]
    pub fn in_sheet(mut self, sheet: &str) -> Self {
        self.sheet = Some(sheet.to_string());
        self
    }

    /// Sets the file.
    #[must_use]
    pub fn in_file(mut self, file: &str) -> Self {
        self.file = Some(file.to_string());
        self
    }

    /// Sets the unit.
    #[must_use]
    pub fn for_unit(mut self, unit: &UnitCode) -> Self {
        self.unit = Some(unit.clone());
        self
    }

    /// `Vốn!D12` or `Vốn` or empty.
    pub fn place(&self) -> String {
        match (&self.sheet, &self.cell) {
            (Some(s), Some(c)) => format!("{s}!{c}"),
            (Some(s), None) => s.clone(),
            (None, Some(c)) => c.to_string(),
            (None, None) => String::new(),
        }
    }

    /// A sort key that keeps output order independent of thread timing.
    pub fn sort_key(&self) -> SortKey<'_> {
        (self.unit.as_ref(), self.file.as_ref(), self.severity, self.sheet.as_ref(), self.cell, self.rule)
    }
}

/// Unit, file, severity, sheet, cell, rule: the order findings are listed in.
pub type SortKey<'a> = (Option<&'a UnitCode>, Option<&'a String>, Severity, Option<&'a String>, Option<CellRef>, Rule);

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let place = self.place();
        let file = self.file.as_deref().unwrap_or("");
        let sep = if file.is_empty() || place.is_empty() { "" } else { " " };
        write!(f, "[{}] {file}{sep}{place}: {} ({})", self.severity.label(), self.message, self.rule.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_codes_are_unique_and_round_trip() {
        let mut codes: Vec<_> = Rule::ALL.iter().map(|r| r.code()).collect();
        let n = codes.len();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), n);
        for r in Rule::ALL {
            assert_eq!(Rule::from_code(r.code()), Some(*r));
        }
    }

    #[test]
    fn display_names_file_sheet_and_cell() {
        let f = Finding::new(Rule::NegativeMoney, "Số tiền âm").in_file("a.xlsx").at("Vốn", CellRef::new(11, 3));
        assert_eq!(f.to_string(), "[Lỗi (từ chối)] a.xlsx Vốn!D12: Số tiền âm (SO_TIEN_AM)");
    }
}
