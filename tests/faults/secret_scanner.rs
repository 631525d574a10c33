//! The secret scanner: every secret a run handled (what the proxy saw go by, the
//! scenario's passwords, the ambient credentials) must appear in none of the run's outputs,
//! whole or as a recognisable piece (an echo cut short).

/// The shortest piece of a long secret that counts as leaked.
const PIECE: usize = 24;

/// One leak: which output, and a masked hint of which secret (never the secret itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leak {
    pub output: String,
    pub secret_hint: String,
}

/// Every `(output name, text)` that contains a secret of `secrets`, whole or, for a
/// secret longer than [`PIECE`], its first or last `PIECE` characters.
pub fn leaks(secrets: &[String], outputs: &[(String, String)]) -> Vec<Leak> {
    let mut found = Vec::new();
    for secret in secrets.iter().filter(|secret| secret.len() >= 6) {
        let mut needles = vec![secret.as_str()];
        if secret.len() > PIECE && secret.is_char_boundary(PIECE) {
            needles.push(&secret[..PIECE]);
            let tail = secret.len() - PIECE;
            if secret.is_char_boundary(tail) {
                needles.push(&secret[tail..]);
            }
        }
        for (output, text) in outputs {
            if needles
                .iter()
                .any(|needle| contains_in_any_form(text, needle))
            {
                found.push(Leak {
                    output: output.clone(),
                    secret_hint: hint(secret),
                });
            }
        }
    }
    found
}

/// Raw, or escaped the way a report format would escape it (JSON, XML/HTML).
fn contains_in_any_form(text: &str, needle: &str) -> bool {
    if text.contains(needle) {
        return true;
    }
    let json = serde_json::to_string(needle).unwrap_or_default();
    let json = json.trim_matches('"');
    let markup = needle
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;");
    (json != needle && text.contains(json)) || (markup != needle && text.contains(&markup))
}

/// Length and the first two characters: enough to tell secrets apart in a failure.
fn hint(secret: &str) -> String {
    let start: String = secret.chars().take(2).collect();
    format!("{start}… ({} chars)", secret.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_whole_secrets_pieces_and_escaped_forms() {
        let token = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlc2lnbmF0dXJl";
        let outputs = vec![
            ("clean".to_owned(), "nothing to see".to_owned()),
            ("cut".to_owned(), format!("Value '{}...'", &token[..30])),
            ("html".to_owned(), "pw A&amp;B&lt;C!".to_owned()),
        ];
        let found = leaks(&[token.to_owned(), "A&B<C!".to_owned()], &outputs);
        let outputs: Vec<&str> = found.iter().map(|leak| leak.output.as_str()).collect();
        assert_eq!(outputs, ["cut", "html"]);
        assert!(!found[0].secret_hint.contains("eyJhbG"));
    }
}
