//! A minimal ZIP writer: stored (uncompressed) entries, CRC-32, DOS dates, UTF-8 names.
//!
//! The brat export is a handful of small text files, so compression buys little, while the
//! `zip` + `flate2` crates cost about 15 KB of brotli-compressed WebAssembly. This writes the
//! plain PKZIP format (APPNOTE 6.3.x, no ZIP64: an archive over 4 GiB is refused) that every
//! unzip tool, Python's `zipfile` and brat's own upload read.

use crate::formats::common::utc_parts;
use crate::formats::FormatError;

/// The CRC-32 (IEEE, reflected, as ZIP uses) of `bytes`.
pub fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            let mask = (crc & 1).wrapping_neg();
            crc = (crc >> 1) ^ (0xEDB8_8320 & mask);
        }
    }
    !crc
}

/// `(time, date)` in MS-DOS format for `now_ms` (UTC); 1980-01-01 for anything earlier.
fn dos_time_and_date(now_ms: i64) -> (u16, u16) {
    let (year, month, day, hour, minute, second) = utc_parts(now_ms);
    if !(1980..=2107).contains(&year) {
        return (0, (1 << 5) | 1);
    }
    let time = ((hour as u16) << 11) | ((minute as u16) << 5) | ((second as u16) / 2);
    let date = (((year - 1980) as u16) << 9) | ((month as u16) << 5) | (day as u16);
    (time, date)
}

/// Builds a ZIP archive of `(path, content)` entries, all dated `now_ms`.
pub fn stored_zip(entries: &[(String, Vec<u8>)], now_ms: i64) -> Result<Vec<u8>, FormatError> {
    let too_big = || FormatError::at("", "the archive would exceed 4 GiB");
    let (time, date) = dos_time_and_date(now_ms);
    let mut archive = Vec::new();
    let mut central = Vec::new();
    let push16 = |buffer: &mut Vec<u8>, value: u16| buffer.extend_from_slice(&value.to_le_bytes());
    let push32 = |buffer: &mut Vec<u8>, value: u32| buffer.extend_from_slice(&value.to_le_bytes());
    for (path, content) in entries {
        let offset = u32::try_from(archive.len()).map_err(|_| too_big())?;
        let size = u32::try_from(content.len()).map_err(|_| too_big())?;
        let name_length = u16::try_from(path.len()).map_err(|_| FormatError::at("", "a file name is too long"))?;
        let crc = crc32(content);
        // Local file header.
        push32(&mut archive, 0x0403_4b50);
        push16(&mut archive, 20); // version needed: 2.0
        push16(&mut archive, 1 << 11); // flags: names are UTF-8
        push16(&mut archive, 0); // stored
        push16(&mut archive, time);
        push16(&mut archive, date);
        push32(&mut archive, crc);
        push32(&mut archive, size);
        push32(&mut archive, size);
        push16(&mut archive, name_length);
        push16(&mut archive, 0);
        archive.extend_from_slice(path.as_bytes());
        archive.extend_from_slice(content);
        // Central directory entry.
        push32(&mut central, 0x0201_4b50);
        push16(&mut central, (3 << 8) | 20); // made by: Unix, 2.0
        push16(&mut central, 20);
        push16(&mut central, 1 << 11);
        push16(&mut central, 0);
        push16(&mut central, time);
        push16(&mut central, date);
        push32(&mut central, crc);
        push32(&mut central, size);
        push32(&mut central, size);
        push16(&mut central, name_length);
        push16(&mut central, 0); // extra field length
        push16(&mut central, 0); // comment length
        push16(&mut central, 0); // disk number
        push16(&mut central, 0); // internal attributes
        push32(&mut central, 0o100644 << 16); // external attributes: a regular file, rw-r--r--
        push32(&mut central, offset);
        central.extend_from_slice(path.as_bytes());
    }
    let count = u16::try_from(entries.len()).map_err(|_| FormatError::at("", "too many files for one archive"))?;
    let central_offset = u32::try_from(archive.len()).map_err(|_| too_big())?;
    let central_size = u32::try_from(central.len()).map_err(|_| too_big())?;
    archive.extend_from_slice(&central);
    push32(&mut archive, 0x0605_4b50);
    push16(&mut archive, 0);
    push16(&mut archive, 0);
    push16(&mut archive, count);
    push16(&mut archive, count);
    push32(&mut archive, central_size);
    push32(&mut archive, central_offset);
    push16(&mut archive, 0);
    Ok(archive)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_matches_the_standard_check_value() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(b""), 0);
    }

    #[test]
    fn archive_layout_is_well_formed() {
        let entries = vec![("a.txt".to_string(), b"hello".to_vec()), ("é/b.ann".to_string(), Vec::new())];
        let zip = stored_zip(&entries, 1_711_411_200_000).unwrap();
        assert_eq!(&zip[..4], b"PK\x03\x04");
        let end = zip.len() - 22;
        assert_eq!(&zip[end..end + 4], b"PK\x05\x06");
        assert_eq!(u16::from_le_bytes([zip[end + 10], zip[end + 11]]), 2);
    }
}
