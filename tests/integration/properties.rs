//! Issue 7, part 3: properties that must hold for every input, checked on
//! many generated ones (proptest): money text parses back to the same đồng,
//! parents are the sums of their children whatever the order of the units,
//! rates are never NaN.

use std::sync::OnceLock;

use gnbv::compute::{CapitalTable, Figures, ProjectKey, SourceKey, UnitFigures, UnitKey};
use gnbv::config::Config;
use gnbv::domain::{Dong, MoneyField, MoneyUnit, ProjectCode, SourceCode, UnitCode};
use gnbv::read::number::parse_text;
use proptest::prelude::*;

use crate::common::root;

fn config() -> &'static Config {
    static CONFIG: OnceLock<Config> = OnceLock::new();
    CONFIG.get_or_init(|| Config::load(&root().join("config")).expect("shipped config"))
}

/// Digits grouped by threes with `sep`: `1.728.000`.
fn grouped(digits: &str, sep: &str) -> String {
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push_str(sep);
        }
        out.push(ch);
    }
    out
}

/// An amount of đồng as a clerk writes it in `unit`: thousands by dots (or
/// spaces, or nothing), a decimal comma for the rest, a minus or parentheses.
fn vietnamese(d: i64, unit: MoneyUnit, sep: &str, parens: bool) -> String {
    let per = unit.dong_per_unit().unsigned_abs();
    let abs = d.unsigned_abs();
    let (int, frac) = (abs / per, abs % per);
    let mut text = grouped(&int.to_string(), sep);
    if frac > 0 {
        let width = unit.exponent() as usize;
        let frac = format!("{frac:0width$}");
        text.push(',');
        text.push_str(frac.trim_end_matches('0'));
    }
    match (d < 0, parens) {
        (true, true) => format!("({text})"),
        (true, false) => format!("-{text}"),
        _ => text,
    }
}

fn units() -> impl Strategy<Value = MoneyUnit> {
    prop_oneof![Just(MoneyUnit::Dong), Just(MoneyUnit::NghinDong), Just(MoneyUnit::TrieuDong), Just(MoneyUnit::TyDong)]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn vietnamese_money_text_parses_back_to_the_same_dong(
        d in -1_000_000_000_000_000i64..1_000_000_000_000_000,
        unit in units(),
        sep in prop_oneof![Just("."), Just(" "), Just("\u{a0}"), Just("")],
        parens: bool,
    ) {
        let text = vietnamese(d, unit, sep, parens);
        let parsed = parse_text(&text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
        let decimal = parsed.unwrap_or_else(|| panic!("{text:?} read as blank"));
        prop_assert_eq!(decimal.to_dong(unit), Some(Dong(d)), "{:?} in {:?}", text, unit);
    }

    #[test]
    fn dong_display_parses_back(d in any::<i64>().prop_filter("not MIN", |d| *d != i64::MIN)) {
        // The report's own grouping (`1.728.000.000`), read as đồng.
        let text = Dong(d).to_string();
        let decimal = parse_text(&text).expect("a number").expect("not blank");
        prop_assert_eq!(decimal.to_dong(MoneyUnit::Dong), Some(Dong(d)), "{}", text);
    }

    #[test]
    fn money_parsing_never_panics_on_any_text(text in any::<String>()) {
        let _ = parse_text(&text);
    }

    #[test]
    fn money_parsing_never_panics_on_number_like_text(text in "[0-9.,%() +\\-−–'\u{a0}]{0,40}") {
        if let Ok(Some(d)) = parse_text(&text) {
            for unit in [MoneyUnit::Dong, MoneyUnit::NghinDong, MoneyUnit::TrieuDong, MoneyUnit::TyDong] {
                let _ = d.to_dong(unit);
            }
            prop_assert!(!d.to_f64().is_nan(), "{:?}", text);
        }
    }

    #[test]
    fn rates_are_fractions_or_none_never_nan(
        allocated in any::<i64>(),
        cumulative in any::<i64>(),
        month in proptest::option::of(any::<i64>()),
    ) {
        let f = Figures { allocated: Dong(allocated), disbursed_month: month.map(Dong), disbursed_cumulative: Dong(cumulative) };
        match f.rate() {
            None => prop_assert!(allocated <= 0, "a rate is missing for {allocated}"),
            Some(r) => {
                prop_assert!(allocated > 0);
                prop_assert!(!r.is_nan() && r.is_finite(), "{r}");
                if (0..=allocated).contains(&cumulative) {
                    prop_assert!((0.0..=1.0).contains(&r), "{cumulative}/{allocated} = {r}");
                }
            }
        }
    }
}

/// Leaf projects (no children) and sources of the shipped config.
fn leaves_and_sources() -> (Vec<ProjectCode>, Vec<SourceCode>) {
    let config = config();
    let catalogue = config.catalogue_for(2024).expect("catalogue");
    let leaves =
        catalogue.projects.iter().filter(|p| !catalogue.has_children(&p.code)).map(|p| p.code.clone()).collect();
    let sources = config.sources.list.iter().map(|s| s.code.clone()).collect();
    (leaves, sources)
}

/// Units with figures on leaf projects.
fn unit_figures() -> impl Strategy<Value = Vec<UnitFigures>> {
    let (leaves, sources) = leaves_and_sources();
    let entry = (0..leaves.len(), 0..sources.len(), 0..3usize, 0i64..1_000_000_000_000);
    let unit = (0..6usize, proptest::collection::vec(entry, 0..25), any::<bool>());
    proptest::collection::vec(unit, 0..8).prop_map(move |units| {
        units
            .into_iter()
            .map(|(u, entries, month_reported)| UnitFigures {
                unit: UnitCode::new(format!("U{u}")),
                capital: entries
                    .into_iter()
                    .map(|(p, s, f, v)| (leaves[p].clone(), sources[s].clone(), MoneyField::ALL[f], Dong(v)))
                    .collect(),
                month_reported,
                indicators: Vec::new(),
            })
            .collect()
    })
}

fn all_cells(table: &CapitalTable) -> Vec<Figures> {
    let mut keys = vec![UnitKey::Total];
    keys.extend(table.units().cloned().map(UnitKey::Unit));
    let mut out = Vec::new();
    for u in &keys {
        for p in table.project_keys() {
            for s in table.source_keys() {
                out.push(table.get(u, p, s));
            }
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn parents_are_the_sums_of_their_children_and_order_does_not_matter(units in unit_figures(), seed: u64) {
        let config = config();
        let catalogue = config.catalogue_for(2024).expect("catalogue");
        let table = CapitalTable::build(&units, catalogue, &config.sources);

        let mut keys = vec![UnitKey::Total];
        keys.extend(table.units().cloned().map(UnitKey::Unit));
        let sum = |cells: &mut dyn Iterator<Item = Figures>| {
            cells.fold(Figures::ZERO, |mut acc, f| {
                acc.add(&f);
                acc
            })
        };
        for u in &keys {
            for s in table.source_keys() {
                // Each parent is the sum of its children…
                for p in catalogue.projects.iter().filter(|p| catalogue.has_children(&p.code)) {
                    let parent = table.get(u, &ProjectKey::Project(p.code.clone()), s);
                    let children = sum(&mut catalogue.children(&p.code).map(|c| table.get(u, &ProjectKey::Project(c.code.clone()), s)));
                    prop_assert_eq!(parent, children, "{:?} {} {:?}", u, p.code, s);
                }
                // …and all projects the sum of the top-level ones.
                let roots = sum(&mut catalogue.roots().map(|r| table.get(u, &ProjectKey::Project(r.code.clone()), s)));
                prop_assert_eq!(table.get(u, &ProjectKey::Total, s), roots);
            }
            for p in table.project_keys() {
                // All sources = each source; this year's = all but carried-over funds.
                let each: Vec<Figures> = config.sources.list.iter().map(|src| table.get(u, p, &SourceKey::Source(src.code.clone()))).collect();
                prop_assert_eq!(table.get(u, p, &SourceKey::Total), sum(&mut each.iter().copied()));
                let current = config.sources.list.iter().zip(&each).filter(|(src, _)| !src.carried_over).map(|(_, f)| *f);
                prop_assert_eq!(table.get(u, p, &SourceKey::CurrentYear), sum(&mut current.into_iter()));
            }
        }
        // The total unit is the sum of the units.
        for p in table.project_keys() {
            for s in table.source_keys() {
                let units_sum = sum(&mut table.units().map(|c| table.get(&UnitKey::Unit(c.clone()), p, s)));
                prop_assert_eq!(table.get(&UnitKey::Total, p, s), units_sum);
            }
        }

        // Shuffle the units and each unit's figures: the same table.
        let mut shuffled = units.clone();
        let mut state = seed | 1;
        let mut next = move |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n.max(1) as u64) as usize
        };
        for i in (1..shuffled.len()).rev() {
            shuffled.swap(i, next(i + 1));
        }
        for u in &mut shuffled {
            for i in (1..u.capital.len()).rev() {
                let j = next(i + 1);
                u.capital.swap(i, j);
            }
        }
        let again = CapitalTable::build(&shuffled, catalogue, &config.sources);
        prop_assert_eq!(all_cells(&table), all_cells(&again));
    }
}
