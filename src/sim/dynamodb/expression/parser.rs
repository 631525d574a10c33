//! Parses DynamoDB expressions, resolving `#name` and `:value` placeholders and reporting
//! mistakes with DynamoDB's `ValidationException` wording.

use super::super::attribute_value::AttributeValue;
use super::super::error::DynamoDbError;
use super::ast::{
    Comparator, Condition, DocumentPath, Operand, PathElement, SetValue, UpdateAction,
};
use super::lexer::{Token, TokenKind, tokenize};
use super::reserved_words::is_reserved;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// Which request parameter an expression came from; DynamoDB's messages name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExpressionKind {
    Condition,
    Filter,
    KeyCondition,
    Update,
    Projection,
}

impl fmt::Display for ExpressionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ExpressionKind::Condition => "ConditionExpression",
            ExpressionKind::Filter => "FilterExpression",
            ExpressionKind::KeyCondition => "KeyConditionExpression",
            ExpressionKind::Update => "UpdateExpression",
            ExpressionKind::Projection => "ProjectionExpression",
        })
    }
}

/// The longest expression DynamoDB accepts, in bytes.
/// See <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Constraints.html#limits-expression-parameters>.
const MAX_EXPRESSION_BYTES: usize = 4096;

/// How deeply parentheses, `NOT`s and update functions may nest. This is local staging's
/// own guard, not a DynamoDB rule: the parser recurses once per level, and a hostile
/// expression must get a `ValidationException`, not overflow the server's stack. Real
/// expressions stay far below it.
const MAX_NESTING: usize = 64;

/// Parses the expressions of one request against its `ExpressionAttributeNames` and
/// `ExpressionAttributeValues`, remembering which placeholders were used.
pub struct ExpressionParser<'a> {
    names: &'a BTreeMap<String, String>,
    values: &'a BTreeMap<String, AttributeValue>,
    used_names: BTreeSet<String>,
    used_values: BTreeSet<String>,
}

impl<'a> ExpressionParser<'a> {
    pub fn new(
        names: &'a BTreeMap<String, String>,
        values: &'a BTreeMap<String, AttributeValue>,
    ) -> Self {
        ExpressionParser {
            names,
            values,
            used_names: BTreeSet::new(),
            used_values: BTreeSet::new(),
        }
    }

    /// Parses a condition, filter or key condition expression.
    pub fn condition(
        &mut self,
        kind: ExpressionKind,
        text: &str,
    ) -> Result<Condition, DynamoDbError> {
        let mut cursor = Cursor::new(self, kind, text)?;
        let condition = cursor.or_condition()?;
        cursor.expect_end()?;
        Ok(condition)
    }

    /// Parses an update expression into its actions, in the order written.
    pub fn update(&mut self, text: &str) -> Result<Vec<UpdateAction>, DynamoDbError> {
        let mut cursor = Cursor::new(self, ExpressionKind::Update, text)?;
        let actions = cursor.update_clauses()?;
        cursor.expect_end()?;
        for (i, a) in actions.iter().enumerate() {
            for b in &actions[i + 1..] {
                if a.target().overlaps(b.target()) {
                    // DynamoDB rejects two actions on overlapping paths.
                    // See <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.UpdateExpressions.html>.
                    return Err(DynamoDbError::validation(format!(
                        "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [{}], path two: [{}]",
                        a.target(),
                        b.target()
                    )));
                }
            }
        }
        Ok(actions)
    }

    /// Parses a projection expression: document paths separated by commas.
    /// See <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ProjectionExpressions.html>.
    pub fn projection(&mut self, text: &str) -> Result<Vec<DocumentPath>, DynamoDbError> {
        let mut cursor = Cursor::new(self, ExpressionKind::Projection, text)?;
        let mut paths = vec![cursor.path()?];
        while cursor.eat_symbol(",") {
            paths.push(cursor.path()?);
        }
        cursor.expect_end()?;
        Ok(paths)
    }

    /// Fails when a placeholder was supplied but no expression used it, as DynamoDB does.
    /// See <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ExpressionAttributeNames.html>.
    pub fn finish(self) -> Result<(), DynamoDbError> {
        let unused = |all: Vec<&String>, used: &BTreeSet<String>| {
            all.into_iter()
                .filter(|k| !used.contains(*k))
                .cloned()
                .collect::<Vec<_>>()
        };
        let names = unused(self.names.keys().collect(), &self.used_names);
        if !names.is_empty() {
            return Err(DynamoDbError::validation(format!(
                "Value provided in ExpressionAttributeNames unused in expressions: keys: {{{}}}",
                names.join(", ")
            )));
        }
        let values = unused(self.values.keys().collect(), &self.used_values);
        if !values.is_empty() {
            return Err(DynamoDbError::validation(format!(
                "Value provided in ExpressionAttributeValues unused in expressions: keys: {{{}}}",
                values.join(", ")
            )));
        }
        Ok(())
    }
}

/// Keywords are case-insensitive.
/// See <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.OperatorsAndFunctions.html>.
fn is_keyword(token: &Token, keyword: &str) -> bool {
    token.kind == TokenKind::Word && token.text.eq_ignore_ascii_case(keyword)
}

const RESERVED_IN_GRAMMAR: [&str; 9] = [
    "AND", "OR", "NOT", "BETWEEN", "IN", "SET", "REMOVE", "ADD", "DELETE",
];

struct Cursor<'p, 'a> {
    parser: &'p mut ExpressionParser<'a>,
    kind: ExpressionKind,
    tokens: Vec<Token>,
    position: usize,
    /// How many parentheses, `NOT`s and update functions enclose the current position.
    depth: usize,
}

impl<'p, 'a> Cursor<'p, 'a> {
    fn new(
        parser: &'p mut ExpressionParser<'a>,
        kind: ExpressionKind,
        text: &str,
    ) -> Result<Self, DynamoDbError> {
        if text.len() > MAX_EXPRESSION_BYTES {
            return Err(DynamoDbError::validation(format!(
                "Invalid {kind}: Expression size has exceeded the maximum allowed size; expression size: {}",
                text.len()
            )));
        }
        let tokens = tokenize(text).map_err(|invalid| {
            // DynamoDB's lexer error wording.
            DynamoDbError::validation(format!(
                "Invalid {kind}: Invalid character encountered; character: \"{}\", near: \"{}\"",
                invalid.character,
                &text[invalid.offset..]
            ))
        })?;
        if tokens.is_empty() {
            // See <https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/CommonErrors.html>.
            return Err(DynamoDbError::validation(format!(
                "Invalid {kind}: The expression can not be empty;"
            )));
        }
        Ok(Cursor {
            parser,
            kind,
            tokens,
            position: 0,
            depth: 0,
        })
    }

    /// Enters one nesting level, refusing to go deeper than `MAX_NESTING`.
    fn descend(&mut self) -> Result<(), DynamoDbError> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err(DynamoDbError::validation(format!(
                "Invalid {}: The expression nests more than {MAX_NESTING} levels deep, which local staging refuses",
                self.kind
            )));
        }
        Ok(())
    }

    fn ascend(&mut self) {
        self.depth -= 1;
    }

    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.position)
    }

    fn peek_at(&self, offset: usize) -> Option<&Token> {
        self.tokens.get(self.position + offset)
    }

    fn next(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.position).cloned();
        if token.is_some() {
            self.position += 1;
        }
        token
    }

    fn eat_symbol(&mut self, symbol: &str) -> bool {
        match self.peek() {
            Some(t) if t.kind == TokenKind::Symbol && t.text == symbol => {
                self.position += 1;
                true
            }
            _ => false,
        }
    }

    fn eat_keyword(&mut self, keyword: &str) -> bool {
        match self.peek() {
            Some(t) if is_keyword(t, keyword) => {
                self.position += 1;
                true
            }
            _ => false,
        }
    }

    /// DynamoDB's syntax error: the offending token and the tokens around it.
    fn syntax_error(&self) -> DynamoDbError {
        let token = self
            .peek()
            .map(|t| t.text.clone())
            .unwrap_or_else(|| "<EOF>".to_string());
        let from = self.position.saturating_sub(1);
        let to = (self.position + 2).min(self.tokens.len());
        let near = self.tokens[from..to]
            .iter()
            .map(|t| t.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        DynamoDbError::validation(format!(
            "Invalid {}: Syntax error; token: \"{token}\", near: \"{near}\"",
            self.kind
        ))
    }

    fn expect_symbol(&mut self, symbol: &str) -> Result<(), DynamoDbError> {
        if self.eat_symbol(symbol) {
            Ok(())
        } else {
            Err(self.syntax_error())
        }
    }

    fn expect_end(&self) -> Result<(), DynamoDbError> {
        if self.peek().is_some() {
            Err(self.syntax_error())
        } else {
            Ok(())
        }
    }

    /// OR binds loosest, then AND, then NOT.
    /// See <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.OperatorsAndFunctions.html#Expressions.OperatorsAndFunctions.Precedence>.
    fn or_condition(&mut self) -> Result<Condition, DynamoDbError> {
        let mut left = self.and_condition()?;
        while self.eat_keyword("OR") {
            let right = self.and_condition()?;
            left = Condition::Or(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn and_condition(&mut self) -> Result<Condition, DynamoDbError> {
        let mut left = self.not_condition()?;
        while self.eat_keyword("AND") {
            let right = self.not_condition()?;
            left = Condition::And(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn not_condition(&mut self) -> Result<Condition, DynamoDbError> {
        if self.eat_keyword("NOT") {
            self.descend()?;
            let negated = self.not_condition()?;
            self.ascend();
            return Ok(Condition::Not(Box::new(negated)));
        }
        self.primary_condition()
    }

    fn primary_condition(&mut self) -> Result<Condition, DynamoDbError> {
        if self.eat_symbol("(") {
            self.descend()?;
            let inner = self.or_condition()?;
            self.expect_symbol(")")?;
            self.ascend();
            return Ok(inner);
        }
        if let Some(name) = self.function_name() {
            match name.as_str() {
                "attribute_exists"
                | "attribute_not_exists"
                | "attribute_type"
                | "begins_with"
                | "contains" => return self.condition_function(&name),
                "size" => {}
                _ => {
                    return Err(DynamoDbError::validation(format!(
                        "Invalid {}: Invalid function name; function: {name}",
                        self.kind
                    )));
                }
            }
        }
        let left = self.operand()?;
        let comparator = match self.peek() {
            Some(t) if t.kind == TokenKind::Symbol => match t.text.as_str() {
                "=" => Some(Comparator::Eq),
                "<>" => Some(Comparator::Ne),
                "<" => Some(Comparator::Lt),
                "<=" => Some(Comparator::Le),
                ">" => Some(Comparator::Gt),
                ">=" => Some(Comparator::Ge),
                _ => None,
            },
            _ => None,
        };
        if let Some(comparator) = comparator {
            self.position += 1;
            let right = self.operand()?;
            return Ok(Condition::Compare(left, comparator, right));
        }
        if self.eat_keyword("BETWEEN") {
            let low = self.operand()?;
            if !self.eat_keyword("AND") {
                return Err(self.syntax_error());
            }
            let high = self.operand()?;
            return Ok(Condition::Between(left, low, high));
        }
        if self.eat_keyword("IN") {
            self.expect_symbol("(")?;
            let mut list = vec![self.operand()?];
            while self.eat_symbol(",") {
                list.push(self.operand()?);
            }
            self.expect_symbol(")")?;
            return Ok(Condition::In(left, list));
        }
        Err(self.syntax_error())
    }

    /// A word directly followed by `(` is a function call; function names are case-sensitive.
    fn function_name(&self) -> Option<String> {
        let word = self.peek().filter(|t| t.kind == TokenKind::Word)?;
        let open = self.peek_at(1)?;
        (open.kind == TokenKind::Symbol && open.text == "(").then(|| word.text.clone())
    }

    fn condition_function(&mut self, name: &str) -> Result<Condition, DynamoDbError> {
        self.position += 2;
        let first = self.operand()?;
        let condition = match name {
            "attribute_exists" | "attribute_not_exists" => {
                let path = self.require_path(name, first)?;
                if name == "attribute_exists" {
                    Condition::AttributeExists(path)
                } else {
                    Condition::AttributeNotExists(path)
                }
            }
            _ => {
                self.expect_symbol(",")?;
                let second = self.operand()?;
                match name {
                    "attribute_type" => {
                        Condition::AttributeType(self.require_path(name, first)?, second)
                    }
                    "begins_with" => Condition::BeginsWith(first, second),
                    _ => Condition::Contains(first, second),
                }
            }
        };
        self.expect_symbol(")")?;
        Ok(condition)
    }

    fn require_path(
        &self,
        function: &str,
        operand: Operand,
    ) -> Result<DocumentPath, DynamoDbError> {
        match operand {
            Operand::Path(path) => Ok(path),
            _ => Err(DynamoDbError::validation(format!(
                "Invalid {}: Operator or function requires a document path; operator or function: {function}",
                self.kind
            ))),
        }
    }

    fn operand(&mut self) -> Result<Operand, DynamoDbError> {
        if let Some(name) = self.function_name() {
            if name != "size" {
                return Err(DynamoDbError::validation(format!(
                    "Invalid {}: Invalid function name; function: {name}",
                    self.kind
                )));
            }
            self.position += 2;
            let inner = self.operand()?;
            let path = self.require_path("size", inner)?;
            self.expect_symbol(")")?;
            return Ok(Operand::Size(path));
        }
        match self.peek() {
            Some(t) if t.kind == TokenKind::ValuePlaceholder => {
                let value = self.value()?;
                Ok(Operand::Value(value))
            }
            _ => Ok(Operand::Path(self.path()?)),
        }
    }

    fn value(&mut self) -> Result<AttributeValue, DynamoDbError> {
        let Some(token) = self
            .peek()
            .filter(|t| t.kind == TokenKind::ValuePlaceholder)
            .cloned()
        else {
            return Err(self.syntax_error());
        };
        self.position += 1;
        match self.parser.values.get(&token.text) {
            Some(value) => {
                self.parser.used_values.insert(token.text);
                Ok(value.clone())
            }
            // See <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ExpressionAttributeValues.html>.
            None => Err(DynamoDbError::validation(format!(
                "Invalid {}: An expression attribute value used in expression is not defined; attribute value: {}",
                self.kind, token.text
            ))),
        }
    }

    fn path_name(&mut self) -> Result<String, DynamoDbError> {
        let Some(token) = self.peek().cloned() else {
            return Err(self.syntax_error());
        };
        match token.kind {
            TokenKind::Word if RESERVED_IN_GRAMMAR.iter().any(|k| is_keyword(&token, k)) => {
                Err(self.syntax_error())
            }
            // Reserved words may appear only through an expression attribute name.
            // See <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ReservedWords.html>.
            TokenKind::Word if is_reserved(&token.text) => Err(DynamoDbError::validation(format!(
                "Invalid {}: Attribute name is a reserved keyword; reserved keyword: {}",
                self.kind, token.text
            ))),
            TokenKind::Word => {
                self.position += 1;
                Ok(token.text)
            }
            TokenKind::NamePlaceholder => {
                self.position += 1;
                match self.parser.names.get(&token.text) {
                    Some(name) => {
                        self.parser.used_names.insert(token.text);
                        Ok(name.clone())
                    }
                    // See <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ExpressionAttributeNames.html>.
                    None => Err(DynamoDbError::validation(format!(
                        "Invalid {}: An expression attribute name used in the document path is not defined; attribute name: {}",
                        self.kind, token.text
                    ))),
                }
            }
            _ => Err(self.syntax_error()),
        }
    }

    fn path(&mut self) -> Result<DocumentPath, DynamoDbError> {
        let mut elements = vec![PathElement::Attribute(self.path_name()?)];
        loop {
            if self.eat_symbol(".") {
                elements.push(PathElement::Attribute(self.path_name()?));
            } else if self.eat_symbol("[") {
                let index = match self.next() {
                    Some(t) if t.kind == TokenKind::Integer => t.text.parse::<usize>().ok(),
                    _ => None,
                };
                let Some(index) = index else {
                    self.position = self.position.saturating_sub(1);
                    return Err(self.syntax_error());
                };
                elements.push(PathElement::Index(index));
                self.expect_symbol("]")?;
            } else {
                return Ok(DocumentPath { elements });
            }
        }
    }

    fn update_clauses(&mut self) -> Result<Vec<UpdateAction>, DynamoDbError> {
        let mut actions = Vec::new();
        let mut seen = BTreeSet::new();
        while let Some(token) = self.peek().cloned() {
            let clause = ["SET", "REMOVE", "ADD", "DELETE"]
                .into_iter()
                .find(|k| is_keyword(&token, k));
            let Some(clause) = clause else {
                return Err(self.syntax_error());
            };
            self.position += 1;
            if !seen.insert(clause) {
                // See <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.UpdateExpressions.html>.
                return Err(DynamoDbError::validation(format!(
                    "Invalid UpdateExpression: The \"{clause}\" section can only be used once in an update expression;"
                )));
            }
            loop {
                let path = self.path()?;
                let action = match clause {
                    "SET" => {
                        self.expect_symbol("=")?;
                        UpdateAction::Set(path, self.set_value()?)
                    }
                    "REMOVE" => UpdateAction::Remove(path),
                    "ADD" => UpdateAction::Add(path, self.value()?),
                    _ => UpdateAction::Delete(path, self.value()?),
                };
                actions.push(action);
                if !self.eat_symbol(",") {
                    break;
                }
            }
        }
        Ok(actions)
    }

    fn set_value(&mut self) -> Result<SetValue, DynamoDbError> {
        let left = self.set_operand()?;
        if self.eat_symbol("+") {
            return Ok(SetValue::Plus(
                Box::new(left),
                Box::new(self.set_operand()?),
            ));
        }
        if self.eat_symbol("-") {
            return Ok(SetValue::Minus(
                Box::new(left),
                Box::new(self.set_operand()?),
            ));
        }
        Ok(left)
    }

    fn set_operand(&mut self) -> Result<SetValue, DynamoDbError> {
        if let Some(name) = self.function_name() {
            self.position += 2;
            self.descend()?;
            let result = match name.as_str() {
                "if_not_exists" => {
                    let path = self.path()?;
                    self.expect_symbol(",")?;
                    SetValue::IfNotExists(path, Box::new(self.set_operand()?))
                }
                "list_append" => {
                    let first = self.set_operand()?;
                    self.expect_symbol(",")?;
                    SetValue::ListAppend(Box::new(first), Box::new(self.set_operand()?))
                }
                _ => {
                    return Err(DynamoDbError::validation(format!(
                        "Invalid UpdateExpression: Invalid function name; function: {name}"
                    )));
                }
            };
            self.expect_symbol(")")?;
            self.ascend();
            return Ok(result);
        }
        match self.peek() {
            Some(t) if t.kind == TokenKind::ValuePlaceholder => Ok(SetValue::Value(self.value()?)),
            _ => Ok(SetValue::Path(self.path()?)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> BTreeMap<String, String> {
        BTreeMap::from([("#s".to_string(), "status".to_string())])
    }

    fn values() -> BTreeMap<String, AttributeValue> {
        BTreeMap::from([
            (":a".to_string(), AttributeValue::S("a".into())),
            (":n".to_string(), AttributeValue::N("1".into())),
        ])
    }

    fn condition(text: &str) -> Result<Condition, DynamoDbError> {
        let (n, v) = (names(), values());
        ExpressionParser::new(&n, &v).condition(ExpressionKind::Condition, text)
    }

    fn path(name: &str) -> Operand {
        Operand::Path(DocumentPath {
            elements: vec![PathElement::Attribute(name.into())],
        })
    }

    fn eq(name: &str) -> Condition {
        Condition::Compare(
            path(name),
            Comparator::Eq,
            Operand::Value(AttributeValue::S("a".into())),
        )
    }

    #[test]
    fn not_binds_tighter_than_and_which_binds_tighter_than_or() {
        let parsed = condition("NOT x = :a AND y = :a OR z = :a").unwrap();
        let expected = Condition::Or(
            Box::new(Condition::And(
                Box::new(Condition::Not(Box::new(eq("x")))),
                Box::new(eq("y")),
            )),
            Box::new(eq("z")),
        );
        assert_eq!(parsed, expected);
    }

    #[test]
    fn parentheses_override_precedence_and_keywords_ignore_case() {
        let parsed = condition("x = :a and (y = :a or z = :a)").unwrap();
        let expected = Condition::And(
            Box::new(eq("x")),
            Box::new(Condition::Or(Box::new(eq("y")), Box::new(eq("z")))),
        );
        assert_eq!(parsed, expected);
    }

    #[test]
    fn parses_between_in_functions_and_nested_paths() {
        assert!(matches!(
            condition("a BETWEEN :n AND :n").unwrap(),
            Condition::Between(..)
        ));
        assert!(matches!(
            condition("a IN (:a, :n)").unwrap(),
            Condition::In(_, list) if list.len() == 2
        ));
        assert!(matches!(
            condition("attribute_not_exists(#s)").unwrap(),
            Condition::AttributeNotExists(p) if p.top_level() == "status"
        ));
        assert!(matches!(
            condition("size(a.b[2]) > :n").unwrap(),
            Condition::Compare(Operand::Size(p), Comparator::Gt, _)
                if p.elements == vec![
                    PathElement::Attribute("a".into()),
                    PathElement::Attribute("b".into()),
                    PathElement::Index(2)
                ]
        ));
    }

    #[test]
    fn undefined_placeholders_use_aws_wording() {
        assert_eq!(
            condition("#missing = :a").unwrap_err(),
            DynamoDbError::validation(
                "Invalid ConditionExpression: An expression attribute name used in the document path is not defined; attribute name: #missing"
            )
        );
        assert_eq!(
            condition("a = :missing").unwrap_err(),
            DynamoDbError::validation(
                "Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :missing"
            )
        );
    }

    #[test]
    fn syntax_errors_name_the_token() {
        assert_eq!(
            condition("a = ").unwrap_err(),
            DynamoDbError::validation(
                "Invalid ConditionExpression: Syntax error; token: \"<EOF>\", near: \"=\""
            )
        );
        assert!(matches!(
            condition("a = :a :n").unwrap_err(),
            DynamoDbError::Validation(m) if m.contains("Syntax error; token: \":n\"")
        ));
        assert!(matches!(
            condition("bogus(a)").unwrap_err(),
            DynamoDbError::Validation(m) if m.contains("Invalid function name; function: bogus")
        ));
        assert!(matches!(
            condition("attribute_exists(:a)").unwrap_err(),
            DynamoDbError::Validation(m) if m.contains("requires a document path")
        ));
        assert!(matches!(
            condition("").unwrap_err(),
            DynamoDbError::Validation(m) if m.contains("can not be empty")
        ));
    }

    #[test]
    fn reserved_words_need_a_placeholder() {
        assert_eq!(
            condition("status = :a").unwrap_err(),
            DynamoDbError::validation(
                "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: status"
            )
        );
        assert!(condition("#s = :a").is_ok());
    }

    #[test]
    fn unused_placeholders_are_rejected() {
        let (n, v) = (names(), values());
        let mut parser = ExpressionParser::new(&n, &v);
        parser
            .condition(ExpressionKind::Condition, "#s = :a")
            .unwrap();
        assert_eq!(
            parser.finish().unwrap_err(),
            DynamoDbError::validation(
                "Value provided in ExpressionAttributeValues unused in expressions: keys: {:n}"
            )
        );
    }

    #[test]
    fn parses_update_clauses_and_rejects_overlap_and_repeats() {
        let (n, v) = (names(), values());
        let mut parser = ExpressionParser::new(&n, &v);
        let actions = parser
            .update(
                "SET a = a + :n, b = if_not_exists(b, :a), c = list_append(c, c) REMOVE d ADD e :n",
            )
            .unwrap();
        assert_eq!(actions.len(), 5);
        assert!(matches!(
            &actions[0],
            UpdateAction::Set(_, SetValue::Plus(..))
        ));
        assert!(matches!(&actions[4], UpdateAction::Add(..)));
        assert!(matches!(
            parser.update("SET a = :n REMOVE a").unwrap_err(),
            DynamoDbError::Validation(m) if m.contains("Two document paths overlap")
        ));
        assert!(matches!(
            parser.update("SET a = :n SET b = :n").unwrap_err(),
            DynamoDbError::Validation(m) if m.contains("\"SET\" section can only be used once")
        ));
    }

    #[test]
    fn parses_projections() {
        let (n, v) = (names(), values());
        let paths = ExpressionParser::new(&n, &v)
            .projection("pk, #s, a.b")
            .unwrap();
        assert_eq!(paths.len(), 3);
        assert_eq!(paths[1].top_level(), "status");
    }

    #[test]
    fn an_expression_over_4_kb_is_refused() {
        let at_limit = format!("a = :a{}", " ".repeat(MAX_EXPRESSION_BYTES - 6));
        assert!(condition(&at_limit).is_ok());
        let over = format!("{at_limit} ");
        assert!(matches!(
            condition(&over).unwrap_err(),
            DynamoDbError::Validation(m) if m.contains("Expression size has exceeded the maximum allowed size")
        ));
    }

    #[test]
    fn nesting_is_bounded_instead_of_exhausting_the_stack() {
        let nested = |depth: usize| format!("{}a = :a{}", "(".repeat(depth), ")".repeat(depth));
        assert_eq!(condition(&nested(MAX_NESTING)).unwrap(), eq("a"));
        assert!(matches!(
            condition(&nested(MAX_NESTING + 1)).unwrap_err(),
            DynamoDbError::Validation(m) if m.contains("nests more than")
        ));
        // Siblings do not add up: depth is how deeply, not how often.
        let siblings = vec!["(a = :a)"; 100].join(" AND ");
        assert!(condition(&siblings).is_ok());
        assert!(condition(&format!("{}a = :a", "NOT ".repeat(MAX_NESTING + 1))).is_err());

        let (n, v) = (names(), values());
        let mut parser = ExpressionParser::new(&n, &v);
        let appends = |depth: usize| {
            format!(
                "SET l = {}l{}",
                "list_append(".repeat(depth),
                ", l)".repeat(depth)
            )
        };
        assert!(parser.update(&appends(MAX_NESTING)).is_ok());
        assert!(parser.update(&appends(MAX_NESTING + 1)).is_err());
    }
}
