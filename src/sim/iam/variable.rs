//! Policy variables: `${aws:username}`, `${aws:PrincipalTag/tenant, 'none'}`, and the
//! escapes `${*}`, `${?}`, `${$}`, in `Resource` elements and string and ARN conditions.
//! See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html>.

use super::context::RequestContext;
use super::wildcard::Pattern;
use std::borrow::Cow;

/// One piece of a policy string.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    /// Text as written in the policy; `*` and `?` in it are wildcards where matching uses them.
    Text(String),
    /// A special character from `${*}`, `${?}` or `${$}`: always literal.
    /// See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#policy-vars-specialchars>.
    Escaped(char),
    /// `${key}` or `${key, 'default'}`.
    Variable {
        key: String,
        default: Option<String>,
    },
}

/// A string from a policy that may hold policy variables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    raw: String,
    parts: Vec<Part>,
    /// The compiled pattern when there is no variable, so hot paths skip resolution.
    fixed_pattern: Option<Pattern>,
}

/// Why a policy string's variables are malformed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VariableSyntaxError(pub String);

impl Template {
    /// A string whose `${...}` are literal text: policies with `Version` 2008-10-17 (or
    /// none) do not replace variables.
    /// See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html>.
    pub fn literal(raw: &str) -> Self {
        Self::from_parts(raw, vec![Part::Text(raw.to_string())])
    }

    /// Parses `${...}` variables (policies with `Version` 2012-10-17).
    pub fn with_variables(raw: &str) -> Result<Self, VariableSyntaxError> {
        let mut parts = Vec::new();
        let mut text = String::new();
        let mut rest = raw;
        while let Some(start) = rest.find("${") {
            let after = &rest[start + 2..];
            let Some(end) = after.find('}') else {
                // An unterminated `${` has no variable in it; keep it as text.
                break;
            };
            text.push_str(&rest[..start]);
            let inner = &after[..end];
            let part = parse_variable(inner)?;
            if !text.is_empty() {
                parts.push(Part::Text(std::mem::take(&mut text)));
            }
            parts.push(part);
            rest = &after[end + 1..];
        }
        text.push_str(rest);
        if !text.is_empty() {
            parts.push(Part::Text(text));
        }
        Ok(Self::from_parts(raw, parts))
    }

    fn from_parts(raw: &str, parts: Vec<Part>) -> Self {
        let has_variable = parts.iter().any(|p| matches!(p, Part::Variable { .. }));
        let mut template = Template {
            raw: raw.to_string(),
            parts,
            fixed_pattern: None,
        };
        if !has_variable {
            template.fixed_pattern = Some(
                template
                    .build_pattern(&RequestContext::new())
                    .expect("a template without variables always resolves"),
            );
        }
        template
    }

    /// The string as written in the policy.
    pub fn raw(&self) -> &str {
        &self.raw
    }

    /// The string with variables replaced, for exact comparisons. `None` when a variable
    /// cannot be resolved: the element that holds it then does not match.
    pub fn resolve_text(&self, context: &RequestContext) -> Option<Cow<'_, str>> {
        if let [Part::Text(text)] = self.parts.as_slice() {
            return Some(Cow::Borrowed(text));
        }
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Text(text) => out.push_str(text),
                Part::Escaped(c) => out.push(*c),
                Part::Variable { key, default } => out.push_str(lookup(context, key, default)?),
            }
        }
        Some(Cow::Owned(out))
    }

    /// The string as a wildcard pattern with variables replaced by literal text. `None`
    /// when a variable cannot be resolved.
    pub fn resolve_pattern(&self, context: &RequestContext) -> Option<Cow<'_, Pattern>> {
        match &self.fixed_pattern {
            Some(pattern) => Some(Cow::Borrowed(pattern)),
            None => self.build_pattern(context).map(Cow::Owned),
        }
    }

    fn build_pattern(&self, context: &RequestContext) -> Option<Pattern> {
        let mut pattern = Pattern::with_capacity(self.raw.len() + 16);
        for part in &self.parts {
            match part {
                Part::Text(text) => pattern.push_wildcard_text(text),
                Part::Escaped(c) => pattern.push_literal_text(c.encode_utf8(&mut [0; 4])),
                // A value taken from the request is literal: a tag value of `*` must not
                // widen the pattern.
                Part::Variable { key, default } => {
                    pattern.push_literal_text(lookup(context, key, default)?)
                }
            }
        }
        Some(pattern)
    }
}

/// Resolves one variable. An absent key takes the default when there is one; a multivalued
/// key cannot be a policy variable, so it never resolves.
/// See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html>.
fn lookup<'a>(
    context: &'a RequestContext,
    key: &str,
    default: &'a Option<String>,
) -> Option<&'a str> {
    match context.get_with_kind(key) {
        Some((_, true)) => None,
        Some(([value], false)) => Some(value.as_str()),
        Some(_) => None,
        None => default.as_deref(),
    }
}

/// Parses the inside of `${...}`. Spaces around the key and the quoted default are ignored;
/// the key is case-insensitive, the default case-sensitive.
/// See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#policy-vars-default-values>.
fn parse_variable(inner: &str) -> Result<Part, VariableSyntaxError> {
    match inner {
        "*" => return Ok(Part::Escaped('*')),
        "?" => return Ok(Part::Escaped('?')),
        "$" => return Ok(Part::Escaped('$')),
        _ => {}
    }
    let (key, default) = match inner.split_once(',') {
        Some((key, default)) => {
            let default = default.trim();
            let unquoted = default
                .strip_prefix('\'')
                .and_then(|d| d.strip_suffix('\''))
                .ok_or_else(|| {
                    VariableSyntaxError(format!(
                        "the default value of policy variable `${{{inner}}}` must be in single quotes"
                    ))
                })?;
            (key.trim(), Some(unquoted.to_string()))
        }
        None => (inner.trim(), None),
    };
    if key.is_empty() || key.chars().any(char::is_whitespace) {
        return Err(VariableSyntaxError(format!(
            "policy variable `${{{inner}}}` has no valid key name"
        )));
    }
    // Stored lowercased: keys are case-insensitive and lookups then need no allocation.
    Ok(Part::Variable {
        key: key.to_ascii_lowercase(),
        default,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn context() -> RequestContext {
        let mut c = RequestContext::new();
        c.set("aws:PrincipalTag/tenant", "acme");
        c.set_multi("aws:TagKeys", ["a"]);
        c
    }

    #[test]
    fn variables_resolve_case_insensitively() {
        let t = Template::with_variables("arn:aws:s3:::b/${aws:principaltag/TENANT}/*").unwrap();
        assert_eq!(t.resolve_text(&context()).unwrap(), "arn:aws:s3:::b/acme/*");
        assert!(
            t.resolve_pattern(&context())
                .unwrap()
                .matches("arn:aws:s3:::b/acme/x")
        );
        assert!(
            !t.resolve_pattern(&context())
                .unwrap()
                .matches("arn:aws:s3:::b/other/x")
        );
    }

    #[test]
    fn absent_key_uses_default_or_fails() {
        let with_default = Template::with_variables("${aws:PrincipalTag/team , 'none' }").unwrap();
        assert_eq!(with_default.resolve_text(&context()).unwrap(), "none");
        let without = Template::with_variables("${aws:PrincipalTag/team}").unwrap();
        assert!(without.resolve_text(&context()).is_none());
        assert!(without.resolve_pattern(&context()).is_none());
    }

    #[test]
    fn multivalued_key_never_resolves() {
        let t = Template::with_variables("${aws:TagKeys, 'x'}").unwrap();
        assert!(t.resolve_text(&context()).is_none());
    }

    #[test]
    fn escapes_are_literal_characters() {
        let t = Template::with_variables("a${*}b${?}${$}").unwrap();
        assert_eq!(t.resolve_text(&context()).unwrap(), "a*b?$");
        let p = t.resolve_pattern(&context()).unwrap();
        assert!(p.matches("a*b?$"));
        assert!(!p.matches("aXbY$"));
    }

    #[test]
    fn resolved_values_stay_literal_in_patterns() {
        let mut c = RequestContext::new();
        c.set("aws:username", "*");
        let t = Template::with_variables("home/${aws:username}/*").unwrap();
        let p = t.resolve_pattern(&c).unwrap();
        assert!(p.matches("home/*/x"));
        assert!(!p.matches("home/bob/x"));
    }

    #[test]
    fn legacy_templates_keep_variables_as_text() {
        let t = Template::literal("home/${aws:username}");
        assert_eq!(t.resolve_text(&context()).unwrap(), "home/${aws:username}");
    }

    #[test]
    fn malformed_default_is_an_error() {
        assert!(Template::with_variables("${aws:username, none}").is_err());
        assert!(Template::with_variables("${}").is_err());
    }
}
