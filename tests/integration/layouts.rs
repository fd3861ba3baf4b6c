//! Issue 10: layouts offices send — headers of three and four rows with
//! "Số tiền | Tỷ lệ (%)" pairs, "Trong đó" headers, ratio / comparison /
//! estimate / difference columns left of the figures, dashes for zero,
//! space-grouped numbers, Roman and hierarchical numbering, footnotes and
//! signature blocks — each gives exactly the figures of its clean twin (the
//! same content in the plain layout, `L00_TWIN`): money to the đồng per
//! project, source and field, indicator values (month too) and statuses, and
//! no warning or error the twin does not get.
//!
//! Every layout is one unit in ONE gnbv run (shared by the tests below). The
//! expected figures come from the content tables of
//! `tests/integration/common/layout.rs` ([`Content`]), never from gnbv; each
//! unit's content differs from the twin's in one allocation and the household
//! count, so that no two workbooks are copies (which gnbv rightly flags).
//! Each test lists every layout that differs, with what gnbv read and from
//! which cell, so one failing run says everything to fix.
//!
//! The `.xls` / `.ods` fixtures in tests/fixtures/layouts/ are some of these
//! layouts converted by `LibreOffice`; regenerate them with
//! `cargo test --test integration -- --ignored make_layout_fixtures`.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use crate::common::layout::{
    Block, Cap, CapX, Col, Content, Footer, GROUPS, Header, IndRole, IndX, Layout, MONEY, Merge, Num, NumberingRow,
    PROJECTS, Rate, Stt, Zero, col, ind_flat, source_code,
};
use crate::common::{TestEnv, registry, root};

const NBSP: char = '\u{a0}';
const THIN: char = '\u{2009}';
const NARROW_NBSP: char = '\u{202f}';

fn ind_lead(stt: bool, code: bool) -> Vec<Col<IndRole>> {
    let mut cols = Vec::new();
    if stt {
        cols.push(col(IndRole::Stt, &["STT"]));
    }
    if code {
        cols.push(col(IndRole::Code, &["Mã"]));
    }
    cols.push(col(IndRole::Name, &["Chỉ tiêu"]));
    cols.push(col(IndRole::Unit, &["Đơn vị tính"]));
    cols
}

/// Lead columns then `rest`.
fn ind(stt: bool, code: bool, rest: Vec<Col<IndRole>>) -> Vec<Col<IndRole>> {
    let mut cols = ind_lead(stt, code);
    cols.extend(rest);
    cols
}

/// The flat indicator columns with `extra` inserted before the column of `before`.
fn ind_extra(before: IndRole, label: &str, x: IndX) -> Vec<Col<IndRole>> {
    let mut cols = ind_flat();
    let at = cols.iter().position(|c| c.role == before).unwrap();
    cols.insert(at, col(IndRole::Extra(x), &[label]));
    cols
}

/// "Kết quả thực hiện" over "Trong tháng" | [extra] | "Lũy kế từ đầu năm".
fn ind_two_rows(stt: bool, extra: Option<(&str, IndX)>) -> Vec<Col<IndRole>> {
    let mut rest =
        vec![col(IndRole::Target, &["Kế hoạch năm"]), col(IndRole::Month, &["Kết quả thực hiện", "Trong tháng"])];
    if let Some((label, x)) = extra {
        rest.push(col(IndRole::Extra(x), &["Kết quả thực hiện", label]));
    }
    rest.push(col(IndRole::Achieved, &["Kết quả thực hiện", "Lũy kế từ đầu năm"]));
    ind(stt, true, rest)
}

/// "Năm 2024" over "Kế hoạch năm" | "Kết quả thực hiện" over "Trong tháng" | [extra] | "Lũy kế từ đầu năm".
fn ind_three_rows(extra: Option<(&str, IndX)>) -> Vec<Col<IndRole>> {
    let mut rest = vec![
        col(IndRole::Target, &["Năm 2024", "Kế hoạch năm"]),
        col(IndRole::Month, &["Năm 2024", "Kết quả thực hiện", "Trong tháng"]),
    ];
    if let Some((label, x)) = extra {
        rest.push(col(IndRole::Extra(x), &["Năm 2024", "Kết quả thực hiện", label]));
    }
    rest.push(col(IndRole::Achieved, &["Năm 2024", "Kết quả thực hiện", "Lũy kế từ đầu năm"]));
    ind(true, true, rest)
}

/// Four rows: "Năm 2024" → "Kết quả thực hiện" → "Trong tháng" | "Lũy kế từ
/// đầu năm" → "Số lượng" | a percentage (left of the figure when `rate_first`).
fn ind_four_rows(rate_first: bool) -> Vec<Col<IndRole>> {
    let mut rest = vec![col(IndRole::Target, &["Năm 2024", "Kế hoạch năm"])];
    for (role, period, rate, x) in [
        (IndRole::Month, "Trong tháng", "So với cùng kỳ (%)", IndX::VsLastYearPct),
        (IndRole::Achieved, "Lũy kế từ đầu năm", "Tỷ lệ so với KH (%)", IndX::PctOfTarget),
    ] {
        let figure = col(role, &["Năm 2024", "Kết quả thực hiện", period, "Số lượng"]);
        let ratio = col(IndRole::Extra(x), &["Năm 2024", "Kết quả thực hiện", period, rate]);
        if rate_first {
            rest.extend([ratio, figure]);
        } else {
            rest.extend([figure, ratio]);
        }
    }
    ind(true, true, rest)
}

const G: [Block; 3] = [Block::Group(0), Block::Group(1), Block::Group(2)];
/// "Kết quả giải ngân" over "Trong tháng" | "Lũy kế từ đầu năm".
const SUPERGROUP: [&[&str]; 3] =
    [&["Kế hoạch vốn năm 2024"], &["Kết quả giải ngân", "Trong tháng"], &["Kết quả giải ngân", "Lũy kế từ đầu năm"]];

/// The corpus: (unit code, layout). `L00_TWIN` is the clean twin; every
/// other layout carries the same content.
fn corpus() -> Vec<(&'static str, Layout)> {
    let d = Layout::default;
    let cap = Cap::default;
    vec![
        ("L00_TWIN", d()),
        // ---- Capital headers: "Trong đó", pairs, three and four rows ----
        (
            "L01_TRONG_DO_COLON_UNMERGED",
            Layout {
                cap: Cap { header: Header::TrongDo, trong_do: "Trong đó:", ..cap() },
                cap_merge: Merge::FirstCell,
                ..d()
            },
        ),
        (
            "L02_TRONG_DO_REPEATED",
            Layout { cap: Cap { header: Header::TrongDo, stt: true, ..cap() }, cap_merge: Merge::Repeated, ..d() },
        ),
        (
            "L03_TRONG_DO_LABELS_AT_BOTTOM",
            Layout {
                cap: Cap { header: Header::TrongDo, long_sources: true, ..cap() },
                cap_merge: Merge::Bottom,
                ..d()
            },
        ),
        ("L04_PAIRS", Layout { cap: Cap { header: Header::Pairs, ..cap() }, ..d() }),
        (
            "L05_PAIRS_UNMERGED",
            Layout { cap: Cap { header: Header::Pairs, ..cap() }, cap_merge: Merge::FirstCell, ..d() },
        ),
        ("L06_PAIRS_RATE_FIRST", Layout { cap: Cap { header: Header::Pairs, rate_first: true, ..cap() }, ..d() }),
        (
            "L07_PAIRS_FRACTION_TOTALS",
            Layout { cap: Cap { header: Header::Pairs, total: true, ..cap() }, rate: Rate::Fraction, ..d() },
        ),
        ("L08_PAIRS_TEXT_PERCENT", Layout { cap: Cap { header: Header::Pairs, ..cap() }, rate: Rate::Text, ..d() }),
        ("L09_FOUR_ROWS", Layout { cap: Cap { header: Header::TrongDoPairs, ..cap() }, ..d() }),
        (
            "L10_FOUR_ROWS_UNMERGED",
            Layout { cap: Cap { header: Header::TrongDoPairs, ..cap() }, cap_merge: Merge::FirstCell, ..d() },
        ),
        (
            "L11_FOUR_ROWS_REPEATED_RATE_FIRST",
            Layout {
                cap: Cap { header: Header::TrongDoPairs, rate_first: true, ..cap() },
                cap_merge: Merge::Repeated,
                ..d()
            },
        ),
        ("L12_FOUR_ROWS_SUPERGROUP", Layout { cap: Cap { header: Header::Pairs, groups: SUPERGROUP, ..cap() }, ..d() }),
        (
            "L13_SUPERGROUP_TRONG_DO",
            Layout {
                cap: Cap {
                    header: Header::TrongDo,
                    groups: [
                        &["Kế hoạch vốn được giao năm 2024"],
                        &["Tình hình giải ngân", "Trong tháng 6"],
                        &["Tình hình giải ngân", "Lũy kế từ đầu năm đến 30/6"],
                    ],
                    ..cap()
                },
                ..d()
            },
        ),
        (
            "L14_FOUR_ROWS_OTHER_PAIR_LABELS",
            Layout {
                cap: Cap {
                    header: Header::TrongDoPairs,
                    amount_label: "Giá trị",
                    rate_label: "Tỷ lệ %",
                    long_sources: true,
                    ..cap()
                },
                ..d()
            },
        ),
        // ---- Capital: ratio, comparison, estimate, difference left of the figures ----
        (
            "L15_CAP_RATE_LEFT",
            Layout {
                cap: Cap {
                    blocks: [&[Block::Extra("Tỷ lệ giải ngân (%)", CapX::DisbursedPct, false)][..], &G].concat(),
                    ..cap()
                },
                ..d()
            },
        ),
        (
            "L16_CAP_SO_VOI_CUNG_KY",
            Layout {
                cap: Cap {
                    blocks: vec![
                        G[0],
                        G[1],
                        Block::Extra("So với cùng kỳ năm trước (%)", CapX::VsLastYearPct, false),
                        G[2],
                    ],
                    ..cap()
                },
                ..d()
            },
        ),
        (
            "L17_CAP_SO_SANH_KH",
            Layout {
                cap: Cap {
                    blocks: vec![G[0], G[1], Block::Extra("So sánh với KH (%)", CapX::VsPlanPct, true), G[2]],
                    ..cap()
                },
                ..d()
            },
        ),
        (
            "L18_CAP_UOC_CA_NAM",
            Layout {
                cap: Cap {
                    blocks: vec![G[0], Block::Extra("Ước thực hiện cả năm", CapX::Estimate, true), G[1], G[2]],
                    ..cap()
                },
                ..d()
            },
        ),
        (
            "L19_CAP_DU_KIEN",
            Layout {
                cap: Cap {
                    blocks: vec![G[0], G[1], Block::Extra("Dự kiến giải ngân tháng 7", CapX::Forecast, true), G[2]],
                    ..cap()
                },
                ..d()
            },
        ),
        (
            "L20_CAP_CHENH_LECH",
            Layout {
                cap: Cap {
                    blocks: vec![
                        G[0],
                        Block::Extra("Chênh lệch kế hoạch - giải ngân", CapX::Difference, true),
                        G[1],
                        G[2],
                    ],
                    ..cap()
                },
                ..d()
            },
        ),
        (
            "L21_CAP_ALL_EXTRAS_LEFT",
            Layout {
                cap: Cap {
                    header: Header::TrongDo,
                    blocks: [
                        &[
                            Block::Extra("Tỷ lệ giải ngân (%)", CapX::DisbursedPct, false),
                            Block::Extra("So với cùng kỳ (%)", CapX::VsLastYearPct, false),
                            Block::Extra("Ước thực hiện cả năm", CapX::Estimate, true),
                            Block::Extra("Dự kiến giải ngân quý III", CapX::Forecast, false),
                            Block::Extra("Chênh lệch", CapX::Difference, false),
                        ][..],
                        &G,
                    ]
                    .concat(),
                    ..cap()
                },
                ..d()
            },
        ),
        // ---- Dashes and space-grouped numbers ----
        ("L22_DASH_ZERO", Layout { zero: Zero::Dash("-"), ..d() }),
        (
            "L23_DASH_SPACED_PAIRS",
            Layout { cap: Cap { header: Header::Pairs, ..cap() }, zero: Zero::Dash(" - "), ..d() },
        ),
        (
            "L24_ACCOUNTING_DASH_TRONG_DO",
            Layout { cap: Cap { header: Header::TrongDo, ..cap() }, zero: Zero::AccountingDash, ..d() },
        ),
        ("L25_SPACE_GROUPED_DONG", Layout { money_unit: ("đồng", 1_000_000.0), num: Num::Grouped(' '), ..d() }),
        (
            "L26_NBSP_GROUPED_DONG_TOTAL",
            Layout { money_unit: ("đồng", 1_000_000.0), num: Num::Grouped(NBSP), total_row: true, ..d() },
        ),
        ("L27_THIN_SPACE_NGHIN", Layout { money_unit: ("nghìn đồng", 1_000.0), num: Num::Grouped(THIN), ..d() }),
        (
            "L28_NARROW_NBSP_TRIEU_TOTAL",
            Layout { num: Num::Grouped(NARROW_NBSP), ind_num: Num::Grouped(NARROW_NBSP), total_row: true, ..d() },
        ),
        (
            "L29_IND_SPACE_GROUPED",
            Layout {
                money_unit: ("nghìn đồng", 1_000.0),
                num: Num::Grouped(NBSP),
                ind_num: Num::Grouped(' '),
                zero: Zero::Dash("-"),
                ..d()
            },
        ),
        // ---- Numbering: Roman, hierarchical, letters ----
        (
            "L30_STT_ROMAN",
            Layout {
                cap: Cap { stt: true, ..cap() },
                stt: Stt::Roman,
                heading_rows: true,
                ind: ind(true, true, ind_flat().split_off(3)),
                ..d()
            },
        ),
        ("L31_STT_ROMAN_NO_CODES", Layout { cap: Cap { stt: true, code: false, ..cap() }, stt: Stt::Roman, ..d() }),
        (
            "L32_STT_HIERARCHICAL_NO_CODES",
            Layout {
                cap: Cap { stt: true, code: false, ..cap() },
                stt: Stt::Hierarchical,
                heading_rows: true,
                ind: ind(true, false, ind_flat().split_off(3)),
                ..d()
            },
        ),
        (
            "L33_STT_LETTERS_HEADINGS",
            Layout {
                cap: Cap { stt: true, ..cap() },
                stt: Stt::Letters,
                heading_rows: true,
                ind: ind(true, true, ind_flat().split_off(3)),
                ..d()
            },
        ),
        (
            "L34_NUMBERING_ROW_LETTERS",
            Layout { cap: Cap { stt: true, ..cap() }, numbering_row: NumberingRow::Letters, ..d() },
        ),
        // ---- Footnotes and signatures ----
        ("L35_FOOTNOTES", Layout { footer: Footer::Notes, ..d() }),
        ("L36_SIGNATURES", Layout { footer: Footer::Signatures, ..d() }),
        (
            "L37_TIGHT_FOOTNOTES_SIGNATURES_PAIRS",
            Layout { cap: Cap { header: Header::Pairs, stt: true, ..cap() }, footer: Footer::TightBoth, ..d() },
        ),
        // ---- Indicator sheet: columns left of the figures ----
        (
            "L38_IND_RATE_LEFT",
            Layout { ind: ind_extra(IndRole::Achieved, "Tỷ lệ thực hiện (%)", IndX::PctOfTarget), ..d() },
        ),
        (
            "L39_IND_RATE_LEFT_OF_TARGET",
            Layout { ind: ind_extra(IndRole::Target, "Tỷ lệ thực hiện (%)", IndX::PctOfTarget), ..d() },
        ),
        (
            "L40_IND_SO_VOI_CUNG_KY",
            Layout { ind: ind_extra(IndRole::Achieved, "So với cùng kỳ (%)", IndX::VsLastYearPct), ..d() },
        ),
        (
            "L41_IND_SO_SANH_KH",
            Layout { ind: ind_extra(IndRole::Month, "So sánh với KH (%)", IndX::PctOfTarget), ..d() },
        ),
        (
            "L42_IND_UOC_CA_NAM",
            Layout { ind: ind_extra(IndRole::Achieved, "Ước thực hiện cả năm", IndX::Estimate), ..d() },
        ),
        ("L43_IND_DU_KIEN", Layout { ind: ind_extra(IndRole::Month, "Dự kiến tháng 7", IndX::Forecast), ..d() }),
        (
            "L44_IND_CHENH_LECH",
            Layout { ind: ind_extra(IndRole::Achieved, "Chênh lệch so với KH", IndX::Difference), ..d() },
        ),
        // ---- Indicator sheet: headers of two to four rows ----
        (
            "L45_IND_TWO_ROWS_RATE_IN_GROUP",
            Layout { ind: ind_two_rows(false, Some(("Tỷ lệ thực hiện (%)", IndX::PctOfTarget))), ..d() },
        ),
        ("L46_IND_TWO_ROWS_UNMERGED", Layout { ind: ind_two_rows(true, None), ind_merge: Merge::FirstCell, ..d() }),
        ("L47_IND_THREE_ROWS", Layout { ind: ind_three_rows(None), ..d() }),
        (
            "L48_IND_THREE_ROWS_BOTTOM_RATE",
            Layout {
                ind: ind_three_rows(Some(("Tỷ lệ thực hiện (%)", IndX::PctOfTarget))),
                ind_merge: Merge::Bottom,
                ..d()
            },
        ),
        ("L49_IND_FOUR_ROWS_PAIRS", Layout { ind: ind_four_rows(false), ..d() }),
        (
            "L50_IND_FOUR_ROWS_RATE_FIRST_UNMERGED",
            Layout { ind: ind_four_rows(true), ind_merge: Merge::FirstCell, ..d() },
        ),
        (
            "L51_IND_ROMAN_SECTIONS",
            Layout { ind: ind(true, true, ind_flat().split_off(3)), stt: Stt::Roman, heading_rows: true, ..d() },
        ),
        (
            "L52_IND_HIERARCHICAL_NO_CODES",
            Layout {
                ind: ind(true, false, ind_flat().split_off(3)),
                stt: Stt::Hierarchical,
                heading_rows: true,
                ..d()
            },
        ),
        // ---- Mixtures ----
        (
            "L53_MIX_FOUR_ROWS_DASH_NBSP_ROMAN",
            Layout {
                money_unit: ("đồng", 1_000_000.0),
                cap: Cap { header: Header::TrongDoPairs, stt: true, ..cap() },
                ind: ind_four_rows(false),
                num: Num::Grouped(NBSP),
                zero: Zero::Dash("-"),
                stt: Stt::Roman,
                heading_rows: true,
                footer: Footer::Both,
                ..d()
            },
        ),
        (
            "L54_MIX_UNMERGED_EXTRAS_SIGNATURES",
            Layout {
                money_unit: ("nghìn đồng", 1_000.0),
                cap: Cap {
                    header: Header::TrongDo,
                    stt: true,
                    blocks: vec![
                        Block::Extra("Tỷ lệ giải ngân (%)", CapX::DisbursedPct, false),
                        G[0],
                        Block::Extra("Ước thực hiện cả năm", CapX::Estimate, true),
                        G[1],
                        G[2],
                    ],
                    ..cap()
                },
                cap_merge: Merge::FirstCell,
                ind: {
                    let mut cols = ind_two_rows(true, None);
                    cols.insert(5, col(IndRole::Extra(IndX::PctOfTarget), &["So sánh với KH (%)"]));
                    cols
                },
                ind_merge: Merge::FirstCell,
                num: Num::Grouped(' '),
                stt: Stt::Roman,
                heading_rows: true,
                footer: Footer::Signatures,
                ..d()
            },
        ),
        (
            "L55_MIX_EVERYTHING",
            Layout {
                money_unit: ("nghìn đồng", 1_000.0),
                cap: Cap {
                    header: Header::Pairs,
                    stt: true,
                    groups: SUPERGROUP,
                    rate_first: true,
                    total: true,
                    blocks: [&[Block::Extra("Tỷ lệ giải ngân (%)", CapX::DisbursedPct, false)][..], &G].concat(),
                    ..cap()
                },
                ind: {
                    let mut cols = ind_four_rows(true);
                    cols.insert(4, col(IndRole::Extra(IndX::Estimate), &["Ước thực hiện cả năm"]));
                    cols.insert(4, col(IndRole::Extra(IndX::Difference), &["Chênh lệch"]));
                    cols
                },
                num: Num::Grouped(THIN),
                ind_num: Num::Grouped(NBSP),
                zero: Zero::Dash("-"),
                rate: Rate::Fraction,
                stt: Stt::Letters,
                heading_rows: true,
                total_row: true,
                parent_figures: true,
                numbering_row: NumberingRow::Letters,
                footer: Footer::TightBoth,
                ..d()
            },
        ),
        (
            "L56_MIX_PARENTS_TOTALS_PAIRS",
            Layout {
                cap: Cap { header: Header::Pairs, total: true, long_sources: true, ..cap() },
                rate: Rate::Text,
                parent_figures: true,
                total_row: true,
                footer: Footer::Both,
                ..d()
            },
        ),
        // ---- Labels that name a money group or a target but are not this period's figures ----
        (
            "L57_CAP_NEXT_YEAR_PLAN_LAST_YEAR",
            Layout {
                cap: Cap {
                    blocks: vec![
                        G[0],
                        Block::Extra("Dự kiến kế hoạch vốn năm 2025", CapX::NextYearPlan, true),
                        G[1],
                        Block::Extra("Lũy kế giải ngân cùng kỳ năm 2023", CapX::LastYear, true),
                        G[2],
                    ],
                    ..cap()
                },
                ..d()
            },
        ),
        (
            "L58_CAP_UOC_GIAI_NGAN_PAIRS",
            Layout {
                cap: Cap {
                    header: Header::Pairs,
                    blocks: vec![G[0], Block::Extra("Ước giải ngân cả năm", CapX::Estimate, true), G[1], G[2]],
                    ..cap()
                },
                ..d()
            },
        ),
        (
            "L59_IND_LAST_YEAR_LEFT",
            Layout { ind: ind_extra(IndRole::Achieved, "Thực hiện cùng kỳ năm 2023", IndX::LastYear), ..d() },
        ),
        (
            "L60_IND_RATE_TEXT_LEFT",
            Layout {
                ind: ind_extra(IndRole::Achieved, "Tỷ lệ thực hiện (%)", IndX::PctOfTarget),
                rate: Rate::Text,
                ..d()
            },
        ),
        (
            "L61_CAP_PERCENT_SIGN_PAIRS",
            Layout {
                cap: Cap { header: Header::TrongDoPairs, amount_label: "Giá trị", rate_label: "%", ..cap() },
                ..d()
            },
        ),
        (
            "L62_IND_NEXT_YEAR_TARGET_LEFT",
            Layout {
                ind: ind_extra(IndRole::Target, "Kế hoạch năm 2025 (dự kiến)", IndX::NextYearPlan), ..d()
            },
        ),
    ]
}

/// Layouts also committed as `LibreOffice` `.xls` and `.ods` fixtures
/// (`tests/fixtures/layouts/<code>_XLS.xls`, `<code>_ODS.ods`, the unit
/// codes inside being the same).
const FIXTURES: &[&str] = &[
    "L04_PAIRS",
    "L09_FOUR_ROWS",
    "L12_FOUR_ROWS_SUPERGROUP",
    "L22_DASH_ZERO",
    "L26_NBSP_GROUPED_DONG_TOTAL",
    "L32_STT_HIERARCHICAL_NO_CODES",
    "L37_TIGHT_FOOTNOTES_SIGNATURES_PAIRS",
    "L38_IND_RATE_LEFT",
    "L47_IND_THREE_ROWS",
    "L53_MIX_FOUR_ROWS_DASH_NBSP_ROMAN",
];

/// (unit code, file name) of every fixture.
fn fixture_files() -> Vec<(String, String)> {
    FIXTURES
        .iter()
        .flat_map(|code| {
            [("XLS", "xls"), ("ODS", "ods")].map(|(tag, ext)| (format!("{code}_{tag}"), format!("{code}_{tag}.{ext}")))
        })
        .collect()
}

/// The content number of a unit ([`Content::of`]): `Lnn_…` is `nn`, its
/// `.xls` fixture `100 + nn`, its `.ods` fixture `200 + nn`.
fn k_of(unit: &str) -> u32 {
    let nn: u32 = unit[1..3].parse().unwrap();
    if unit.ends_with("_XLS") {
        100 + nn
    } else if unit.ends_with("_ODS") {
        200 + nn
    } else {
        nn
    }
}

/// What a unit of the corpus reports.
fn content(unit: &str) -> Content {
    Content::of(k_of(unit))
}

/// A figure gnbv read, from the tidy CSV.
#[derive(Debug, Clone)]
struct Read {
    kind: String,
    item: String,
    source: String,
    field: String,
    value: f64,
    cell: String,
}

/// What the one gnbv run over the whole corpus left.
struct Run {
    /// (unit code, file name relative to the period folder).
    units: Vec<(String, String)>,
    summary: serde_json::Value,
    /// Figures read, by unit.
    read: BTreeMap<String, Vec<Read>>,
    /// Warning and error lines of the log, by file name.
    alarms: BTreeMap<String, Vec<String>>,
    stderr: String,
}

static RUN: LazyLock<Run> = LazyLock::new(|| {
    let env = TestEnv::new();
    let corpus = corpus();
    let mut units: Vec<(String, String)> =
        corpus.iter().map(|(code, l)| ((*code).to_string(), format!("{code}.{}", l.ext))).collect();
    units.extend(fixture_files());
    let pairs: Vec<(&str, &str)> = units.iter().map(|(c, _)| (c.as_str(), c.as_str())).collect();
    env.units(&registry(&pairs));
    let dir = env.input().join("2024-06");
    std::fs::create_dir_all(&dir).unwrap();
    for (code, layout) in &corpus {
        layout.write(code, &content(code), &dir.join(format!("{code}.{}", layout.ext)));
    }
    for (_, file) in fixture_files() {
        let from = root().join("tests/fixtures/layouts").join(&file);
        std::fs::copy(&from, dir.join(&file)).unwrap_or_else(|e| panic!("{}: {e}", from.display()));
    }
    let out = env.month(Some("2024-06"));
    let stderr = out.error.clone();
    let period = env.output().join("2024-06");
    let summary = env.summary("2024-06");
    let mut read: BTreeMap<String, Vec<Read>> = BTreeMap::new();
    let mut csv = csv::Reader::from_path(period.join("du_lieu_2024-06.csv")).expect("tidy csv");
    let headers = csv.headers().unwrap().clone();
    let at = |name: &str| headers.iter().position(|h| h.trim_start_matches('\u{feff}') == name).unwrap();
    let (unit, kind, item, source, field) = (at("unit"), at("kind"), at("item"), at("source"), at("field"));
    let (value_dong, value, sheet, cell) = (at("value_dong"), at("value"), at("sheet"), at("cell"));
    for record in csv.records() {
        let r = record.unwrap();
        let number = if r[value_dong].is_empty() { &r[value] } else { &r[value_dong] };
        read.entry(r[unit].to_string()).or_default().push(Read {
            kind: r[kind].to_string(),
            item: r[item].to_string(),
            source: r[source].to_string(),
            field: r[field].to_string(),
            value: number.parse().unwrap_or(f64::NAN),
            cell: format!("{}!{}", &r[sheet], &r[cell]),
        });
    }
    let log = std::fs::read_to_string(period.join("gnbv.log")).unwrap_or_default();
    let mut alarms: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in log.lines().filter(|l| l.starts_with("[Cảnh báo]") || l.starts_with("[Lỗi")) {
        let file = units.iter().find(|(_, f)| line.contains(&format!("2024-06/{f}"))).map_or("?", |(_, f)| f.as_str());
        alarms.entry(file.to_string()).or_default().push(line.to_string());
    }
    Run { units, summary, read, alarms, stderr }
});

fn dong(million: f64) -> i64 {
    (million * 1_000_000.0).round() as i64
}

/// Every capital row the twin's content gives, computed here: (project,
/// source) → (allocated, month, cumulative) in đồng, with parents, each
/// project's all-source total and the unit's total.
fn expected_money(content: &Content) -> BTreeMap<(String, String), [i64; 3]> {
    let mut map: BTreeMap<(String, String), [i64; 3]> = BTreeMap::new();
    for (project, source, alloc, month, cum) in &content.money {
        let figures = [dong(*alloc), dong(*month), dong(*cum)];
        let mut projects = vec![(*project).to_string(), "TOTAL".to_string()];
        if let Some((parent, _)) = project.split_once('.') {
            projects.push(parent.to_string());
        }
        for p in projects {
            for s in [source_code(source), "TOTAL"] {
                let e = map.entry((p.clone(), s.to_string())).or_default();
                for (acc, v) in e.iter_mut().zip(figures) {
                    *acc += v;
                }
            }
        }
    }
    map
}

/// Whether a target is met (SPEC §5), from target and achieved.
fn status(target: f64, achieved: f64) -> &'static str {
    let ratio = achieved / target;
    if (ratio - 1.0).abs() <= 1e-6 {
        "dat"
    } else if ratio > 1.0 {
        "vuot"
    } else {
        "chua_dat"
    }
}

/// The context figures: no target, no status.
const CONTEXT: &[&str] = &["HO_TONG", "HN_DAU", "LD_TONG", "LD_DT"];

/// The indicator figures written (code, field) → value, as gnbv stores them
/// (rates as fractions, points / 100).
fn expected_reads(content: &Content) -> BTreeMap<(String, String), f64> {
    let mut map = BTreeMap::new();
    for &(code, _, unit, target, month, achieved) in &content.indicators {
        let scale = if unit == "điểm %" { 0.01 } else { 1.0 };
        for (field, v) in [("target", target.map(|t| t * scale)), ("month", month), ("achieved", achieved)] {
            if let Some(v) = v {
                map.insert((code.to_string(), field.to_string()), v);
            }
        }
    }
    map
}

/// Every indicator row of summary.json the content gives, computed here:
/// code → (target, achieved, status).
fn expected_indicators(content: &Content) -> BTreeMap<&'static str, (Option<f64>, Option<f64>, Option<&'static str>)> {
    let rows = &content.indicators;
    let get = |code: &str| rows.iter().find(|r| r.0 == code).unwrap();
    let achieved = |code: &str| get(code).5.unwrap_or(0.0);
    let target_of = |code: &str| {
        let r = get(code);
        r.3.map(|t| if r.2 == "điểm %" { t * 0.01 } else { t })
    };
    let mut map = BTreeMap::new();
    for (code, _, _, target, _, value) in rows {
        if ["GIAM_TL_HN", "TL_LD_DT"].contains(code) {
            continue;
        }
        let status = if CONTEXT.contains(code) { None } else { target.zip(*value).map(|(t, a)| status(t, a)) };
        map.insert(*code, (*target, *value, status));
    }
    let poor_now = achieved("HN_DAU") - achieved("HN_THOAT") + achieved("HN_PS");
    let rate_start = achieved("HN_DAU") / achieved("HO_TONG");
    let rate_now = poor_now / achieved("HO_TONG");
    map.insert("HN_CUOI", (None, Some(poor_now), None));
    map.insert("TL_HN_DAU", (None, Some(rate_start), None));
    map.insert("TL_HN", (None, Some(rate_now), None));
    map.insert("GIAM_HN", (None, Some(achieved("HN_DAU") - poor_now), None));
    let reduction = rate_start - rate_now;
    let t = target_of("GIAM_TL_HN");
    map.insert("GIAM_TL_HN", (t, Some(reduction), t.map(|t| status(t, reduction))));
    let trained = achieved("LD_DT") / achieved("LD_TONG");
    let t = target_of("TL_LD_DT");
    map.insert("TL_LD_DT", (t, Some(trained), t.map(|t| status(t, trained))));
    map
}

fn near(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}

fn show(v: Option<f64>) -> String {
    v.map_or_else(|| "(trống)".to_string(), |v| format!("{v}"))
}

/// Where gnbv read a figure of this unit (item, field), for messages.
fn cells_of(run: &Run, unit: &str, item: &str, field: &str) -> String {
    let cells: Vec<String> = run
        .read
        .get(unit)
        .into_iter()
        .flatten()
        .filter(|r| r.item == item && r.field == field)
        .map(|r| {
            if r.source.is_empty() {
                format!("{} {}", r.value, r.cell)
            } else {
                format!("{} {} {}", r.source, r.value, r.cell)
            }
        })
        .collect();
    if cells.is_empty() { String::new() } else { format!(" [đọc từ {}]", cells.join(", ")) }
}

#[track_caller]
fn assert_none(what: &str, problems: &[String]) {
    assert!(
        problems.is_empty(),
        "{what}: {} problem(s)\n{}\n\ngnbv stderr:\n{}",
        problems.len(),
        problems.join("\n"),
        RUN.stderr
    );
}

#[test]
fn the_corpus_has_forty_new_layouts_and_eight_fixtures_in_xls_and_ods() {
    let corpus = corpus();
    let new = corpus.iter().filter(|(c, _)| *c != "L00_TWIN").count();
    assert!(new >= 40, "{new} layouts");
    assert!(FIXTURES.len() >= 8);
    let mut codes: Vec<&str> = corpus.iter().map(|(c, _)| *c).collect();
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(codes.len(), corpus.len(), "unit codes are unique");
    for code in FIXTURES {
        assert!(codes.contains(code), "fixture {code} is a layout of the corpus");
    }
    for (_, file) in fixture_files() {
        assert!(root().join("tests/fixtures/layouts").join(&file).is_file(), "{file} committed");
    }
    // The generator itself: the twin has every project of the content and its groups.
    assert_eq!(GROUPS.len(), 3);
    assert!(MONEY.iter().all(|(p, ..)| PROJECTS.iter().any(|(c, _, _)| c == p)));
}

#[test]
fn every_layout_is_received_and_accepted() {
    let run = &*RUN;
    let mut problems = Vec::new();
    let units = run.summary["units"].as_array().expect("units");
    for (code, file) in &run.units {
        match units.iter().find(|u| u["unit"] == code.as_str()) {
            None => problems.push(format!("{code}: not in summary.json units")),
            Some(u) if u["received"] != true => problems.push(format!("{code}: {file} not received")),
            Some(u) if u["rejected"] != false => {
                problems.push(format!("{code}: {file} rejected: {:?}", run.alarms.get(file)));
            }
            Some(_) => {}
        }
    }
    assert_none("layouts not received or rejected", &problems);
}

#[test]
fn every_layout_gives_the_money_of_its_clean_twin_to_the_dong() {
    let run = &*RUN;
    let rows = run.summary["capital"].as_array().expect("capital");
    let fields = ["allocated", "disbursed_month", "disbursed_cumulative"];
    let mut problems = Vec::new();
    for (code, _) in &run.units {
        let expected = expected_money(&content(code));
        let mut seen = Vec::new();
        for row in rows.iter().filter(|r| r["unit"] == code.as_str()) {
            let key = (row["project"].as_str().unwrap().to_string(), row["source"].as_str().unwrap().to_string());
            let want = expected.get(&key).copied().unwrap_or_default();
            for (i, field) in fields.iter().enumerate() {
                let got = row[field].as_i64();
                if got != Some(want[i]) {
                    let item = if key.0 == "TOTAL" { String::new() } else { cells_of(run, code, &key.0, field) };
                    problems.push(format!(
                        "{code} {}/{} {field}: gnbv {} đồng, twin {} đồng{item}",
                        key.0,
                        key.1,
                        got.map_or_else(|| "null".to_string(), |v| v.to_string()),
                        want[i]
                    ));
                }
            }
            seen.push(key);
        }
        for key in expected.keys().filter(|k| !seen.contains(k)) {
            problems.push(format!("{code} {}/{}: no capital row (twin {:?})", key.0, key.1, expected[key]));
        }
    }
    assert_none("money differs from the clean twin", &problems);
}

#[test]
fn every_layout_gives_the_indicators_and_statuses_of_its_clean_twin() {
    let run = &*RUN;
    let rows = run.summary["indicators"].as_array().expect("indicators");
    let mut problems = Vec::new();
    for (code, _) in &run.units {
        let expected = expected_indicators(&content(code));
        for (ind, (target, achieved, status)) in &expected {
            let Some(row) = rows.iter().find(|r| r["unit"] == code.as_str() && r["code"] == *ind) else {
                problems.push(format!("{code} {ind}: no indicator row"));
                continue;
            };
            let (got_t, got_a) = (row["target"].as_f64(), row["achieved"].as_f64());
            let same = |g: Option<f64>, w: Option<f64>| match (g, w) {
                (Some(g), Some(w)) => near(g, w),
                (None, None) => true,
                _ => false,
            };
            if !same(got_t, *target) {
                problems.push(format!(
                    "{code} {ind} target: gnbv {}, twin {}{}",
                    show(got_t),
                    show(*target),
                    cells_of(run, code, ind, "target")
                ));
            }
            if !same(got_a, *achieved) {
                problems.push(format!(
                    "{code} {ind} achieved: gnbv {}, twin {}{}",
                    show(got_a),
                    show(*achieved),
                    cells_of(run, code, ind, "achieved")
                ));
            }
            if row["status"].as_str() != *status {
                problems.push(format!("{code} {ind} status: gnbv {}, twin {:?}", row["status"], status));
            }
        }
        // Indicators the content has no figure for stay without target and status.
        for row in rows.iter().filter(|r| r["unit"] == code.as_str()) {
            let ind = row["code"].as_str().unwrap();
            if !expected.contains_key(ind) && (!row["target"].is_null() || !row["status"].is_null()) {
                problems.push(format!("{code} {ind}: twin has no target, gnbv {row}"));
            }
        }
    }
    assert_none("indicators differ from the clean twin", &problems);
}

#[test]
fn every_layout_reads_exactly_the_figures_of_its_clean_twin() {
    // Cell by cell (the tidy data): every indicator figure of the content,
    // month included, and nothing from a ratio, comparison or estimate column.
    let run = &*RUN;
    let mut problems = Vec::new();
    for (code, _) in &run.units {
        let (want, money) = (expected_reads(&content(code)), expected_money(&content(code)));
        let mut got: BTreeMap<(String, String), Vec<&Read>> = BTreeMap::new();
        for r in run.read.get(code).into_iter().flatten() {
            match r.kind.as_str() {
                "chi_tieu" => got.entry((r.item.clone(), r.field.clone())).or_default().push(r),
                "von" => {
                    let field =
                        ["allocated", "disbursed_month", "disbursed_cumulative"].iter().position(|f| *f == r.field);
                    let twin = field.map(|i| money.get(&(r.item.clone(), r.source.clone())).map_or(0, |m| m[i]));
                    if twin.is_none_or(|t| !near(r.value, t as f64)) {
                        problems.push(format!(
                            "{code} {} {} {} = {} đồng read from {}; twin {}",
                            r.item,
                            r.source,
                            r.field,
                            r.value,
                            r.cell,
                            twin.map_or_else(|| "no such figure".to_string(), |t| t.to_string())
                        ));
                    }
                }
                other => problems.push(format!("{code}: figure of unknown kind {other} from {}", r.cell)),
            }
        }
        for (key, value) in &want {
            match got.get(key).map(Vec::as_slice) {
                None | Some([]) => problems.push(format!("{code} {} {}: not read, twin {value}", key.0, key.1)),
                Some([one]) if near(one.value, *value) => {}
                Some(reads) => problems.push(format!(
                    "{code} {} {}: read {}; twin {value}",
                    key.0,
                    key.1,
                    reads.iter().map(|r| format!("{} from {}", r.value, r.cell)).collect::<Vec<_>>().join(", ")
                )),
            }
        }
        for (key, reads) in got.iter().filter(|(k, _)| !want.contains_key(*k)) {
            // A figure the content has none of: only a zero is harmless.
            for r in reads.iter().filter(|r| r.value != 0.0) {
                problems.push(format!("{code} {} {}: read {} from {}; twin has none", key.0, key.1, r.value, r.cell));
            }
        }
    }
    assert_none("figures read differ from the clean twin's", &problems);
}

#[test]
fn no_layout_gets_a_warning_or_error_its_clean_twin_does_not_get() {
    let run = &*RUN;
    let rule_of =
        |line: &str| line.rsplit_once('(').map_or(String::new(), |(_, r)| r.trim_end_matches(')').to_string());
    let twin: Vec<String> = run.alarms.get("L00_TWIN.xlsx").into_iter().flatten().map(|l| rule_of(l)).collect();
    let mut problems = Vec::new();
    for (file, lines) in &run.alarms {
        for line in lines.iter().filter(|l| !twin.contains(&rule_of(l))) {
            problems.push(format!("{file}: {line}"));
        }
    }
    let totals = &run.summary["findings"];
    if problems.is_empty() && (totals["warning"] != 0 || totals["error"] != 0) {
        problems.push(format!("summary.json counts {totals}, but the log names none"));
    }
    assert!(twin.is_empty(), "the clean twin itself gets findings: {:?}", run.alarms.get("L00_TWIN.xlsx"));
    assert_none("false alarms", &problems);
}

/// Writes the layouts of [`FIXTURES`] and has `LibreOffice` convert them to
/// `.xls` and `.ods` in tests/fixtures/layouts/. Run by hand:
/// `cargo test --test integration -- --ignored make_layout_fixtures`.
#[test]
#[ignore = "regenerates committed fixtures with LibreOffice"]
fn make_layout_fixtures() {
    let out = root().join("tests/fixtures/layouts");
    std::fs::create_dir_all(&out).unwrap();
    let scratch = tempfile::tempdir().unwrap();
    let corpus = corpus();
    for code in FIXTURES {
        let layout = &corpus.iter().find(|(c, _)| c == code).unwrap().1;
        for (tag, ext) in [("XLS", "xls"), ("ODS", "ods")] {
            let unit = format!("{code}_{tag}");
            let xlsx = scratch.path().join(format!("{unit}.xlsx"));
            layout.write(&unit, &content(&unit), &xlsx);
            crate::common::soffice_convert(&xlsx, ext, &out);
        }
    }
}

/// Writes every layout of the corpus as `.xlsx` into the folder
/// `GNBV_LAYOUTS_OUT` names, to open them by hand:
/// `GNBV_LAYOUTS_OUT=/tmp/layouts cargo test --test integration -- --ignored write_layouts`.
#[test]
#[ignore = "writes the corpus into a folder for a person to look at"]
fn write_layouts() {
    let out = std::path::PathBuf::from(std::env::var("GNBV_LAYOUTS_OUT").expect("GNBV_LAYOUTS_OUT names a folder"));
    std::fs::create_dir_all(&out).unwrap();
    for (code, layout) in corpus() {
        layout.write(code, &content(code), &out.join(format!("{code}.{}", layout.ext)));
    }
}
