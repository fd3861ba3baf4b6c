//! Hostile workbooks made by hand, byte by byte, so the tests control what a
//! library writer would refuse to write: sizes that lie, deflate streams that
//! inflate a thousand-fold, repeat counts in the millions, BIFF records that
//! declare four billion rows. Everything here is fast to make (no real
//! compression of large data).

use std::io::{Cursor, Write};

/// CRC-32 (IEEE), bit by bit: only for small parts.
pub fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

/// One entry of a hand-made zip.
pub struct Entry {
    pub name: String,
    /// 0 stored, 8 deflated.
    pub method: u16,
    pub crc: u32,
    /// The bytes as stored in the archive.
    pub data: Vec<u8>,
    /// The uncompressed size the archive declares (true or not).
    pub size: u32,
}

/// A stored (uncompressed) entry with its true size and CRC.
pub fn stored(name: &str, bytes: &[u8]) -> Entry {
    Entry { name: name.into(), method: 0, crc: crc32(bytes), data: bytes.to_vec(), size: bytes.len() as u32 }
}

/// A zip archive of the entries, in order, with a central directory.
pub fn zip(entries: &[Entry]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for e in entries {
        let offset = out.len() as u32;
        let header = |sig: u32, central: bool| {
            let mut h = Vec::new();
            h.extend(sig.to_le_bytes());
            if central {
                h.extend(20u16.to_le_bytes()); // made by
            }
            h.extend(20u16.to_le_bytes()); // version needed
            h.extend(0u16.to_le_bytes()); // flags
            h.extend(e.method.to_le_bytes());
            h.extend(0u16.to_le_bytes()); // time
            h.extend(0x21u16.to_le_bytes()); // date 1980-01-01
            h.extend(e.crc.to_le_bytes());
            h.extend((e.data.len() as u32).to_le_bytes());
            h.extend(e.size.to_le_bytes());
            h.extend((e.name.len() as u16).to_le_bytes());
            h.extend(0u16.to_le_bytes()); // extra
            if central {
                h.extend(0u16.to_le_bytes()); // comment
                h.extend(0u16.to_le_bytes()); // disk
                h.extend(0u16.to_le_bytes()); // internal attributes
                h.extend(0u32.to_le_bytes()); // external attributes
                h.extend(offset.to_le_bytes());
            }
            h.extend(e.name.as_bytes());
            h
        };
        out.extend(header(0x0403_4b50, false));
        out.extend(&e.data);
        central.extend(header(0x0201_4b50, true));
    }
    let cd_offset = out.len() as u32;
    out.extend(&central);
    out.extend(0x0605_4b50u32.to_le_bytes());
    out.extend([0u8; 4]);
    out.extend((entries.len() as u16).to_le_bytes());
    out.extend((entries.len() as u16).to_le_bytes());
    out.extend((central.len() as u32).to_le_bytes());
    out.extend(cd_offset.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    out
}

/// Bits for a deflate stream, least significant first.
struct Bits {
    out: Vec<u8>,
    acc: u64,
    n: u32,
}

impl Bits {
    fn new() -> Self {
        Self { out: Vec::new(), acc: 0, n: 0 }
    }

    /// Writes `len` bits of `value`, least significant first.
    fn put(&mut self, value: u32, len: u32) {
        self.acc |= u64::from(value) << self.n;
        self.n += len;
        while self.n >= 8 {
            self.out.push(self.acc as u8);
            self.acc >>= 8;
            self.n -= 8;
        }
    }

    /// Writes a Huffman code (most significant bit first).
    fn code(&mut self, code: u32, len: u32) {
        let mut reversed = 0;
        for i in 0..len {
            reversed |= ((code >> i) & 1) << (len - 1 - i);
        }
        self.put(reversed, len);
    }

    fn literal(&mut self, byte: u8) {
        let b = u32::from(byte);
        if b < 144 { self.code(0x30 + b, 8) } else { self.code(0x190 + b - 144, 9) }
    }

    fn finish(mut self) -> Vec<u8> {
        if self.n > 0 {
            self.out.push(self.acc as u8);
        }
        self.out
    }
}

/// A deflate stream (one fixed-Huffman block) that inflates to `prefix`,
/// then `fill` repeated `258 × matches + 1` times, then `suffix`: 13 bits per
/// 258 bytes, so a gibibyte is about 6.6 MB of stream, made in a moment.
pub fn deflate_bomb(prefix: &[u8], fill: u8, matches: usize, suffix: &[u8]) -> (Vec<u8>, u64) {
    let mut bits = Bits::new();
    bits.put(1, 1); // final block
    bits.put(1, 2); // fixed Huffman codes
    for &b in prefix {
        bits.literal(b);
    }
    bits.literal(fill);
    // Length code 285 (258 bytes, 8 bits) then distance code 0 (distance 1,
    // 5 bits), reversed once: Huffman codes go most significant bit first.
    let mut one = Bits::new();
    one.code(0xC5, 8);
    one.code(0, 5);
    let pattern = u32::from(one.out[0]) | (one.acc as u32) << 8;
    for _ in 0..matches {
        bits.put(pattern, 13);
    }
    for &b in suffix {
        bits.literal(b);
    }
    bits.code(0, 7); // end of block
    let size = prefix.len() as u64 + 1 + 258 * matches as u64 + suffix.len() as u64;
    (bits.finish(), size)
}

pub const SHEET_HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#;
pub const SHEET_TAIL: &str = "</sheetData></worksheet>";

/// The parts of a one-sheet `.xlsx` ("Vốn") around a given sheet entry and
/// optional shared-strings entry.
pub fn xlsx(sheet: Entry, shared_strings: Option<Entry>) -> Vec<u8> {
    let types = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#;
    let rels = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
    let workbook = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Vốn" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
    let workbook_rels = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#;
    let mut entries = vec![
        stored("[Content_Types].xml", types.as_bytes()),
        stored("_rels/.rels", rels.as_bytes()),
        stored("xl/workbook.xml", workbook.as_bytes()),
        stored("xl/_rels/workbook.xml.rels", workbook_rels.as_bytes()),
        Entry { name: "xl/worksheets/sheet1.xml".into(), ..sheet },
    ];
    if let Some(ss) = shared_strings {
        entries.push(Entry { name: "xl/sharedStrings.xml".into(), ..ss });
    }
    zip(&entries)
}

/// A one-sheet `.xlsx` with an empty sheet and the given `xl/styles.xml`.
pub fn xlsx_styles(styles: &str) -> Vec<u8> {
    let mut bytes = xlsx(stored("", format!("{SHEET_HEAD}{SHEET_TAIL}").as_bytes()), None);
    // Rebuild with the styles part added (the directory is at the end).
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).expect("own zip");
    let mut entries = Vec::new();
    for i in 0..archive.len() {
        let mut e = archive.by_index(i).expect("entry");
        let mut data = Vec::new();
        std::io::Read::read_to_end(&mut e, &mut data).expect("read");
        entries.push(stored(e.name().expect("name").as_ref(), &data));
    }
    entries.push(stored("xl/styles.xml", styles.as_bytes()));
    bytes = zip(&entries);
    bytes
}

/// A one-sheet `.xlsx` whose sheet XML is `rows` (inside `<sheetData>`).
pub fn xlsx_rows(rows: &str) -> Vec<u8> {
    let xml = format!("{SHEET_HEAD}{rows}{SHEET_TAIL}");
    xlsx(stored("", xml.as_bytes()), None)
}

/// An `.ods` whose `content.xml` holds `tables` (inside `<office:spreadsheet>`).
pub fn ods(tables: &str) -> Vec<u8> {
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>"#
    );
    ods_content(stored("content.xml", content.as_bytes()))
}

/// An `.ods` around a given `content.xml` entry.
pub fn ods_content(content: Entry) -> Vec<u8> {
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;
    zip(&[
        stored("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"),
        stored("META-INF/manifest.xml", manifest.as_bytes()),
        Entry { name: "content.xml".into(), ..content },
    ])
}

/// One BIFF record.
pub fn record(typ: u16, data: &[u8]) -> Vec<u8> {
    let mut r = Vec::with_capacity(data.len() + 4);
    r.extend(typ.to_le_bytes());
    r.extend((data.len() as u16).to_le_bytes());
    r.extend(data);
    r
}

/// A `NUMBER` record.
pub fn number(row: u16, col: u16, value: f64) -> Vec<u8> {
    let mut d = Vec::new();
    d.extend(row.to_le_bytes());
    d.extend(col.to_le_bytes());
    d.extend(0u16.to_le_bytes());
    d.extend(value.to_le_bytes());
    record(0x0203, &d)
}

/// A BIFF8 `.xls` with one worksheet ("Vốn" written as "Von") whose
/// substream holds `cells` (records between its BOF and EOF).
pub fn xls(cells: &[Vec<u8>]) -> Vec<u8> {
    let bof = |dt: u16| {
        let mut d = Vec::new();
        d.extend(0x0600u16.to_le_bytes());
        d.extend(dt.to_le_bytes());
        d.extend([0u8; 12]);
        record(0x0809, &d)
    };
    let name = b"Von";
    let bound_sheet = |pos: u32| {
        let mut d = Vec::new();
        d.extend(pos.to_le_bytes());
        d.extend([0u8, 0u8, name.len() as u8, 0u8]);
        d.extend(name);
        record(0x0085, &d)
    };
    let globals_len = bof(0x0005).len() + bound_sheet(0).len() + record(0x000A, &[]).len();
    let mut stream = Vec::new();
    stream.extend(bof(0x0005));
    stream.extend(bound_sheet(globals_len as u32));
    stream.extend(record(0x000A, &[]));
    stream.extend(bof(0x0010));
    for c in cells {
        stream.extend(c);
    }
    stream.extend(record(0x000A, &[]));
    let mut cfb = cfb::CompoundFile::create(Cursor::new(Vec::new())).expect("cfb");
    {
        let mut s = cfb.create_stream("Workbook").expect("stream");
        s.write_all(&stream).expect("write");
    }
    cfb.flush().expect("flush");
    cfb.into_inner().into_inner()
}
