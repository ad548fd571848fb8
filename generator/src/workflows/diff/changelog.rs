//! The changelog: what `diff` returns and `render` prints.

use serde::Serialize;

/// What changed between two versions of an API description.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Changelog {
    pub old: VersionInfo,
    pub new: VersionInfo,
    pub operations: Section<OperationEntry, OperationChange>,
    pub schemas: Section<SchemaEntry, SchemaChange>,
}

/// One side of the comparison.
#[derive(Debug, Clone, Default, Serialize)]
pub struct VersionInfo {
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// Where it was read from (a path or a manifest API name); set by the
    /// caller, empty when unknown.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub source: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Section<A, C> {
    pub added: Vec<A>,
    pub removed: Vec<A>,
    pub changed: Vec<C>,
}

impl<A, C> Default for Section<A, C> {
    fn default() -> Self {
        Section {
            added: Vec::new(),
            removed: Vec::new(),
            changed: Vec::new(),
        }
    }
}

/// An operation that was added or removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OperationEntry {
    pub method: String,
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    pub breaking: bool,
    pub reason: String,
}

/// One change inside an operation that both versions have.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OperationChange {
    pub method: String,
    pub path: String,
    #[serde(flatten)]
    pub change: Change,
}

/// A component schema that was added or removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SchemaEntry {
    pub name: String,
    /// `struct`, `enum`, `union` or `alias`.
    pub kind: String,
    pub breaking: bool,
    pub reason: String,
}

/// One change inside a component schema that both versions have.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SchemaChange {
    pub schema: String,
    #[serde(flatten)]
    pub change: Change,
}

/// One atomic change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// What it concerns: `field settings.stability`, `query parameter
    /// page_size`, `request body field name`, `response`; empty for the
    /// operation or schema as a whole.
    pub location: String,
    pub kind: ChangeKind,
    /// One line for people: `field name added (optional, string)`.
    pub summary: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new: Option<String>,
    pub breaking: bool,
    pub reason: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    ParameterAdded,
    ParameterRemoved,
    ParameterRequired,
    ParameterOptional,
    ArgumentsReordered,
    BodyAdded,
    BodyRemoved,
    BodyRequired,
    BodyOptional,
    BodyEncodingChanged,
    ResponseKindChanged,
    CallSiteChanged,
    PagingAdded,
    PagingRemoved,
    PagingChanged,
    Deprecated,
    Undeprecated,
    KindChanged,
    TypeChanged,
    FieldAdded,
    FieldRemoved,
    FieldRequired,
    FieldOptional,
    FieldNullable,
    FieldNotNullable,
    ConstructorReordered,
    EnumValueAdded,
    EnumValueRemoved,
    UnionMemberAdded,
    UnionMemberRemoved,
    DiscriminatorChanged,
    AdditionalPropertiesAdded,
    AdditionalPropertiesRemoved,
    ErrorBodyAdded,
    ErrorBodyRemoved,
    /// A message kind a channel's side sends was added.
    MessageAdded,
    /// A message kind was removed.
    MessageRemoved,
    /// A channel's side went from one message kind to several, or back
    /// (its Rust type is the payload itself or an enum of them), or gained
    /// or lost its messages.
    MessagesReshaped,
    /// The generator gave a type another Rust name.
    TypeRenamed,
    /// The generator gave a union's variant another Rust name.
    VariantRenamed,
    /// A call's positional arguments changed in Rust alone (a body
    /// flattened into its call, or no longer).
    CallArgumentsChanged,
}

impl Changelog {
    /// Every classified item: added and removed entries and changes.
    fn verdicts(&self) -> impl Iterator<Item = bool> + '_ {
        let ops = &self.operations;
        let schemas = &self.schemas;
        ops.added
            .iter()
            .chain(&ops.removed)
            .map(|e| e.breaking)
            .chain(ops.changed.iter().map(|c| c.change.breaking))
            .chain(
                schemas
                    .added
                    .iter()
                    .chain(&schemas.removed)
                    .map(|e| e.breaking),
            )
            .chain(schemas.changed.iter().map(|c| c.change.breaking))
    }

    pub fn breaking_count(&self) -> usize {
        self.verdicts().filter(|b| *b).count()
    }

    pub fn total_count(&self) -> usize {
        self.verdicts().count()
    }

    pub fn has_breaking(&self) -> bool {
        self.verdicts().any(|b| b)
    }

    pub fn is_empty(&self) -> bool {
        self.total_count() == 0
    }
}
