//! Vietnamese text as it arrives from office files, made comparable.
//!
//! Clerks type labels in NFC or NFD, with non-breaking or doubled spaces, in
//! capitals or not, with or without accents. [`clean`] gives the text to show
//! (NFC, single spaces); [`fold`] gives the key to compare (no accents, `đ` as
//! `d`, lower case, punctuation as spaces).

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::{IsNormalized, UnicodeNormalization};

/// Text to show: NFC, every kind of space or line break as one space, trimmed.
///
/// # Examples
///
/// ```
/// assert_eq!(gnbv::text::clean("  Dự\u{a0}án   2 \n"), "Dự án 2");
/// ```
pub fn clean(text: &str) -> String {
    // ASCII and text already in NFC need no normalisation: the same loop over
    // the characters as they are gives the same result, several times faster.
    if text.is_ascii() || unicode_normalization::is_nfc_quick(text.chars()) == IsNormalized::Yes {
        clean_chars(text.chars(), text.len())
    } else {
        clean_chars(text.nfc(), text.len())
    }
}

fn clean_chars(chars: impl Iterator<Item = char>, len: usize) -> String {
    let mut out = String::with_capacity(len);
    let mut pending_space = false;
    for ch in chars {
        if ch.is_whitespace() || is_invisible(ch) {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(ch);
    }
    out
}

/// The comparison key of a label: accents removed, `đ` as `d`, lower case,
/// every run of non-alphanumeric characters as one space, trimmed.
///
/// # Examples
///
/// ```
/// use gnbv::text::fold;
/// assert_eq!(fold("Tiểu dự án 2: Cải thiện dinh dưỡng"), "tieu du an 2 cai thien dinh duong");
/// assert_eq!(fold("NSĐP"), "nsdp");
/// // NFD input folds the same as NFC.
/// assert_eq!(fold("Vo\u{302}\u{301}n"), "von");
/// ```
pub fn fold(text: &str) -> String {
    if text.is_ascii() {
        return fold_ascii(text);
    }
    // Labels and project names are folded again and again (every row of
    // every workbook): remember the last few thousand, per thread.
    if text.len() <= FOLD_CACHE_MAX_LEN {
        return FOLD_CACHE.with(|cache| {
            let mut cache = cache.borrow_mut();
            if let Some(hit) = cache.get(text) {
                return String::from(&**hit);
            }
            let folded = fold_unicode(text);
            if cache.len() >= FOLD_CACHE_ENTRIES {
                cache.clear();
            }
            cache.insert(text.into(), folded.as_str().into());
            folded
        });
    }
    fold_unicode(text)
}

const FOLD_CACHE_ENTRIES: usize = 4_096;
const FOLD_CACHE_MAX_LEN: usize = 160;

thread_local! {
    static FOLD_CACHE: std::cell::RefCell<std::collections::HashMap<Box<str>, Box<str>>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}

fn fold_unicode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for ch in text.nfd() {
        if is_combining_mark(ch) {
            continue;
        }
        let ch = match ch {
            'đ' | 'Đ' => 'd',
            _ => ch,
        };
        if ch.is_alphanumeric() || ch == '%' {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            for lower in ch.to_lowercase() {
                out.push(lower);
            }
        } else {
            pending_space = !out.is_empty();
        }
    }
    out
}

/// [`fold`] of ASCII text: NFD changes nothing, there are no combining marks
/// and no `đ`, so only case and separators remain.
fn fold_ascii(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b == b'%' {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push(char::from(b.to_ascii_lowercase()));
        } else {
            pending_space = !out.is_empty();
        }
    }
    out
}

/// The comparison key of a code: [`fold`] without any spaces, upper case
/// (`"da 3.2"` and `"DA3.2"` give `"DA32"`; dots are kept apart from digits by
/// the caller when they matter).
pub fn fold_code(text: &str) -> String {
    fold(text).chars().filter(|c| !c.is_whitespace()).flat_map(char::to_uppercase).collect()
}

/// True when `haystack` (folded) holds `needle` (folded) as whole words.
///
/// # Examples
///
/// ```
/// use gnbv::text::has_words;
/// assert!(has_words("ke hoach von nam 2024", "ke hoach von"));
/// assert!(!has_words("mat von", "von nam"));
/// assert!(!has_words("chuyen nguon", "nguo"));
/// ```
pub fn has_words(haystack: &str, needle: &str) -> bool {
    if needle.is_empty() {
        return false;
    }
    // A whole-word match starts at the beginning or right after a space, so
    // only those positions are tried (no substring searcher to build: this is
    // called for every header cell against every label word).
    let (hay, pin) = (haystack.as_bytes(), needle.as_bytes());
    let mut at = 0;
    loop {
        if hay.len() - at < pin.len() {
            return false;
        }
        let end = at + pin.len();
        if &hay[at..end] == pin && (end == hay.len() || hay[end] == b' ') {
            return true;
        }
        match hay[at..].iter().position(|&b| b == b' ') {
            Some(space) => at += space + 1,
            None => return false,
        }
    }
}

/// A number written the Vietnamese way, for text (`1.728,5`): `decimals`
/// fixed decimals, or up to six with trailing zeros dropped when `None`.
///
/// # Examples
///
/// ```
/// use gnbv::text::vn_number;
/// assert_eq!(vn_number(1728.5, None), "1.728,5");
/// assert_eq!(vn_number(12.826, Some(2)), "12,83");
/// assert_eq!(vn_number(-1234.0, Some(0)), "-1.234");
/// ```
pub fn vn_number(value: f64, decimals: Option<usize>) -> String {
    let text = format!("{value:.prec$}", prec = decimals.unwrap_or(6));
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let frac = if decimals.is_none() { frac.trim_end_matches('0') } else { frac };
    let (sign, digits) = int.strip_prefix('-').map_or(("", int), |d| ("-", d));
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push('.');
        }
        grouped.push(ch);
    }
    if frac.is_empty() { format!("{sign}{grouped}") } else { format!("{sign}{grouped},{frac}") }
}

/// Zero-width and other invisible characters that office files carry.
fn is_invisible(ch: char) -> bool {
    matches!(ch, '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}')
}

/// Makes text safe to write into a spreadsheet or CSV cell that a person will
/// open: a leading `=`, `+`, `-`, `@`, tab or carriage return would make the
/// cell a formula in some applications, so it gets a leading apostrophe.
///
/// Numbers written as numbers never pass through here; only free text does.
pub fn defuse_formula(text: &str) -> std::borrow::Cow<'_, str> {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => std::borrow::Cow::Owned(format!("'{text}")),
        _ => std::borrow::Cow::Borrowed(text),
    }
}

/// The longest text Excel keeps in one cell (characters); `rust_xlsxwriter`
/// refuses longer strings, so one hostile note must not stop the report.
pub const MAX_CELL_CHARS: usize = 32_767;

/// Free text ready for a spreadsheet cell: [`defuse_formula`], then cut to
/// [`MAX_CELL_CHARS`] (ending with `…` when cut).
///
/// # Examples
///
/// ```
/// use gnbv::text::{cell_text, MAX_CELL_CHARS};
/// assert_eq!(cell_text("=1+1"), "'=1+1");
/// assert_eq!(cell_text(&"a".repeat(40_000)).chars().count(), MAX_CELL_CHARS);
/// ```
pub fn cell_text(text: &str) -> std::borrow::Cow<'_, str> {
    let text = defuse_formula(text);
    match text.char_indices().nth(MAX_CELL_CHARS - 1) {
        Some((cut, _)) if text[cut..].chars().nth(1).is_some() => std::borrow::Cow::Owned(format!("{}…", &text[..cut])),
        _ => text,
    }
}

/// A file-name-safe form of a code: ASCII letters, digits, `-` and `_` only,
/// at most 64 characters, never empty and never `.` or `..`.
///
/// # Examples
///
/// ```
/// assert_eq!(gnbv::text::safe_file_stem("../../x"), "x");
/// assert_eq!(gnbv::text::safe_file_stem("Sùng Phài"), "Sung_Phai");
/// ```
pub fn safe_file_stem(code: &str) -> String {
    let mut out = String::new();
    for ch in code.nfd() {
        if is_combining_mark(ch) {
            continue;
        }
        let ch = match ch {
            'đ' => 'd',
            'Đ' => 'D',
            _ => ch,
        };
        if ch.is_ascii_alphanumeric() || ch == '-' || ch == '_' {
            out.push(ch);
        } else if ch.is_whitespace() && !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    let trimmed: String = out.trim_matches(['_', '-']).chars().take(64).collect();
    if trimmed.is_empty() { "khong_ma".to_string() } else { trimmed }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_normalises_spaces_and_forms() {
        assert_eq!(clean("Ma\u{0303}  đơn\u{00A0}vị\t"), "Mã đơn vị");
        assert_eq!(clean("\u{FEFF}Vốn"), "Vốn");
        assert_eq!(clean(""), "");
    }

    #[test]
    fn fold_removes_accents_case_and_punctuation() {
        assert_eq!(fold("Lũy kế giải ngân từ đầu năm"), "luy ke giai ngan tu dau nam");
        assert_eq!(fold("LŨY KẾ"), "luy ke");
        assert_eq!(fold("Biểu 01 - Vốn"), "bieu 01 von");
        assert_eq!(fold("12,83%"), "12 83%");
        assert_eq!(fold("  "), "");
    }

    #[test]
    fn fold_code_ignores_spacing_and_case() {
        assert_eq!(fold_code("da 3.2"), "DA32");
        assert_eq!(fold_code("KEO_DAI"), "KEODAI");
    }

    #[test]
    fn defuse_formula_guards_leading_operators() {
        assert_eq!(defuse_formula("=cmd|' /C calc'!A0"), "'=cmd|' /C calc'!A0");
        assert_eq!(defuse_formula("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(defuse_formula("Phường Tân Phong"), "Phường Tân Phong");
    }

    #[test]
    fn safe_file_stem_never_escapes() {
        assert_eq!(safe_file_stem(".."), "khong_ma");
        assert_eq!(safe_file_stem("a/b\\c"), "abc");
        assert_eq!(safe_file_stem("TAN_PHONG"), "TAN_PHONG");
    }
}
