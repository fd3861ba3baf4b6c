//! `gnbv template`: the blank workbook for each registered unit.

use crate::cli::{Global, TemplateArgs};
use crate::config::Config;
use crate::domain::{Period, UnitCode};
use crate::exit::{ExitStatus, Failure, OrExit};
use crate::text::safe_file_stem;
use crate::write::Doc;
use crate::write::unit_workbook::{self, UnitContent};

/// Writes one template per unit into the output folder.
///
/// # Errors
///
/// A [`Failure`]: [`ExitStatus::Usage`] for config errors or an unknown
/// unit, [`ExitStatus::Failed`] when a file cannot be written.
pub fn run(args: &TemplateArgs, global: &Global) -> Result<ExitStatus, Failure> {
    let paths =
        crate::paths::resolve_here(crate::paths::Flags { config: args.config.as_deref(), ..Default::default() });
    let config = Config::load(&paths.config).or_exit(ExitStatus::Usage)?;
    let out_dir = args.output.clone().unwrap_or_else(|| paths.output.join("mau_bieu"));
    let recorded = super::recorded_time();
    let period = args.period.unwrap_or_else(|| Period::of_date(recorded.date()));
    let catalogue = config.catalogue_for(period.year()).or_exit(ExitStatus::Usage)?;
    let units: Vec<&crate::config::Unit> = if args.units.is_empty() {
        config.units.expected(period).collect()
    } else {
        args.units
            .iter()
            .map(|c| {
                config.units.get(&UnitCode::new(c)).ok_or_else(|| anyhow::anyhow!("unit '{c}' is not in units.csv"))
            })
            .collect::<Result<_, _>>()
            .or_exit(ExitStatus::Usage)?
    };
    std::fs::create_dir_all(&out_dir).or_exit(ExitStatus::Failed)?;
    let doc = Doc::new(&config, catalogue, period, recorded);
    for unit in &units {
        let content = UnitContent { code: unit.code.to_string(), name: unit.name.clone(), ..UnitContent::default() };
        let bytes = unit_workbook::workbook(&doc, &content).or_exit(ExitStatus::Failed)?;
        let path = out_dir.join(format!("mau_{}_{period}.xlsx", safe_file_stem(unit.code.as_str())));
        let tmp = tempfile::NamedTempFile::new_in(&out_dir).or_exit(ExitStatus::Failed)?;
        std::fs::write(tmp.path(), &bytes).or_exit(ExitStatus::Failed)?;
        tmp.persist(&path).or_exit(ExitStatus::Failed)?;
        if !global.quiet {
            println!("{}", path.display());
        }
    }
    if !global.quiet {
        println!("đã ghi {} mẫu biểu kỳ {} vào {}", units.len(), period.vn(), out_dir.display());
    }
    Ok(ExitStatus::Clean)
}
