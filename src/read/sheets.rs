//! Which sheet is which, and the order in which a workbook is read.
//!
//! Sheets are found by name first, accent- and case-insensitively and with
//! prefixes allowed ("Biểu 01 - Vốn", "VON", "Chi tieu"), then by content: a
//! sheet whose header looks like the capital table is the capital sheet
//! whatever its name.

use super::grid::Grid;
use super::open::{OpenError, SheetInfo, Workbook};
use super::{UnitReport, capital, identity, notes, targets};
use crate::config::Config;
use crate::finding::{Finding, Rule};
use crate::text::{fold, has_words};

/// A sheet's role in the unit contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Capital,
    Targets,
    Notes,
    Identity,
}

/// How well a sheet name fits a role (0 = not at all).
fn score(name: &str, role: Role) -> u8 {
    let f = fold(name);
    match role {
        Role::Capital => {
            if f == "von" {
                4
            } else if has_words(&f, "von") && !has_words(&f, "chi tieu") {
                3
            } else if has_words(&f, "giai ngan") {
                2
            } else {
                0
            }
        }
        Role::Targets => {
            if f == "chi tieu" {
                4
            } else if has_words(&f, "chi tieu") {
                3
            } else if has_words(&f, "ket qua") || has_words(&f, "muc tieu") {
                2
            } else {
                0
            }
        }
        Role::Notes => {
            if has_words(&f, "kien nghi") || has_words(&f, "kho khan") || has_words(&f, "de xuat") {
                3
            } else {
                0
            }
        }
        Role::Identity => {
            if has_words(&f, "thong tin") || has_words(&f, "dinh danh") || has_words(&f, "bia") {
                3
            } else {
                0
            }
        }
    }
}

/// The best sheet for a role; visible sheets win ties over hidden ones.
fn pick(infos: &[SheetInfo], role: Role, taken: &[&str]) -> Option<String> {
    infos
        .iter()
        .filter(|s| !taken.contains(&s.name.as_str()))
        .map(|s| (score(&s.name, role) * 2 + u8::from(s.visible), s))
        .filter(|(sc, _)| *sc >= 2)
        .max_by_key(|(sc, s)| (*sc, std::cmp::Reverse(infos.iter().position(|x| x.name == s.name))))
        .map(|(_, s)| s.name.clone())
}

/// Loads a sheet, turning a problem into a finding.
fn load(workbook: &mut Workbook, name: &str, report: &mut UnitReport) -> Option<Grid> {
    match workbook.grid_without_merges(name) {
        Ok(g) => Some(g),
        Err(e) => {
            let rule = if matches!(e, OpenError::TooLarge(_)) { Rule::FileTooLarge } else { Rule::FileUnreadable };
            report.add(Finding::new(rule, format!("Không đọc được trang \"{name}\": {e}.")).in_sheet(name));
            None
        }
    }
}

/// Reads every part of the unit contract from an opened workbook.
pub(crate) fn read_sheets(workbook: &mut Workbook, report: &mut UnitReport, config: &Config) {
    let infos = workbook.sheets();
    if infos.is_empty() {
        report.add(Finding::new(Rule::SheetMissing, "Tệp không có trang tính nào."));
        return;
    }
    let mut capital_name = pick(&infos, Role::Capital, &[]);
    let mut targets_name = pick(&infos, Role::Targets, &[capital_name.as_deref().unwrap_or("")]);
    let taken = [capital_name.clone().unwrap_or_default(), targets_name.clone().unwrap_or_default()];
    let taken_refs: Vec<&str> = taken.iter().map(String::as_str).collect();
    let notes_name = pick(&infos, Role::Notes, &taken_refs);
    let identity_name = pick(&infos, Role::Identity, &taken_refs);

    let mut capital_grid = capital_name.as_deref().and_then(|n| load(workbook, n, report));
    let mut targets_grid = targets_name.as_deref().and_then(|n| load(workbook, n, report));
    if report.is_rejected() {
        return;
    }
    // Content fallback: a capital or indicator table under another sheet name.
    if capital_grid.is_none() || targets_grid.is_none() {
        for info in infos.iter().take(12) {
            if Some(&info.name) == capital_name.as_ref() || Some(&info.name) == targets_name.as_ref() {
                continue;
            }
            let Some(grid) = load(workbook, &info.name, report) else { return };
            if capital_grid.is_none() && looks_like_capital(&grid) {
                capital_name = Some(info.name.clone());
                capital_grid = Some(grid);
            } else if targets_grid.is_none() && looks_like_targets(&grid) {
                targets_name = Some(info.name.clone());
                targets_grid = Some(grid);
            }
        }
    }
    let identity_grid = identity_name.as_deref().and_then(|n| load(workbook, n, report));
    let first = infos[0].name.as_str();
    let first_loaded = [&capital_name, &targets_name, &identity_name].iter().any(|n| n.as_deref() == Some(first));
    let first_grid = if first_loaded { None } else { load(workbook, first, report) };
    let identity_sources: Vec<&Grid> =
        identity_grid.iter().chain(first_grid.iter()).chain(capital_grid.iter()).chain(targets_grid.iter()).collect();
    identity::read(&identity_sources, capital_grid.as_ref(), report, config);

    let money_unit = report.identity.money_unit.unwrap_or_else(|| {
        let assumed = config.settings.input.default_money_unit;
        report.add(
            Finding::new(
                Rule::MoneyUnitMissing,
                format!("Biểu không ghi \"Đơn vị tính\"; số tiền được hiểu là {assumed}. Đề nghị ghi rõ \"Đơn vị tính: triệu đồng\"."),
            )
            .in_sheet(capital_name.as_deref().unwrap_or("")),
        );
        assumed
    });

    let year = report.identity.period.map(crate::domain::Period::year);
    let catalogue = year.and_then(|y| config.catalogue_for(y).ok()).or_else(|| config.catalogues.last());

    // Only the capital table's header needs merged regions (a second pass in xlsx).
    if let (Some(grid), Some(name)) = (capital_grid.as_mut(), capital_name.as_deref())
        && let Err(e) = workbook.add_merges(grid, name)
    {
        let rule = if matches!(e, OpenError::TooLarge(_)) { Rule::FileTooLarge } else { Rule::FileUnreadable };
        report.add(Finding::new(rule, format!("Không đọc được trang \"{name}\": {e}.")).in_sheet(name));
        return;
    }
    match (&capital_grid, catalogue) {
        (Some(grid), Some(catalogue)) => capital::read(grid, catalogue, money_unit, config, report),
        (None, _) => report.add(Finding::new(
            Rule::SheetMissing,
            "Không tìm thấy trang \"Vốn\" (kế hoạch vốn và giải ngân). Đề nghị dùng đúng mẫu biểu, giữ tên trang \"Vốn\".",
        )),
        (Some(_), None) => {}
    }
    match &targets_grid {
        Some(grid) => targets::read(grid, config, report),
        None => report.add(Finding::new(
            Rule::SheetMissing,
            "Không tìm thấy trang \"Chỉ tiêu\" (kết quả thực hiện chỉ tiêu). Đề nghị dùng đúng mẫu biểu, giữ tên trang \"Chỉ tiêu\".",
        )),
    }
    if let Some(name) = notes_name
        && let Some(grid) = load(workbook, &name, report)
    {
        notes::read(&grid, report);
    }
}

fn looks_like_capital(grid: &Grid) -> bool {
    grid.find_in_top(40, |f| has_words(f, "ke hoach von") || has_words(f, "luy ke giai ngan")).is_some()
}

fn looks_like_targets(grid: &Grid) -> bool {
    grid.find_in_top(40, |f| has_words(f, "ke hoach nam")).is_some()
        && grid.find_in_top(40, |f| f == "chi tieu" || f == "ma").is_some()
        && grid.find_in_top(40, |f| has_words(f, "ke hoach von")).is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn infos(names: &[&str]) -> Vec<SheetInfo> {
        names.iter().map(|n| SheetInfo { name: (*n).to_string(), visible: true }).collect()
    }

    #[test]
    fn sheet_names_with_prefixes_and_without_accents() {
        let s = infos(&["Hướng dẫn", "Biểu 01 - Vốn", "CHI TIEU", "Kiến nghị"]);
        assert_eq!(pick(&s, Role::Capital, &[]).as_deref(), Some("Biểu 01 - Vốn"));
        assert_eq!(pick(&s, Role::Targets, &[]).as_deref(), Some("CHI TIEU"));
        assert_eq!(pick(&s, Role::Notes, &[]).as_deref(), Some("Kiến nghị"));
        let s = infos(&["VON", "Sheet2"]);
        assert_eq!(pick(&s, Role::Capital, &[]).as_deref(), Some("VON"));
        assert_eq!(pick(&s, Role::Targets, &[]), None);
    }

    #[test]
    fn visible_sheet_wins_over_hidden_copy() {
        let mut s = infos(&["Vốn", "Vốn"]);
        s[0].visible = false;
        s[1].name = "Von".into();
        assert_eq!(pick(&s, Role::Capital, &[]).as_deref(), Some("Von"));
    }
}
