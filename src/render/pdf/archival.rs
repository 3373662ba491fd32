//! What makes the handout a PDF/A-2a and PDF/UA-1 file besides its tags
//! (SPEC §8.1): the catalog's `/MarkInfo`, `/Lang`, `/ViewerPreferences`
//! and `/StructTreeRoot`, the XMP metadata (title, dates from `--date`,
//! the PDF/A and PDF/UA identification) and an sRGB output intent. The
//! document information dictionary keeps only what the XMP says too.

use lopdf::{Dictionary, Object, ObjectId, Stream};

use crate::date::Date;

/// The sRGB profile of the output intent: made with Little CMS 2
/// (`cmsCreate_sRGBProfile`, saved as an ICC v2.1 display profile, 8,796
/// bytes). Its copyright tag reads "No copyright, use freely": it may be
/// embedded and redistributed without restriction.
const SRGB_ICC: &[u8] = include_bytes!("srgb.icc");
/// How the output intent names its condition.
const SRGB_NAME: &str = "sRGB IEC61966-2.1";
/// The document's language.
const LANG: &str = "ja-JP";
/// Creator and producer in the information dictionary and the XMP.
const TOOL: &str = "shiryo";

/// Turns the drawn, tagged document into a PDF/A-2a + PDF/UA-1 file:
/// catalog entries, XMP, output intent, the information dictionary's
/// dates, PDF 1.7 header. `title` and
/// `subject` are those printpdf wrote into the information dictionary.
pub fn make_archival(
    doc: &mut lopdf::Document,
    struct_tree: ObjectId,
    title: &str,
    subject: &str,
    date: Date,
) {
    doc.version = "1.7".into();
    let metadata = {
        let mut s = Stream::new(
            Dictionary::from_iter([
                ("Type", Object::Name(b"Metadata".to_vec())),
                ("Subtype", Object::Name(b"XML".to_vec())),
            ]),
            xmp(title, subject, date).into_bytes(),
        );
        // Left unfiltered, so that any tool can read it.
        s.allows_compression = false;
        doc.add_object(s)
    };
    let profile = doc.add_object(Stream::new(
        Dictionary::from_iter([("N", Object::Integer(3))]),
        SRGB_ICC.to_vec(),
    ));
    let intent = Dictionary::from_iter([
        ("Type", Object::Name(b"OutputIntent".to_vec())),
        ("S", Object::Name(b"GTS_PDFA1".to_vec())),
        (
            "OutputConditionIdentifier",
            Object::string_literal(SRGB_NAME),
        ),
        ("Info", Object::string_literal(SRGB_NAME)),
        ("DestOutputProfile", Object::Reference(profile)),
    ]);
    if let Ok(catalog) = doc.catalog_mut() {
        catalog.set(
            "MarkInfo",
            Dictionary::from_iter([("Marked", Object::Boolean(true))]),
        );
        catalog.set("Lang", Object::string_literal(LANG));
        catalog.set(
            "ViewerPreferences",
            Dictionary::from_iter([("DisplayDocTitle", Object::Boolean(true))]),
        );
        catalog.set("StructTreeRoot", Object::Reference(struct_tree));
        catalog.set("Metadata", Object::Reference(metadata));
        catalog.set(
            "OutputIntents",
            Object::Array(vec![Object::Dictionary(intent)]),
        );
    }
    information(doc, date);
}

/// The information dictionary says only what the XMP says as well
/// (PDF/A-2 §6.6.2.3): the dates at midnight in Japan with the +09'00'
/// offset that printpdf does not write (it writes every date as UTC);
/// printpdf's empty author and keywords, its PDF/X version and its
/// identifier go.
fn information(doc: &mut lopdf::Document, date: Date) {
    let stamp = format!(
        "D:{:04}{:02}{:02}000000+09'00'",
        date.year, date.month, date.day
    );
    let info = doc
        .trailer
        .get(b"Info")
        .ok()
        .and_then(|o| o.as_reference().ok());
    if let Some(id) = info
        && let Ok(Object::Dictionary(d)) = doc.get_object_mut(id)
    {
        for key in [&b"CreationDate"[..], b"ModDate"] {
            d.set(
                key,
                Object::String(stamp.clone().into_bytes(), lopdf::StringFormat::Literal),
            );
        }
        for key in [
            &b"Author"[..],
            b"Keywords",
            b"GTS_PDFXVersion",
            b"Identifier",
            b"Trapped",
        ] {
            d.remove(key);
        }
    }
}

/// The XMP packet (PDF/A-2 §6.6, PDF/UA-1 §5): `dc:title` as in the
/// information dictionary, the dates of `--date` at midnight in Japan (as
/// the information dictionary's), and the pdfuaid schema declared as a
/// PDF/A extension schema (PDF/A-2 does not predefine it).
pub fn xmp(title: &str, subject: &str, date: Date) -> String {
    let stamp = format!(
        "{:04}-{:02}-{:02}T00:00:00+09:00",
        date.year, date.month, date.day
    );
    let title = escape_xml(title);
    let subject = escape_xml(subject);
    format!(
        r#"<?xpacket begin="{bom}" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"
    xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"
    xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
    xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
    xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{subject}</rdf:li></rdf:Alt></dc:description>
   <dc:language><rdf:Bag><rdf:li>{LANG}</rdf:li></rdf:Bag></dc:language>
   <pdf:Producer>{TOOL}</pdf:Producer>
   <xmp:CreatorTool>{TOOL}</xmp:CreatorTool>
   <xmp:CreateDate>{stamp}</xmp:CreateDate>
   <xmp:ModifyDate>{stamp}</xmp:ModifyDate>
   <xmp:MetadataDate>{stamp}</xmp:MetadataDate>
   <pdfaid:part>2</pdfaid:part>
   <pdfaid:conformance>A</pdfaid:conformance>
   <pdfuaid:part>1</pdfuaid:part>
   <pdfaExtension:schemas>
    <rdf:Bag>
     <rdf:li rdf:parseType="Resource">
      <pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
      <pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
      <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
      <pdfaSchema:property>
       <rdf:Seq>
        <rdf:li rdf:parseType="Resource">
         <pdfaProperty:name>part</pdfaProperty:name>
         <pdfaProperty:valueType>Integer</pdfaProperty:valueType>
         <pdfaProperty:category>internal</pdfaProperty:category>
         <pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed</pdfaProperty:description>
        </rdf:li>
       </rdf:Seq>
      </pdfaSchema:property>
     </rdf:li>
    </rdf:Bag>
   </pdfaExtension:schemas>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"#,
        bom = '\u{feff}'
    )
}

/// Text as XML character data.
fn escape_xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_xmp_names_the_title_dates_and_both_standards() {
        let x = xmp(
            "A&B <資料>",
            "令和8年11月",
            Date::parse("2026-11-24").unwrap(),
        );
        assert!(x.contains(r#"<rdf:li xml:lang="x-default">A&amp;B &lt;資料&gt;</rdf:li>"#));
        assert!(x.contains("<xmp:CreateDate>2026-11-24T00:00:00+09:00</xmp:CreateDate>"));
        assert!(x.contains("<pdfaid:part>2</pdfaid:part>"));
        assert!(x.contains("<pdfaid:conformance>A</pdfaid:conformance>"));
        assert!(x.contains("<pdfuaid:part>1</pdfuaid:part>"));
        assert!(x.starts_with("<?xpacket begin=\"\u{feff}\""));
    }

    #[test]
    fn the_profile_is_an_srgb_display_profile() {
        assert_eq!(&SRGB_ICC[36..40], b"acsp");
        assert_eq!(&SRGB_ICC[12..20], b"mntrRGB ");
        assert_eq!(SRGB_ICC[8], 2, "ICC version 2");
    }
}
