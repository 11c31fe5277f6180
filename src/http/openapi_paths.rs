//! The hand-written part of the OpenAPI document (`openapi.rs` generates the message
//! schemas): the paths, the error body, health, and VROOM's documents (described, not
//! schematised: `crate::vroom` reads them with its own field-by-field errors).

use serde_json::{Map, Value, json};

/// The document's description.
pub const DESCRIPTION: &str = "Shared delivery and collection rounds for short food \
supply chains. The native endpoints take and answer the gRPC API's messages \
(tournee.v1.Routing) in the proto3 JSON mapping; errors carry the gRPC code's name and \
an HTTP status that mirrors it. With API keys configured, every endpoint but /health and \
/openapi.json needs `Authorization: Bearer <key>`. A client may state how long it waits \
in `X-Request-Timeout-Ms`: the search ends in time to answer.";

/// The paths.
pub fn paths() -> Value {
    let mut paths = json!({
        "/v1/solve": native(
            "Solve",
            "Solves a problem; answers the best plan found within the options' limits.",
            "SolveRequest",
            "SolveResponse",
        ),
        "/v1/matrix": native(
            "ComputeMatrix",
            "Travel duration and distance matrices between points.",
            "ComputeMatrixRequest",
            "ComputeMatrixResponse",
        ),
        "/": vroom("vroomSolve"),
        "/optimization": vroom("vroomOptimization"),
        "/dfc/v1/plan": native(
            "dfcPlan",
            "Plans a DFC (Data Food Consortium) order cycle: DFC JSON-LD in, routes, steps, shipments and cost shares as DFC JSON-LD out; a document's problems are violations with reasons dfc.* and paths `<node @id> <property>`.",
            "DfcEnvelope",
            "DfcPlan",
        ),
        "/v1/convert/vroom": native(
            "ConvertVroom",
            "Reads a VROOM document as the native SolveRequest (nothing solved), as the planner page does before submitting it; bad fields are violations with VROOM's paths.",
            "VroomInput",
            "SolveRequest",
        ),
        "/v1/convert/dfc": native(
            "ConvertDfc",
            "Reads a DFC JSON-LD document (alone or in the envelope of /dfc/v1/plan) as the native SolveRequest (nothing solved); its problems are violations with reasons dfc.*.",
            "DfcEnvelope",
            "SolveRequest",
        ),
        "/v1/roads": {"get": method(
            "Roads",
            "The road graph's roads (serve --osm) with an end inside the box, as encoded polylines (precision 5); none without a road graph; 400 at bbox when the box holds more than 50,000 segments.",
            None,
            "Roads",
            vec![json!({"name": "bbox", "in": "query", "required": true,
                        "description": "minLon,minLat,maxLon,maxLat in degrees.",
                        "schema": {"type": "string"}})],
        )},
        "/health": {"get": {
            "operationId": "health",
            "summary": "Whether the server takes calls (503 while it drains at shutdown).",
            "security": [],
            "responses": {
                "200": {"description": "Serving.", "content": json_of("Health")},
                "503": {"description": "Draining.", "content": json_of("Health")},
            },
        }},
        "/openapi.json": {"get": {
            "operationId": "openapi",
            "summary": "This document.",
            "security": [],
            "responses": {"200": {"description": "The OpenAPI document."}},
        }},
    });
    if let (Some(all), Value::Object(operations)) = (paths.as_object_mut(), operations()) {
        all.extend(operations);
    }
    paths
}

/// A native method answered at `POST`.
fn native(operation: &str, summary: &str, request: &str, response: &str) -> Value {
    json!({"post": method(operation, summary, Some(request), response, Vec::new())})
}

/// A native method: its request body (if any), its answer, its parameters beyond the
/// common headers, and the error statuses it may give.
fn method(
    operation: &str,
    summary: &str,
    request: Option<&str>,
    response: &str,
    mut parameters: Vec<Value>,
) -> Value {
    let error =
        |description: &str| json!({"description": description, "content": json_of("Error")});
    parameters.extend([timeout_header(), request_id_header()]);
    let mut method = json!({
        "operationId": operation,
        "summary": summary,
        "security": [{"apiKey": []}],
        "parameters": parameters,
        "responses": {
            "200": {"description": "The answer.", "content": json_of(response)},
            "400": error("INVALID_ARGUMENT (every bad field listed), FAILED_PRECONDITION or OUT_OF_RANGE."),
            "401": error("UNAUTHENTICATED: no valid API key."),
            "404": error("NOT_FOUND: no such endpoint, or no such operation."),
            "413": error("The body is larger than the server reads (64 MiB)."),
            "429": error("RESOURCE_EXHAUSTED: every solver busy and the queue full; see Retry-After."),
            "500": error("INTERNAL."),
            "503": error("UNAVAILABLE: an OSRM server did not answer."),
            "504": error("DEADLINE_EXCEEDED: the deadline passed while the call waited."),
        },
    });
    if let Some(request) = request {
        method["requestBody"] = json!({"required": true, "content": json_of(request)});
    }
    method
}

/// The long-running operations (`operations/ID` at `/v1/operations/ID`).
fn operations() -> Value {
    let id = json!({"name": "id", "in": "path", "required": true,
                    "description": "The operation's name without `operations/`.",
                    "schema": {"type": "string"}});
    let query = |name: &str, description: &str| {
        json!({"name": name, "in": "query", "required": false, "description": description,
               "schema": {"type": name_type(name)}})
    };
    json!({
        "/v1/operations": {
            "post": method("SubmitSolve", "Accepts a problem as a long-running operation; answers its name at once.",
                           Some("SolveRequest"), "Operation", Vec::new()),
            "get": method("ListOperations", "The caller's operations, oldest first, a page at a time.",
                          None, "ListOperationsResponse",
                          vec![query("pageSize", "Most operations in one page; 0: 50; at most 1,000."),
                               query("pageToken", "nextPageToken of the previous page.")]),
        },
        "/v1/operations/{id}": {
            "get": method("GetOperation", "The operation's latest state.", None, "Operation", vec![id.clone()]),
            "delete": method("DeleteOperation", "Deletes a done operation.", None,
                             "DeleteOperationResponse", vec![id.clone()]),
        },
        "/v1/operations/{id}/wait": {
            "post": method("WaitOperation", "Waits until the operation is done or the timeout passes.",
                           None, "Operation",
                           vec![id.clone(), query("timeoutMs", "Longest wait, milliseconds; 0: 60,000.")]),
        },
        "/v1/operations/{id}/watch": {"get": {
            "operationId": "WatchOperation",
            "summary": "The operation's progress as server-sent events: `progress` {operation, elapsedMs} at each change of its metadata and at least every second, then `done` with the done operation (or `failure` with an Error), and the stream ends.",
            "security": [{"apiKey": []}],
            "parameters": [id.clone()],
            "responses": {
                "200": {"description": "text/event-stream of events.", "content": {"text/event-stream": {"schema": {"type": "string"}}}},
                "401": {"description": "UNAUTHENTICATED: no valid API key.", "content": json_of("Error")},
                "404": {"description": "NOT_FOUND: no such operation.", "content": json_of("Error")},
            },
        }},
        "/v1/operations/{id}/cancel": {
            "post": method("CancelOperation", "Cancels the operation; it ends CANCELLED.", None,
                           "Operation", vec![id]),
        },
    })
}

/// A query parameter's JSON type: page tokens are strings, the rest integers.
fn name_type(name: &str) -> &'static str {
    if name == "pageToken" {
        "string"
    } else {
        "integer"
    }
}

/// A vroom-express endpoint.
fn vroom(operation: &str) -> Value {
    let error =
        |description: &str| json!({"description": description, "content": json_of("VroomError")});
    json!({"post": {
        "operationId": operation,
        "summary": "VROOM input → VROOM output, as vroom-express (POST /) and openrouteservice (POST /optimization) answer.",
        "security": [{"apiKey": []}],
        "parameters": [timeout_header(), request_id_header()],
        "requestBody": {"required": true, "content": json_of("VroomInput")},
        "responses": {
            "200": {"description": "The plan.", "content": json_of("VroomOutput")},
            "400": error("code 2: the input is wrong."),
            "401": error("No valid API key."),
            "413": error("code 4: larger than the server takes."),
            "429": error("Every solver busy and the queue full; see Retry-After."),
            "500": error("code 1 (internal) or 3 (routing)."),
        },
    }})
}

fn timeout_header() -> Value {
    json!({
        "name": "X-Request-Timeout-Ms", "in": "header", "required": false,
        "description": "How long the client waits, milliseconds; the search ends in time to answer.",
        "schema": {"type": "integer", "minimum": 0},
    })
}

fn request_id_header() -> Value {
    json!({
        "name": "X-Request-Id", "in": "header", "required": false,
        "description": "The id the call is logged under (letters, digits, -_.:, at most 64); answered back, made up when absent.",
        "schema": {"type": "string"},
    })
}

/// `application/json` content of the schema `name`.
fn json_of(name: &str) -> Value {
    json!({"application/json": {"schema": {"$ref": format!("#/components/schemas/{name}")}}})
}

/// The schemas that are not API messages.
pub fn extra_schemas() -> Map<String, Value> {
    let schemas = json!({
        "Error": {
            "type": "object",
            "required": ["code", "message"],
            "additionalProperties": false,
            "properties": {
                "code": {"type": "string", "description": "The gRPC code's name, e.g. INVALID_ARGUMENT."},
                "message": {"type": "string"},
                "violations": {"type": "array", "items": {"$ref": "#/components/schemas/FieldViolation"}},
                "more": {"type": "integer", "minimum": 1, "description": "Violations not listed."},
            },
        },
        "FieldViolation": {
            "type": "object",
            "required": ["field", "reason", "description"],
            "additionalProperties": false,
            "properties": {
                "field": {"type": "string", "description": "Path in the request, e.g. shipments[3].delivery.time_windows[0]."},
                "reason": {"type": "string", "description": "The rule's stable code, e.g. missing, window_order."},
                "description": {"type": "string"},
            },
        },
        "Health": {
            "type": "object",
            "required": ["status"],
            "additionalProperties": false,
            "properties": {"status": {"type": "string", "enum": ["SERVING", "NOT_SERVING"]}},
        },
        "VroomInput": {
            "type": "object",
            "required": ["vehicles"],
            "description": "VROOM's input (vehicles, jobs, shipments, matrices, options), see VROOM's API documentation.",
        },
        "VroomOutput": {
            "type": "object",
            "required": ["code", "summary", "unassigned", "routes"],
            "description": "VROOM's output, with tournee's pooling report under `pooling` when asked for.",
            "properties": {
                "code": {"const": 0},
                "summary": {"type": "object"},
                "unassigned": {"type": "array"},
                "routes": {"type": "array"},
            },
        },
        "DfcEnvelope": {
            "type": "object",
            "required": ["document"],
            "description": "A DFC JSON-LD document (or its text) and tournee's options for it (planning_date, time_zone, mode, default_fleet, costs, service, pooling, share_rule, id_base, search); see the README.",
            "properties": {
                "document": {"type": ["object", "array", "string"]},
                "options": {"type": "object"},
            },
        },
        "DfcPlan": {
            "type": "object",
            "required": ["@context", "@graph"],
            "description": "The plan as DFC JSON-LD: a tournee:Plan, dfc-b:Route, dfc-b:PickUpStep / dfc-b:DeliveryStep / dfc-b:Step, dfc-b:Shipment, tournee:CostShare and tournee:PoolingReport nodes.",
            "properties": {
                "@context": {"type": "array"},
                "@graph": {"type": "array", "items": {"type": "object", "required": ["@id", "@type"]}},
            },
        },
        "VroomError": {
            "type": "object",
            "required": ["code", "error"],
            "additionalProperties": false,
            "properties": {
                "code": {"type": "integer", "enum": [1, 2, 3, 4], "description": "1 internal, 2 input, 3 routing, 4 too large."},
                "error": {"type": "string"},
            },
        },
    });
    let mut map = schemas.as_object().cloned().unwrap_or_default();
    map.extend(page_schemas());
    map
}

/// The schemas of what the planner page asks for besides the API messages.
fn page_schemas() -> Map<String, Value> {
    let schemas = json!({
        "Roads": {
            "type": "object",
            "required": ["source", "roads"],
            "additionalProperties": false,
            "properties": {
                "source": {"type": "string", "description": "The extract the road graph was prepared from; empty without one."},
                "roads": {"type": "array", "items": {"type": "string"}, "description": "Encoded polylines, precision 5."},
            },
        },
    });
    match schemas {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}
