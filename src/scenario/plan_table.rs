//! Renders a plan for `xtenant plan`: an aligned table for people, or JSON for tools.

use super::plan::Plan;

/// One line per probe: name, expectation, the rule that gave it, and the concrete target.
pub fn render_table(plan: &Plan) -> String {
    let rows: Vec<[String; 4]> = plan
        .probes
        .iter()
        .map(|probe| {
            [
                probe.name.to_string(),
                format!("{:?}", probe.expectation).to_lowercase(),
                probe.source.to_string(),
                match &probe.shape {
                    Some(shape) => {
                        format!("{} via {}", describe_target(&probe.target), shape.api())
                    }
                    None => describe_target(&probe.target),
                },
            ]
        })
        .collect();
    let headers = ["PROBE", "EXPECT", "RULE", "TARGET"];
    let mut widths = headers.map(str::len);
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let mut line = |cells: [&str; 4]| {
        let text = cells
            .iter()
            .zip(widths)
            .map(|(cell, width)| format!("{cell:<width$}"))
            .collect::<Vec<_>>()
            .join("  ");
        out.push_str(text.trim_end());
        out.push('\n');
    };
    line(headers);
    for row in &rows {
        line([&row[0], &row[1], &row[2], &row[3]]);
    }
    out.push_str(&format!("{} probes\n", rows.len()));
    out
}

fn describe_target(target: &super::plan::ResourceTarget) -> String {
    use super::plan::{KeyValue, ResourceTarget};
    let value = |v: &KeyValue| match v {
        KeyValue::S(s) => format!("S:{s}"),
        KeyValue::N(n) => format!("N:{n}"),
    };
    match target {
        ResourceTarget::S3Object { bucket, key } => format!("s3://{bucket}/{key}"),
        ResourceTarget::S3Prefix { bucket, prefix } => format!("s3://{bucket}/{prefix}*"),
        ResourceTarget::DynamoDbItem { table, key } => {
            let mut text = format!(
                "dynamodb:{table}[{}={}",
                key.partition.0,
                value(&key.partition.1)
            );
            if let Some((name, v)) = &key.sort {
                text.push_str(&format!(", {name}={}", value(v)));
            }
            text.push(']');
            text
        }
        ResourceTarget::Secret { secret_id } => format!("secretsmanager:{secret_id}"),
        ResourceTarget::Identity { attack } => attack.describe(),
    }
}

/// The plan as pretty JSON (the `Plan` contract's serde form).
pub fn render_json(plan: &Plan) -> String {
    // Serialising plain strings and enums cannot fail.
    serde_json::to_string_pretty(plan).unwrap_or_else(|error| format!("{{\"error\": \"{error}\"}}"))
}
