//! Resource templates: strings in which `{tenant}` stands for each tenant id in turn.
//! `{{` and `}}` write literal braces.

/// A parsed template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    source: String,
    parts: Vec<TemplatePart>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum TemplatePart {
    Literal(String),
    Tenant,
}

/// Why a template is malformed, with the byte range inside the template text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateError {
    pub at: std::ops::Range<usize>,
    pub message: String,
    pub help: String,
}

/// The one placeholder templates know.
pub const TENANT_PLACEHOLDER: &str = "tenant";

impl Template {
    pub fn parse(text: &str) -> Result<Template, TemplateError> {
        let mut parts = Vec::new();
        let mut literal = String::new();
        let mut chars = text.char_indices().peekable();
        while let Some((at, c)) = chars.next() {
            match c {
                '{' if matches!(chars.peek(), Some((_, '{'))) => {
                    chars.next();
                    literal.push('{');
                }
                '}' if matches!(chars.peek(), Some((_, '}'))) => {
                    chars.next();
                    literal.push('}');
                }
                '{' => {
                    let rest = &text[at + 1..];
                    let Some(close) = rest.find('}') else {
                        return Err(TemplateError {
                            at: at..text.len(),
                            message: "unclosed `{` in template".into(),
                            help: "write `{tenant}`, or `{{` for a literal brace".into(),
                        });
                    };
                    let name = &rest[..close];
                    if name != TENANT_PLACEHOLDER {
                        let near = strsim::levenshtein(name, TENANT_PLACEHOLDER) <= 2
                            || name.eq_ignore_ascii_case(TENANT_PLACEHOLDER);
                        return Err(TemplateError {
                            at: at..at + close + 2,
                            message: format!("unknown placeholder `{{{name}}}`"),
                            help: if near {
                                "did you mean `{tenant}`? (the only placeholder)".into()
                            } else {
                                "the only placeholder is `{tenant}`; write `{{` for a literal brace"
                                    .into()
                            },
                        });
                    }
                    if !literal.is_empty() {
                        parts.push(TemplatePart::Literal(std::mem::take(&mut literal)));
                    }
                    parts.push(TemplatePart::Tenant);
                    for _ in 0..close + 1 {
                        chars.next();
                    }
                }
                '}' => {
                    return Err(TemplateError {
                        at: at..at + 1,
                        message: "unmatched `}` in template".into(),
                        help: "write `}}` for a literal brace".into(),
                    });
                }
                other => literal.push(other),
            }
        }
        if !literal.is_empty() {
            parts.push(TemplatePart::Literal(literal));
        }
        Ok(Template {
            source: text.to_string(),
            parts,
        })
    }

    /// The template as written.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Whether the template contains `{tenant}`.
    pub fn uses_tenant(&self) -> bool {
        self.parts.contains(&TemplatePart::Tenant)
    }

    /// The template with `{tenant}` replaced by `tenant`.
    pub fn render(&self, tenant: &str) -> String {
        self.parts
            .iter()
            .map(|part| match part {
                TemplatePart::Literal(text) => text.as_str(),
                TemplatePart::Tenant => tenant,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn substitutes_every_tenant_placeholder_and_keeps_escaped_braces() {
        let template = Template::parse("{tenant}/docs/{{v}}/{tenant}.txt").unwrap();
        assert!(template.uses_tenant());
        assert_eq!(template.render("acme"), "acme/docs/{v}/acme.txt");
    }

    #[test]
    fn rejects_unknown_placeholders_with_a_suggestion() {
        let error = Template::parse("data/{tennant}/x").unwrap_err();
        assert_eq!(error.at, 5..14);
        assert!(error.message.contains("`{tennant}`"));
        assert!(error.help.contains("did you mean `{tenant}`"));
    }

    #[test]
    fn rejects_unbalanced_braces() {
        assert!(Template::parse("a/{tenant").is_err());
        assert!(Template::parse("a}b").is_err());
        assert!(!Template::parse("shared.txt").unwrap().uses_tenant());
    }
}
