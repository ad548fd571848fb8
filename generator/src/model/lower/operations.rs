//! Stage 2 (building), operations: parameters, request bodies and
//! responses of every path item, with their inline schemas lowered into
//! named types beside the components'.

use heck::ToSnakeCase;
use serde::Deserialize;
use serde_json::Value;

use super::schemas::{docs_of, Lowerer, Site};
use crate::load;
use crate::load::spec::{self, Document, MediaType, Schema};
use crate::model::ir::*;
use crate::support::error::{push_pointer, Error, Result};
use crate::support::ident::type_ident;

impl Lowerer<'_> {
    pub(super) fn lower_operations(&mut self, doc: &Document) -> Result<Vec<Operation>> {
        self.home = OPERATIONS_HOME;
        let api_key_header = api_key_header(doc);
        let mut operations = Vec::new();
        for (path, item) in &doc.paths {
            let item_pointer = push_pointer("/paths", path);
            for (method, raw) in item.operations() {
                let pointer = push_pointer(&item_pointer, method);
                let op: spec::Operation = load::typed_at(self.file, &pointer, raw)?;
                let shared = Raw {
                    values: &item.parameters,
                    pointer: push_pointer(&item_pointer, "parameters"),
                };
                let context = OperationContext {
                    pointer,
                    method,
                    path,
                    shared,
                    api_key_header: api_key_header.as_deref(),
                };
                operations.push(self.operation(&context, op)?);
            }
        }
        Ok(operations)
    }

    fn operation(&mut self, context: &OperationContext, op: spec::Operation) -> Result<Operation> {
        let (group, name) = call_site(&op, context.method, context.path);
        let mut hint_words = group.clone();
        hint_words.push(name.clone());
        let hint = type_ident(&hint_words);
        let site = Site {
            pointer: context.pointer.clone(),
            hint: vec![hint],
        };
        let params = self.parameters(context, &op, &site)?;
        check_path_parameters(self.file, context, &params)?;
        let body = match &op.request_body {
            Some(raw) => Some(self.request_body(raw, &site)?),
            None => None,
        };
        let (response, errors) = self.responses(&op, &site)?;
        Ok(Operation {
            pointer: context.pointer.clone(),
            method: context.method.to_ascii_uppercase(),
            path: context.path.to_owned(),
            operation_id: op.operation_id.clone(),
            group,
            name,
            summary: op.summary.clone(),
            description: op.description.clone(),
            deprecated: op.deprecated,
            params,
            body,
            response,
            errors,
            paging: None,
        })
    }

    /// Path-level parameters, overridden by the operation's own of the same
    /// name and location; the API key header is the client's business.
    fn parameters(
        &mut self,
        context: &OperationContext,
        op: &spec::Operation,
        site: &Site,
    ) -> Result<Vec<ParamDef>> {
        let own = Raw {
            values: &op.parameters,
            pointer: push_pointer(&site.pointer, "parameters"),
        };
        let mut params: Vec<ParamDef> = Vec::new();
        for raw in [&context.shared, &own] {
            for (index, value) in raw.values.iter().enumerate() {
                let pointer = format!("{}/{index}", raw.pointer);
                let (param, param_pointer) = self.resolve::<spec::Parameter>(value, &pointer)?;
                if is_api_key(&param, context.api_key_header) {
                    continue;
                }
                let def = self.parameter(param, &param_pointer, site)?;
                params.retain(|p| p.wire_name != def.wire_name || p.location != def.location);
                params.push(def);
            }
        }
        Ok(params)
    }

    fn parameter(
        &mut self,
        param: spec::Parameter,
        pointer: &str,
        site: &Site,
    ) -> Result<ParamDef> {
        let location = match param.location.as_str() {
            "path" => ParamLocation::Path,
            "query" => ParamLocation::Query,
            "header" => ParamLocation::Header,
            other => {
                return Err(Error::at_pointer(
                    self.file,
                    &push_pointer(pointer, "in"),
                    format!(
                        "parameters in {other:?} are not supported (path, query and header are)"
                    ),
                ))
            }
        };
        let schema_site = Site {
            pointer: push_pointer(pointer, "schema"),
            hint: vec![site.hint[0].clone(), param.name.clone()],
        };
        let ty = match &param.schema {
            Some(schema) => strip_nullable(self.type_ref(schema, &schema_site)?),
            None => TypeRef::String,
        };
        let schema_docs = param.schema.as_ref().map(docs_of).unwrap_or_default();
        let minimum = param
            .schema
            .as_ref()
            .and_then(|s| s.minimum.as_ref())
            .and_then(Value::as_i64);
        Ok(ParamDef {
            wire_name: param.name,
            location,
            ty,
            required: param.required || location == ParamLocation::Path,
            explode: param
                .explode
                .unwrap_or(param.style.as_deref().is_none_or(|s| s == "form")),
            docs: Docs {
                title: None,
                description: param.description.or(schema_docs.description),
                deprecated: param.deprecated || schema_docs.deprecated,
                default: schema_docs.default,
            },
            minimum,
        })
    }

    fn request_body(&mut self, raw: &Value, site: &Site) -> Result<BodyDef> {
        let pointer = push_pointer(&site.pointer, "requestBody");
        let (body, body_pointer) = self.resolve::<spec::RequestBody>(raw, &pointer)?;
        let Some((media_type, content)) = pick_request_media_type(&body) else {
            return Err(Error::at_pointer(
                self.file,
                &push_pointer(&body_pointer, "content"),
                "a request body needs at least one media type",
            ));
        };
        let content_pointer = push_pointer(&push_pointer(&body_pointer, "content"), media_type);
        let encoding = body_encoding(media_type);
        let body_site = Site {
            pointer: push_pointer(&content_pointer, "schema"),
            hint: vec![site.hint[0].clone(), "Request".to_owned()],
        };
        let (ty, nullable) = match (&content.schema, &encoding) {
            (_, BodyEncoding::Binary(_)) => (TypeRef::Binary, false),
            (Some(schema), _) => self.type_ref(schema, &body_site)?.split_nullable(),
            (None, _) => (TypeRef::Json, false),
        };
        if encoding == BodyEncoding::Multipart {
            let id = self.multipart_struct(&ty, &body_site.pointer)?;
            let mut json_fields: Vec<String> = content
                .encoding
                .iter()
                .filter(|(_, encoding)| encoding.content_type.as_deref().is_some_and(is_json))
                .map(|(field, _)| field.clone())
                .collect();
            for field in self.object_array_fields(id) {
                if !json_fields.contains(&field) {
                    json_fields.push(field);
                }
            }
            let body = MultipartBody {
                ty: id,
                json_fields,
            };
            if !self.multipart_bodies.iter().any(|b| b.ty == id) {
                self.multipart_bodies.push(body);
            }
        }
        Ok(BodyDef {
            encoding,
            ty,
            required: body.required && !nullable,
            description: body.description,
        })
    }

    /// A multipart body must be an object: each property becomes a part.
    fn multipart_struct(&self, ty: &TypeRef, pointer: &str) -> Result<TypeId> {
        let mut current = ty;
        while let TypeRef::Named(id) = current {
            match &self.type_def(*id).kind {
                TypeKind::Struct(_) => return Ok(*id),
                TypeKind::Alias(target) => current = target,
                _ => break,
            }
        }
        Err(Error::at_pointer(
            self.file,
            pointer,
            "a multipart/form-data body must be an object schema with properties",
        ))
    }

    /// Fields of a multipart struct holding arrays of objects. A form has
    /// no way to spell an object per item, so such an array travels as one
    /// JSON part, as the server and the official SDKs expect
    /// (speech-to-text's `additional_formats`).
    fn object_array_fields(&self, id: TypeId) -> Vec<String> {
        let TypeKind::Struct(def) = &self.type_def(id).kind else {
            return Vec::new();
        };
        def.fields
            .iter()
            .filter(|field| match self.through_aliases(&field.ty) {
                TypeRef::Array(item) => self.is_object_like(item),
                _ => false,
            })
            .map(|field| field.wire_name.clone())
            .collect()
    }

    /// Whether values of `ty` are JSON objects (or may be): structs, maps,
    /// any JSON, and unions with such a member.
    fn is_object_like(&self, ty: &TypeRef) -> bool {
        match self.through_aliases(ty) {
            TypeRef::Map(_) | TypeRef::Json => true,
            TypeRef::Named(id) => match &self.type_def(*id).kind {
                TypeKind::Struct(_) => true,
                TypeKind::Union(union) => union
                    .variants
                    .iter()
                    .any(|variant| self.is_object_like(&variant.ty)),
                TypeKind::StringEnum(_) | TypeKind::Alias(_) => false,
            },
            _ => false,
        }
    }

    /// `ty` without nullability and aliases (bounded: an alias cycle
    /// stops at the last alias seen).
    pub(super) fn through_aliases<'t>(&'t self, mut ty: &'t TypeRef) -> &'t TypeRef {
        for _ in 0..=self.types.len() {
            match ty {
                TypeRef::Nullable(inner) => ty = inner,
                TypeRef::Named(id) => match &self.type_def(*id).kind {
                    TypeKind::Alias(target) => ty = target,
                    _ => return ty,
                },
                _ => return ty,
            }
        }
        ty
    }

    pub(super) fn type_def(&self, id: TypeId) -> &TypeDef {
        self.types[id.0]
            .as_ref()
            .expect("types are filled before operations")
    }

    /// The success response (the lowest 2xx status) and the declared
    /// error bodies.
    fn responses(
        &mut self,
        op: &spec::Operation,
        site: &Site,
    ) -> Result<(ResponseDef, Vec<(String, TypeRef)>)> {
        let responses_pointer = push_pointer(&site.pointer, "responses");
        let mut statuses: Vec<&String> = op.responses.keys().collect();
        statuses.sort();
        let mut success = None;
        let mut errors = Vec::new();
        for status in statuses {
            let pointer = push_pointer(&responses_pointer, status);
            let (response, response_pointer) =
                self.resolve::<spec::Response>(&op.responses[status], &pointer)?;
            let content = response.content.unwrap_or_default();
            let content_pointer = push_pointer(&response_pointer, "content");
            if status.starts_with('2') {
                if success.is_none() {
                    let streamed = op.streaming.as_ref().is_some_and(is_streaming);
                    success =
                        Some(self.success_response(&content, &content_pointer, site, streamed)?);
                }
            } else if let Some((media_type, Some(schema))) = json_media(&content) {
                // An error response without a schema keeps its raw body.
                let error_site = Site {
                    pointer: push_pointer(&push_pointer(&content_pointer, media_type), "schema"),
                    hint: vec![site.hint[0].clone(), format!("Error{status}")],
                };
                let ty = self.type_ref(schema, &error_site)?;
                self.record_response(&error_site, &ty);
                errors.push((status.clone(), ty));
            }
        }
        Ok((success.unwrap_or(ResponseDef::Empty), errors))
    }

    fn success_response(
        &mut self,
        content: &indexmap::IndexMap<String, MediaType>,
        content_pointer: &str,
        site: &Site,
        streamed: bool,
    ) -> Result<ResponseDef> {
        let schema_site = |media_type: &str, suffix: &str| Site {
            pointer: push_pointer(&push_pointer(content_pointer, media_type), "schema"),
            hint: vec![site.hint[0].clone(), suffix.to_owned()],
        };
        if content.is_empty() {
            return Ok(ResponseDef::Empty);
        }
        if let Some((media_type, schema)) = json_media(content) {
            let any = Schema::default();
            let schema = schema.unwrap_or(&any);
            let json_site = schema_site(media_type, "Response");
            let ty = self.type_ref(schema, &json_site)?;
            self.record_response(&json_site, &ty);
            return Ok(match streamed {
                true => ResponseDef::JsonStream(ty),
                false => ResponseDef::Json(ty),
            });
        }
        if let Some(media) = content.get("text/event-stream") {
            let ty = match &media.schema {
                Some(schema) if is_plain_string(schema) || is_untyped(schema) => TypeRef::String,
                Some(schema) => {
                    self.type_ref(schema, &schema_site("text/event-stream", "Event"))?
                }
                None => TypeRef::String,
            };
            return Ok(ResponseDef::EventStream(ty));
        }
        if let [(media_type, media)] = content.iter().collect::<Vec<_>>().as_slice() {
            if media_type.starts_with("text/") && media.schema.as_ref().is_none_or(is_plain_string)
            {
                return Ok(ResponseDef::Text(media_type.to_string()));
            }
        }
        Ok(ResponseDef::Binary(content.keys().cloned().collect()))
    }

    fn record_response(&mut self, site: &Site, ty: &TypeRef) {
        self.response_sites.push(ExampleSite {
            pointer: site.pointer.clone(),
            ty: ty.clone(),
        });
    }

    /// Follows a `$ref` (to `components/parameters`, `requestBodies`,
    /// `responses`...) and reads the target, returning it with its pointer.
    fn resolve<T: for<'de> Deserialize<'de>>(
        &self,
        value: &Value,
        pointer: &str,
    ) -> Result<(T, String)> {
        let mut current = value;
        let mut current_pointer = pointer.to_owned();
        for _ in 0..32 {
            let Some(reference) = current.get("$ref").and_then(Value::as_str) else {
                return Ok((
                    load::typed_at(self.file, &current_pointer, current)?,
                    current_pointer,
                ));
            };
            current = self.resolve_ref(reference, &push_pointer(&current_pointer, "$ref"))?;
            current_pointer = reference.trim_start_matches('#').to_owned();
        }
        Err(Error::at_pointer(
            self.file,
            pointer,
            "references chain more than 32 times (a cycle?)",
        ))
    }
}

struct Raw<'v> {
    values: &'v [Value],
    pointer: String,
}

struct OperationContext<'v> {
    pointer: String,
    method: &'static str,
    path: &'v str,
    shared: Raw<'v>,
    api_key_header: Option<&'v str>,
}

/// The header an `apiKey` security scheme reads the key from; the global
/// requirement's scheme wins over any other.
pub(super) fn api_key_header(doc: &Document) -> Option<String> {
    let schemes = &doc.components.security_schemes;
    let required = doc
        .security
        .iter()
        .flat_map(|requirement| requirement.keys())
        .filter_map(|name| schemes.get(name));
    required
        .chain(schemes.values())
        .find(|s| s.kind == "apiKey" && s.location.as_deref() == Some("header"))
        .and_then(|s| s.name.clone())
}

fn is_api_key(param: &spec::Parameter, api_key_header: Option<&str>) -> bool {
    param.location == "header"
        && api_key_header.is_some_and(|header| header.eq_ignore_ascii_case(&param.name))
}

/// Every `{name}` in the template must be a declared path parameter.
fn check_path_parameters(
    file: &std::path::Path,
    context: &OperationContext,
    params: &[ParamDef],
) -> Result<()> {
    for name in template_names(context.path) {
        let declared = params
            .iter()
            .any(|p| p.location == ParamLocation::Path && p.wire_name == name);
        if !declared {
            return Err(Error::at_pointer(
                file,
                &context.pointer,
                format!("the path names {{{name}}} but the operation declares no path parameter {name:?}"),
            ));
        }
    }
    Ok(())
}

/// Where the method lives and its name: Fern's hints when present; else
/// the first tag as the group and the operationId without the tag's words;
/// else the client itself.
fn call_site(op: &spec::Operation, method: &str, path: &str) -> (Vec<String>, String) {
    let fallback_name = || {
        op.operation_id
            .clone()
            .unwrap_or_else(|| format!("{method} {path}"))
            .to_snake_case()
    };
    if let Some(group) = op.sdk_group_name.clone() {
        let name = op.sdk_method_name.clone().unwrap_or_else(fallback_name);
        return (group.into_vec(), name);
    }
    let name = op.sdk_method_name.clone().unwrap_or_else(fallback_name);
    match op.tags.first() {
        Some(tag) => {
            let group = tag.to_snake_case();
            let name = if op.sdk_method_name.is_some() {
                name
            } else {
                without_words_of(&name, &group)
            };
            (vec![group], name)
        }
        None => (Vec::new(), name),
    }
}

/// `create_conversation` in group `conversations` -> `create`.
fn without_words_of(name: &str, group: &str) -> String {
    let group_words: Vec<&str> = group.split('_').collect();
    let kept: Vec<&str> = name
        .split('_')
        .filter(|word| !group_words.iter().any(|g| same_noun(word, g)))
        .collect();
    if kept.is_empty() {
        name.to_owned()
    } else {
        kept.join("_")
    }
}

fn same_noun(word: &str, group_word: &str) -> bool {
    let plural = |w: &str| match w.strip_suffix('y') {
        Some(stem) => format!("{stem}ies"),
        None => format!("{w}s"),
    };
    word == group_word || plural(word) == group_word || plural(group_word) == word
}

/// `x-fern-streaming: true`, or an object (Fern's long form, `{format:
/// ...}`); `false` and anything else are not streaming.
fn is_streaming(value: &Value) -> bool {
    value.as_bool().unwrap_or(value.is_object())
}

fn pick_request_media_type(body: &spec::RequestBody) -> Option<(&str, &MediaType)> {
    let by_preference = |wanted: fn(&str) -> bool| {
        body.content
            .iter()
            .find(|(media_type, _)| wanted(media_type))
            .map(|(m, c)| (m.as_str(), c))
    };
    by_preference(is_json)
        .or_else(|| by_preference(|m| m == "multipart/form-data"))
        .or_else(|| body.content.first().map(|(m, c)| (m.as_str(), c)))
}

fn body_encoding(media_type: &str) -> BodyEncoding {
    if is_json(media_type) {
        BodyEncoding::Json
    } else if media_type == "multipart/form-data" {
        BodyEncoding::Multipart
    } else {
        BodyEncoding::Binary(media_type.to_owned())
    }
}

fn is_json(media_type: &str) -> bool {
    let essence = media_type.split(';').next().unwrap_or("").trim();
    essence == "application/json" || essence.ends_with("+json")
}

/// The first JSON media type and its schema, if one is written.
fn json_media(content: &indexmap::IndexMap<String, MediaType>) -> Option<(&str, Option<&Schema>)> {
    content
        .iter()
        .find(|(media_type, _)| is_json(media_type))
        .map(|(media_type, media)| (media_type.as_str(), media.schema.as_ref()))
}

fn is_plain_string(schema: &Schema) -> bool {
    schema.reference.is_none()
        && schema.types.non_null().eq(["string"])
        && schema.format.as_deref() != Some("binary")
}

fn is_untyped(schema: &Schema) -> bool {
    schema.reference.is_none() && schema.types.0.is_empty() && schema.properties.is_empty()
}

/// Parameters are either sent or not; `null` has no wire form.
pub(super) fn strip_nullable(ty: TypeRef) -> TypeRef {
    match ty {
        TypeRef::Nullable(inner) => strip_nullable(*inner),
        other => other,
    }
}
