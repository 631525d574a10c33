//! The `Range` header of GetObject: one byte range, as S3 serves it.
//! See https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html#API_GetObject_RequestSyntax
//! and https://www.rfc-editor.org/rfc/rfc9110#section-14.1.2.

use std::ops::RangeInclusive;

/// What a `Range` header asks of an object of a given size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RangeRequest {
    /// No usable range: serve the whole object with 200. Malformed ranges and lists of
    /// several ranges are ignored, as S3 serves only single ranges.
    Whole,
    /// Serve these bytes with 206 and `Content-Range`.
    Partial(RangeInclusive<usize>),
    /// The range starts past the end: 416 InvalidRange.
    Unsatisfiable,
}

pub(crate) fn parse_range(header: Option<&str>, size: usize) -> RangeRequest {
    let Some(spec) = header.and_then(|h| h.trim().strip_prefix("bytes=")) else {
        return RangeRequest::Whole;
    };
    if spec.contains(',') {
        return RangeRequest::Whole;
    }
    let Some((first, last)) = spec.split_once('-') else {
        return RangeRequest::Whole;
    };
    let (first, last) = (first.trim(), last.trim());
    if first.is_empty() {
        // A suffix range: the last N bytes.
        return match last.parse::<usize>() {
            Ok(0) => RangeRequest::Unsatisfiable,
            Ok(_) if size == 0 => RangeRequest::Unsatisfiable,
            Ok(count) => RangeRequest::Partial(size.saturating_sub(count)..=size - 1),
            Err(_) => RangeRequest::Whole,
        };
    }
    let Ok(start) = first.parse::<usize>() else {
        return RangeRequest::Whole;
    };
    let end = if last.is_empty() {
        None
    } else {
        match last.parse::<usize>() {
            Ok(end) if end >= start => Some(end),
            _ => return RangeRequest::Whole,
        }
    };
    if start >= size {
        return RangeRequest::Unsatisfiable;
    }
    let end = end.map_or(size - 1, |end| end.min(size - 1));
    RangeRequest::Partial(start..=end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_follow_rfc_9110() {
        assert_eq!(
            parse_range(Some("bytes=0-0"), 10),
            RangeRequest::Partial(0..=0)
        );
        assert_eq!(
            parse_range(Some("bytes=2-"), 10),
            RangeRequest::Partial(2..=9)
        );
        assert_eq!(
            parse_range(Some("bytes=5-100"), 10),
            RangeRequest::Partial(5..=9)
        );
        assert_eq!(
            parse_range(Some("bytes=-3"), 10),
            RangeRequest::Partial(7..=9)
        );
        assert_eq!(
            parse_range(Some("bytes=-30"), 10),
            RangeRequest::Partial(0..=9)
        );
        assert_eq!(
            parse_range(Some("bytes=10-"), 10),
            RangeRequest::Unsatisfiable
        );
        assert_eq!(
            parse_range(Some("bytes=0-0"), 0),
            RangeRequest::Unsatisfiable
        );
        assert_eq!(
            parse_range(Some("bytes=-0"), 10),
            RangeRequest::Unsatisfiable
        );
        assert_eq!(parse_range(Some("bytes=5-2"), 10), RangeRequest::Whole);
        assert_eq!(parse_range(Some("bytes=0-1,4-5"), 10), RangeRequest::Whole);
        assert_eq!(parse_range(Some("items=0-1"), 10), RangeRequest::Whole);
        assert_eq!(parse_range(None, 10), RangeRequest::Whole);
    }
}
