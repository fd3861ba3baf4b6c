//! The report for the level above: the month's consolidated figures as the
//! content of a unit workbook ([`super::unit_workbook`]), so that the district's
//! report is read by the province exactly as a commune's is read by the district.

use crate::assembled::Month;
use crate::compute::{Consolidation, ProjectKey, SourceKey, UnitKey};
use crate::config::Config;
use crate::domain::{IndicatorField, MoneyField};
use crate::write::unit_workbook::UnitContent;

/// The aggregate as a unit workbook for the level above.
pub fn upward_content(config: &Config, month: &Month, figures: &Consolidation, date: chrono::NaiveDate) -> UnitContent {
    let agency = &config.settings.agency;
    let table = &figures.capital;
    let mut content = UnitContent {
        code: agency.code.clone(),
        name: if agency.report_name.is_empty() { agency.name.clone() } else { agency.report_name.clone() },
        submitted: Some(date),
        filled: true,
        without_month: table.total().disbursed_month.is_none(),
        // The units' difficulties and recommendations go up with their names.
        notes: month
            .notes
            .iter()
            .map(|(unit, note)| {
                let name = config.units.get(unit).map_or_else(|| unit.to_string(), |u| u.name.clone());
                (note.topic.starts_with("Kiến nghị"), format!("{name}: {}", note.text))
            })
            .collect(),
        ..UnitContent::default()
    };
    for project in table.project_keys() {
        for source in &config.sources.list {
            let f = table.get(&UnitKey::Total, project, &SourceKey::Source(source.code.clone()));
            for field in MoneyField::ALL {
                let Some(value) = f.get(field) else { continue };
                match project {
                    ProjectKey::Project(code) => {
                        content.money.insert((code.clone(), source.code.clone(), field), value);
                    }
                    ProjectKey::Total => {
                        content.totals.insert((source.code.clone(), field), value);
                    }
                }
            }
        }
    }
    for ind in &config.indicators.list {
        let v = figures.indicators.get(&UnitKey::Total, &ind.code);
        let mut values = [None; 3];
        values[IndicatorField::Target as usize] = v.target;
        values[IndicatorField::Month as usize] = v.month;
        values[IndicatorField::Achieved as usize] = v.achieved;
        if values.iter().any(Option::is_some) {
            content.indicators.insert(ind.code.clone(), values);
        }
    }
    content
}
