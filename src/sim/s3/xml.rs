//! Writing S3's XML bodies.

use quick_xml::escape::escape;

/// The namespace of S3's response documents.
/// See https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html#API_ListObjectsV2_ResponseSyntax.
pub(crate) const S3_NAMESPACE: &str = "http://s3.amazonaws.com/doc/2006-03-01/";

pub(crate) const XML_DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

/// Appends `<name>value</name>` with the value escaped.
pub(crate) fn push_element(out: &mut String, name: &str, value: &str) {
    out.push('<');
    out.push_str(name);
    out.push('>');
    out.push_str(&escape(value));
    out.push_str("</");
    out.push_str(name);
    out.push('>');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_escaped() {
        let mut out = String::new();
        push_element(&mut out, "Key", "a<b>&c");
        assert_eq!(out, "<Key>a&lt;b&gt;&amp;c</Key>");
    }
}
