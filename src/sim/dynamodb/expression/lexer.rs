//! Splits a DynamoDB expression into tokens.

/// What a token is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenKind {
    /// A bare word: an attribute name, a keyword (`AND`, `SET`) or a function name.
    Word,
    /// `#name`: an expression attribute name placeholder.
    NamePlaceholder,
    /// `:value`: an expression attribute value placeholder.
    ValuePlaceholder,
    /// A run of digits (list indexes).
    Integer,
    /// `=`, `<>`, `<`, `<=`, `>`, `>=`, `(`, `)`, `[`, `]`, `,`, `.`, `+`, `-`.
    Symbol,
}

/// One token with the text it was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    pub text: String,
}

/// A character no token starts with, with its byte offset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidCharacter {
    pub character: char,
    pub offset: usize,
}

/// Tokenizes an expression. Words are letters, digits and underscores starting with a
/// letter or underscore; placeholders are `#` or `:` followed by word characters.
/// See <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ExpressionAttributeNames.html>.
pub fn tokenize(text: &str) -> Result<Vec<Token>, InvalidCharacter> {
    let mut tokens = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some(&(offset, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let word_char = |c: char| c.is_alphanumeric() || c == '_';
        let take_while = |chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>,
                          start: usize,
                          pred: &dyn Fn(char) -> bool| {
            let mut end = start;
            while let Some(&(i, c)) = chars.peek() {
                if !pred(c) {
                    break;
                }
                end = i + c.len_utf8();
                chars.next();
            }
            text[start..end].to_string()
        };
        let token = if c == '#' || c == ':' {
            chars.next();
            let rest = take_while(&mut chars, offset + 1, &word_char);
            if rest.is_empty() {
                return Err(InvalidCharacter {
                    character: c,
                    offset,
                });
            }
            Token {
                kind: if c == '#' {
                    TokenKind::NamePlaceholder
                } else {
                    TokenKind::ValuePlaceholder
                },
                text: format!("{c}{rest}"),
            }
        } else if c.is_ascii_digit() {
            Token {
                kind: TokenKind::Integer,
                text: take_while(&mut chars, offset, &|c: char| c.is_ascii_digit()),
            }
        } else if c.is_alphabetic() || c == '_' {
            Token {
                kind: TokenKind::Word,
                text: take_while(&mut chars, offset, &word_char),
            }
        } else {
            chars.next();
            let two = match (c, chars.peek().map(|&(_, n)| n)) {
                ('<', Some('>')) | ('<', Some('=')) | ('>', Some('=')) => {
                    let next = chars.next().map(|(_, n)| n).unwrap_or_default();
                    Some(format!("{c}{next}"))
                }
                _ => None,
            };
            match two {
                Some(text) => Token {
                    kind: TokenKind::Symbol,
                    text,
                },
                None if "=<>()[],.+-".contains(c) => Token {
                    kind: TokenKind::Symbol,
                    text: c.to_string(),
                },
                None => {
                    return Err(InvalidCharacter {
                        character: c,
                        offset,
                    });
                }
            }
        };
        tokens.push(token);
    }
    Ok(tokens)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(input: &str) -> Vec<String> {
        tokenize(input)
            .unwrap()
            .into_iter()
            .map(|t| t.text)
            .collect()
    }

    #[test]
    fn splits_comparisons_placeholders_and_paths() {
        assert_eq!(
            texts("#pk = :v AND a.b[10] <> :w"),
            [
                "#pk", "=", ":v", "AND", "a", ".", "b", "[", "10", "]", "<>", ":w"
            ]
        );
        assert_eq!(
            texts("a<=b>=c<d>e"),
            ["a", "<=", "b", ">=", "c", "<", "d", ">", "e"]
        );
    }

    #[test]
    fn rejects_characters_no_token_starts_with() {
        assert_eq!(
            tokenize("a = $x").unwrap_err(),
            InvalidCharacter {
                character: '$',
                offset: 4
            }
        );
        assert!(tokenize("a = :").is_err());
    }
}
