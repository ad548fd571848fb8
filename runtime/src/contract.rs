//! Support for the generated `operation_index`: calling any operation by
//! its method and path with arguments given as JSON, as contract tests do.
//!
//! Arguments look like `{"path": {..}, "query": {..}, "header": {..},
//! "body": ..}`; each value is decoded into the operation's Rust type, so a
//! value the generated types cannot represent fails here, naming where.

use futures_util::StreamExt;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::{ByteStream, EventStream, JsonStream};

/// Decodes the argument `name` from `args[location]`.
pub fn arg<T: DeserializeOwned>(args: &Value, location: &str, name: &str) -> Result<T, String> {
    let value = args
        .get(location)
        .and_then(|group| group.get(name))
        .cloned()
        .ok_or_else(|| format!("missing {location} argument {name:?}"))?;
    decode(value).map_err(|e| format!("{location} argument {name:?}: {e}"))
}

/// Decodes `args.body`; `None` when it is absent or `null`.
pub fn body<T: DeserializeOwned>(args: &Value) -> Result<Option<T>, String> {
    match args.get("body") {
        None | Some(Value::Null) => Ok(None),
        Some(value) => decode(value.clone())
            .map(Some)
            .map_err(|e| format!("body: {e}")),
    }
}

/// Decodes `args.body`, which the operation requires.
pub fn required_body<T: DeserializeOwned>(args: &Value) -> Result<T, String> {
    body(args)?.ok_or_else(|| "missing the required body".to_owned())
}

fn decode<T: DeserializeOwned>(value: Value) -> Result<T, String> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        format!("{path}: {}", e.into_inner())
    })
}

/// Reads a binary response to its end.
pub async fn drain_bytes<E>(stream: ByteStream<E>) -> Result<(), String> {
    stream.bytes().await.map(drop).map_err(|e| e.to_string())
}

/// Reads every event of a stream, failing on the first that does not decode.
pub async fn drain_events<T: DeserializeOwned + 'static, E>(
    mut stream: EventStream<T, E>,
) -> Result<(), String> {
    while let Some(event) = stream.next().await {
        event.map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// Reads every value of a JSON stream, failing on the first that does not
/// decode.
pub async fn drain_json_stream<T: DeserializeOwned, E>(
    mut stream: JsonStream<T, E>,
) -> Result<(), String> {
    while let Some(value) = stream.next().await {
        value.map_err(|e| e.to_string())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn arguments_decode_from_their_location() {
        let args = json!({"path": {"id": "a1"}, "query": {"limit": 3}});
        assert_eq!(arg::<String>(&args, "path", "id").unwrap(), "a1");
        assert_eq!(arg::<i64>(&args, "query", "limit").unwrap(), 3);
        let missing = arg::<String>(&args, "path", "other").unwrap_err();
        assert_eq!(missing, "missing path argument \"other\"");
    }

    #[test]
    fn a_body_that_does_not_fit_names_the_field() {
        #[derive(Debug, serde::Deserialize)]
        struct Body {
            #[allow(dead_code)]
            count: u32,
        }
        let error = required_body::<Body>(&json!({"body": {"count": "x"}})).unwrap_err();
        assert!(error.starts_with("body: count: invalid type"), "{error}");
        assert!(body::<Body>(&json!({"body": null})).unwrap().is_none());
        assert_eq!(
            required_body::<Body>(&json!({})).unwrap_err(),
            "missing the required body"
        );
    }
}
