//! The DynamoDB service of local staging: routes `DynamoDB_20120810.*` requests to their
//! operation and answers in the DynamoDB JSON 1.0 protocol.

use super::error::{CONTENT_TYPE, DynamoDbError};
use super::operations::{
    OperationContext, batch_get_item, batch_write_item, delete_item, get_item, put_item, query,
    scan, update_item,
};
use super::table::Table;
use crate::sim::core::SimCore;
use crate::sim::request::{SimRequest, SimResponse};
use crate::sim::world::{World, WorldError};
use http::StatusCode;
use std::collections::BTreeMap;

/// Local staging's DynamoDB: the world's tables, held in memory.
pub struct DynamoDbService {
    tables: BTreeMap<String, Table>,
}

impl DynamoDbService {
    /// Seeds the service from the world file. Reports the first problem; the world's
    /// `dynamodb` section can list them all with `DynamoDbWorld::validate`.
    pub fn from_world(world: &World, _core: &dyn SimCore) -> Result<Self, WorldError> {
        let tables = world
            .dynamodb
            .validate(&world.region, &world.account_id)
            .map_err(|errors| {
                errors.into_iter().next().unwrap_or_else(|| WorldError {
                    path: "dynamodb".to_string(),
                    message: "invalid dynamodb section".to_string(),
                })
            })?;
        Ok(DynamoDbService {
            tables: tables.into_iter().map(|t| (t.name.clone(), t)).collect(),
        })
    }

    /// Serves one verified request routed to this service.
    pub fn handle(&self, core: &dyn SimCore, request: &SimRequest) -> SimResponse {
        match self.dispatch(core, request) {
            Ok(body) => SimResponse::json(StatusCode::OK, CONTENT_TYPE, &body),
            Err(error) => error.to_response(),
        }
    }

    /// The names of the tables, in order.
    pub fn table_names(&self) -> impl Iterator<Item = &str> {
        self.tables.keys().map(String::as_str)
    }

    fn dispatch(
        &self,
        core: &dyn SimCore,
        request: &SimRequest,
    ) -> Result<serde_json::Value, DynamoDbError> {
        // Every DynamoDB operation requires a signed request.
        // See <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CommonErrors.html>.
        let Some(principal) = request.caller.as_deref() else {
            return Err(DynamoDbError::MissingAuthenticationToken);
        };
        let target = request.header("x-amz-target").unwrap_or_default();
        // Operations are named `DynamoDB_20120810.<Operation>` in `X-Amz-Target`.
        // See <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.LowLevelAPI.html>.
        let Some(operation) = target.strip_prefix("DynamoDB_20120810.") else {
            return Err(DynamoDbError::UnknownOperation(target.to_string()));
        };
        let context = OperationContext {
            core,
            principal,
            tables: &self.tables,
        };
        let body = &request.body;
        match operation {
            "GetItem" => get_item::get_item(&context, body),
            "BatchGetItem" => batch_get_item::batch_get_item(&context, body),
            "BatchWriteItem" => batch_write_item::batch_write_item(&context, body),
            "PutItem" => put_item::put_item(&context, body),
            "UpdateItem" => update_item::update_item(&context, body),
            "DeleteItem" => delete_item::delete_item(&context, body),
            "Query" => query::query(&context, body),
            "Scan" => scan::scan(&context, body),
            other => Err(DynamoDbError::UnknownOperation(other.to_string())),
        }
    }
}
