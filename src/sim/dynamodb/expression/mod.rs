//! DynamoDB expressions: condition, filter, key condition, update and projection
//! expressions, lexed and parsed with their placeholders resolved.

pub mod ast;
pub mod lexer;
pub mod parser;
pub mod reserved_words;

pub use ast::{Comparator, Condition, DocumentPath, Operand, PathElement, SetValue, UpdateAction};
pub use parser::{ExpressionKind, ExpressionParser};
