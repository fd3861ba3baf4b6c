//! The optional notes sheet ("Kiến nghị"): difficulties and recommendations
//! as free text, kept with their cells for the report.

use super::{Note, UnitReport};
use crate::domain::CellRef;
use crate::text::has_words;

const DIFFICULTIES: &str = "Khó khăn, vướng mắc";
const RECOMMENDATIONS: &str = "Kiến nghị, đề xuất";

/// Reads every line of text below the title, grouped under the last heading
/// that names difficulties or recommendations.
pub(crate) fn read(grid: &super::grid::Grid, report: &mut UnitReport) {
    report.notes_sheet = Some(grid.name.clone());
    let mut topic = RECOMMENDATIONS;
    for row in grid.first_row()..grid.end_row() {
        let cells: Vec<(u32, String)> = grid.row_cells(row).map(|(c, v)| (c, v.display())).collect();
        let Some((first_col, _)) = cells.first() else { continue };
        let folded = grid.folded(row, *first_col);
        // Identity and title lines are not notes.
        if folded.starts_with("ma don vi")
            || folded.starts_with("ky bao cao")
            || folded.starts_with("ten don vi")
            || folded.starts_with("ngay bao cao")
        {
            continue;
        }
        let heading_difficulty = has_words(folded, "kho khan") || has_words(folded, "vuong mac");
        let heading_recommendation = has_words(folded, "kien nghi") || has_words(folded, "de xuat");
        let text: Vec<&str> = cells.iter().map(|(_, t)| t.as_str()).filter(|t| !t.is_empty()).collect();
        let joined = text.join(" ");
        let is_heading = (heading_difficulty || heading_recommendation) && joined.trim_end_matches(':').len() <= 60;
        if heading_difficulty {
            topic = DIFFICULTIES;
        } else if heading_recommendation {
            topic = RECOMMENDATIONS;
        }
        if is_heading {
            // "Khó khăn: thiếu vốn đối ứng" carries text after the colon.
            if let Some((_, after)) = joined.split_once(':')
                && !after.trim().is_empty()
            {
                report.notes.push(Note {
                    topic: topic.into(),
                    text: after.trim().to_string(),
                    cell: CellRef::new(row, *first_col),
                });
            }
            continue;
        }
        if joined.chars().count() >= 2 {
            report.notes.push(Note { topic: topic.into(), text: joined, cell: CellRef::new(row, *first_col) });
        }
    }
}
