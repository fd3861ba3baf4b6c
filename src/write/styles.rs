//! Cell formats of the official forms: Times New Roman, bordered tables,
//! `#,##0` money, `0.0%` rates, bold totals.

use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, FormatUnderline};

/// The font of Vietnamese administrative documents.
pub const FONT: &str = "Times New Roman";

/// Shared formats for every sheet gnbv writes.
#[derive(Debug, Clone)]
pub struct Styles {
    /// Header block: the superior body (upper case).
    pub block: Format,
    /// Header block: the agency, bold.
    pub block_bold: Format,
    /// Header block: the agency, bold and underlined.
    pub block_bold_underline: Format,
    /// Form number ("Biểu số 01").
    pub form_number: Format,
    /// Sheet title.
    pub title: Format,
    /// Line under the title (period).
    pub subtitle: Format,
    /// "Đơn vị tính" line.
    pub unit_line: Format,
    /// Table header cell.
    pub header: Format,
    /// Numbered column row.
    pub numbering: Format,
    /// Body text.
    pub text: Format,
    /// Body text, bold.
    pub text_bold: Format,
    /// Body text, indented (sub-projects).
    pub text_indent: Format,
    /// Body text, centred.
    pub text_center: Format,
    /// Body text, centred and bold.
    pub text_center_bold: Format,
    /// Money.
    pub money: Format,
    /// Money, bold.
    pub money_bold: Format,
    /// Counts.
    pub count: Format,
    /// Counts, bold.
    pub count_bold: Format,
    /// Rates.
    pub percent: Format,
    /// Rates, bold.
    pub percent_bold: Format,
    /// Rates with two decimals (poverty rates: 12.83%).
    pub percent2: Format,
    /// Rates with two decimals, bold.
    pub percent2_bold: Format,
    /// Percentage-point changes.
    pub points: Format,
    /// Percentage-point changes, bold.
    pub points_bold: Format,
    /// A dash for "does not apply".
    pub dash: Format,
    /// A dash, bold.
    pub dash_bold: Format,
    /// Signature titles.
    pub sign_title: Format,
    /// "(Ký, ghi rõ họ tên)".
    pub sign_note: Format,
    /// Place and date line.
    pub date_line: Format,
    /// Plain notes under a table.
    pub note: Format,
    /// Red fill for low rates (conditional format).
    pub red: Format,
    /// Amber fill for rates behind schedule (conditional format).
    pub amber: Format,
    /// Grey fill for cells a unit does not fill in.
    pub locked_grey: Format,
    /// Input cell in a template (money).
    pub input_money: Format,
    /// Input cell in a template (counts).
    pub input_count: Format,
    /// Input cell in a template (rates).
    pub input_percent: Format,
    /// Input cell in a template (points).
    pub input_points: Format,
    /// Input cell in a template (text).
    pub input_text: Format,
    /// Label in the identity block.
    pub label: Format,
}

fn base() -> Format {
    Format::new().set_font_name(FONT).set_font_size(11)
}

fn cell() -> Format {
    base().set_border(FormatBorder::Thin).set_align(FormatAlign::VerticalCenter)
}

impl Styles {
    /// Every format, in a fixed order (the destructuring below names every
    /// field, so a new format cannot be forgotten here).
    pub fn all(&self) -> Vec<&Format> {
        let Self {
            block,
            block_bold,
            block_bold_underline,
            form_number,
            title,
            subtitle,
            unit_line,
            header,
            numbering,
            text,
            text_bold,
            text_indent,
            text_center,
            text_center_bold,
            money,
            money_bold,
            count,
            count_bold,
            percent,
            percent_bold,
            percent2,
            percent2_bold,
            points,
            points_bold,
            dash,
            dash_bold,
            sign_title,
            sign_note,
            date_line,
            note,
            red,
            amber,
            locked_grey,
            input_money,
            input_count,
            input_percent,
            input_points,
            input_text,
            label,
        } = self;
        vec![
            block,
            block_bold,
            block_bold_underline,
            form_number,
            title,
            subtitle,
            unit_line,
            header,
            numbering,
            text,
            text_bold,
            text_indent,
            text_center,
            text_center_bold,
            money,
            money_bold,
            count,
            count_bold,
            percent,
            percent_bold,
            percent2,
            percent2_bold,
            points,
            points_bold,
            dash,
            dash_bold,
            sign_title,
            sign_note,
            date_line,
            note,
            red,
            amber,
            locked_grey,
            input_money,
            input_count,
            input_percent,
            input_points,
            input_text,
            label,
        ]
    }

    /// Builds the formats; `money_format` is the number format of money cells.
    pub fn new(money_format: &str) -> Self {
        let money = cell().set_num_format(money_format);
        let count = cell().set_num_format("#,##0");
        let percent = cell().set_num_format("0.0%");
        let points = cell().set_num_format("0.00");
        let percent2 = cell().set_num_format("0.00%");
        let dash = cell().set_align(FormatAlign::Center);
        Self {
            block: base().set_font_size(12).set_align(FormatAlign::Center),
            block_bold: base().set_font_size(12).set_bold().set_align(FormatAlign::Center),
            block_bold_underline: base()
                .set_font_size(12)
                .set_bold()
                .set_underline(FormatUnderline::Single)
                .set_align(FormatAlign::Center),
            form_number: base().set_italic().set_bold().set_align(FormatAlign::Left),
            title: base().set_font_size(14).set_bold().set_align(FormatAlign::Center).set_text_wrap(),
            subtitle: base().set_font_size(12).set_italic().set_align(FormatAlign::Center),
            unit_line: base().set_italic().set_align(FormatAlign::Right),
            header: cell()
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_text_wrap()
                .set_background_color(Color::RGB(0x00DD_EBF7)),
            numbering: cell().set_italic().set_font_size(9).set_align(FormatAlign::Center),
            text: cell().set_text_wrap(),
            text_bold: cell().set_text_wrap().set_bold(),
            text_indent: cell().set_text_wrap().set_indent(1),
            text_center: cell().set_align(FormatAlign::Center),
            text_center_bold: cell().set_align(FormatAlign::Center).set_bold(),
            money_bold: money.clone().set_bold(),
            money,
            count_bold: count.clone().set_bold(),
            count,
            percent_bold: percent.clone().set_bold(),
            percent,
            percent2_bold: percent2.clone().set_bold(),
            percent2,
            points_bold: points.clone().set_bold(),
            points,
            dash_bold: dash.clone().set_bold(),
            dash,
            sign_title: base().set_font_size(12).set_bold().set_align(FormatAlign::Center),
            sign_note: base().set_italic().set_align(FormatAlign::Center),
            date_line: base().set_font_size(12).set_italic().set_align(FormatAlign::Center),
            note: base().set_italic().set_text_wrap().set_align(FormatAlign::Left),
            red: Format::new().set_background_color(Color::RGB(0x00FF_C7CE)).set_font_color(Color::RGB(0x009C_0006)),
            amber: Format::new().set_background_color(Color::RGB(0x00FF_EB9C)).set_font_color(Color::RGB(0x009C_5700)),
            locked_grey: cell().set_background_color(Color::RGB(0x00EE_EEEE)),
            input_money: cell().set_num_format("#,##0.0##").set_background_color(Color::RGB(0x00FF_FFF2)),
            input_count: cell().set_num_format("#,##0").set_background_color(Color::RGB(0x00FF_FFF2)),
            input_percent: cell().set_num_format("0.00%").set_background_color(Color::RGB(0x00FF_FFF2)),
            input_points: cell().set_num_format("0.00").set_background_color(Color::RGB(0x00FF_FFF2)),
            input_text: cell().set_text_wrap().set_background_color(Color::RGB(0x00FF_FFF2)),
            label: base().set_bold(),
        }
    }
}
