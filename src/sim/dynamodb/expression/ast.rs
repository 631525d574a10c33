//! The parsed form of DynamoDB expressions, placeholders already resolved.

use super::super::attribute_value::AttributeValue;
use std::fmt;

/// One step of a document path: an attribute or map key, or a list index.
#[derive(Debug, Clone, PartialEq)]
pub enum PathElement {
    Attribute(String),
    Index(usize),
}

/// A document path such as `address.lines[0]`.
/// See <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.Attributes.html#Expressions.Attributes.NestedElements.DocumentPathExamples>.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentPath {
    pub elements: Vec<PathElement>,
}

impl DocumentPath {
    /// The top-level attribute the path starts at.
    pub fn top_level(&self) -> &str {
        match self.elements.first() {
            Some(PathElement::Attribute(name)) => name,
            _ => "",
        }
    }

    /// Whether one path is a prefix of the other (or they are equal), which DynamoDB
    /// rejects in one update expression.
    pub fn overlaps(&self, other: &DocumentPath) -> bool {
        let shorter = self.elements.len().min(other.elements.len());
        self.elements[..shorter] == other.elements[..shorter]
    }
}

impl fmt::Display for DocumentPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, element) in self.elements.iter().enumerate() {
            match element {
                PathElement::Attribute(name) if i == 0 => write!(f, "{name}")?,
                PathElement::Attribute(name) => write!(f, ", {name}")?,
                PathElement::Index(index) => write!(f, ", [{index}]")?,
            }
        }
        Ok(())
    }
}

/// A value a condition compares.
#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    Path(DocumentPath),
    Value(AttributeValue),
    /// `size(path)`.
    Size(DocumentPath),
}

/// The comparators of condition expressions.
/// See <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.OperatorsAndFunctions.html#Expressions.OperatorsAndFunctions.Comparators>.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparator {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// A condition (or filter, or key condition) expression.
/// See <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.OperatorsAndFunctions.html#Expressions.OperatorsAndFunctions.Syntax>.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    Compare(Operand, Comparator, Operand),
    Between(Operand, Operand, Operand),
    In(Operand, Vec<Operand>),
    AttributeExists(DocumentPath),
    AttributeNotExists(DocumentPath),
    AttributeType(DocumentPath, Operand),
    BeginsWith(Operand, Operand),
    Contains(Operand, Operand),
    And(Box<Condition>, Box<Condition>),
    Or(Box<Condition>, Box<Condition>),
    Not(Box<Condition>),
}

impl Condition {
    /// Every document path the condition reads.
    pub fn paths(&self) -> Vec<&DocumentPath> {
        let mut out = Vec::new();
        self.collect_paths(&mut out);
        out
    }

    fn collect_paths<'a>(&'a self, out: &mut Vec<&'a DocumentPath>) {
        let operand = |o: &'a Operand, out: &mut Vec<&'a DocumentPath>| match o {
            Operand::Path(p) | Operand::Size(p) => out.push(p),
            Operand::Value(_) => {}
        };
        match self {
            Condition::Compare(a, _, b)
            | Condition::BeginsWith(a, b)
            | Condition::Contains(a, b) => {
                operand(a, out);
                operand(b, out);
            }
            Condition::Between(a, b, c) => {
                operand(a, out);
                operand(b, out);
                operand(c, out);
            }
            Condition::In(a, list) => {
                operand(a, out);
                for o in list {
                    operand(o, out);
                }
            }
            Condition::AttributeExists(p) | Condition::AttributeNotExists(p) => out.push(p),
            Condition::AttributeType(p, o) => {
                out.push(p);
                operand(o, out);
            }
            Condition::And(a, b) | Condition::Or(a, b) => {
                a.collect_paths(out);
                b.collect_paths(out);
            }
            Condition::Not(a) => a.collect_paths(out),
        }
    }
}

/// The right-hand side of a `SET` action.
/// See <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.UpdateExpressions.html#Expressions.UpdateExpressions.SET>.
#[derive(Debug, Clone, PartialEq)]
pub enum SetValue {
    Path(DocumentPath),
    Value(AttributeValue),
    /// `if_not_exists(path, value)`.
    IfNotExists(DocumentPath, Box<SetValue>),
    /// `list_append(list1, list2)`.
    ListAppend(Box<SetValue>, Box<SetValue>),
    Plus(Box<SetValue>, Box<SetValue>),
    Minus(Box<SetValue>, Box<SetValue>),
}

impl SetValue {
    fn collect_paths<'a>(&'a self, out: &mut Vec<&'a DocumentPath>) {
        match self {
            SetValue::Path(p) => out.push(p),
            SetValue::Value(_) => {}
            SetValue::IfNotExists(p, v) => {
                out.push(p);
                v.collect_paths(out);
            }
            SetValue::ListAppend(a, b) | SetValue::Plus(a, b) | SetValue::Minus(a, b) => {
                a.collect_paths(out);
                b.collect_paths(out);
            }
        }
    }
}

/// One action of an update expression.
/// See <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.UpdateExpressions.html>.
#[derive(Debug, Clone, PartialEq)]
pub enum UpdateAction {
    Set(DocumentPath, SetValue),
    Remove(DocumentPath),
    Add(DocumentPath, AttributeValue),
    Delete(DocumentPath, AttributeValue),
}

impl UpdateAction {
    /// The path the action writes.
    pub fn target(&self) -> &DocumentPath {
        match self {
            UpdateAction::Set(p, _)
            | UpdateAction::Remove(p)
            | UpdateAction::Add(p, _)
            | UpdateAction::Delete(p, _) => p,
        }
    }

    /// Every document path the action writes or reads.
    pub fn paths(&self) -> Vec<&DocumentPath> {
        let mut out = vec![self.target()];
        if let UpdateAction::Set(_, value) = self {
            value.collect_paths(&mut out);
        }
        out
    }
}
