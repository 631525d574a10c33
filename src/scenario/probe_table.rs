//! The probe table of the design: which abstract actions and exact APIs each kind of
//! resource can be probed with. A scenario naming anything else is rejected up front, so a
//! run never discovers mid-way that a probe cannot be made.

use super::plan::Action;

/// The kinds of resource a scenario can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResourceKind {
    S3Object,
    S3Prefix,
    DynamoDbItem,
    Secret,
}

impl ResourceKind {
    /// The IAM service prefix of the resource's API calls.
    pub fn service(self) -> &'static str {
        match self {
            ResourceKind::S3Object | ResourceKind::S3Prefix => "s3",
            ResourceKind::DynamoDbItem => "dynamodb",
            ResourceKind::Secret => "secretsmanager",
        }
    }

    /// The key that introduces the kind in a scenario file.
    pub fn key(self) -> &'static str {
        match self {
            ResourceKind::S3Object => "s3_object",
            ResourceKind::S3Prefix => "s3_prefix",
            ResourceKind::DynamoDbItem => "dynamodb_item",
            ResourceKind::Secret => "secret",
        }
    }

    fn describe(self) -> &'static str {
        match self {
            ResourceKind::S3Object => "an S3 object",
            ResourceKind::S3Prefix => "an S3 prefix",
            ResourceKind::DynamoDbItem => "a DynamoDB item",
            ResourceKind::Secret => "a Secrets Manager secret",
        }
    }

    /// The API an abstract action maps to, or `None` when the table has no such probe.
    pub fn api_for(self, action: &Action) -> Option<&'static str> {
        match (self, action) {
            (ResourceKind::S3Object, Action::Read) => Some("s3:GetObject"),
            (ResourceKind::S3Object, Action::Write) => Some("s3:PutObject"),
            (ResourceKind::S3Object, Action::Delete) => Some("s3:DeleteObject"),
            (ResourceKind::S3Prefix, Action::List) => Some("s3:ListObjectsV2"),
            (ResourceKind::DynamoDbItem, Action::Read) => Some("dynamodb:GetItem"),
            (ResourceKind::DynamoDbItem, Action::Write) => Some("dynamodb:PutItem"),
            (ResourceKind::DynamoDbItem, Action::List) => Some("dynamodb:Scan"),
            (ResourceKind::DynamoDbItem, Action::Delete) => Some("dynamodb:DeleteItem"),
            (ResourceKind::Secret, Action::Read) => Some("secretsmanager:GetSecretValue"),
            (ResourceKind::Secret, Action::Write) => Some("secretsmanager:PutSecretValue"),
            // ListSecrets has no resource type, so it is account-wide (Service Authorization
            // Reference, "Actions, resources, and condition keys for AWS Secrets Manager").
            (ResourceKind::Secret, Action::List) => Some("secretsmanager:ListSecrets"),
            _ => None,
        }
    }

    /// Every exact API the probe table has for this kind.
    pub fn apis(self) -> &'static [&'static str] {
        match self {
            ResourceKind::S3Object => &[
                "s3:GetObject",
                "s3:PutObject",
                "s3:DeleteObject",
                "s3:HeadObject",
            ],
            ResourceKind::S3Prefix => &["s3:ListObjectsV2"],
            ResourceKind::DynamoDbItem => &[
                "dynamodb:GetItem",
                "dynamodb:Query",
                "dynamodb:PutItem",
                "dynamodb:UpdateItem",
                "dynamodb:Scan",
                "dynamodb:DeleteItem",
            ],
            ResourceKind::Secret => &[
                "secretsmanager:GetSecretValue",
                "secretsmanager:PutSecretValue",
                "secretsmanager:ListSecrets",
                "secretsmanager:DescribeSecret",
            ],
        }
    }

    fn abstract_actions(self) -> Vec<&'static str> {
        [
            ("read", Action::Read),
            ("write", Action::Write),
            ("list", Action::List),
            ("delete", Action::Delete),
        ]
        .into_iter()
        .filter(|(_, action)| self.api_for(action).is_some())
        .map(|(word, _)| word)
        .collect()
    }
}

/// Why an action cannot be probed on a resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionProblem {
    pub message: String,
    pub help: String,
}

/// Reads one entry of a resource's `actions`.
pub fn parse_action(text: &str, kind: ResourceKind) -> Result<Action, ActionProblem> {
    let abstract_action = match text {
        "read" => Some(Action::Read),
        "write" => Some(Action::Write),
        "list" => Some(Action::List),
        "delete" => Some(Action::Delete),
        _ => None,
    };
    let choices = || {
        let mut all: Vec<String> = kind
            .abstract_actions()
            .iter()
            .map(|a| a.to_string())
            .collect();
        all.extend(kind.apis().iter().map(|a| a.to_string()));
        all
    };
    if let Some(action) = abstract_action {
        if kind.api_for(&action).is_some() {
            return Ok(action);
        }
        let hint = match (kind, &action) {
            (ResourceKind::S3Object, Action::List) => {
                "listing works on a prefix: add an `s3_prefix` resource with `actions: [list]`"
                    .to_string()
            }
            (ResourceKind::S3Prefix, _) => {
                "reads, writes and deletes work on an object: add an `s3_object` resource"
                    .to_string()
            }
            _ => format!("actions for {}: {}", kind.describe(), quoted(&choices())),
        };
        return Err(ActionProblem {
            message: format!("`{text}` cannot be probed on {}", kind.describe()),
            help: hint,
        });
    }
    let Some((service, operation)) = text.split_once(':') else {
        let suggestion = closest(text, &choices());
        return Err(ActionProblem {
            message: format!("unknown action `{text}`"),
            help: match suggestion {
                Some(s) => format!(
                    "did you mean `{s}`? actions for {}: {}",
                    kind.describe(),
                    quoted(&choices())
                ),
                None => format!("actions for {}: {}", kind.describe(), quoted(&choices())),
            },
        });
    };
    if service != kind.service() {
        return Err(ActionProblem {
            message: format!(
                "`{text}` is a `{service}` API, but this resource is {}",
                kind.describe()
            ),
            help: format!("APIs for {}: {}", kind.describe(), quoted(kind.apis())),
        });
    }
    if let Some(api) = kind.apis().iter().find(|api| **api == text) {
        return Ok(Action::Api((*api).into()));
    }
    let exact_case = kind
        .apis()
        .iter()
        .find(|api| api.eq_ignore_ascii_case(text));
    Err(ActionProblem {
        message: format!("`{text}` is not in the probe table for {}", kind.describe()),
        help: match exact_case {
            Some(api) => format!("API names are case-sensitive: did you mean `{api}`?"),
            None => format!(
                "`{operation}` is not probed; APIs for {}: {}",
                kind.describe(),
                quoted(kind.apis())
            ),
        },
    })
}

fn quoted<S: AsRef<str>>(items: &[S]) -> String {
    items
        .iter()
        .map(|item| format!("`{}`", item.as_ref()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The candidate closest to `text`, if any is close enough to be a likely typo.
pub fn closest<S: AsRef<str>>(text: &str, candidates: &[S]) -> Option<String> {
    candidates
        .iter()
        .map(|c| (strsim::damerau_levenshtein(text, c.as_ref()), c.as_ref()))
        .filter(|(distance, candidate)| *distance <= (candidate.len() / 3).max(2))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abstract_actions_map_to_the_design_table() {
        assert_eq!(
            ResourceKind::S3Object.api_for(&Action::Write),
            Some("s3:PutObject")
        );
        assert_eq!(
            ResourceKind::DynamoDbItem.api_for(&Action::List),
            Some("dynamodb:Scan")
        );
        assert_eq!(ResourceKind::Secret.api_for(&Action::Delete), None);
        assert_eq!(parse_action("read", ResourceKind::Secret), Ok(Action::Read));
    }

    #[test]
    fn exact_apis_must_belong_to_the_resource_service_and_table() {
        assert_eq!(
            parse_action("s3:HeadObject", ResourceKind::S3Object),
            Ok(Action::Api("s3:HeadObject".into()))
        );
        let wrong_service = parse_action("s3:GetObject", ResourceKind::DynamoDbItem).unwrap_err();
        assert!(wrong_service.message.contains("`s3` API"));
        let not_probed = parse_action("s3:GetObjectAcl", ResourceKind::S3Object).unwrap_err();
        assert!(not_probed.message.contains("not in the probe table"));
        let wrong_case = parse_action("dynamodb:getitem", ResourceKind::DynamoDbItem).unwrap_err();
        assert!(wrong_case.help.contains("`dynamodb:GetItem`"));
        let typo = parse_action("raed", ResourceKind::S3Object).unwrap_err();
        assert!(typo.help.contains("did you mean `read`"));
        let no_delete = parse_action("delete", ResourceKind::Secret).unwrap_err();
        assert!(no_delete.message.contains("cannot be probed"));
    }
}
