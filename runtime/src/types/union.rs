//! Support for unions (`oneOf`/`anyOf`).
//!
//! Unions with a `discriminator` read the discriminator property first and
//! then decode the whole object, tag included, into the member type. The
//! member types keep their tag field, so they serialize correctly both inside
//! and outside the union, and tags the generator has never seen are kept as
//! raw JSON instead of failing.
//!
//! Unions without one buffer the value and try their members ([`first_fit`])
//! in up to three passes, each member by member in order, from the closest
//! [`Fit`] to the loosest: first a member that holds the whole value (no
//! catch-all takes anything, no key is skipped), then one that is valid by
//! the schema's own rules (unknown keys only where the struct is open), then
//! any that decodes, as serde's `untagged` derive does. So a member that
//! fits exactly wins over an earlier one that would take the value only
//! through a catch-all and lose what it cannot hold.

use std::cell::Cell;

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

/// How closely a value must fit the type it decodes into while a union
/// tries its members; catch-alls refuse values from some fit on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Fit {
    /// Anything that decodes (outside unions, and their last pass).
    Lenient,
    /// Valid by the schema: an unknown enum value or tag, or a key that a
    /// closed struct (`additionalProperties: false`) does not declare, is
    /// refused.
    Valid,
    /// The type holds the whole value: also a key an open struct skips is
    /// refused.
    Exact,
}

thread_local! {
    /// The fit required while [`first_fit`] tries a member. Decoding is
    /// synchronous and a union decodes from a buffered value, so it covers
    /// exactly the nested values of the member being tried.
    static REQUIRED: Cell<Fit> = const { Cell::new(Fit::Lenient) };
}

/// The fit the value being decoded must have: [`Fit::Lenient`] unless an
/// enclosing union is trying its members more strictly.
pub fn required_fit() -> Fit {
    REQUIRED.with(Cell::get)
}

/// Runs `decode` requiring `fit`, restoring the previous requirement
/// afterwards (also when `decode` panics).
fn requiring<T>(fit: Fit, decode: impl FnOnce() -> T) -> T {
    struct Restore(Fit);
    impl Drop for Restore {
        fn drop(&mut self) {
            REQUIRED.with(|required| required.set(self.0));
        }
    }
    let _restore = Restore(REQUIRED.with(|required| required.replace(fit)));
    decode()
}

/// Whether a catch-all may take a value: yes, unless a union requires at
/// least `refused_from`, where it is the error `what`.
pub fn catch_all<E: serde::de::Error>(
    refused_from: Fit,
    what: std::fmt::Arguments<'_>,
) -> Result<(), E> {
    if required_fit() >= refused_from {
        Err(E::custom(format_args!(
            "{what} (refused while a union looks for a member that fits closer)"
        )))
    } else {
        Ok(())
    }
}

/// One member of a union without a discriminator: decodes the value as that
/// member and wraps it in the union's variant, or `None`.
pub type Member<U> = fn(&Value) -> Option<U>;

/// The member a union without a discriminator decodes `value` to: the first
/// that fits exactly, else the first that is valid, else the first that
/// decodes at all; `None` when none does. Inside a pass of an enclosing
/// union, only fits at least as close as that pass requires count.
pub fn first_fit<U>(value: &Value, members: &[Member<U>]) -> Option<U> {
    fit_where(value, members, |_, _| true)
}

/// [`first_fit`] for a union that keeps what no member takes (a channel's
/// messages decoded by shape, whose last variant holds the raw value): a
/// member that keeps none of an object's keys does not count, so that an
/// object of a kind the document does not describe (an error message, say)
/// is kept whole rather than taken as a struct whose fields are all
/// optional and left empty. A member that fits exactly holds every key and
/// is not checked.
pub fn first_fit_keeping_keys<U: Serialize>(value: &Value, members: &[Member<U>]) -> Option<U> {
    fit_where(value, members, |fit, found| {
        fit == Fit::Exact || keeps_a_key(found, value)
    })
}

/// The first member that decodes `value` at the closest fit and that
/// `accept` takes at that fit.
fn fit_where<U>(
    value: &Value,
    members: &[Member<U>],
    accept: impl Fn(Fit, &U) -> bool,
) -> Option<U> {
    let floor = required_fit();
    [Fit::Exact, Fit::Valid, Fit::Lenient]
        .into_iter()
        .take_while(|fit| *fit >= floor)
        .find_map(|fit| {
            requiring(fit, || {
                members
                    .iter()
                    .find_map(|member| member(value).filter(|found| accept(fit, found)))
            })
        })
}

/// Whether `found`, written back, has at least one of the keys of
/// `value` (always, for a value that is not an object with keys).
fn keeps_a_key<U: Serialize>(found: &U, value: &Value) -> bool {
    let Value::Object(object) = value else {
        return true;
    };
    if object.is_empty() {
        return true;
    }
    match serde_json::to_value(found) {
        Ok(Value::Object(kept)) => object.keys().any(|key| kept.contains_key(key)),
        _ => true,
    }
}

/// The catch-all of a union with a discriminator: keeps an object whose tag
/// is unknown (or missing), unless a union requires a [`Fit::Valid`] one.
pub fn unknown_tag<E: serde::de::Error>(value: Value, property: &str) -> Result<Value, E> {
    catch_all(
        Fit::Valid,
        format_args!("unknown or missing `{property}` tag"),
    )?;
    Ok(value)
}

/// Reads a JSON object and its discriminator value.
///
/// Returns the tag (or `None` when the property is missing or not a string)
/// together with the whole object, so that it can be decoded into the member
/// type that the tag selects.
pub fn read_tagged<'de, D: Deserializer<'de>>(
    deserializer: D,
    property: &str,
) -> Result<(Option<String>, Value), D::Error> {
    let value = Value::deserialize(deserializer)?;
    let tag = value
        .get(property)
        .and_then(Value::as_str)
        .map(str::to_owned);
    Ok((tag, value))
}

/// Decodes a union member from the object that [`read_tagged`] returned,
/// converting the error into the outer deserializer's error type. The
/// member was buffered, so the outer decoder's path stops at the union: the
/// error carries the path inside the member, for [`join_member_path`].
pub fn decode_member<'de, T, D>(value: Value) -> Result<T, D::Error>
where
    T: serde::de::DeserializeOwned,
    D: Deserializer<'de>,
{
    serde_path_to_error::deserialize(value).map_err(|error| {
        let (path, message) = join_member_path(error.path().to_string(), error.inner().to_string());
        D::Error::custom(format_args!(
            "{MEMBER_PATH}{path}{MEMBER_PATH_END}{message}"
        ))
    })
}

/// Around the path inside a union member, at the start of an error's
/// message: `at `data.id`: invalid type…` (readable as it is where no
/// decoder joins it to its own path).
const MEMBER_PATH: &str = "at `";
const MEMBER_PATH_END: &str = "`: ";

/// The path and message of a decoding error at `path` (as
/// `serde_path_to_error` writes it, `.` for the root) whose message may
/// start with the path inside a union member: the two paths joined, and
/// the message without it.
pub fn join_member_path(path: String, message: String) -> (String, String) {
    let Some(rest) = message.strip_prefix(MEMBER_PATH) else {
        return (path, message);
    };
    let Some((inner, message)) = rest.split_once(MEMBER_PATH_END) else {
        return (path, message);
    };
    let joined = match (path.as_str(), inner) {
        (_, ".") => path.clone(),
        (".", inner) => inner.to_owned(),
        (outer, inner) if inner.starts_with('[') => format!("{outer}{inner}"),
        (outer, inner) => format!("{outer}.{inner}"),
    };
    (joined, message.to_owned())
}

/// Decodes `value` as `T` if it fits (in the current mode, see
/// [`first_fit`]).
pub fn try_member<T: serde::de::DeserializeOwned>(value: &Value) -> Option<T> {
    T::deserialize(value).ok()
}

/// The error of a union without a discriminator that none of its members
/// fit (the message serde's `untagged` derive gives).
pub fn no_match<E: serde::de::Error>(union: &str) -> E {
    E::custom(format_args!(
        "data did not match any variant of untagged enum {union}"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_member_error_joins_its_path_to_the_union_path() {
        let marked = |inner: &str| format!("{MEMBER_PATH}{inner}{MEMBER_PATH_END}bad value");
        let join = |outer: &str, message: String| join_member_path(outer.to_owned(), message);
        assert_eq!(
            join("tools[2]", marked("config.url")),
            ("tools[2].config.url".to_owned(), "bad value".to_owned())
        );
        assert_eq!(join(".", marked("data.id")).0, "data.id");
        assert_eq!(join("items", marked("[0].id")).0, "items[0].id");
        assert_eq!(join("items[0]", marked(".")).0, "items[0]");
        assert_eq!(
            join("a.b", "plain".to_owned()),
            ("a.b".to_owned(), "plain".to_owned())
        );
    }
    use serde_json::json;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Push {
        r#type: String,
        target: String,
    }

    #[derive(Debug, PartialEq, Serialize)]
    #[serde(untagged)]
    enum Op {
        Push(Push),
        Unknown(Value),
    }

    impl<'de> Deserialize<'de> for Op {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            let (tag, value) = read_tagged(deserializer, "type")?;
            match tag.as_deref() {
                Some("push") => decode_member::<_, D>(value).map(Op::Push),
                _ => unknown_tag(value, "type").map(Op::Unknown),
            }
        }
    }

    #[derive(Debug, PartialEq)]
    enum Either {
        Number(f64),
        Push(Push),
    }

    impl<'de> Deserialize<'de> for Either {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            let value = Value::deserialize(deserializer)?;
            let members: [Member<Self>; 2] = [
                |value| try_member(value).map(Self::Number),
                |value| try_member(value).map(Self::Push),
            ];
            first_fit(&value, &members).ok_or_else(|| no_match("Either"))
        }
    }

    /// An open string enum, as generated: unknown values are kept.
    #[derive(Debug, PartialEq)]
    enum Kind {
        Tool,
        Unknown(String),
    }

    impl<'de> Deserialize<'de> for Kind {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            crate::types::de::deserialize(deserializer)
        }
    }

    impl crate::types::de::Decode for Kind {
        fn decode(
            input: crate::types::de::Input<'_, '_>,
        ) -> Result<Self, crate::types::de::FieldError> {
            match input.string()?.as_str() {
                "tool" => Ok(Kind::Tool),
                other => crate::types::strings::unknown_value(other.to_owned()).map(Kind::Unknown),
            }
        }
    }

    /// A struct with an open `kind`; `closed` says whether it refuses
    /// undeclared keys (`additionalProperties: false`).
    #[derive(Debug, PartialEq)]
    struct Tool<const CLOSED: bool> {
        kind: Kind,
    }

    impl<'de, const CLOSED: bool> Deserialize<'de> for Tool<CLOSED> {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            let mut kind_ = None;
            let object =
                crate::types::de::object(deserializer, "Tool", &["kind"], &mut |key, field| {
                    match key {
                        "kind" => field.read(&mut kind_),
                        _ if CLOSED => field.undeclared(),
                        _ => field.skip(),
                    }
                })?;
            let Some(kind) = kind_ else {
                return Err(object.incomplete());
            };
            Ok(Tool { kind })
        }
    }

    /// An open struct (undeclared keys are skipped).
    #[derive(Debug, PartialEq)]
    struct Workflow {
        kind: String,
        result: String,
    }

    impl<'de> Deserialize<'de> for Workflow {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            let (mut kind_, mut result_) = (None, None);
            let required = &["kind", "result"];
            let object =
                crate::types::de::object(deserializer, "Workflow", required, &mut |key, field| {
                    match key {
                        "kind" => field.read(&mut kind_),
                        "result" => field.read(&mut result_),
                        _ => field.skip(),
                    }
                })?;
            let (Some(kind), Some(result)) = (kind_, result_) else {
                return Err(object.incomplete());
            };
            Ok(Workflow { kind, result })
        }
    }

    /// A union whose first member takes the second's values through its
    /// catch-alls.
    #[derive(Debug, PartialEq)]
    enum ToolResult<const CLOSED: bool> {
        Tool(Tool<CLOSED>),
        Workflow(Workflow),
    }

    impl<'de, const CLOSED: bool> Deserialize<'de> for ToolResult<CLOSED> {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            let value = Value::deserialize(deserializer)?;
            let members: [Member<Self>; 2] = [
                |value| try_member(value).map(Self::Tool),
                |value| try_member(value).map(Self::Workflow),
            ];
            first_fit(&value, &members).ok_or_else(|| no_match("ToolResult"))
        }
    }

    /// A union whose first member is a tagged union.
    #[derive(Debug, PartialEq)]
    enum Step {
        Op(Op),
        Workflow(Workflow),
    }

    impl<'de> Deserialize<'de> for Step {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            let value = Value::deserialize(deserializer)?;
            let members: [Member<Self>; 2] = [
                |value| try_member(value).map(Self::Op),
                |value| try_member(value).map(Self::Workflow),
            ];
            first_fit(&value, &members).ok_or_else(|| no_match("Step"))
        }
    }

    fn workflow(kind: &str) -> Workflow {
        Workflow {
            kind: kind.into(),
            result: "done".into(),
        }
    }

    #[test]
    fn an_unknown_enum_value_loses_to_a_member_that_knows_it() {
        let body = json!({"kind": "workflow", "result": "done"});
        let decoded: ToolResult<false> = serde_json::from_value(body).unwrap();
        assert_eq!(decoded, ToolResult::Workflow(workflow("workflow")));
        assert_eq!(
            required_fit(),
            Fit::Lenient,
            "the passes leave it as it was"
        );
    }

    #[test]
    fn a_member_that_skips_a_key_loses_to_one_that_holds_it() {
        let body = json!({"kind": "tool", "result": "done"});
        let open: ToolResult<false> = serde_json::from_value(body).unwrap();
        assert_eq!(open, ToolResult::Workflow(workflow("tool")));
    }

    #[test]
    fn an_undeclared_key_of_a_closed_struct_makes_it_invalid() {
        // No member holds `extra`; the closed one is not valid with it.
        let body = json!({"kind": "tool", "result": "done", "extra": 1});
        let closed: ToolResult<true> = serde_json::from_value(body.clone()).unwrap();
        assert_eq!(closed, ToolResult::Workflow(workflow("tool")));
        let open: ToolResult<false> = serde_json::from_value(body).unwrap();
        assert_eq!(open, ToolResult::Tool(Tool { kind: Kind::Tool }));
    }

    #[test]
    fn an_unknown_tag_loses_to_a_member_that_fits() {
        let body = json!({"kind": "k", "result": "done"});
        let decoded: Step = serde_json::from_value(body).unwrap();
        assert_eq!(decoded, Step::Workflow(workflow("k")));
        let untyped: Step = serde_json::from_value(json!({"kind": "k"})).unwrap();
        assert_eq!(untyped, Step::Op(Op::Unknown(json!({"kind": "k"}))));
    }

    #[test]
    fn without_a_closer_fit_the_first_lenient_one_wins() {
        let decoded: ToolResult<true> = serde_json::from_value(json!({"kind": "new"})).unwrap();
        let kind = Kind::Unknown("new".into());
        assert_eq!(decoded, ToolResult::Tool(Tool { kind }));
    }

    #[test]
    fn catch_alls_keep_values_outside_unions() {
        let tool: Tool<true> = serde_json::from_value(json!({"kind": "new", "x": 1})).unwrap();
        assert_eq!(tool.kind, Kind::Unknown("new".into()));
    }

    #[test]
    fn inside_a_pass_a_nested_union_fits_as_closely_or_not_at_all() {
        let body = json!({"kind": "new"});
        let nested = requiring(Fit::Valid, || {
            serde_json::from_value::<ToolResult<true>>(body)
        });
        assert!(nested.is_err());
        let error = requiring(Fit::Valid, || serde_json::from_value::<Kind>(json!("new")));
        let message = error.unwrap_err().to_string();
        assert!(
            message.starts_with("unknown value \"new\" (refused while a union"),
            "{message}"
        );
    }

    /// A message that only tells the end: every field optional, and open
    /// (decoded as generated structs are, so a skipped key is not exact).
    #[derive(Debug, PartialEq, Serialize)]
    struct Final {
        #[serde(rename = "isFinal", skip_serializing_if = "Option::is_none")]
        is_final: Option<bool>,
    }

    impl<'de> Deserialize<'de> for Final {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            let mut is_final_ = None;
            crate::types::de::object(deserializer, "Final", &[], &mut |key, field| match key {
                "isFinal" => field.read(&mut is_final_),
                _ => field.skip(),
            })?;
            Ok(Final {
                is_final: is_final_.unwrap_or_default(),
            })
        }
    }

    /// A channel's messages decoded by shape, keeping what no member takes.
    #[derive(Debug, PartialEq, Serialize)]
    #[serde(untagged)]
    enum Message {
        Push(Push),
        Final(Final),
        Unknown(Value),
    }

    impl<'de> Deserialize<'de> for Message {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            let value = Value::deserialize(deserializer)?;
            let members: [Member<Self>; 2] = [
                |value| try_member(value).map(Self::Push),
                |value| try_member(value).map(Self::Final),
            ];
            Ok(first_fit_keeping_keys(&value, &members).unwrap_or_else(|| Self::Unknown(value)))
        }
    }

    #[test]
    fn a_member_keeping_none_of_the_keys_loses_to_the_catch_all() {
        let error = json!({"message": "quota exceeded", "code": 1008});
        let decoded: Message = serde_json::from_value(error.clone()).unwrap();
        assert_eq!(decoded, Message::Unknown(error.clone()));
        // `first_fit` alone would have taken it as an empty `Final`.
        let members: [Member<Message>; 1] = [|value| try_member(value).map(Message::Final)];
        assert_eq!(
            first_fit(&error, &members),
            Some(Message::Final(Final { is_final: None }))
        );

        let end: Message = serde_json::from_value(json!({"isFinal": true, "extra": 1})).unwrap();
        assert_eq!(
            end,
            Message::Final(Final {
                is_final: Some(true)
            })
        );
        let exact: Message = serde_json::from_value(json!({})).unwrap();
        assert_eq!(exact, Message::Final(Final { is_final: None }));
    }

    #[test]
    fn an_untagged_union_takes_the_first_member_that_fits() {
        let number: Either = serde_json::from_value(json!(2)).unwrap();
        assert_eq!(number, Either::Number(2.0));
        let push: Either = serde_json::from_value(json!({"type": "p", "target": "t"})).unwrap();
        assert_eq!(
            push,
            Either::Push(Push {
                r#type: "p".into(),
                target: "t".into()
            })
        );
        let error = serde_json::from_value::<Either>(json!("text")).unwrap_err();
        assert_eq!(
            error.to_string(),
            "data did not match any variant of untagged enum Either"
        );
    }

    #[test]
    fn selects_the_member_by_tag_and_keeps_the_tag_field() {
        let body = json!({"type": "push", "target": "a"});
        let op: Op = serde_json::from_value(body.clone()).unwrap();
        assert_eq!(
            op,
            Op::Push(Push {
                r#type: "push".into(),
                target: "a".into()
            })
        );
        assert_eq!(serde_json::to_value(&op).unwrap(), body);
    }

    #[test]
    fn keeps_unknown_tags_as_raw_json() {
        let body = json!({"type": "teleport", "x": 1});
        let op: Op = serde_json::from_value(body.clone()).unwrap();
        assert_eq!(op, Op::Unknown(body.clone()));
        assert_eq!(serde_json::to_value(&op).unwrap(), body);
    }

    #[test]
    fn reports_a_member_that_does_not_match_its_tag() {
        let err = serde_json::from_value::<Op>(json!({"type": "push"})).unwrap_err();
        assert!(err.to_string().contains("target"), "{err}");
    }
}
