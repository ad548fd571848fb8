//! How OpenAPI schemas map to Rust: one test per case, each on a small
//! document written inline. Every test checks the intermediate model, the
//! emitted Rust text, or both.

use std::path::{Path, PathBuf};

use generator::model::ir::{
    ApiModel, FieldDef, IntFormat, NumFormat, StructDef, TypeId, TypeKind, TypeRef, UnionDef,
};
use generator::naming::{assign_names, Names};
use generator::support::error::{Error, Location};
use generator::GeneratedCrate;

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/// Prepends the boilerplate every fragment shares: the version line, `info`
/// and empty `paths`, then `components: schemas:` with `schemas` (indented
/// by four spaces in the fragment).
fn doc(openapi: &str, schemas: &str) -> String {
    format!(
        "openapi: {openapi}\ninfo:\n  title: Demo\n  version: \"1\"\npaths: {{}}\ncomponents:\n  schemas:\n{schemas}"
    )
}

fn doc31(schemas: &str) -> String {
    doc("3.1.0", schemas)
}

/// Loads a document from memory and builds its model and names.
fn model(yaml: &str) -> (ApiModel, Names) {
    let loaded = generator::load::load_bytes(Path::new("demo.yaml"), yaml.as_bytes())
        .unwrap_or_else(|e| panic!("the fragment does not load: {e}"));
    let model =
        generator::model::lower::build_model(&loaded).unwrap_or_else(|e| panic!("no model: {e}"));
    let names = assign_names(&model);
    (model, names)
}

/// How `format: date-time` is spelled in generated code. Kept in one place:
/// the generator emits the runtime's `Timestamp` (a newtype over
/// `chrono::DateTime<Utc>`), imported from `api_runtime`.
const DATE_TIME: &str = "Timestamp";

/// Writes the fragment to `demo.yaml` in a temporary directory and runs
/// the whole pipeline on it `runs` times.
fn try_generate_runs(yaml: &str, runs: usize) -> Result<Vec<GeneratedCrate>, Error> {
    let dir = tempfile::tempdir().expect("temporary directory");
    let spec: PathBuf = dir.path().join("demo.yaml");
    std::fs::write(&spec, yaml).expect("write the fragment");
    let input = generator::standalone_input(&spec, Some("demo"));
    (0..runs)
        .map(|_| generator::generate_crate(&input))
        .collect()
}

fn try_generate(yaml: &str) -> Result<GeneratedCrate, Error> {
    try_generate_runs(yaml, 1).map(|mut crates| crates.remove(0))
}

fn generate(yaml: &str) -> GeneratedCrate {
    try_generate(yaml).unwrap_or_else(|e| panic!("generation failed: {e}"))
}

/// True for `src/<module>/types/<file>.rs`.
fn is_types_file(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "rs")
        && path
            .parent()
            .and_then(Path::file_name)
            .is_some_and(|d| d == "types")
}

/// The text of every `src/**/types/*.rs` file, concatenated.
fn types_text(krate: &GeneratedCrate) -> String {
    let texts: Vec<&str> = krate
        .files
        .iter()
        .filter(|(path, _)| is_types_file(path))
        .map(|(_, text)| text.as_str())
        .collect();
    assert!(
        !texts.is_empty(),
        "no types files among {:?}",
        krate.files.keys().collect::<Vec<_>>()
    );
    texts.join("\n")
}

fn generated_types(yaml: &str) -> String {
    types_text(&generate(yaml))
}

/// True when a `use api_runtime::...` line of `text` imports `name`.
fn imports_from_runtime(text: &str, name: &str) -> bool {
    text.lines()
        .filter(|line| line.starts_with("use api_runtime::"))
        .any(|line| {
            line.split(|c: char| !c.is_alphanumeric() && c != '_')
                .any(|word| word == name)
        })
}

/// One file of the generated crate.
fn file<'a>(krate: &'a GeneratedCrate, path: &str) -> &'a str {
    krate.files.get(Path::new(path)).unwrap_or_else(|| {
        panic!(
            "no {path} among {:?}",
            krate.files.keys().collect::<Vec<_>>()
        )
    })
}

/// Collapses whitespace so that assertions do not depend on where the
/// formatter breaks lines: `#[serde(\n  a,\n  b\n)]` -> `#[serde(a, b)]`.
fn squash(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace("( ", "(")
        .replace(" )", ")")
        .replace(",)", ")")
}

/// One top-level item (with its docs and attributes) whose declaration
/// starts with `head`, e.g. `pub struct Voice` or `impl<'de> Deserialize<'de> for Event`.
fn item(text: &str, head: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let start = lines
        .iter()
        .position(|line| {
            line.strip_prefix(head).is_some_and(|rest| {
                rest.is_empty() || rest.starts_with([' ', '{', '=', ';', '<', '('])
            })
        })
        .unwrap_or_else(|| panic!("no item `{head}` in:\n{text}"));
    let mut first = start;
    while first > 0 && !lines[first - 1].trim().is_empty() {
        first -= 1;
    }
    let last = if lines[start].trim_end().ends_with(';') {
        start
    } else {
        start
            + lines[start..]
                .iter()
                .position(|line| *line == "}")
                .expect("item closes")
    };
    lines[first..=last].join("\n")
}

/// One field of a struct item with its docs and attributes, squashed:
/// `/// The name. pub name: Option<String>,`.
fn field_decl(item: &str, ident: &str) -> String {
    let lines: Vec<&str> = item.lines().collect();
    let decl = format!("pub {ident}:");
    let at = lines
        .iter()
        .position(|line| line.trim_start().starts_with(&decl))
        .unwrap_or_else(|| panic!("no field `{ident}` in:\n{item}"));
    let mut first = at;
    while first > 0 {
        let previous = lines[first - 1];
        let trimmed = previous.trim_start();
        let indent = previous.len() - trimmed.len();
        let ends_a_field = indent == 4
            && !trimmed.starts_with("///")
            && !trimmed.starts_with('#')
            && trimmed.ends_with(',');
        if indent == 0 || ends_a_field {
            break;
        }
        first -= 1;
    }
    let last = at
        + lines[at..]
            .iter()
            .position(|line| line.trim_end().ends_with(','))
            .expect("field ends");
    squash(&lines[first..=last].join("\n"))
}

/// How a struct's `Serialize` impl writes one field, squashed and without
/// the runtime's path: `optional("name", &self.name)` (left out when unset)
/// or `field("id", &self.id)` (always written).
fn field_encoding(text: &str, type_name: &str, ident: &str) -> String {
    let encode = squash(&item(text, &format!("impl Serialize for {type_name}")));
    let target = format!("&self.{ident})");
    let end = encode
        .find(&target)
        .unwrap_or_else(|| panic!("`{ident}` is not encoded in:\n{encode}"))
        + target.len();
    let start = encode[..end]
        .rfind("api_runtime::ser::")
        .expect("a runtime call")
        + "api_runtime::ser::".len();
    encode[start..end].to_owned()
}

fn type_id(names: &Names, name: &str) -> TypeId {
    let index = names
        .types
        .iter()
        .position(|n| n == name)
        .unwrap_or_else(|| panic!("no type {name} among {:?}", names.types));
    TypeId(index)
}

fn struct_of<'a>(model: &'a ApiModel, names: &Names, name: &str) -> &'a StructDef {
    match &model.types[type_id(names, name).0].kind {
        TypeKind::Struct(def) => def,
        other => panic!("{name} is not a struct: {other:?}"),
    }
}

fn union_of<'a>(model: &'a ApiModel, names: &Names, name: &str) -> &'a UnionDef {
    match &model.types[type_id(names, name).0].kind {
        TypeKind::Union(def) => def,
        other => panic!("{name} is not a union: {other:?}"),
    }
}

fn field<'a>(def: &'a StructDef, wire_name: &str) -> &'a FieldDef {
    def.fields
        .iter()
        .find(|f| f.wire_name == wire_name)
        .unwrap_or_else(|| panic!("no field {wire_name:?} in {def:?}"))
}

fn wire_names(def: &StructDef) -> Vec<&str> {
    def.fields.iter().map(|f| f.wire_name.as_str()).collect()
}

/// The generated files other than headers, which name the checksum.
fn without_header(text: &str) -> String {
    text.lines()
        .filter(|line| !line.starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn load_error(yaml: &str) -> Error {
    match generator::load::load_bytes(Path::new("demo.yaml"), yaml.as_bytes()) {
        Ok(_) => panic!("the document loaded, but it should have been refused"),
        Err(e) => e,
    }
}

// ---------------------------------------------------------------------------
// 1. Objects
// ---------------------------------------------------------------------------

#[test]
fn object_becomes_struct_with_plain_required_and_optional_fields() {
    let yaml = doc31(
        r#"    Pet:
      type: object
      required: [id]
      properties:
        id: {type: string}
        name: {type: string}
"#,
    );
    let (model, names) = model(&yaml);
    let pet = struct_of(&model, &names, "Pet");
    assert_eq!(wire_names(pet), ["id", "name"]);
    assert!(field(pet, "id").required && !field(pet, "id").nullable);
    assert!(!field(pet, "name").required && !field(pet, "name").nullable);
    assert_eq!(field(pet, "id").ty, TypeRef::String);
    assert_eq!(names.fields[&type_id(&names, "Pet")], ["id", "name"]);

    let krate = generate(&yaml);
    let pet = item(file(&krate, "src/demo/types/pet.rs"), "pub struct Pet");
    assert!(
        squash(&pet)
            .contains("#[derive(Debug, Clone, PartialEq)] #[non_exhaustive] pub struct Pet {"),
        "a struct with a required field cannot derive Default:\n{pet}"
    );
    assert_eq!(field_decl(&pet, "id"), "pub id: String,");
    assert_eq!(field_decl(&pet, "name"), "pub name: Option<String>,");
    // Encoding goes through the runtime too: `name` is left out when unset.
    let text = file(&krate, "src/demo/types/pet.rs");
    assert_eq!(
        field_encoding(text, "Pet", "id"),
        r#"field("id", &self.id)"#
    );
    assert_eq!(
        field_encoding(text, "Pet", "name"),
        r#"optional("name", &self.name)"#
    );
    // Decoding goes through the runtime's object reader: a missing `id` is
    // an error, a missing `name` is `None`.
    let decode = squash(&item(
        file(&krate, "src/demo/types/pet.rs"),
        "impl api_runtime::de::Decode for Pet",
    ));
    for part in [
        "#[inline] fn decode(input: api_runtime::de::Input<'_, '_>) -> Result<Self, api_runtime::de::FieldError>",
        "let mut id_ = None; let mut name_ = None;",
        r#"input.object("Pet", &["id"],"#,
        r#""id" => field.read(&mut id_), "name" => field.read(&mut name_), _ => field.skip(),"#,
        r#"let Some(id_) = id_ else { return Err(object.incomplete()); };"#,
        r#"Ok(Self { id: id_, name: name_.unwrap_or_default(), })"#,
    ] {
        assert!(decode.contains(part), "no `{part}` in:\n{decode}");
    }
}

// ---------------------------------------------------------------------------
// 2. Nullability
// ---------------------------------------------------------------------------

const REQUIRED_NULLABLE: &str = "pub req: Option<String>,";
const OPTIONAL_NULLABLE: &str = "pub opt: Nullable<String>,";

/// A required nullable field is always written (`null` included); an
/// optional one is left out while absent.
fn assert_nullable_encodings(text: &str) {
    assert_eq!(
        field_encoding(text, "Thing", "req"),
        r#"field("req", &self.req)"#
    );
    assert_eq!(
        field_encoding(text, "Thing", "opt"),
        r#"optional("opt", &self.opt)"#
    );
}

#[test]
fn nullable_3_0_keyword() {
    let yaml = doc(
        "3.0.3",
        r#"    Thing:
      type: object
      required: [req]
      properties:
        req: {type: string, nullable: true}
        opt: {type: string, nullable: true}
        plain: {type: string}
"#,
    );
    let (model, names) = model(&yaml);
    let thing = struct_of(&model, &names, "Thing");
    for wire in ["req", "opt"] {
        let f = field(thing, wire);
        assert!(f.nullable, "{wire} is nullable");
        assert_eq!(
            f.ty,
            TypeRef::String,
            "nullability is split off the type of {wire}"
        );
    }
    assert!(!field(thing, "plain").nullable);

    let text = generated_types(&yaml);
    let thing = item(&text, "pub struct Thing");
    assert_eq!(field_decl(&thing, "req"), REQUIRED_NULLABLE);
    assert_eq!(field_decl(&thing, "opt"), OPTIONAL_NULLABLE);
    assert_eq!(field_decl(&thing, "plain"), "pub plain: Option<String>,");
    assert_nullable_encodings(&text);
    assert!(
        imports_from_runtime(&text, "Nullable"),
        "Nullable is imported:\n{text}"
    );
}

#[test]
fn nullable_3_1_any_of_null_and_type_list() {
    let yaml = doc31(
        r#"    Other:
      type: object
      properties:
        x: {type: string}
    Thing:
      type: object
      required: [req, req_list, req_ref]
      properties:
        req: {anyOf: [{type: string}, {type: 'null'}]}
        opt: {anyOf: [{type: string}, {type: 'null'}]}
        req_list: {type: [string, 'null']}
        opt_list: {type: ['null', string]}
        req_ref: {oneOf: [{$ref: '#/components/schemas/Other'}, {type: 'null'}]}
        opt_ref: {anyOf: [{$ref: '#/components/schemas/Other'}, {type: 'null'}]}
"#,
    );
    let (model, names) = model(&yaml);
    let thing = struct_of(&model, &names, "Thing");
    let other = type_id(&names, "Other");
    for (wire, ty) in [
        ("req", TypeRef::String),
        ("opt", TypeRef::String),
        ("req_list", TypeRef::String),
        ("opt_list", TypeRef::String),
        ("req_ref", TypeRef::Named(other)),
        ("opt_ref", TypeRef::Named(other)),
    ] {
        let f = field(thing, wire);
        assert!(f.nullable, "{wire} is nullable");
        assert_eq!(f.ty, ty, "{wire}");
    }
    // The null member does not make a union of its own.
    assert!(model
        .types
        .iter()
        .all(|t| !matches!(t.kind, TypeKind::Union(_))));

    let text = generated_types(&yaml);
    let thing = item(&text, "pub struct Thing");
    assert_eq!(field_decl(&thing, "req"), REQUIRED_NULLABLE);
    assert_eq!(field_decl(&thing, "opt"), OPTIONAL_NULLABLE);
    assert_eq!(
        field_decl(&thing, "req_list"),
        "pub req_list: Option<String>,"
    );
    assert_eq!(
        field_decl(&thing, "opt_list"),
        "pub opt_list: Nullable<String>,"
    );
    assert_eq!(field_decl(&thing, "req_ref"), "pub req_ref: Option<Other>,");
    assert_eq!(
        field_decl(&thing, "opt_ref"),
        "pub opt_ref: Nullable<Other>,"
    );
    assert_nullable_encodings(&text);
}

// ---------------------------------------------------------------------------
// 3. Enums and constants
// ---------------------------------------------------------------------------

#[test]
fn string_enum_becomes_enum_with_renames_and_catch_all() {
    let yaml = doc31(
        r#"    Voice:
      type: object
      required: [category]
      properties:
        category: {type: string, enum: [premade, cloned, high-quality]}
    Status:
      type: string
      enum: [unknown, ok]
"#,
    );
    let (model, names) = model(&yaml);
    let category = type_id(&names, "VoiceCategory");
    match &model.types[category.0].kind {
        TypeKind::StringEnum(values) => assert_eq!(values, &["premade", "cloned", "high-quality"]),
        other => panic!("not a string enum: {other:?}"),
    }
    assert_eq!(
        field(struct_of(&model, &names, "Voice"), "category").ty,
        TypeRef::Named(category)
    );
    assert_eq!(
        names.variants[&category],
        ["Premade", "Cloned", "HighQuality", "Unknown"]
    );
    // A value spelled `unknown` keeps its name; the catch-all moves aside.
    assert_eq!(
        names.variants[&type_id(&names, "Status")],
        ["Unknown", "Ok", "Other"]
    );

    let text = generated_types(&yaml);
    assert_eq!(
        field_decl(&item(&text, "pub struct Voice"), "category"),
        "pub category: VoiceCategory,"
    );
    let category = squash(&item(&text, "pub enum VoiceCategory"));
    for expected in [
        r#"/// `"premade"` Premade,"#,
        r#"/// `"cloned"` Cloned,"#,
        r#"/// `"high-quality"` HighQuality,"#,
        "/// A value this version of the client does not know yet. Unknown(String),",
    ] {
        assert!(
            category.contains(expected),
            "missing `{expected}` in:\n{category}"
        );
    }
    // No serde derive: the impls go through the value lists.
    assert!(
        category.contains("Hash, PartialOrd, Ord)] #[non_exhaustive] pub enum VoiceCategory {"),
        "{category}"
    );
    let methods = squash(&item(&text, "impl VoiceCategory"));
    for expected in [
        r#"Self::HighQuality => "high-quality","#,
        "Self::Unknown(value) => value,",
        r#""high-quality" => Self::HighQuality,"#,
        "_ => Self::Unknown(value),",
    ] {
        assert!(
            methods.contains(expected),
            "missing `{expected}` in:\n{methods}"
        );
    }
    let serialize = squash(&item(&text, "impl Serialize for VoiceCategory"));
    assert!(
        serialize.contains("serializer.serialize_str(self.as_str())"),
        "{serialize}"
    );
    let deserialize = squash(&item(&text, "impl<'de> Deserialize<'de> for VoiceCategory"));
    assert!(
        deserialize.contains("api_runtime::de::deserialize(deserializer)"),
        "{deserialize}"
    );
    let decode = squash(&item(
        &text,
        "impl api_runtime::de::Decode for VoiceCategory",
    ));
    assert!(
        decode.contains(
            "match Self::from_wire(input.string()?) { \
             Self::Unknown(value) => api_runtime::strings::unknown_value(value).map(Self::Unknown), \
             known => Ok(known), }"
        ),
        "{decode}"
    );
    let status = squash(&item(&text, "pub enum Status"));
    assert!(status.contains(r#"/// `"unknown"` Unknown,"#), "{status}");
    assert!(
        status.contains("/// A value this version of the client does not know yet. Other(String),"),
        "{status}"
    );
}

#[test]
fn string_const_becomes_one_value_type_with_serde_default() {
    let yaml = doc31(
        r#"    Completion:
      type: object
      required: [object, id]
      properties:
        object: {type: string, const: chat.completion}
        id: {type: string}
"#,
    );
    let (model, names) = model(&yaml);
    let completion = struct_of(&model, &names, "Completion");
    assert_eq!(
        field(completion, "object").ty,
        TypeRef::Const("chat.completion".to_owned())
    );
    assert_eq!(model.consts, ["chat.completion"]);
    assert_eq!(names.consts["chat.completion"], "ChatCompletion");

    let text = generated_types(&yaml);
    let completion = item(&text, "pub struct Completion");
    assert_eq!(
        field_decl(&completion, "object"),
        "pub object: consts::ChatCompletion,"
    );
    assert!(text.contains("use super::consts;"), "{text}");
    let constant = squash(&item(&text, "pub enum ChatCompletion"));
    assert!(
        constant.contains("Ord, Default)] pub enum ChatCompletion { #[default] /// Always `\"chat.completion\"`. ChatCompletion, }"),
        "{constant}"
    );
    let deserialize = squash(&item(
        &text,
        "impl<'de> Deserialize<'de> for ChatCompletion",
    ));
    assert!(
        deserialize.contains(
            r#"api_runtime::strings::deserialize_const(deserializer, "chat.completion") .map(|()| Self::ChatCompletion)"#
        ),
        "{deserialize}"
    );
}

// ---------------------------------------------------------------------------
// 4. Unions
// ---------------------------------------------------------------------------

const EVENTS: &str = r#"    Event:
      oneOf:
        - $ref: '#/components/schemas/PushEvent'
        - $ref: '#/components/schemas/PullEvent'
      discriminator:
        propertyName: type
        mapping:
          push: '#/components/schemas/PushEvent'
          pull: '#/components/schemas/PullEvent'
    PushEvent:
      type: object
      required: [type]
      properties:
        type: {type: string}
        commits: {type: integer}
    PullEvent:
      type: object
      required: [type]
      properties:
        type: {type: string}
"#;

#[test]
fn one_of_with_discriminator_becomes_tagged_enum() {
    let yaml = doc31(EVENTS);
    let (model, names) = model(&yaml);
    let event = union_of(&model, &names, "Event");
    assert_eq!(event.discriminator.as_deref(), Some("type"));
    let tags: Vec<&[String]> = event.variants.iter().map(|v| v.tags.as_slice()).collect();
    assert_eq!(tags, [["push"], ["pull"]]);
    assert_eq!(
        event.variants[0].ty,
        TypeRef::Named(type_id(&names, "PushEvent"))
    );
    assert_eq!(
        names.variants[&type_id(&names, "Event")],
        ["PushEvent", "PullEvent", "Unknown"]
    );

    let text = generated_types(&yaml);
    let enum_item = squash(&item(&text, "pub enum Event"));
    assert!(
        enum_item.contains(
            "#[derive(Debug, Clone, PartialEq, Serialize)] #[serde(untagged)] #[non_exhaustive] pub enum Event {"
        ),
        "Deserialize is written by hand, not derived:\n{enum_item}"
    );
    for expected in [
        "PushEvent(PushEvent),",
        "PullEvent(PullEvent),",
        "Unknown(Value),",
    ] {
        assert!(
            enum_item.contains(expected),
            "missing `{expected}` in:\n{enum_item}"
        );
    }
    let deserialize = squash(&item(&text, "impl<'de> Deserialize<'de> for Event"));
    for expected in [
        r#"read_tagged(deserializer, "type")?"#,
        r#"Some("push") => decode_member::<_, D>(value).map(Self::PushEvent),"#,
        r#"Some("pull") => decode_member::<_, D>(value).map(Self::PullEvent),"#,
        r#"_ => unknown_tag(value, "type").map(Self::Unknown),"#,
    ] {
        assert!(
            deserialize.contains(expected),
            "missing `{expected}` in:\n{deserialize}"
        );
    }
}

/// OpenAPI allows a mapping value to be a bare schema name instead of a
/// reference ("mappings between payload values and schema names or
/// references").
#[test]
fn discriminator_mapping_accepts_bare_schema_names() {
    let yaml = doc31(&EVENTS.replace(
        "'#/components/schemas/PushEvent'\n          pull",
        "PushEvent\n          pull",
    ));
    assert!(
        yaml.contains("push: PushEvent\n"),
        "the fragment was rewritten"
    );
    let (model, names) = model(&yaml);
    let event = union_of(&model, &names, "Event");
    assert_eq!(event.variants[0].tags, ["push"]);
    let text = generated_types(&yaml);
    assert!(
        text.contains(r#"Some("push") => decode_member::<_, D>(value).map(Self::PushEvent),"#),
        "{text}"
    );
}

#[test]
fn one_of_without_discriminator_becomes_untagged_enum() {
    let yaml = doc31(
        r#"    Value2:
      oneOf:
        - type: string
        - type: integer
        - $ref: '#/components/schemas/Value2Thing'
        - $ref: '#/components/schemas/Gadget'
    Value2Thing:
      type: object
      properties:
        a: {type: string}
    Gadget:
      type: object
      properties:
        b: {type: string}
"#,
    );
    let (model, names) = model(&yaml);
    let union = union_of(&model, &names, "Value2");
    assert_eq!(union.discriminator, None);
    let types: Vec<&TypeRef> = union.variants.iter().map(|v| &v.ty).collect();
    assert_eq!(
        types,
        [
            &TypeRef::String,
            &TypeRef::Integer(IntFormat::I64),
            &TypeRef::Named(type_id(&names, "Value2Thing")),
            &TypeRef::Named(type_id(&names, "Gadget")),
        ]
    );
    // No catch-all: an untagged enum already tries every member.
    assert_eq!(
        names.variants[&type_id(&names, "Value2")],
        ["String", "Integer", "Thing", "Gadget"]
    );

    let text = generated_types(&yaml);
    let union = squash(&item(&text, "pub enum Value2"));
    assert_eq!(
        union,
        squash(
            "/// Schema: `#/components/schemas/Value2`
            #[derive(Debug, Clone, PartialEq, Serialize)]
            #[serde(untagged)]
            #[non_exhaustive]
            pub enum Value2 {
                String(String),
                Integer(i64),
                Thing(Value2Thing),
                Gadget(Gadget),
            }"
        )
    );
    // Members are listed in document order for the runtime's `first_fit`.
    let decode = squash(&item(&text, "impl<'de> Deserialize<'de> for Value2"));
    let tries: Vec<usize> = ["String", "Integer", "Thing", "Gadget"]
        .iter()
        .map(|member| {
            let arm = format!("|value| try_member(value).map(Self::{member}),");
            decode
                .find(&arm)
                .unwrap_or_else(|| panic!("no `{arm}` in:\n{decode}"))
        })
        .collect();
    assert!(tries.is_sorted(), "{decode}");
    assert!(
        decode.ends_with(r#"first_fit(&value, &members).ok_or_else(|| no_match("Value2")) } }"#),
        "{decode}"
    );
}

// ---------------------------------------------------------------------------
// 5. allOf
// ---------------------------------------------------------------------------

#[test]
fn all_of_merges_members_into_one_struct() {
    let yaml = doc31(
        r#"    Base:
      type: object
      required: [id]
      properties:
        id: {type: string}
        created: {type: string, format: date-time}
    Pet:
      required: [created]
      allOf:
        - $ref: '#/components/schemas/Base'
        - type: object
          required: [name]
          properties:
            name: {type: string}
            tag: {type: string}
"#,
    );
    let (model, names) = model(&yaml);
    let pet = struct_of(&model, &names, "Pet");
    assert_eq!(wire_names(pet), ["id", "created", "name", "tag"]);
    let required: Vec<bool> = pet.fields.iter().map(|f| f.required).collect();
    assert_eq!(
        required,
        [true, true, true, false],
        "required lists of the members and the outer schema merge"
    );
    assert_eq!(field(pet, "created").ty, TypeRef::DateTime);
    // Base itself is untouched.
    assert!(!field(struct_of(&model, &names, "Base"), "created").required);

    let text = generated_types(&yaml);
    let pet = item(&text, "pub struct Pet");
    assert_eq!(field_decl(&pet, "id"), "pub id: String,");
    assert_eq!(
        field_decl(&pet, "created"),
        format!("pub created: {DATE_TIME},")
    );
    assert_eq!(field_decl(&pet, "name"), "pub name: String,");
    assert_eq!(field_decl(&pet, "tag"), "pub tag: Option<String>,");
    assert!(
        !pet.contains("Base"),
        "the members are merged, not embedded:\n{pet}"
    );
}

// ---------------------------------------------------------------------------
// 6. Maps, free-form objects, arrays and scalars
// ---------------------------------------------------------------------------

#[test]
fn additional_properties_become_maps_and_free_form_objects_fall_back_to_value() {
    let yaml = doc31(
        r#"    Other:
      type: object
      properties:
        x: {type: string}
    Bag:
      type: object
      required: [counts, others, free, loose, tagged]
      properties:
        counts: {type: object, additionalProperties: {type: integer}}
        others: {type: object, additionalProperties: {$ref: '#/components/schemas/Other'}}
        free: {type: object}
        loose: {type: object, additionalProperties: true}
        tagged:
          type: object
          properties:
            name: {type: string}
          additionalProperties: {type: string}
"#,
    );
    let (model, names) = model(&yaml);
    let bag = struct_of(&model, &names, "Bag");
    assert_eq!(
        field(bag, "counts").ty,
        TypeRef::Map(Box::new(TypeRef::Integer(IntFormat::I64)))
    );
    assert_eq!(
        field(bag, "others").ty,
        TypeRef::Map(Box::new(TypeRef::Named(type_id(&names, "Other"))))
    );
    assert_eq!(field(bag, "free").ty, TypeRef::Json);
    assert_eq!(field(bag, "loose").ty, TypeRef::Json);
    let pointers: Vec<&str> = model.fallbacks.iter().map(|f| f.pointer.as_str()).collect();
    assert_eq!(
        pointers,
        [
            "/components/schemas/Bag/properties/free",
            "/components/schemas/Bag/properties/loose"
        ],
        "{:?}",
        model.fallbacks
    );
    assert!(
        model.fallbacks[0].reason.contains("free-form"),
        "{:?}",
        model.fallbacks[0]
    );
    let tagged = struct_of(&model, &names, "BagTagged");
    assert_eq!(tagged.additional, Some(TypeRef::String));

    let text = generated_types(&yaml);
    let bag = item(&text, "pub struct Bag");
    assert_eq!(
        field_decl(&bag, "counts"),
        "pub counts: BTreeMap<String, i64>,"
    );
    assert_eq!(
        field_decl(&bag, "others"),
        "pub others: BTreeMap<String, Other>,"
    );
    assert_eq!(field_decl(&bag, "free"), "pub free: Value,");
    assert_eq!(field_decl(&bag, "loose"), "pub loose: Value,");
    let tagged = item(&text, "pub struct BagTagged");
    assert_eq!(
        field_decl(&tagged, "additional_properties"),
        "/// Properties the schema does not declare. #[serde(flatten)] pub additional_properties: BTreeMap<String, String>,"
    );
    assert!(
        text.contains("use std::collections::BTreeMap;") && text.contains("use serde_json::Value;"),
        "{text}"
    );
}

#[test]
fn arrays_become_vecs() {
    let yaml = doc31(
        r#"    Other:
      type: object
      properties:
        x: {type: string}
    Lists:
      type: object
      required: [names, others, grid]
      properties:
        names: {type: array, items: {type: string}}
        others: {type: array, items: {$ref: '#/components/schemas/Other'}}
        grid: {type: array, items: {type: array, items: {type: number}}}
    Names:
      type: array
      items: {type: string}
"#,
    );
    let (model, names) = model(&yaml);
    let lists = struct_of(&model, &names, "Lists");
    assert_eq!(
        field(lists, "names").ty,
        TypeRef::Array(Box::new(TypeRef::String))
    );
    assert_eq!(
        field(lists, "grid").ty,
        TypeRef::Array(Box::new(TypeRef::Array(Box::new(TypeRef::Number(
            NumFormat::F64
        )))))
    );
    assert!(model.fallbacks.is_empty(), "{:?}", model.fallbacks);

    let text = generated_types(&yaml);
    let lists = item(&text, "pub struct Lists");
    assert_eq!(field_decl(&lists, "names"), "pub names: Vec<String>,");
    assert_eq!(field_decl(&lists, "others"), "pub others: Vec<Other>,");
    assert_eq!(field_decl(&lists, "grid"), "pub grid: Vec<Vec<f64>>,");
    assert_eq!(
        squash(&item(&text, "pub type Names")),
        "/// Schema: `#/components/schemas/Names` pub type Names = Vec<String>;"
    );
}

#[test]
fn scalar_formats_map_to_sized_types() {
    let yaml = doc31(
        r#"    Scalars:
      type: object
      required: [small, big, int, single, double, num, at, upload, flag, text]
      properties:
        small: {type: integer, format: int32}
        big: {type: integer, format: int64}
        int: {type: integer}
        single: {type: number, format: float}
        double: {type: number, format: double}
        num: {type: number}
        at: {type: string, format: date-time}
        upload: {type: string, format: binary}
        flag: {type: boolean}
        text: {type: string, format: email}
"#,
    );
    let (model, names) = model(&yaml);
    let scalars = struct_of(&model, &names, "Scalars");
    let expected = [
        ("small", TypeRef::Integer(IntFormat::I32), "i32"),
        ("big", TypeRef::Integer(IntFormat::I64), "i64"),
        ("int", TypeRef::Integer(IntFormat::I64), "i64"),
        ("single", TypeRef::Number(NumFormat::F32), "f32"),
        ("double", TypeRef::Number(NumFormat::F64), "f64"),
        ("num", TypeRef::Number(NumFormat::F64), "f64"),
        ("at", TypeRef::DateTime, DATE_TIME),
        ("upload", TypeRef::Binary, "File"),
        ("flag", TypeRef::Boolean, "bool"),
        ("text", TypeRef::String, "String"),
    ];
    for (wire, ty, _) in &expected {
        assert_eq!(&field(scalars, wire).ty, ty, "{wire}");
    }

    let text = generated_types(&yaml);
    let scalars = item(&text, "pub struct Scalars");
    for (wire, _, rust) in &expected {
        assert_eq!(field_decl(&scalars, wire), format!("pub {wire}: {rust},"));
    }
    assert!(imports_from_runtime(&text, DATE_TIME), "{text}");
    assert!(imports_from_runtime(&text, "File"), "{text}");
}

// ---------------------------------------------------------------------------
// 7. Recursion
// ---------------------------------------------------------------------------

#[test]
fn recursive_fields_are_boxed_only_where_held_by_value() {
    let yaml = doc31(
        r#"    Node:
      type: object
      properties:
        value: {type: string}
        next: {$ref: '#/components/schemas/Node'}
        parent: {anyOf: [{$ref: '#/components/schemas/Node'}, {type: 'null'}]}
        children: {type: array, items: {$ref: '#/components/schemas/Node'}}
        by_name: {type: object, additionalProperties: {$ref: '#/components/schemas/Node'}}
    A:
      type: object
      required: [b]
      properties:
        b: {$ref: '#/components/schemas/B'}
        leaf: {$ref: '#/components/schemas/Leaf'}
    B:
      type: object
      properties:
        a: {$ref: '#/components/schemas/A'}
        leaves: {type: array, items: {$ref: '#/components/schemas/Leaf'}}
    Leaf:
      type: object
      properties:
        x: {type: string}
"#,
    );
    let (model, names) = model(&yaml);
    let node = struct_of(&model, &names, "Node");
    let boxed: Vec<(&str, bool)> = node
        .fields
        .iter()
        .map(|f| (f.wire_name.as_str(), f.boxed))
        .collect();
    assert_eq!(
        boxed,
        [
            ("value", false),
            ("next", true),
            ("parent", true),
            ("children", false),
            ("by_name", false)
        ]
    );
    let a = struct_of(&model, &names, "A");
    assert!(field(a, "b").boxed, "A -> B closes the cycle A -> B -> A");
    assert!(!field(a, "leaf").boxed, "Leaf is outside the cycle");
    assert!(
        field(struct_of(&model, &names, "B"), "a").boxed,
        "B -> A closes the cycle too"
    );

    let text = generated_types(&yaml);
    let node = item(&text, "pub struct Node");
    assert_eq!(field_decl(&node, "next"), "pub next: Option<Box<Node>>,");
    assert_eq!(
        field_decl(&node, "parent"),
        "pub parent: Nullable<Box<Node>>,"
    );
    assert_eq!(
        field_decl(&node, "children"),
        "pub children: Option<Vec<Node>>,"
    );
    assert_eq!(
        field_decl(&node, "by_name"),
        "pub by_name: Option<BTreeMap<String, Node>>,"
    );
    let a = item(&text, "pub struct A");
    assert_eq!(field_decl(&a, "b"), "pub b: Box<B>,");
    assert!(field_decl(&a, "leaf").ends_with("pub leaf: Option<Leaf>,"));
    let b = item(&text, "pub struct B");
    assert!(
        field_decl(&b, "a").ends_with("pub a: Option<Box<A>>,"),
        "{b}"
    );
    assert!(
        field_decl(&b, "leaves").ends_with("pub leaves: Option<Vec<Leaf>>,"),
        "{b}"
    );
    assert_eq!(
        text.matches("Box<Box<").count(),
        0,
        "no edge is boxed twice"
    );
    assert_eq!(
        text.matches("Box<").count(),
        4,
        "exactly next, parent, A.b and B.a are boxed:\n{text}"
    );
}

// ---------------------------------------------------------------------------
// 8. Names of types
// ---------------------------------------------------------------------------

const VOICE: &str = r#"    Voice:
      type: object
      properties:
        settings:
          type: object
          properties:
            stability: {type: number}
        samples:
          type: array
          items:
            type: object
            properties:
              id: {type: string}
"#;

#[test]
fn inline_schemas_are_named_after_where_they_stand() {
    let yaml = doc31(VOICE);
    let (model, names) = model(&yaml);
    let voice = struct_of(&model, &names, "Voice");
    let settings = type_id(&names, "VoiceSettings");
    let sample = type_id(&names, "VoiceSamplesItem");
    assert_eq!(field(voice, "settings").ty, TypeRef::Named(settings));
    assert_eq!(
        field(voice, "samples").ty,
        TypeRef::Array(Box::new(TypeRef::Named(sample)))
    );
    assert_eq!(model.types[settings.0].name_hint, ["Voice", "settings"]);
    assert_eq!(
        model.types[sample.0].pointer,
        "/components/schemas/Voice/properties/samples/items"
    );
    assert_eq!(
        model.types[sample.0].home,
        type_id(&names, "Voice"),
        "inline types live in their component's file"
    );

    let krate = generate(&yaml);
    let voice_file = file(&krate, "src/demo/types/voice.rs");
    assert!(
        voice_file.contains("pub struct VoiceSettings {"),
        "{voice_file}"
    );
    assert!(
        voice_file.contains("pub struct VoiceSamplesItem {"),
        "{voice_file}"
    );
    let voice = item(voice_file, "pub struct Voice");
    assert!(field_decl(&voice, "samples").ends_with("pub samples: Option<Vec<VoiceSamplesItem>>,"));
    assert!(
        squash(file(&krate, "src/demo/types/mod.rs"))
            .contains("pub use voice::{Voice, VoiceSamplesItem, VoiceSettings};"),
        "the inline types are exported"
    );
}

#[test]
fn inline_names_do_not_change_when_a_schema_is_added_before() {
    let before = doc31(VOICE);
    let after = doc31(&format!(
        r#"    Account:
      type: object
      properties:
        settings:
          type: object
          properties:
            plan: {{type: string}}
        items:
          type: array
          items:
            type: object
            properties:
              sku: {{type: string}}
{VOICE}"#
    ));
    let (_, names_before) = model(&before);
    let (_, names_after) = model(&after);
    for name in ["Voice", "VoiceSettings", "VoiceSamplesItem"] {
        assert!(
            names_before.types.iter().any(|n| n == name),
            "{name} before: {:?}",
            names_before.types
        );
        assert!(
            names_after.types.iter().any(|n| n == name),
            "{name} after: {:?}",
            names_after.types
        );
    }
    assert!(
        names_after.types.iter().any(|n| n == "AccountSettings"),
        "{:?}",
        names_after.types
    );

    let voice_before = without_header(file(&generate(&before), "src/demo/types/voice.rs"));
    let voice_after = without_header(file(&generate(&after), "src/demo/types/voice.rs"));
    assert_eq!(
        voice_before, voice_after,
        "Voice's file is the same, byte for byte, below the header"
    );
}

#[test]
fn colliding_component_names_get_distinct_deterministic_names() {
    let yaml = doc31(
        r#"    foo_bar:
      type: object
      properties:
        a: {type: string}
    FooBar:
      type: object
      properties:
        b: {type: string}
    Voice:
      type: object
      properties:
        settings:
          type: object
          properties:
            c: {type: string}
    VoiceSettings:
      type: object
      properties:
        d: {type: string}
"#,
    );
    let (model, names) = model(&yaml);
    let component_names: Vec<(&str, &str)> = model
        .types
        .iter()
        .zip(&names.types)
        .filter_map(|(t, name)| t.component_name.as_deref().map(|c| (c, name.as_str())))
        .collect();
    assert_eq!(
        component_names,
        [
            ("foo_bar", "FooBar"),
            ("FooBar", "FooBar2"),
            ("Voice", "Voice"),
            ("VoiceSettings", "VoiceSettings")
        ]
    );
    // Components claim names before inline types do.
    let voice = struct_of(&model, &names, "Voice");
    assert_eq!(
        field(voice, "settings").ty,
        TypeRef::Named(type_id(&names, "VoiceSettings2"))
    );

    let mut runs = try_generate_runs(&yaml, 2).unwrap_or_else(|e| panic!("generation failed: {e}"));
    let first = runs.remove(0);
    assert_eq!(first.files, runs[0].files, "generation is deterministic");
    let text = types_text(&first);
    let foo_bar = item(&text, "pub struct FooBar");
    assert!(foo_bar.contains("pub a:"), "{foo_bar}");
    let foo_bar2 = item(&text, "pub struct FooBar2");
    assert!(foo_bar2.contains("pub b:"), "{foo_bar2}");
    let modules: Vec<String> = first
        .files
        .keys()
        .filter(|p| is_types_file(p))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        modules.iter().filter(|m| m.starts_with("foo_bar")).count(),
        2,
        "one file each: {modules:?}"
    );
}

// ---------------------------------------------------------------------------
// 9. Field names
// ---------------------------------------------------------------------------

#[test]
fn keywords_and_non_snake_wire_names_become_renamed_idents() {
    let yaml = doc31(
        r#"    Request:
      type: object
      required: [type, enum, loop, from, mimeType, xi-api-key]
      properties:
        type: {type: string}
        enum: {type: string}
        loop: {type: string}
        from: {type: string}
        mimeType: {type: string}
        xi-api-key: {type: string}
"#,
    );
    let (_, names) = model(&yaml);
    assert_eq!(
        names.fields[&type_id(&names, "Request")],
        ["type_", "enum_", "loop_", "from", "mime_type", "xi_api_key"]
    );

    let text = generated_types(&yaml);
    let request = item(&text, "pub struct Request");
    for (ident, wire) in [
        ("type_", "type"),
        ("enum_", "enum"),
        ("loop_", "loop"),
        ("mime_type", "mimeType"),
        ("xi_api_key", "xi-api-key"),
    ] {
        assert_eq!(field_decl(&request, ident), format!("pub {ident}: String,"));
        assert_eq!(
            field_encoding(&text, "Request", ident),
            format!(r#"field("{wire}", &self.{ident})"#)
        );
    }
    assert_eq!(
        field_decl(&request, "from"),
        "pub from: String,",
        "no rename where the ident is the wire name"
    );
}

// ---------------------------------------------------------------------------
// 10. Documentation
// ---------------------------------------------------------------------------

#[test]
fn descriptions_become_doc_comments_and_deprecated_is_kept() {
    let yaml = doc31(
        r#"    Voice:
      type: object
      description: "A voice.\nIt can speak."
      required: [id]
      properties:
        id: {type: string, description: The identifier.}
        old: {type: string, description: Use id instead., deprecated: true}
    Legacy:
      type: object
      deprecated: true
      description: Replaced by Voice.
      properties:
        x: {type: string}
"#,
    );
    let (model, names) = model(&yaml);
    let voice = struct_of(&model, &names, "Voice");
    assert_eq!(
        field(voice, "old").docs.description.as_deref(),
        Some("Use id instead.")
    );
    assert!(field(voice, "old").docs.deprecated && !field(voice, "id").docs.deprecated);
    assert!(model.types[type_id(&names, "Legacy").0].docs.deprecated);

    let text = generated_types(&yaml);
    let voice = item(&text, "pub struct Voice");
    assert!(
        voice.starts_with(
            "/// A voice.\n/// It can speak.\n///\n/// Schema: `#/components/schemas/Voice`\n"
        ),
        "{voice}"
    );
    assert!(
        !squash(&voice).contains("#[deprecated] #[derive"),
        "Voice is not deprecated:\n{voice}"
    );
    assert_eq!(
        field_decl(&voice, "id"),
        "/// The identifier. pub id: String,"
    );
    assert_eq!(
        field_decl(&voice, "old"),
        "/// Use id instead. #[deprecated] pub old: Option<String>,"
    );
    let legacy = squash(&item(&text, "pub struct Legacy"));
    assert!(
        legacy.starts_with("/// Replaced by Voice. /// /// Schema: `#/components/schemas/Legacy` #[deprecated] #[derive("),
        "{legacy}"
    );
}

// ---------------------------------------------------------------------------
// 11. Errors
// ---------------------------------------------------------------------------

#[test]
fn dangling_ref_names_file_and_pointer() {
    let yaml = doc31(
        r#"    A:
      type: object
      properties:
        b: {$ref: '#/components/schemas/Missing'}
"#,
    );
    let loaded = generator::load::load_bytes(Path::new("specs/demo.yaml"), yaml.as_bytes())
        .expect("it parses");
    let error = generator::model::lower::build_model(&loaded).expect_err("the reference dangles");
    match &error {
        Error::Invalid { file, location, .. } => {
            assert_eq!(file, Path::new("specs/demo.yaml"));
            assert_eq!(
                location,
                &Location::Pointer("/components/schemas/A/properties/b/$ref".to_owned())
            );
        }
        other => panic!("unexpected error {other:?}"),
    }
    let message = error.to_string();
    assert!(
        message.starts_with("specs/demo.yaml:#/components/schemas/A/properties/b/$ref: "),
        "{message}"
    );
    assert!(
        message.contains("#/components/schemas/Missing"),
        "the message names the target: {message}"
    );

    // The whole pipeline reports the same place.
    let message = match try_generate(&yaml) {
        Ok(_) => panic!("generation should fail"),
        Err(e) => e.to_string(),
    };
    assert!(
        message.contains("demo.yaml:#/components/schemas/A/properties/b/$ref"),
        "{message}"
    );
}

#[test]
fn yaml_syntax_error_names_line_and_column() {
    // Line 3 has a second `:` in a plain scalar, at column 14.
    let yaml = "openapi: 3.1.0\ninfo:\n  title: Demo: Two\n  version: \"1\"\npaths: {}\n";
    let error = load_error(yaml);
    match &error {
        Error::Invalid { file, location, .. } => {
            assert_eq!(file, Path::new("demo.yaml"));
            assert_eq!(
                location,
                &Location::LineColumn {
                    line: 3,
                    column: 14
                },
                "{error}"
            );
        }
        other => panic!("no line:column in {other:?}"),
    }
    let message = error.to_string();
    assert!(
        message.starts_with("demo.yaml:3:14: invalid YAML: "),
        "{message}"
    );
}

#[test]
fn swagger_2_is_refused() {
    let error = load_error("swagger: \"2.0\"\ninfo:\n  title: Demo\n  version: \"1\"\npaths: {}\n");
    let message = error.to_string();
    assert!(message.starts_with("demo.yaml:#/swagger: "), "{message}");
    assert!(
        message.contains("Swagger 2.0 is not supported"),
        "{message}"
    );
}

#[test]
fn local_refs_resolve_at_any_depth_and_cycles_are_refused() {
    let yaml = doc31(
        "    Outer:\n      type: object\n      properties:\n        inner:\n          type: object\n          properties:\n            level: {type: string, enum: [low, high]}\n    Other:\n      type: object\n      properties:\n        level: {$ref: '#/components/schemas/Outer/properties/inner/properties/level'}\n        same: {$ref: '#/components/schemas/Outer/properties/inner/properties/level'}\n",
    );
    let (model, names) = model(&yaml);
    let other = struct_of(&model, &names, "Other");
    let level = field(other, "level");
    let same = field(other, "same");
    assert_eq!(level.ty, same.ty, "one pointer lowers to one type");
    let TypeRef::Named(id) = &level.ty else {
        panic!("{:?}", level.ty)
    };
    assert!(matches!(model.types[id.0].kind, TypeKind::StringEnum(_)));

    let cyclic = doc31(
        "    A:\n      type: object\n      properties:\n        x: {$ref: '#/components/schemas/B/properties/y'}\n    B:\n      type: object\n      properties:\n        y: {$ref: '#/components/schemas/A/properties/x'}\n",
    );
    let error = load_error_model(&cyclic);
    assert!(error.contains("demo.yaml:#/components/schemas/"), "{error}");
    assert!(error.contains("refers to itself"), "{error}");
}

fn load_error_model(yaml: &str) -> String {
    let loaded =
        generator::load::load_bytes(Path::new("demo.yaml"), yaml.as_bytes()).expect("loads");
    generator::model::lower::build_model(&loaded)
        .unwrap_err()
        .to_string()
}

#[test]
fn all_of_with_a_single_reference_is_that_type() {
    let (model, names) = model(&doc(
        "3.0.3",
        "    Base:\n      type: object\n      properties:\n        id: {type: string}\n    Wrapper:\n      type: object\n      properties:\n        base:\n          allOf: [{$ref: '#/components/schemas/Base'}]\n          nullable: true\n          description: The base, or null.\n        self_again:\n          allOf: [{$ref: '#/components/schemas/Wrapper'}]\n    Renamed:\n      allOf: [{$ref: '#/components/schemas/Base'}]\n",
    ));
    let base = type_id(&names, "Base");
    let wrapper = struct_of(&model, &names, "Wrapper");
    let field_base = field(wrapper, "base");
    assert_eq!(field_base.ty, TypeRef::Named(base));
    assert!(field_base.nullable);
    assert_eq!(
        field(wrapper, "self_again").ty,
        TypeRef::Named(type_id(&names, "Wrapper"))
    );
    let renamed = &model.types[type_id(&names, "Renamed").0];
    assert!(matches!(renamed.kind, TypeKind::Alias(TypeRef::Named(id)) if id == base));
}

#[test]
fn an_inline_all_of_that_contains_itself_is_an_error_not_an_endless_type() {
    let yaml = doc31(
        "    Node:\n      type: object\n      properties:\n        child:\n          allOf:\n            - $ref: '#/components/schemas/Node'\n            - {type: object, properties: {depth: {type: integer}}}\n",
    );
    let loaded = generator::load::load_bytes(Path::new("demo.yaml"), yaml.as_bytes()).unwrap();
    let message = generator::model::lower::build_model(&loaded)
        .unwrap_err()
        .to_string();
    assert!(
        message.starts_with("demo.yaml:#/components/schemas/Node/properties/child: this schema contains itself through `allOf`"),
        "{message}"
    );
}

// ---------------------------------------------------------------------------
// 12. Schemas declared twice (`X-Input` / `X-Output`)
// ---------------------------------------------------------------------------

const PAIRS: &str = r#"    Node-Input:
      type: object
      required: [kind]
      properties:
        kind: {type: string, const: node}
        mode: {type: string, enum: [a, b]}
        children: {type: array, items: {$ref: '#/components/schemas/Node-Input'}}
        tag: {$ref: '#/components/schemas/Tag-Input'}
    Node-Output:
      type: object
      properties:
        kind: {type: string, const: node}
        mode: {type: string, enum: [a, b]}
        children: {type: array, items: {$ref: '#/components/schemas/Node-Output'}}
        tag: {$ref: '#/components/schemas/Tag-Output'}
    Tag-Input:
      type: object
      properties:
        name: {type: string, description: The name.}
    Tag-Output:
      type: object
      properties:
        name: {type: string, description: The name.}
    Page-Input:
      type: object
      properties:
        node: {$ref: '#/components/schemas/Node-Input'}
    Page-Output:
      type: object
      properties:
        node: {$ref: '#/components/schemas/Node-Output'}
        total: {type: integer}
    Book-Input:
      type: object
      properties:
        page: {$ref: '#/components/schemas/Page-Input'}
    Book-Output:
      type: object
      properties:
        page: {$ref: '#/components/schemas/Page-Output'}
    Label-Input:
      type: object
      properties:
        name: {type: string, description: Shown to users.}
    Label-Output:
      type: object
      properties:
        name: {type: string, description: Shown in lists.}
"#;

#[test]
fn identical_input_and_output_schemas_become_one_type() {
    let (mut model, names) = model(&doc31(PAIRS));
    generator::model::unify::alias_identical_pairs(&mut model, Path::new("demo.yaml")).unwrap();
    let alias_of = |name: &str| match &model.types[type_id(&names, name).0].kind {
        TypeKind::Alias(TypeRef::Named(target)) => Some(names.types[target.0].clone()),
        _ => None,
    };
    assert_eq!(
        alias_of("NodeOutput").as_deref(),
        Some("NodeInput"),
        "recursive, with a constant required on one side only"
    );
    assert_eq!(alias_of("TagOutput").as_deref(), Some("TagInput"));
    assert_eq!(
        alias_of("NodeOutputMode").as_deref(),
        Some("NodeInputMode"),
        "inline types follow their schema"
    );
    assert_eq!(alias_of("PageOutput"), None, "an extra field");
    assert_eq!(
        alias_of("BookOutput"),
        None,
        "refers to a pair that differs"
    );
    assert_eq!(alias_of("LabelOutput"), None, "documented differently");
    for input in ["NodeInput", "TagInput", "PageInput", "BookInput"] {
        assert_eq!(alias_of(input), None, "{input} stays a type");
    }

    let text = generated_types(&doc31(PAIRS));
    assert!(
        squash(&item(&text, "pub type NodeOutput")).ends_with("pub type NodeOutput = NodeInput;"),
        "{text}"
    );
    assert!(item(&text, "pub struct PageOutput").contains("pub total: Option<i64>,"));
}

/// Nested structs and string enums, and lists, maps and nullable forms of
/// them, are read with `field.decode` (the outer deserializer); unions and
/// a struct that derives for its flattened map with `field.read` (erased).
/// A struct's `Deserialize` only hands over to `api_runtime::de`.
#[test]
fn nested_structs_and_string_enums_decode_directly_and_the_rest_through_read() {
    let yaml = doc31(
        r#"    Owner:
      type: object
      properties:
        person: {$ref: '#/components/schemas/Person'}
        pets: {type: array, items: {$ref: '#/components/schemas/Person'}}
        by_name: {type: object, additionalProperties: {$ref: '#/components/schemas/Person'}}
        maybe: {anyOf: [{$ref: '#/components/schemas/Person'}, {type: 'null'}]}
        kind: {type: string, enum: [a, b]}
        kinds: {type: array, items: {type: string, enum: [a, b]}}
        either: {anyOf: [{type: string}, {$ref: '#/components/schemas/Person'}]}
        open: {$ref: '#/components/schemas/Open'}
    Person:
      type: object
      properties:
        name: {type: string}
    Open:
      type: object
      additionalProperties: {type: string}
      properties:
        name: {type: string}
"#,
    );
    let text = generated_types(&yaml);
    let decode = squash(&item(&text, "impl api_runtime::de::Decode for Owner"));
    for part in [
        r#""person" => field.decode(&mut person_),"#,
        r#""pets" => field.decode(&mut pets_),"#,
        r#""by_name" => field.decode(&mut by_name_),"#,
        r#""maybe" => field.decode(&mut maybe_),"#,
        r#""kind" => field.decode(&mut kind_),"#,
        r#""kinds" => field.decode(&mut kinds_),"#,
        r#""either" => field.read(&mut either_),"#,
        r#""open" => field.read(&mut open_),"#,
    ] {
        assert!(decode.contains(part), "no `{part}` in:\n{decode}");
    }
    let deserialize = squash(&item(&text, "impl<'de> Deserialize<'de> for Owner"));
    assert!(
        deserialize.contains("{ api_runtime::de::deserialize(deserializer) }"),
        "{deserialize}"
    );
}

#[test]
fn a_closed_struct_reads_past_undeclared_keys_through_the_runtime() {
    let yaml = doc31(
        r#"    Closed:
      type: object
      additionalProperties: false
      properties:
        a: {type: string}
    Open:
      type: object
      properties:
        a: {type: string}
"#,
    );
    let (model, names) = model(&yaml);
    assert!(struct_of(&model, &names, "Closed").closed);
    assert!(!struct_of(&model, &names, "Open").closed);
    let text = generated_types(&yaml);
    let closed = squash(&item(&text, "impl api_runtime::de::Decode for Closed"));
    assert!(closed.contains("_ => field.undeclared(),"), "{closed}");
    let open = squash(&item(&text, "impl api_runtime::de::Decode for Open"));
    assert!(open.contains("_ => field.skip(),"), "{open}");
}

#[test]
fn a_nullable_const_is_an_optional_value_that_keeps_null_and_absence() {
    let yaml = doc31(
        r#"    Price:
      type: object
      required: [fixed]
      properties:
        fixed: {type: string, const: usd}
        currency:
          anyOf:
            - {type: string, const: usd}
            - {type: 'null'}
"#,
    );
    let text = generated_types(&yaml);
    let price = squash(&item(&text, "pub struct Price"));
    assert!(price.contains("pub fixed: consts::Usd,"), "{price}");
    assert!(
        price.contains("pub currency: Nullable<consts::Usd>,"),
        "{price}"
    );
    let serialize = squash(&item(&text, "impl Serialize for Price"));
    assert!(
        serialize.contains(r#"api_runtime::ser::optional("currency", &self.currency)"#),
        "{serialize}"
    );
    assert!(
        serialize.contains(r#"api_runtime::ser::field("fixed", &self.fixed)"#),
        "{serialize}"
    );
}

#[test]
fn an_optional_untyped_property_reads_null_as_a_value() {
    let yaml = doc31(
        r#"    Holder:
      type: object
      properties:
        anything: {}
        name: {type: string}
"#,
    );
    let text = generated_types(&yaml);
    let decode = squash(&item(&text, "impl api_runtime::de::Decode for Holder"));
    assert!(
        decode.contains(r#""anything" => field.read_json(&mut anything_),"#),
        "{decode}"
    );
    assert!(
        decode.contains(r#""name" => field.read(&mut name_),"#),
        "{decode}"
    );
}

#[test]
fn one_of_beside_any_of_takes_the_members_of_both_once() {
    let yaml = doc31(
        r#"    Transcript:
      oneOf:
        - $ref: '#/components/schemas/Chunk'
        - $ref: '#/components/schemas/Multichannel'
      anyOf:
        - $ref: '#/components/schemas/Chunk'
        - $ref: '#/components/schemas/Multichannel'
        - $ref: '#/components/schemas/Webhook'
    Chunk:
      type: object
      properties:
        text: {type: string}
    Multichannel:
      type: object
      properties:
        transcripts: {type: array, items: {type: string}}
    Webhook:
      type: object
      properties:
        request_id: {type: string}
"#,
    );
    let (model, names) = model(&yaml);
    let union = union_of(&model, &names, "Transcript");
    let types: Vec<&TypeRef> = union.variants.iter().map(|v| &v.ty).collect();
    assert_eq!(
        types,
        ["Chunk", "Multichannel", "Webhook"]
            .map(|name| TypeRef::Named(type_id(&names, name)))
            .iter()
            .collect::<Vec<_>>()
    );
}
