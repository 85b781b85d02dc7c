//! Native tests of web page decoding hints, MHTML and the extracted article.

use super::*;

#[test]
fn charsets_come_from_the_bom_or_a_meta_tag() {
    assert_eq!(sniff_charset(b"\xEF\xBB\xBF<p>x"), Some("utf-8"));
    assert_eq!(sniff_charset(b"\xFF\xFE<\0p\0"), Some("utf-16le"));
    assert_eq!(sniff_charset(b"<html><head><META CHARSET='Windows-1252'>"), Some("windows-1252"));
    let http_equiv = br#"<meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">"#;
    assert_eq!(sniff_charset(http_equiv), Some("shift_jis"));
    assert_eq!(sniff_charset(b"<meta charset=\"iso-8859-1\">"), Some("windows-1252"), "as browsers decode it");
    assert_eq!(sniff_charset(b"<meta name=description content=\"charset\">"), None);
    assert_eq!(sniff_charset(b"<meta charset=\"klingon\">"), None);
    let late = [b"<!-- ".as_slice(), &[b'x'; 1100], b" --><meta charset=windows-1251>"].concat();
    assert_eq!(sniff_charset(&late), None, "only the first 1024 bytes are looked at");
    assert_eq!(WebPage::from_html(b"<p>plain</p>").charset, "utf-8");
}

const MHTML: &str = "From: <Saved by Blink>\r\nSubject: Harbour reopens\r\nMIME-Version: 1.0\r\nContent-Type: multipart/related;\r\n\ttype=\"text/html\";\r\n\tboundary=\"----MultipartBoundary--abc----\"\r\n\r\n------MultipartBoundary--abc----\r\nContent-Type: text/html\r\nContent-ID: <frame-1@mhtml.blink>\r\nContent-Transfer-Encoding: quoted-printable\r\nContent-Location: https://news.example/harbour\r\n\r\n<html><head><meta http-equiv=3D\"Content-Type\" content=3D\"text/html; charset=3Dwindows-1252\"></head><body><p>Caf=E9 reopened on Friday after a long=\r\n wait.</p></body></html>\r\n------MultipartBoundary--abc----\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\nContent-Location: https://news.example/a.png\r\n\r\niVBORw0KGgo=\r\n------MultipartBoundary--abc------\r\n";

#[test]
fn mhtml_gives_its_html_part_decoded_with_its_address() {
    let page = page_from_mhtml(MHTML.as_bytes()).unwrap();
    assert_eq!(page.base_url, "https://news.example/harbour");
    assert_eq!(page.charset, "windows-1252");
    let html = String::from_utf8_lossy(&page.bytes);
    assert!(html.contains("<p>Caf\u{FFFD} reopened on Friday after a long wait.</p>"), "{html}");
    assert_eq!(page.bytes.iter().filter(|&&byte| byte == 0xE9).count(), 1, "é stays a windows-1252 byte");
    let base64 = MHTML
        .replace("quoted-printable\r\nContent-Location: https://news.example/harbour", "base64\r\nContent-Location: https://news.example/harbour")
        .replace(
            "<html><head><meta http-equiv=3D\"Content-Type\" content=3D\"text/html; charset=3Dwindows-1252\"></head><body><p>Caf=E9 reopened on Friday after a long=\r\n wait.</p></body></html>",
            "PHA+SGk8L3A+",
        );
    assert_eq!(page_from_mhtml(base64.as_bytes()).unwrap().bytes, b"<p>Hi</p>");
    assert!(page_from_mhtml(b"<html>not mime</html>").unwrap_err().message.contains("boundary"));
    let no_html = MHTML.replace("Content-Type: text/html\r\n", "Content-Type: text/css\r\n");
    assert!(page_from_mhtml(no_html.as_bytes()).unwrap_err().message.contains("no HTML page"));
}

#[test]
fn quoted_printable_keeps_a_lone_equals_sign() {
    assert_eq!(decode_quoted_printable("a=3Db=\r\nc =ZZ"), b"a=bc =ZZ");
    assert_eq!(decode_base64("SGVs\r\nbG8="), Some(b"Hello".to_vec()));
    assert_eq!(decode_base64("*"), None);
}

#[test]
fn an_extracted_page_becomes_an_article_with_its_metadata() {
    let extracted = Extracted {
        title: "Harbour reopens".to_string(),
        text: "The harbour reopened.\n\nShips waited.".to_string(),
        authors: vec!["By Jane Doe and Ali Hassan".to_string(), "Jane Doe".to_string()],
        site_name: " Example News ".to_string(),
        published: "2024-03-25T08:00:00Z".to_string(),
        canonical_url: "https://news.example/harbour".to_string(),
        language: "en".to_string(),
        direction: "ltr".to_string(),
        ..Extracted::default()
    };
    let article = article_from_extracted("harbour.html", "", &extracted);
    assert_eq!((article.title.as_str(), article.source.as_str()), ("Harbour reopens", "harbour.html"));
    assert_eq!(article.paragraphs().len(), 2);
    assert_eq!(article.metadata.authors, ["Jane Doe", "Ali Hassan"]);
    assert_eq!(article.metadata.site_name, "Example News");
    assert_eq!(article.url, "https://news.example/harbour");
    assert_eq!(article.metadata.direction, Some(TextDirection::Ltr));
    let without_canonical = Extracted { canonical_url: String::new(), ..extracted };
    let article = article_from_extracted("h.mhtml", "https://saved.example/h", &without_canonical);
    assert_eq!((article.url.as_str(), article.metadata.canonical_url.as_str()), ("https://saved.example/h", ""));
}
