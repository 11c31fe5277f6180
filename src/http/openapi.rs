//! `GET /openapi.json`: an OpenAPI 3.1 document of the HTTP API. The request and
//! response schemas are generated, once, from the API's own descriptor set (the one
//! reflection serves, compiled from `proto/` with its comments) by the proto3 JSON
//! mapping's rules, so they say what the server accepts and what it answers and cannot
//! drift from `proto/`; the paths, the error bodies and VROOM's documents are written
//! out in `openapi_paths.rs`. `tests/http_api.rs` checks real requests and answers
//! against the document, which catches a drift in these rules.
//!
//! The proto3 JSON mapping as the server applies it (pbjson): fields by their JSON
//! name (lowerCamelCase; the proto name is accepted too), 64-bit integers as strings
//! (numbers accepted), enums by name (numbers accepted), defaults left out.

use std::sync::OnceLock;

use axum::http::StatusCode;
use axum::response::Response;
use prost::Message;
use prost_types::field_descriptor_proto::{Label, Type};
use prost_types::{DescriptorProto, EnumDescriptorProto, FieldDescriptorProto, FileDescriptorSet};
use serde_json::{Map, Value, json};

use crate::pb::FILE_DESCRIPTOR_SET;

/// The API's protobuf package, which schema names leave out.
const PACKAGE: &str = "tournee.v1";
/// `DescriptorProto`'s field numbers in a source location's path.
const MESSAGE_TYPES: i32 = 4;
const ENUM_TYPES: i32 = 5;
const FIELDS: i32 = 2;

/// `GET /openapi.json`.
pub async fn document() -> Response {
    super::json_response(StatusCode::OK, openapi())
}

/// The whole document, built on first use.
pub fn openapi() -> &'static Value {
    static DOCUMENT: OnceLock<Value> = OnceLock::new();
    DOCUMENT.get_or_init(|| {
        let mut schemas = proto_schemas();
        schemas.extend(super::openapi_paths::extra_schemas());
        json!({
            "openapi": "3.1.0",
            "info": {
                "title": "tournee",
                "version": env!("CARGO_PKG_VERSION"),
                "description": super::openapi_paths::DESCRIPTION,
            },
            "paths": super::openapi_paths::paths(),
            "components": {
                "schemas": schemas,
                "securitySchemes": {"apiKey": {"type": "http", "scheme": "bearer"}},
            },
        })
    })
}

/// One schema per message and enum of the API's package.
fn proto_schemas() -> Map<String, Value> {
    let mut schemas = Map::new();
    // The descriptor set is compiled into the binary by `build.rs`: it decodes, or the
    // build is broken, in which case the document lists no schema rather than failing.
    let Ok(set) = FileDescriptorSet::decode(FILE_DESCRIPTOR_SET) else {
        return schemas;
    };
    for file in set.file.iter().filter(|f| f.package() == PACKAGE) {
        let comments = Comments::of(file);
        for (index, message) in file.message_type.iter().enumerate() {
            let path = [MESSAGE_TYPES, index as i32];
            schemas.insert(
                message.name().to_string(),
                message_schema(message, &path, &comments),
            );
        }
        for (index, enumeration) in file.enum_type.iter().enumerate() {
            let description = comments.at(&[ENUM_TYPES, index as i32]);
            schemas.insert(
                enumeration.name().to_string(),
                enum_schema(enumeration, description),
            );
        }
    }
    schemas
}

/// An object with one property per field (under its JSON name and, when it differs,
/// its proto name), nothing else.
fn message_schema(message: &DescriptorProto, path: &[i32], comments: &Comments) -> Value {
    let mut properties = Map::new();
    for (index, field) in message.field.iter().enumerate() {
        let mut schema = field_schema(field);
        let field_path = [path, &[FIELDS, index as i32]].concat();
        if let (Some(text), Some(object)) = (comments.at(&field_path), schema.as_object_mut()) {
            object.insert("description".into(), Value::String(text));
        }
        if field.json_name() != field.name() {
            properties.insert(field.name().to_string(), schema.clone());
        }
        properties.insert(field.json_name().to_string(), schema);
    }
    let mut schema = json!({
        "type": "object",
        "properties": properties,
        "additionalProperties": false,
    });
    if let (Some(text), Some(object)) = (comments.at(path), schema.as_object_mut()) {
        object.insert("description".into(), Value::String(text));
    }
    schema
}

/// A field's value: an array of its type when repeated.
fn field_schema(field: &FieldDescriptorProto) -> Value {
    let single = match field.r#type() {
        Type::Double | Type::Float => json!({"type": "number"}),
        Type::Int64 | Type::Uint64 | Type::Sint64 | Type::Fixed64 | Type::Sfixed64 => {
            // Written as a string (JavaScript's numbers lose 64-bit precision).
            json!({"type": ["string", "integer"], "pattern": "^-?[0-9]+$"})
        }
        Type::Int32 | Type::Uint32 | Type::Sint32 | Type::Fixed32 | Type::Sfixed32 => {
            json!({"type": "integer"})
        }
        Type::Bool => json!({"type": "boolean"}),
        Type::String => json!({"type": "string"}),
        Type::Bytes => json!({"type": "string", "contentEncoding": "base64"}),
        Type::Enum | Type::Message => json!({"$ref": reference(field.type_name())}),
        Type::Group => json!({}),
    };
    match field.label() {
        Label::Repeated => json!({"type": "array", "items": single}),
        Label::Optional | Label::Required => single,
    }
}

/// An enum's values by name (how they are written) or number (also read).
fn enum_schema(enumeration: &EnumDescriptorProto, description: Option<String>) -> Value {
    let names = enumeration.value.iter().map(|v| json!(v.name()));
    let numbers = enumeration.value.iter().map(|v| json!(v.number()));
    let mut schema = json!({
        "type": ["string", "integer"],
        "enum": names.chain(numbers).collect::<Vec<_>>(),
    });
    if let (Some(text), Some(object)) = (description, schema.as_object_mut()) {
        object.insert("description".into(), Value::String(text));
    }
    schema
}

/// `.tournee.v1.Site` → `#/components/schemas/Site`.
fn reference(type_name: &str) -> String {
    let name = type_name
        .trim_start_matches('.')
        .trim_start_matches(PACKAGE)
        .trim_start_matches('.');
    format!("#/components/schemas/{name}")
}

/// The comments written above each element of a proto file.
struct Comments<'a>(&'a [prost_types::source_code_info::Location]);

impl<'a> Comments<'a> {
    fn of(file: &'a prost_types::FileDescriptorProto) -> Self {
        let locations = file
            .source_code_info
            .as_ref()
            .map(|info| &info.location[..]);
        Comments(locations.unwrap_or_default())
    }

    /// The comment above the element at `path`, on one line per paragraph.
    fn at(&self, path: &[i32]) -> Option<String> {
        let location = self.0.iter().find(|location| location.path == path)?;
        let text = location.leading_comments().trim();
        (!text.is_empty()).then(|| text.lines().map(str::trim).collect::<Vec<_>>().join(" "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describes_every_message_with_its_comments() {
        let document = openapi();
        let schemas = &document["components"]["schemas"];
        let site = &schemas["Site"];
        assert_eq!(site["type"], "object");
        assert!(site["properties"]["openingWindows"]["items"]["$ref"].is_string());
        assert!(site["properties"]["opening_windows"].is_object());
        assert_eq!(
            schemas["Coordinates"]["properties"]["latDeg"]["description"],
            "Latitude in degrees, -90..90."
        );
        assert!(schemas["SolveResponse"]["properties"].is_object());
        assert!(
            schemas["SiteKind"]["enum"]
                .as_array()
                .is_some_and(|v| v.len() > 2)
        );
    }
}
