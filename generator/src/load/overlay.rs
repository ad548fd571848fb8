//! OpenAPI Overlays (Overlay Specification 1.0.0): load an overlay document,
//! check it, and apply its actions to a document's JSON tree before the typed
//! view is built.
//!
//! An overlay is an ordered list of actions. Each action selects nodes of the
//! document with an RFC 9535 JSONPath `target` and either merges `update` into
//! them or removes them (`remove: true`). The rules, from the specification:
//!
//! - actions run in order, each on the result of the previous one;
//! - a selected object: `update` must be an object; its properties are
//!   merged recursively into the object's properties of the same name, and
//!   new properties are added;
//! - a selected array: `update` is *an entry to append* to the array, so an
//!   array `update` is appended as one (nested) entry, not spliced in. To add
//!   several entries, select the parent object and merge a same-named array
//!   property, or write one action per entry;
//! - `remove: true` removes each selected node from the object or array that
//!   contains it; the specification's schema forbids `update` beside it.
//!
//! Where 1.0.0 says nothing we follow the rules Overlay 1.1.0 spells out:
//! inside a recursive merge a same-named array is concatenated with the
//! update's array, a primitive replaces a primitive, and any other pair
//! (object into array, array into string, ...) is an error; a selected
//! primitive is replaced by a primitive `update`.
//!
//! Stricter than the specification, because an overlay that no longer fits
//! its document means the upstream document changed: a `target` that selects
//! no node is an error, as is an action with neither `update` nor
//! `remove: true`, and unknown fields (other than `x-` extensions) are
//! rejected as the specification's JSON schema does.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};
use serde_json_path::{JsonPath, PathElement};

use super::parse;
use crate::support::error::{push_pointer, Error, Location, Result};

/// A loaded and checked overlay document.
#[derive(Debug, Clone)]
pub struct Overlay {
    /// The path the overlay was read from, as given.
    pub path: PathBuf,
    /// Lowercase hex sha256 of the file's bytes.
    pub sha256: String,
    /// `info.title`.
    pub title: String,
    /// `info.version`: the overlay's own version, not the specification's.
    pub version: String,
    actions: Vec<Action>,
}

#[derive(Debug, Clone)]
struct Action {
    /// Position in `actions`, for messages.
    index: usize,
    /// The `target` as written.
    target: String,
    query: JsonPath,
    kind: ActionKind,
}

#[derive(Debug, Clone)]
enum ActionKind {
    Update(Value),
    Remove,
}

/// Reads an overlay from disk and checks it (see [`parse_overlay`]).
pub fn load_overlay(path: &Path) -> Result<Overlay> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    parse_overlay(path, &bytes)
}

/// Parses an overlay from bytes (YAML or JSON); `path` is used for messages.
/// Checks the `overlay` version, `info`, and every action, including that
/// each `target` is a valid RFC 9535 JSONPath query.
pub fn parse_overlay(path: &Path, bytes: &[u8]) -> Result<Overlay> {
    let sha256 = parse::hex_sha256(bytes);
    let raw = parse::parse_tree(path, bytes).map_err(|e| match e {
        // parse_tree speaks of OpenAPI documents; say what an overlay must be.
        Error::Invalid {
            file,
            location: Location::Pointer(pointer),
            ..
        } if pointer.is_empty() => Error::Invalid {
            file,
            location: Location::Pointer(pointer),
            message: "an overlay must be an object at the top level".to_owned(),
        },
        other => other,
    })?;
    let root = raw.as_object().expect("parse_tree returns an object");

    check_version(path, root)?;
    check_fields(path, "", root, &["overlay", "info", "extends", "actions"])?;
    let (title, version) = check_info(path, root.get("info"))?;
    if let Some(extends) = root.get("extends") {
        if !extends.is_string() {
            return Err(Error::at_pointer(
                path,
                "/extends",
                "`extends` must be a string (a URI reference)",
            ));
        }
    }
    let actions = check_actions(path, root.get("actions"))?;
    Ok(Overlay {
        path: path.to_path_buf(),
        sha256,
        title,
        version,
        actions,
    })
}

fn check_version(path: &Path, root: &Map<String, Value>) -> Result<()> {
    match root.get("overlay") {
        Some(Value::String(version)) if is_supported_version(version) => Ok(()),
        Some(Value::String(version)) => Err(Error::at_pointer(
            path,
            "/overlay",
            format!("unsupported Overlay Specification version {version:?}; supported: 1.0.x"),
        )),
        Some(other) => Err(Error::at_pointer(
            path,
            "/overlay",
            format!(
                "`overlay` must be a string such as \"1.0.0\", not {} (quote it in YAML)",
                other
            ),
        )),
        None if root.contains_key("openapi") => Err(Error::at_pointer(
            path,
            "",
            "missing `overlay` field: this is an OpenAPI document, not an overlay",
        )),
        None => Err(Error::at_pointer(
            path,
            "",
            "missing `overlay` field: this is not an Overlay document",
        )),
    }
}

/// `1.0.<digits>`, optionally followed by a `-` suffix, as the 1.0 schema's
/// pattern `^1\.0\.\d+(-.+)?$`.
fn is_supported_version(version: &str) -> bool {
    let Some(rest) = version.strip_prefix("1.0.") else {
        return false;
    };
    let (patch, suffix) = match rest.split_once('-') {
        Some((patch, suffix)) => (patch, Some(suffix)),
        None => (rest, None),
    };
    !patch.is_empty()
        && patch.bytes().all(|b| b.is_ascii_digit())
        && suffix.is_none_or(|s| !s.is_empty())
}

/// Rejects fields the specification does not define, except `x-` extensions.
fn check_fields(
    path: &Path,
    pointer: &str,
    object: &Map<String, Value>,
    known: &[&str],
) -> Result<()> {
    match object
        .keys()
        .find(|key| !key.starts_with("x-") && !known.contains(&key.as_str()))
    {
        Some(key) => Err(Error::at_pointer(
            path,
            &push_pointer(pointer, key),
            format!(
                "unknown field `{key}`; expected one of {} or an `x-` extension",
                known
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )),
        None => Ok(()),
    }
}

fn check_info(path: &Path, info: Option<&Value>) -> Result<(String, String)> {
    let info = match info {
        Some(Value::Object(info)) => info,
        Some(_) => {
            return Err(Error::at_pointer(
                path,
                "/info",
                "`info` must be an object with `title` and `version`",
            ))
        }
        None => {
            return Err(Error::at_pointer(
                path,
                "",
                "missing `info` (an object with `title` and `version`)",
            ))
        }
    };
    check_fields(path, "/info", info, &["title", "version"])?;
    let text = |field: &str| match info.get(field) {
        Some(Value::String(text)) => Ok(text.clone()),
        Some(_) => Err(Error::at_pointer(
            path,
            &push_pointer("/info", field),
            format!("`info.{field}` must be a string"),
        )),
        None => Err(Error::at_pointer(
            path,
            "/info",
            format!("missing `info.{field}`"),
        )),
    };
    Ok((text("title")?, text("version")?))
}

fn check_actions(path: &Path, actions: Option<&Value>) -> Result<Vec<Action>> {
    let actions = match actions {
        Some(Value::Array(actions)) if !actions.is_empty() => actions,
        Some(Value::Array(_)) => {
            return Err(Error::at_pointer(
                path,
                "/actions",
                "`actions` must contain at least one action",
            ))
        }
        Some(_) => {
            return Err(Error::at_pointer(
                path,
                "/actions",
                "`actions` must be an array of action objects",
            ))
        }
        None => {
            return Err(Error::at_pointer(
                path,
                "",
                "missing `actions` (a non-empty array of action objects)",
            ))
        }
    };
    let mut checked = Vec::with_capacity(actions.len());
    for (index, action) in actions.iter().enumerate() {
        let pointer = format!("/actions/{index}");
        if let Some(first) = actions[..index].iter().position(|a| a == action) {
            return Err(Error::at_pointer(
                path,
                &pointer,
                format!("the same action as #/actions/{first}; actions must be unique"),
            ));
        }
        checked.push(check_action(path, &pointer, index, action)?);
    }
    Ok(checked)
}

fn check_action(path: &Path, pointer: &str, index: usize, action: &Value) -> Result<Action> {
    let Value::Object(action) = action else {
        return Err(Error::at_pointer(
            path,
            pointer,
            "an action must be an object with `target` and `update` or `remove`",
        ));
    };
    check_fields(
        path,
        pointer,
        action,
        &["target", "description", "update", "remove"],
    )?;
    let target = match action.get("target") {
        Some(Value::String(target)) => target.clone(),
        Some(_) => {
            return Err(Error::at_pointer(
                path,
                &format!("{pointer}/target"),
                "`target` must be a string holding a JSONPath expression",
            ))
        }
        None => {
            return Err(Error::at_pointer(
                path,
                pointer,
                "missing `target` (a JSONPath expression such as `$.paths`)",
            ))
        }
    };
    let query = JsonPath::parse(&target).map_err(|e| {
        Error::at_pointer(
            path,
            &format!("{pointer}/target"),
            if target.starts_with('$') {
                format!("invalid JSONPath {target:?}: {e}")
            } else {
                format!("invalid JSONPath {target:?}: a query starts with `$` (the root)")
            },
        )
    })?;
    if let Some(description) = action.get("description") {
        if !description.is_string() {
            return Err(Error::at_pointer(
                path,
                &format!("{pointer}/description"),
                "`description` must be a string",
            ));
        }
    }
    let remove = match action.get("remove") {
        None => false,
        Some(Value::Bool(remove)) => *remove,
        Some(_) => {
            return Err(Error::at_pointer(
                path,
                &format!("{pointer}/remove"),
                "`remove` must be a boolean",
            ))
        }
    };
    let kind = match (action.get("update"), remove) {
        (Some(_), true) => return Err(Error::at_pointer(
            path,
            &format!("{pointer}/update"),
            "an action with `remove: true` must not have `update` (the update would be ignored)",
        )),
        (None, true) => ActionKind::Remove,
        (Some(update), false) => ActionKind::Update(update.clone()),
        (None, false) => {
            return Err(Error::at_pointer(
                path,
                pointer,
                "the action has neither `update` nor `remove: true`, so it would change nothing",
            ))
        }
    };
    Ok(Action {
        index,
        target,
        query,
        kind,
    })
}

/// One step of a location in the document, owned so the document can be
/// changed while the locations are held.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Step {
    Index(usize),
    Name(String),
}

fn document_pointer(steps: &[Step]) -> String {
    steps
        .iter()
        .fold(String::new(), |pointer, step| match step {
            Step::Index(index) => format!("{pointer}/{index}"),
            Step::Name(name) => push_pointer(&pointer, name),
        })
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn is_primitive(value: &Value) -> bool {
    !matches!(value, Value::Array(_) | Value::Object(_))
}

impl Overlay {
    /// The number of actions.
    pub fn len(&self) -> usize {
        self.actions.len()
    }

    /// Never true for a loaded overlay: the specification requires at least
    /// one action.
    pub fn is_empty(&self) -> bool {
        self.actions.is_empty()
    }

    /// Applies the actions in order. On error the document is left unchanged.
    pub fn apply(&self, document: &mut Value) -> Result<()> {
        let mut work = document.clone();
        self.apply_in_place(&mut work)?;
        *document = work;
        Ok(())
    }

    fn apply_in_place(&self, document: &mut Value) -> Result<()> {
        self.actions
            .iter()
            .try_for_each(|action| self.apply_action(action, document))
    }

    fn apply_action(&self, action: &Action, document: &mut Value) -> Result<()> {
        let mut locations: Vec<Vec<Step>> = Vec::new();
        for location in action.query.query_located(document).locations() {
            let steps: Vec<Step> = location
                .iter()
                .map(|element| match element {
                    PathElement::Name(name) => Step::Name((*name).to_owned()),
                    PathElement::Index(index) => Step::Index(*index),
                })
                .collect();
            // A query may select one node more than once (`$['a','a']`).
            if !locations.contains(&steps) {
                locations.push(steps);
            }
        }
        let action_pointer = format!("/actions/{}", action.index);
        if locations.is_empty() {
            return Err(Error::at_pointer(
                &self.path,
                &format!("{action_pointer}/target"),
                format!(
                    "target `{}` selects nothing in the document; has the upstream document changed?",
                    action.target
                ),
            ));
        }
        match &action.kind {
            ActionKind::Remove => {
                // Deepest and highest-indexed first, so that no removal moves
                // a node still to be removed.
                locations.sort_unstable_by(|a, b| b.cmp(a));
                for steps in &locations {
                    self.remove_at(document, steps, &action_pointer)?;
                }
            }
            ActionKind::Update(update) => {
                let update_pointer = format!("{action_pointer}/update");
                for steps in &locations {
                    let at = document_pointer(steps);
                    let node = document
                        .pointer_mut(&at)
                        .expect("a location found by the query exists");
                    self.update_node(node, update, &update_pointer, &at)?;
                }
            }
        }
        Ok(())
    }

    fn remove_at(&self, document: &mut Value, steps: &[Step], action_pointer: &str) -> Result<()> {
        let Some((last, parent_steps)) = steps.split_last() else {
            return Err(Error::at_pointer(
                &self.path,
                &format!("{action_pointer}/target"),
                "`remove` cannot remove the root of the document",
            ));
        };
        let parent = document
            .pointer_mut(&document_pointer(parent_steps))
            .expect("the parent of a located node exists");
        match (parent, last) {
            (Value::Object(map), Step::Name(name)) => {
                map.shift_remove(name);
            }
            (Value::Array(items), Step::Index(index)) => {
                items.remove(*index);
            }
            _ => unreachable!("a location's last step matches its parent's kind"),
        }
        Ok(())
    }

    /// Applies `update` to one selected node at document pointer `at`.
    fn update_node(
        &self,
        node: &mut Value,
        update: &Value,
        update_pointer: &str,
        at: &str,
    ) -> Result<()> {
        match node {
            Value::Object(target) => match update {
                Value::Object(update) => self.merge(target, update, update_pointer, at),
                other => Err(Error::at_pointer(
                    &self.path,
                    update_pointer,
                    format!(
                        "the target selects an object (#{at}), so `update` must be an object, not {}",
                        kind_of(other)
                    ),
                )),
            },
            // 1.0.0: "the value of this field MUST be an entry to append".
            Value::Array(items) => {
                items.push(update.clone());
                Ok(())
            }
            primitive if is_primitive(update) => {
                *primitive = update.clone();
                Ok(())
            }
            primitive => Err(Error::at_pointer(
                &self.path,
                update_pointer,
                format!(
                    "the target selects {} (#{at}), which only a primitive `update` can replace, not {}",
                    kind_of(primitive),
                    kind_of(update)
                ),
            )),
        }
    }

    /// Recursive merge of `update` into `target`: new properties are added;
    /// objects merge, arrays concatenate and primitives replace.
    fn merge(
        &self,
        target: &mut Map<String, Value>,
        update: &Map<String, Value>,
        update_pointer: &str,
        at: &str,
    ) -> Result<()> {
        for (key, new) in update {
            let Some(old) = target.get_mut(key) else {
                target.insert(key.clone(), new.clone());
                continue;
            };
            let update_pointer = push_pointer(update_pointer, key);
            let at = push_pointer(at, key);
            match (old, new) {
                (Value::Object(old), Value::Object(new)) => {
                    self.merge(old, new, &update_pointer, &at)?;
                }
                (Value::Array(old), Value::Array(new)) => old.extend(new.iter().cloned()),
                (old, new) if is_primitive(old) && is_primitive(new) => *old = new.clone(),
                (old, new) => {
                    return Err(Error::at_pointer(
                        &self.path,
                        &update_pointer,
                        format!(
                            "cannot merge {} into {} at #{at} of the document",
                            kind_of(new),
                            kind_of(old)
                        ),
                    ))
                }
            }
        }
        Ok(())
    }
}

/// Applies the overlays in order. On error the document is left unchanged.
pub fn apply_all(document: &mut Value, overlays: &[Overlay]) -> Result<()> {
    *document = applied(document.clone(), overlays)?;
    Ok(())
}

/// Applies the overlays in order to a document the caller hands over, so
/// no copy is made (loading discards the tree on error anyway).
pub fn applied(mut document: Value, overlays: &[Overlay]) -> Result<Value> {
    for overlay in overlays {
        overlay.apply_in_place(&mut document)?;
    }
    Ok(document)
}
