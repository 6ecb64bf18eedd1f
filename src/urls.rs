//! The web page's addresses of documents and sections (`/doc/<path>#<anchor>`),
//! built here and nowhere else. Imports nothing from the crate.

/// The URL of a section in the web page.
pub fn section_url(path: &str, anchor: &str) -> String {
    let encoded: Vec<String> = path.split('/').map(encode_path_segment).collect();
    if anchor.is_empty() {
        format!("/doc/{}", encoded.join("/"))
    } else {
        format!("/doc/{}#{}", encoded.join("/"), encode_path_segment(anchor))
    }
}

/// Percent-encodes a URL path segment (RFC 3986 unreserved characters stay).
pub fn encode_path_segment(segment: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(segment.len());
    for byte in segment.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(byte as char);
        } else {
            out.push('%');
            out.push(HEX[usize::from(byte >> 4)] as char);
            out.push(HEX[usize::from(byte & 0xF)] as char);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_segments_keep_unreserved_bytes_and_percent_encode_the_rest() {
        assert_eq!(encode_path_segment("Az09-_.~"), "Az09-_.~");
        assert_eq!(encode_path_segment("a b/ё#?%"), "a%20b%2F%D1%91%23%3F%25");
        assert_eq!(
            section_url("ru/сеть/прокси.md", "ошибка-407"),
            "/doc/ru/%D1%81%D0%B5%D1%82%D1%8C/%D0%BF%D1%80%D0%BE%D0%BA%D1%81%D0%B8.md#%D0%BE%D1%88%D0%B8%D0%B1%D0%BA%D0%B0-407"
        );
        assert_eq!(section_url("en/a.md", ""), "/doc/en/a.md");
    }
}
