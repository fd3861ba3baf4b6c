//! Merged regions of an xlsx sheet, found without parsing the sheet twice.
//!
//! calamine gives a sheet's merged regions by parsing the whole sheet's XML
//! a second time (they are written after the cells). Here the sheet is only
//! inflated and the `<mergeCells>` element found by a byte search. Only the
//! plain form that spreadsheet programs write is read this way; anything
//! else (an unusual layout, a prefix, a reference that does not parse) returns
//! `None` and the caller asks calamine, so the result is always the same as
//! calamine's.

use std::collections::HashMap;
use std::io::Read;

use calamine::Dimensions;
use memchr::memmem;

use super::guard::Archive;

/// Where each sheet's XML is in the zip, by sheet name, with the zip's
/// directory the file was opened with.
#[derive(Debug)]
pub(crate) struct SheetPaths {
    paths: HashMap<String, String>,
    archive: Archive,
}

impl SheetPaths {
    /// Reads `xl/workbook.xml` and its relationships (the standard layout
    /// only; `None` otherwise).
    pub(crate) fn read(mut archive: Archive) -> Option<Self> {
        let workbook = entry(&mut archive, "xl/workbook.xml")?;
        let rels = entry(&mut archive, "xl/_rels/workbook.xml.rels")?;
        let mut targets = HashMap::new();
        for attrs in elements(&rels, b"Relationship") {
            let attrs = attrs?;
            let id = value(&attrs, "Id")?;
            if let Some(target) = value(&attrs, "Target") {
                targets.insert(id, target);
            }
        }
        let mut paths = HashMap::new();
        for attrs in elements(&workbook, b"sheet") {
            let attrs = attrs?;
            let name = value(&attrs, "name")?;
            // The relationship id is `r:id` (any prefix), not `sheetId`.
            let id = attrs.iter().find(|(k, _)| k.split_once(':').is_some_and(|(_, local)| local == "id"))?;
            let target = targets.get(&id.1)?;
            let path = match target.strip_prefix('/') {
                Some(absolute) => absolute.to_string(),
                None => format!("xl/{target}"),
            };
            paths.insert(name, path);
        }
        Some(Self { paths, archive })
    }

    /// The merged regions of the sheet named `name`, or `None` when the
    /// caller should ask calamine.
    pub(crate) fn merges(&mut self, name: &str) -> Option<Vec<Dimensions>> {
        let path = self.paths.get(name)?;
        let xml = entry(&mut self.archive, path)?;
        scan(&xml)
    }
}

/// A zip entry's bytes.
fn entry(archive: &mut Archive, name: &str) -> Option<Vec<u8>> {
    let mut file = archive.by_name(name).ok()?;
    let mut out = Vec::with_capacity(usize::try_from(file.size()).unwrap_or(0).min(64 << 20));
    file.read_to_end(&mut out).ok()?;
    Some(out)
}

/// The merged regions in a sheet's XML; `None` for anything but the plain form.
fn scan(xml: &[u8]) -> Option<Vec<Dimensions>> {
    let hits: Vec<usize> = memmem::find_iter(xml, b"mergeCell").collect();
    if hits.is_empty() {
        return Some(Vec::new());
    }
    // `<mergeCells ...>`, then `<mergeCell ref="A1:B2"/>`…, then `</mergeCells>`.
    let (first, last) = (hits[0], hits[hits.len() - 1]);
    if !xml[..first].ends_with(b"<") || !xml[..last].ends_with(b"</") || !xml[first..].starts_with(b"mergeCells") {
        return None;
    }
    if !xml[last..].starts_with(b"mergeCells>") {
        return None;
    }
    let mut merges = Vec::with_capacity(hits.len().saturating_sub(2));
    for &at in &hits[1..hits.len() - 1] {
        if !xml[..at].ends_with(b"<") || !matches!(xml.get(at + 9), Some(b' ' | b'\t' | b'\r' | b'\n')) {
            return None;
        }
        let end = at + memchr::memchr(b'>', &xml[at..])?;
        let tag = std::str::from_utf8(&xml[at + 9..end]).ok()?;
        let tag = tag.strip_suffix('/').unwrap_or(tag);
        let attrs = attributes(tag)?;
        let reference = value(&attrs, "ref")?;
        merges.push(dimension(&reference)?);
    }
    Some(merges)
}

/// The attributes of every `<name ...>` element (no prefix), each `None`
/// when it cannot be read plainly.
fn elements<'a>(xml: &'a [u8], name: &'a [u8]) -> impl Iterator<Item = Option<Vec<(String, String)>>> + 'a {
    let skip = name.len();
    memmem::find_iter(xml, name)
        .filter(move |&at| at > 0 && xml[at - 1] == b'<')
        .map(move |at| at + skip)
        .filter(move |&after| matches!(xml.get(after), Some(b' ' | b'\t' | b'\r' | b'\n' | b'/' | b'>')))
        .map(move |after| {
            let end = after + memchr::memchr(b'>', &xml[after..])?;
            let tag = std::str::from_utf8(&xml[after..end]).ok()?;
            attributes(tag.strip_suffix('/').unwrap_or(tag))
        })
}

/// `key="value"` pairs (single or double quotes), values unescaped.
fn attributes(tag: &str) -> Option<Vec<(String, String)>> {
    let mut out = Vec::new();
    let mut rest = tag.trim_start();
    while !rest.is_empty() {
        let eq = rest.find('=')?;
        let key = rest[..eq].trim();
        let after = rest[eq + 1..].trim_start();
        let quote = after.chars().next().filter(|c| *c == '"' || *c == '\'')?;
        let close = after[1..].find(quote)? + 1;
        out.push((key.to_string(), unescape(&after[1..close])?));
        rest = after[close + 1..].trim_start();
    }
    Some(out)
}

fn value(attrs: &[(String, String)], key: &str) -> Option<String> {
    attrs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
}

/// XML entities in an attribute value.
fn unescape(text: &str) -> Option<String> {
    if !text.contains('&') {
        return Some(text.to_string());
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let semi = rest[amp..].find(';')? + amp;
        let entity = &rest[amp + 1..semi];
        let ch = match entity {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            _ => {
                let code = if let Some(hex) = entity.strip_prefix("#x").or_else(|| entity.strip_prefix("#X")) {
                    u32::from_str_radix(hex, 16).ok()?
                } else {
                    entity.strip_prefix('#')?.parse().ok()?
                };
                char::from_u32(code)?
            }
        };
        out.push(ch);
        rest = &rest[semi + 1..];
    }
    out.push_str(rest);
    Some(out)
}

/// `A1:B2` or `A1`, zero-based, as calamine reads it.
fn dimension(reference: &str) -> Option<Dimensions> {
    let mut parts = reference.split(':');
    let start = cell(parts.next()?)?;
    let end = match parts.next() {
        Some(p) => cell(p)?,
        None => start,
    };
    if parts.next().is_some() {
        return None;
    }
    Some(Dimensions { start, end })
}

fn cell(a1: &str) -> Option<(u32, u32)> {
    let bytes = a1.as_bytes();
    let letters = bytes.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    let digits = &bytes[letters..];
    if letters == 0 || letters > 3 || digits.is_empty() || digits.len() > 7 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let col = bytes[..letters].iter().fold(0u32, |acc, b| acc * 26 + u32::from(b.to_ascii_uppercase() - b'A') + 1);
    let row = digits.iter().fold(0u32, |acc, b| acc * 10 + u32::from(b - b'0'));
    Some((row.checked_sub(1)?, col - 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_merge_cells_are_read() {
        let xml = br#"<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData><mergeCells count="2"><mergeCell ref="A1:F1"/><mergeCell ref="b9:B10"/></mergeCells><pageMargins/></worksheet>"#;
        let m = scan(xml).unwrap();
        assert_eq!(m.len(), 2);
        assert_eq!((m[0].start, m[0].end), ((0, 0), (0, 5)));
        assert_eq!((m[1].start, m[1].end), ((8, 1), (9, 1)));
        assert_eq!(scan(b"<worksheet><sheetData/></worksheet>").unwrap().len(), 0);
    }

    #[test]
    fn anything_unusual_is_left_to_calamine() {
        assert!(scan(br#"<x:mergeCells><x:mergeCell ref="A1:B1"/></x:mergeCells>"#).is_none());
        assert!(scan(br#"<mergeCells><mergeCell ref="A0:B1"/></mergeCells>"#).is_none());
        assert!(scan(br#"<mergeCells><mergeCell ref="1A:B1"/></mergeCells>"#).is_none());
        assert!(scan(b"<c><is><t>mergeCell</t></is></c>").is_none());
    }

    #[test]
    fn attributes_are_unescaped() {
        let a = attributes(r#"name="A &amp; B&#x20;C" r:id='rId1'"#).unwrap();
        assert_eq!(a[0], ("name".to_string(), "A & B C".to_string()));
        assert_eq!(a[1], ("r:id".to_string(), "rId1".to_string()));
    }
}
