//! The demo city: Lai Châu city's 2024 program (seeds 001 and 000).
//!
//! Allocations are the seed's (1,728 million VND of central budget: DA2 530
//! to Sùng Phài commune; DA3.2 342 to the city office and the health centre,
//! split 100/242 here; DA4.1 685, DA4.3 81, DA6.2 17, DA7.1 51, DA7.2 22 to
//! the labour office). Everything else — the 53 million of local counterpart
//! funds for DA2, disbursements, households, labour and results, dates and
//! notes — is illustrative, made up for the demo.

#![allow(dead_code)]

/// (project, source, allocated, disbursed in May, cumulative to end of May,
/// disbursed in June), in million VND.
pub type Money = (&'static str, &'static str, f64, f64, f64, f64);

/// (indicator, target, achieved to end of May, achieved to end of June).
pub type Indicator = (&'static str, Option<f64>, f64, f64);

/// One unit of the demo.
pub struct UnitDemo {
    /// Code in config/units.csv.
    pub code: &'static str,
    /// `Ngày báo cáo` of the May and June workbooks.
    pub submitted: (&'static str, &'static str),
    /// Money rows.
    pub money: &'static [Money],
    /// Indicator rows.
    pub indicators: &'static [Indicator],
    /// (recommendation?, text) in June.
    pub notes: &'static [(bool, &'static str)],
}

/// Ward/commune poverty figures: all households, poor at 1 January, left
/// poverty (May, June), newly poor (June), fell back (June), near-poor at
/// 1 January, near-poor left (June), labour force, trained, certified,
/// target reduction of the poverty rate (points).
const fn ward(
    code: &'static str,
    submitted: (&'static str, &'static str),
    indicators: &'static [Indicator],
) -> UnitDemo {
    UnitDemo { code, submitted, money: &[], indicators, notes: &[] }
}

pub const UNITS: &[UnitDemo] = &[
    ward(
        "TANPHONG",
        ("14/05/2024", "14/06/2024"),
        &[
            ("HO_TONG", None, 2850.0, 2850.0),
            ("HN_DAU", None, 12.0, 12.0),
            ("HN_THOAT", Some(6.0), 2.0, 4.0),
            ("HN_PS", None, 0.0, 1.0),
            ("HN_TAI", None, 0.0, 0.0),
            ("GIAM_TL_HN", Some(0.2), 0.0, 0.0),
            ("HCN_DAU", None, 35.0, 35.0),
            ("HCN_THOAT", Some(8.0), 3.0, 6.0),
            ("HCN_PS", None, 1.0, 2.0),
            ("LD_TONG", None, 5200.0, 5200.0),
            ("LD_DT", None, 3900.0, 3925.0),
            ("LD_CC", None, 2600.0, 2610.0),
            ("TL_LD_DT", Some(0.76), 0.0, 0.0),
        ],
    ),
    ward(
        "DOANKET",
        ("15/05/2024", "17/06/2024"),
        &[
            ("HO_TONG", None, 2100.0, 2100.0),
            ("HN_DAU", None, 9.0, 9.0),
            ("HN_THOAT", Some(4.0), 1.0, 3.0),
            ("HN_PS", None, 0.0, 0.0),
            ("HN_TAI", None, 0.0, 0.0),
            ("GIAM_TL_HN", Some(0.19), 0.0, 0.0),
            ("HCN_DAU", None, 28.0, 28.0),
            ("HCN_THOAT", Some(6.0), 2.0, 4.0),
            ("HCN_PS", None, 0.0, 1.0),
            ("LD_TONG", None, 3900.0, 3900.0),
            ("LD_DT", None, 2850.0, 2860.0),
            ("LD_CC", None, 1900.0, 1905.0),
        ],
    ),
    ward(
        "QUYETTHANG",
        ("16/05/2024", "18/06/2024"),
        &[
            ("HO_TONG", None, 2400.0, 2400.0),
            ("HN_DAU", None, 15.0, 15.0),
            ("HN_THOAT", Some(6.0), 2.0, 5.0),
            ("HN_PS", None, 0.0, 1.0),
            ("HN_TAI", None, 0.0, 0.0),
            ("GIAM_TL_HN", Some(0.25), 0.0, 0.0),
            ("HCN_DAU", None, 40.0, 40.0),
            ("HCN_THOAT", Some(10.0), 4.0, 7.0),
            ("HCN_PS", None, 1.0, 2.0),
            ("LD_TONG", None, 4400.0, 4400.0),
            ("LD_DT", None, 3100.0, 3120.0),
            ("LD_CC", None, 2050.0, 2060.0),
        ],
    ),
    ward(
        "QUYETTIEN",
        ("17/05/2024", "19/06/2024"),
        &[
            ("HO_TONG", None, 1950.0, 1950.0),
            ("HN_DAU", None, 11.0, 11.0),
            ("HN_THOAT", Some(5.0), 1.0, 2.0),
            ("HN_PS", None, 0.0, 0.0),
            ("HN_TAI", None, 0.0, 0.0),
            ("GIAM_TL_HN", Some(0.26), 0.0, 0.0),
            ("HCN_DAU", None, 30.0, 30.0),
            ("HCN_THOAT", Some(7.0), 2.0, 3.0),
            ("HCN_PS", None, 0.0, 0.0),
            ("LD_TONG", None, 3600.0, 3600.0),
            ("LD_DT", None, 2500.0, 2510.0),
            ("LD_CC", None, 1650.0, 1655.0),
        ],
    ),
    ward(
        "DONGPHONG",
        ("20/05/2024", "22/06/2024"),
        &[
            ("HO_TONG", None, 1700.0, 1700.0),
            ("HN_DAU", None, 20.0, 20.0),
            ("HN_THOAT", Some(8.0), 3.0, 6.0),
            ("HN_PS", None, 1.0, 1.0),
            ("HN_TAI", None, 0.0, 0.0),
            ("GIAM_TL_HN", Some(0.47), 0.0, 0.0),
            ("HCN_DAU", None, 45.0, 45.0),
            ("HCN_THOAT", Some(10.0), 3.0, 5.0),
            ("HCN_PS", None, 1.0, 3.0),
            ("LD_TONG", None, 3100.0, 3100.0),
            ("LD_DT", None, 2050.0, 2070.0),
            ("LD_CC", None, 1300.0, 1310.0),
        ],
    ),
    ward(
        "SANTHANG",
        ("15/05/2024", "18/06/2024"),
        &[
            ("HO_TONG", None, 950.0, 950.0),
            ("HN_DAU", None, 85.0, 85.0),
            ("HN_THOAT", Some(20.0), 6.0, 14.0),
            ("HN_PS", None, 1.0, 2.0),
            ("HN_TAI", None, 0.0, 1.0),
            ("GIAM_TL_HN", Some(2.1), 0.0, 0.0),
            ("HCN_DAU", None, 60.0, 60.0),
            ("HCN_THOAT", Some(12.0), 4.0, 9.0),
            ("HCN_PS", None, 2.0, 4.0),
            ("LD_TONG", None, 1750.0, 1750.0),
            ("LD_DT", None, 820.0, 845.0),
            ("LD_CC", None, 450.0, 462.0),
        ],
    ),
    UnitDemo {
        code: "SUNGPHAI",
        submitted: ("16/05/2024", "19/06/2024"),
        money: &[("DA2", "NSTW", 530.0, 70.0, 120.0, 95.0), ("DA2", "NSĐP", 53.0, 0.0, 0.0, 20.0)],
        indicators: &[
            ("HO_TONG", None, 1150.0, 1150.0),
            ("HN_DAU", None, 160.0, 160.0),
            ("HN_THOAT", Some(40.0), 10.0, 25.0),
            ("HN_PS", None, 1.0, 3.0),
            ("HN_TAI", None, 0.0, 1.0),
            ("GIAM_TL_HN", Some(3.5), 0.0, 0.0),
            ("HCN_DAU", None, 90.0, 90.0),
            ("HCN_THOAT", Some(15.0), 5.0, 10.0),
            ("HCN_PS", None, 3.0, 6.0),
            ("LD_TONG", None, 2100.0, 2100.0),
            ("LD_DT", None, 880.0, 910.0),
            ("LD_CC", None, 420.0, 440.0),
            ("MH_GN", Some(2.0), 1.0, 1.0),
            ("HO_HTSX", Some(40.0), 12.0, 25.0),
        ],
        notes: &[
            (false, "Giá giống vật nuôi tăng so với dự toán, một số hộ chưa chuẩn bị được chuồng trại."),
            (true, "Đề nghị UBND thành phố sớm bố trí vốn đối ứng ngân sách địa phương cho Dự án 2."),
        ],
    },
    UnitDemo {
        code: "VP_UBND",
        submitted: ("15/05/2024", "17/06/2024"),
        money: &[("DA3.2", "NSTW", 100.0, 10.0, 20.0, 15.0)],
        indicators: &[("TE_DD", Some(40.0), 10.0, 22.0)],
        notes: &[],
    },
    UnitDemo {
        code: "TTYT",
        submitted: ("17/05/2024", "18/06/2024"),
        money: &[("DA3.2", "NSTW", 242.0, 30.5, 60.5, 40.0)],
        indicators: &[("TE_DD", Some(131.0), 62.0, 131.0), ("CB_TH", Some(30.0), 12.0, 20.0)],
        notes: &[(
            true,
            "Đề nghị cấp bổ sung cân, thước đo chiều cao cho các trạm y tế xã để đánh giá tình trạng dinh dưỡng trẻ em.",
        )],
    },
    UnitDemo {
        code: "P_LDTBXH",
        submitted: ("20/05/2024", "20/06/2024"),
        money: &[
            ("DA4.1", "NSTW", 685.0, 90.0, 200.0, 110.0),
            ("DA4.3", "NSTW", 81.0, 10.0, 30.0, 12.0),
            ("DA6.2", "NSTW", 17.0, 2.0, 5.0, 4.0),
            ("DA7.1", "NSTW", 51.0, 4.0, 12.0, 8.0),
            ("DA7.2", "NSTW", 22.0, 0.0, 0.0, 6.0),
        ],
        indicators: &[
            ("DT_NGHE", Some(120.0), 30.0, 65.0),
            ("VL_KN", Some(300.0), 95.0, 140.0),
            ("VL_NN", Some(5.0), 1.0, 2.0),
            ("CB_TH", Some(60.0), 25.0, 45.0),
        ],
        notes: &[(
            false,
            "Thu thập thông tin người lao động (6.000 phiếu) chậm do thiếu cộng tác viên ở các tổ dân phố.",
        )],
    },
];

/// Indicators that are stocks (the same value in May and June, no month value).
pub const STOCKS: &[&str] = &["HO_TONG", "HN_DAU", "HCN_DAU", "LD_TONG", "LD_DT", "LD_CC"];

/// Indicators whose only value is a target (derived ones).
pub const TARGET_ONLY: &[&str] =
    &["GIAM_TL_HN", "TL_LD_DT", "TL_HN", "GIAM_HN", "TL_HCN", "GIAM_TL_HCN", "GIAM_HCN", "TL_LD_CC"];

/// Fills a unit's template with its May (`june = false`) or June figures.
pub fn fill(template: &std::path::Path, unit: &UnitDemo, june: bool) -> super::fill::Filler {
    use super::fill::{Field, Filler, Group};
    let mut f = Filler::open(template);
    f.set_period(if june { "06/2024" } else { "05/2024" });
    f.set_submitted(if june { unit.submitted.1 } else { unit.submitted.0 });
    for &(project, source, allocated, may_month, may_cum, june_month) in unit.money {
        f.money(project, Group::Allocated, source, allocated);
        if june {
            f.money(project, Group::Month, source, june_month);
            f.money(project, Group::Cumulative, source, may_cum + june_month);
        } else {
            f.money(project, Group::Month, source, may_month);
            f.money(project, Group::Cumulative, source, may_cum);
        }
    }
    for &(code, target, may, june_value) in unit.indicators {
        if let Some(t) = target {
            f.indicator(code, Field::Target, t);
        }
        if TARGET_ONLY.contains(&code) {
            continue;
        }
        let value = if june { june_value } else { may };
        f.indicator(code, Field::Achieved, value);
        if !STOCKS.contains(&code) {
            let month = if june { june_value - may } else { may };
            f.indicator(code, Field::Month, month);
        }
    }
    if june {
        for &(recommendation, text) in unit.notes {
            f.note(recommendation, text);
        }
    }
    f
}
