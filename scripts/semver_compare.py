#!/usr/bin/env python3
"""Compares `generator diff` with cargo-semver-checks on real API versions.

For each pair OLD -> NEW of ElevenLabs documents, generates the crate from
each (the project's overlays, AsyncAPI documents and Tavus document on both
sides) into a temporary directory, runs `cargo semver-checks check-release`
on the pair and `generator diff` on the same documents, and matches each
finding of the tool to the diff's changes by item name. Prints the figures
and every difference; `--json FILE` writes them for a record.

Run through scripts/semver-check.sh, which builds the generator and installs
the pinned cargo-semver-checks.
"""

import argparse
import json
import os
import pathlib
import re
import subprocess
import sys
import tempfile

REPO = pathlib.Path(__file__).resolve().parent.parent


def manifest_text(document: pathlib.Path) -> str:
    """The repository's manifest with every path absolute and the
    ElevenLabs document replaced by `document`."""
    specs = REPO / "specs"
    text = (specs / "apis.toml").read_text()

    def absolute(match: re.Match) -> str:
        return '"%s"' % (specs / match.group(1)).resolve()

    text = re.sub(r'"((?:\.\./|overlays/)[^"]*)"', absolute, text)
    text = re.sub(r'(?m)^output = ".*"$', 'output = "../generated"', text)
    text, count = re.subn(
        r'(?m)^spec = "[^"]*/elevenlabs\.yaml"$', 'spec = "%s"' % document, text
    )
    if count != 1:
        sys.exit("semver_compare: the manifest's elevenlabs spec line was not found")
    return text


def generate(generator: str, document: pathlib.Path, root: pathlib.Path) -> pathlib.Path:
    """Generates the manifest's crate with `document` under `root`."""
    (root / "specs").mkdir(parents=True)
    manifest = root / "specs" / "apis.toml"
    manifest.write_text(manifest_text(document))
    run([generator, "generate", "--manifest", str(manifest)], root / "generate.log")
    return manifest


def run(command, log: pathlib.Path, ok=(0,), env=None) -> str:
    result = subprocess.run(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env
    )
    log.write_text(result.stdout)
    # cargo-semver-checks exits non-zero when it finds something; its
    # summary line tells that apart from a failure to run.
    concluded = ok is None and re.search(r"(?m)^ +(Summary|Finished) ", result.stdout)
    if not concluded and result.returncode not in (ok or (0,)):
        sys.exit(
            "semver_compare: %s exited %d; output in %s"
            % (" ".join(command), result.returncode, log)
        )
    return result.stdout


# ---------------------------------------------------------------------------
# Names, as the generator assigns them (generator/src/naming)
# ---------------------------------------------------------------------------


def words(name: str):
    """Splits `ASTNode-Input`, `voice_settings`, `mimeType` into words."""
    out = []
    for part in re.split(r"[^A-Za-z0-9]+", name):
        out += re.findall(r"[A-Z]+(?=[A-Z][a-z]|\d|\b)|[A-Z]?[a-z]+|[A-Z]+|\d+", part)
    return [w for w in out if w]


def upper_camel(name: str) -> str:
    return "".join(w[:1].upper() + w[1:].lower() for w in words(name))


def key(name: str) -> str:
    """A spelling-free key: `AstNodeInput`, `ASTNode-Input` -> `astnodeinput`."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


# ---------------------------------------------------------------------------
# cargo-semver-checks' report
# ---------------------------------------------------------------------------


class Finding:
    """One `Failed in:` line of one lint (`warning` for the lints the tool
    only warns about)."""

    def __init__(self, lint: str, text: str, level: str = "failure"):
        self.lint = lint
        self.level = level
        self.text = text.strip()
        subject = re.split(r", previously in | now takes |, in file |, in /| in file ", self.text)[0]
        self.file = ""
        found = re.search(r"(/\S*?/src/\S+?\.rs)", self.text)
        if found:
            self.file = found.group(1).split("/src/", 1)[1]
        self.api = self.file.split("/", 1)[0] if self.file else ""
        self.type_name, self.member = parse_subject(subject)
        self.owner = None  # ("schema", name) or ("operation", "METHOD path")
        self.changes = []  # the diff's changes it was matched to

    def line(self) -> str:
        short = re.sub(r",? (?:previously )?in (?:file )?/\S+", "", self.text)
        return "%s: %s" % (self.lint, short)


def parse_subject(subject: str):
    """`field x of struct Y` -> (Y, x); `variant Y::V` -> (Y, V);
    `struct a::b::Y` -> (Y, None); `Y::m` -> (Y, m)."""
    subject = subject.strip().rstrip(",")
    match = re.match(r"(?:pub )?field (\w+) of (?:struct|variant) ([\w:]+)", subject)
    if match:
        return match.group(2).split("::")[-1], match.group(1)
    match = re.match(r"type (\w+) no longer derives (\w+)", subject)
    if match:
        return match.group(1), None
    # `variant Y::V`, `variant Y:V in ...`, `Y::V moved from position ...`
    match = re.match(r"(?:variant )?(?:[\w:]*::)?(\w+)::?(\w+)(?: moved| in |$)", subject)
    if match and match.group(2)[:1].isupper():
        return match.group(1), match.group(2)
    subject = re.sub(r"^(?:pub )?(?:struct|enum|union|trait|mod|fn|function|method|"
                     r"type|type alias|variant|constant|static|macro|feature|"
                     r"inherent method|associated function)\s+", "", subject)
    parts = [p for p in re.split(r"::|\s+", subject) if p]
    parts = [p for p in parts if re.match(r"^[A-Za-z_]\w*$", p)]
    camel = [i for i, p in enumerate(parts) if p[:1].isupper()]
    if not camel:
        return (parts[-1] if parts else subject), None
    last = camel[-1]
    member = parts[last + 1] if last + 1 < len(parts) else None
    return parts[last], member


def findings(report: str):
    """Every finding once (the tool lists an item once per path that
    imports it, so the same line can come twice)."""
    out = []
    seen = set()
    lint = level = None
    listing = False
    for line in report.splitlines():
        header = re.match(r"--- (failure|warning) ([\w-]+): ", line)
        if header:
            level, lint, listing = header.group(1), header.group(2), False
        elif line.startswith("Failed in:"):
            listing = True
        elif listing and line.startswith("  ") and line.strip():
            if (lint, line.strip()) not in seen:
                seen.add((lint, line.strip()))
                out.append(Finding(lint, line, level))
        elif listing and not line.strip():
            listing = False
    return out


# ---------------------------------------------------------------------------
# Matching
# ---------------------------------------------------------------------------


class Change:
    """One entry of `generator diff --format json`."""

    def __init__(self, owner, entry, whole=None):
        self.owner = owner
        self.entry = entry
        self.kind = whole or entry["kind"]
        self.location = entry.get("location", "")
        self.breaking = entry["breaking"]
        self.findings = []
        self.twin = False  # confirmed through its -Input/-Output twin

    def label(self) -> str:
        what = self.entry.get("summary") or "%s %s" % (self.kind, self.entry.get("reason", ""))
        return "%s `%s`: %s" % (self.owner[0], self.owner[1], what)


def surface_owners(generated: pathlib.Path):
    """Rust-name keys of every schema and operation, from the crate's
    api-surface.json: (key, owner)."""
    surface = json.loads((generated / "api-surface.json").read_text())
    owners = []
    for api in surface["apis"]:
        if api["api"] != "elevenlabs":
            continue
        for ty in api["types"]:
            name = ty.get("name")
            if name:
                owners.append((key(upper_camel(name)), ("schema", name)))
                if ty.get("rust"):
                    owners.append((key(ty["rust"]), ("schema", name)))
                stem = re.sub(r"-(Input|Output)$", "", name)
                if stem != name:
                    owners.append((key(upper_camel(stem)), ("schema", name)))
        for op in api["operations"]:
            owner = ("operation", "%s %s" % (op["method"], op["path"]))
            call = op["call"]
            owners.append((key("_".join(call)), owner))
            owners.append((key("_".join(call[:-1])) + "#" + call[-1], owner))
    return owners


def type_refs(text: str):
    """The type positions a record line mentions (`#12`, `[]#12`, `?#12`)."""
    return {int(n) for n in re.findall(r"#(\d+)", text)}


def inline_owners(generated: pathlib.Path):
    """Rust name of each inline type -> the schemas and operations that
    reach it (through other inline types), from api-surface.json; and each
    operation -> the schema of its body, when the body is a component."""
    surface = json.loads((generated / "api-surface.json").read_text())
    by_name, bodies = {}, {}
    for api in surface["apis"]:
        if api["api"] != "elevenlabs":
            continue
        types = api["types"]
        referrers = {}
        for index, ty in enumerate(types):
            for ref in type_refs(json.dumps(ty)):
                referrers.setdefault(ref, set()).add(("type", index))
        for op in api["operations"]:
            owner = ("operation", "%s %s" % (op["method"], op["path"]))
            for ref in type_refs(json.dumps(op)):
                referrers.setdefault(ref, set()).add(owner)
            body = (op.get("body") or {}).get("ty", "")
            if re.fullmatch(r"#\d+", body) and types[int(body[1:])].get("name"):
                bodies[owner] = ("schema", types[int(body[1:])]["name"])

        def owners_of(index, seen):
            found = set()
            for ref in referrers.get(index, ()):
                if ref[0] == "operation":
                    found.add(ref)
                elif types[ref[1]].get("name"):
                    found.add(("schema", types[ref[1]]["name"]))
                elif ref[1] not in seen:
                    seen.add(ref[1])
                    found |= owners_of(ref[1], seen)
            return found

        for index, ty in enumerate(types):
            if not ty.get("name") and ty.get("rust"):
                by_name.setdefault(key(ty["rust"]), set()).update(owners_of(index, {index}))
    return by_name, bodies


OWNER_BREAKING_KINDS = {
    "type_changed", "kind_changed", "field_removed", "removed", "union_member_removed",
    "enum_value_removed", "type_renamed", "variant_renamed", "parameter_removed",
    "body_removed", "response_kind_changed",
}


def attribute(finding: Finding, owners):
    """The schema or operation a finding concerns: a method of a group is
    its operation; otherwise the longest schema or operation name that
    starts the finding's type name (inline types are named parent +
    property)."""
    if finding.api != "elevenlabs":
        return None
    target = key(finding.type_name)
    if finding.member:
        exact = [o for k, o in owners if k == target + "#" + finding.member]
        if exact:
            return exact[0]
    best = None
    for k, owner in owners:
        if "#" in k or not target.startswith(k):
            continue
        if best is None or len(k) > len(best[0]) or (len(k) == len(best[0]) and
                                                      best[1][0] == "schema" and
                                                      owner[0] == "schema" and
                                                      target == key(upper_camel(owner[1]))):
            best = (k, owner)
    return best[1] if best else None


CONSTRUCTOR_KINDS = {
    "field_added", "field_removed", "field_required", "field_optional",
    "constructor_reordered", "field_nullable", "field_not_nullable",
}


ARGUMENT_KINDS = {
    "parameter_added", "parameter_removed", "parameter_required", "parameter_optional",
    "arguments_reordered", "body_added", "body_removed", "body_required", "body_optional",
    "call_site_changed", "removed", "call_arguments_changed",
}
RETYPED_KINDS = {"type_changed", "kind_changed", "field_removed", "removed"}


def location_key(location: str) -> str:
    return key(re.sub(r"^(?:request body |response )?field |^\w+ parameter ", "", location))


def relevant(finding: Finding, change: Change, owner_key: str, owner_keys=()) -> bool:
    """Whether `change` (of the finding's owner) accounts for the finding."""
    if change.kind in ("removed", "kind_changed"):
        return True
    if change.kind == "call_arguments_changed" and finding.member:
        # The call's arguments or its builder's setters.
        return True
    member = finding.member
    target = key(finding.type_name)
    loc = location_key(change.location)
    if change.owner[0] == "operation" and member and target + "#" + member in owner_keys:
        # A method of a client group: what changes its arguments.
        return change.kind in ARGUMENT_KINDS
    if (loc and target != owner_key and change.kind in RETYPED_KINDS
            and (owner_key + loc).startswith(target)):
        # Any finding on the inline type at a location whose type changed.
        return True
    if finding.lint == "partial_ord_enum_variants_reordered":
        if change.kind not in ("enum_value_added", "union_member_added"):
            return False
        # Inline types are named after their owner and field, or after a
        # shorter place (naming/places.rs) that still ends with the field.
        return (not loc and target == owner_key) or (
            bool(loc) and ((owner_key + loc).startswith(target) or target.endswith(loc)))
    if finding.lint.startswith("enum_variant") and member:
        value = change.entry.get("old") or change.entry.get("summary", "")
        if change.kind in ("enum_value_removed", "union_member_removed"):
            names = re.findall(r'"([^"]+)"|member (\S+) removed', change.entry.get("summary", ""))
            flat = [a or b for a, b in names] + [value]
            return any(key(upper_camel(n)) == key(member) for n in flat if n)
        return False
    if member in ("new",) and change.kind in CONSTRUCTOR_KINDS:
        return True
    if member:
        base = member[:-5] if member.endswith("_null") else member
        if loc and key(base) == loc.split("[")[0]:
            return True
        if loc and target != owner_key and (target + key(base)).startswith(owner_key + loc):
            return True
        return False
    # A type-level finding on an inline type: the change at its location.
    if loc and target != owner_key:
        return (owner_key + loc).startswith(target) or target.startswith(owner_key + loc)
    return False


def const_users(generated: pathlib.Path):
    """key of a string constant -> (its value, the schemas with a field of
    it). Constants are unit types in `types::consts`, named by their value,
    there while some field has them."""
    surface = json.loads((generated / "api-surface.json").read_text())
    users = {}
    for api in surface["apis"]:
        if api["api"] != "elevenlabs":
            continue
        types = api["types"]
        texts = [json.dumps(ty) for ty in types]
        parents = {}
        for index, text in enumerate(texts):
            for child in re.findall(r"#(\d+)\b", text):
                parents.setdefault(int(child), []).append(index)

        def homes(index, seen):
            """The named types an inline type stands in."""
            if types[index].get("name"):
                return {types[index]["name"]}
            out = set()
            for parent in parents.get(index, []):
                if parent not in seen:
                    seen.add(parent)
                    out |= homes(parent, seen)
            return out

        for index, text in enumerate(texts):
            for value in re.findall(r'"=([^"]*)"', text):
                users.setdefault(key(value), (value, set()))[1].update(homes(index, {index}))
    return users


def group_operations(generated: pathlib.Path):
    """key of each client group (`conversational_ai`, `conversational_ai
    tests`) -> the operations under it."""
    surface = json.loads((generated / "api-surface.json").read_text())
    groups = {}
    for api in surface["apis"]:
        if api["api"] != "elevenlabs":
            continue
        for op in api["operations"]:
            call = op["call"]
            for end in range(1, len(call)):
                groups.setdefault(key("_".join(call[:end])), set()).add(
                    "%s %s" % (op["method"], op["path"]))
    return groups


def special_changes(finding: Finding, changes, users, groups):
    """The changes behind a finding on an item that belongs to no one
    schema or operation: a client group (its feature, module, struct and
    accessor), the API's `ErrorBody` enum and the constants of
    `types::consts`. None for other findings."""
    group = None
    if finding.lint == "feature_missing":
        name = re.search(r"feature (\S+)", finding.text).group(1)
        if name.startswith("elevenlabs-"):
            group = key(name[len("elevenlabs-"):])
    elif finding.api == "elevenlabs" and finding.type_name == "Client" and finding.member:
        group = key(finding.member)
    elif finding.api == "elevenlabs" and finding.lint == "module_missing":
        group = key(finding.text.split("::")[-1].split(",")[0])
    elif (finding.file.startswith("elevenlabs/operations/") and not finding.member
          and key(finding.type_name) in groups):
        group = key(finding.type_name)
    if group is not None:
        ops = groups.get(group, set())
        return [c for c in changes if c.owner[0] == "operation" and c.owner[1] in ops
                and c.kind in ("removed", "call_site_changed")]
    if finding.api != "elevenlabs":
        return None
    if finding.type_name == "ErrorBody" and finding.member:
        return [c for c in changes if c.kind in ("error_body_added", "error_body_removed")
                and key(c.entry.get("new") or c.entry.get("old") or "") == key(finding.member)]
    if finding.file.endswith("/consts.rs"):
        # Named by the value, with a number when the name was taken (`None2`).
        name = key(finding.type_name)
        value, owners = users.get(name, users.get(name.rstrip("0123456789"), (None, set())))
        wanted = {name, name.rstrip("0123456789")}
        return [c for c in changes if c.breaking and (
            any(key(v) in wanted
                for v in re.findall(r'"([^"]*)" \(constant\)', c.entry.get("old") or ""))
            or (c.owner[1] in owners and c.kind == "removed"))]
    return None


def renamed_changes(finding: Finding, changes):
    """The diff's Rust-name changes behind a finding on an item the
    generator named anew: a type or a union variant by its old name. None
    for other findings."""
    if finding.api != "elevenlabs":
        return None
    hits = []
    for change in changes:
        old = change.entry.get("old")
        if change.kind == "type_renamed" and old == finding.type_name:
            hits.append(change)
        elif (change.kind == "variant_renamed" and finding.member == old
              and finding.lint.startswith("enum_variant")):
            hits.append(change)
    return hits or None


def compare(report: str, diff: dict, old_generated: pathlib.Path, new_generated: pathlib.Path):
    owners = surface_owners(old_generated) + surface_owners(new_generated)
    owner_keys = {}
    for k, owner in owners:
        owner_keys.setdefault(owner, k)
    changes = []
    for part, label in (("operations", "operation"), ("schemas", "schema")):
        section = diff[part]
        for whole, entries in (("removed", section["removed"]), ("added", section["added"])):
            for entry in entries:
                name = entry.get("name") or "%s %s" % (entry["method"], entry["path"])
                changes.append(Change((label, name), entry, whole))
        for entry in section["changed"]:
            name = entry.get("schema") or "%s %s" % (entry["method"], entry["path"])
            changes.append(Change((label, name), entry))
    by_owner = {}
    for change in changes:
        by_owner.setdefault(change.owner, []).append(change)
    method_keys = {k for k, _ in owners if "#" in k}
    inline, bodies = inline_owners(old_generated)
    users = const_users(old_generated)
    groups = group_operations(old_generated)
    found = findings(report)
    for finding in found:
        special = renamed_changes(finding, changes)
        if special is None:
            special = special_changes(finding, changes, users, groups)
        if special is not None:
            finding.changes = special
            finding.owner = special[0].owner if special else None
            for change in special:
                change.findings.append(finding)
            continue
        finding.owner = attribute(finding, owners)
        if finding.owner is None:
            # An inline type gone: a breaking change where it was used.
            reached = inline.get(key(finding.type_name), set())
            # A flattened call's inline types belong to its body schema.
            reached = reached | {bodies[o] for o in reached if o in bodies}
            matched = [c for owner in sorted(reached) for c in by_owner.get(owner, [])
                       if (c.breaking and c.kind in OWNER_BREAKING_KINDS)
                       or (finding.level != "failure"
                           and relevant(finding, c, owner_keys.get(owner, key(owner[1]))))]
            finding.owner = sorted(reached)[0] if reached else None
            finding.changes = matched
            for change in matched:
                change.findings.append(finding)
            continue
        mine = list(by_owner.get(finding.owner, []))
        body = bodies.get(finding.owner)
        if body and finding.member:
            # A flattened call's setter is its body's field, and its inline
            # types are named after the call and the field.
            target = key(finding.type_name)
            mine += [c for c in by_owner.get(body, [])
                     if key(finding.member.removesuffix("_null")) == location_key(c.location)
                     or (location_key(c.location) and target.endswith(location_key(c.location))
                         and relevant(finding, c, target))]
        matched = [c for c in mine
                   if c.owner != finding.owner
                   or relevant(finding, c, owner_keys[finding.owner], method_keys)]
        finding.changes = matched
        for change in matched:
            change.findings.append(finding)
    # Identical -Input/-Output schemas are one Rust type (the second an
    # alias of the first): the tool reports the item once, for both.
    for change in changes:
        if change.findings or not change.breaking:
            continue
        stem, twin = re.subn(r"-Input$", "-Output", change.owner[1])
        if not twin:
            stem, twin = re.subn(r"-Output$", "-Input", change.owner[1])
        if not twin:
            continue
        for other in by_owner.get((change.owner[0], stem), []):
            if (other.kind, other.location) == (change.kind, change.location) and other.findings:
                change.findings = list(other.findings)
                change.twin = True
    return found, changes


# ---------------------------------------------------------------------------
# Why the tool cannot see a change the diff calls breaking
# ---------------------------------------------------------------------------

UNSEEN = {
    "type_changed": "another Rust type for a field, argument or return value: "
    "cargo-semver-checks does not compare types",
    "field_nullable": "the field's Rust type changes (`T`/`Option<T>`/`Nullable<T>`) "
    "with the `new(...)` arguments unchanged: types are not compared",
    "field_not_nullable": "the field's Rust type changes with the `new(...)` arguments "
    "unchanged: types are not compared",
    "field_optional": "the field's Rust type changes and `new(...)` loses the argument: "
    "types are not compared",
    "field_required": "the field's Rust type changes: types are not compared",
    "constructor_reordered": "`new(...)` takes the same number of arguments in another "
    "order: argument types are not compared",
    "response_kind_changed": "the method returns another type: return types are not compared",
    "parameter_added": "a positional argument of another type or place: not compared",
}


def rust_items(generated: pathlib.Path):
    """Names of the public types of the crate's ElevenLabs module."""
    names = set()
    for path in (generated / "src" / "elevenlabs").rglob("*.rs"):
        names.update(re.findall(r"(?m)^pub (?:struct|enum|type) (\w+)", path.read_text()))
    return names


def tool_only_reason(finding: Finding) -> str:
    """Why the diff does not call a finding of the tool breaking."""
    kinds = {c.kind for c in finding.changes}
    if finding.member == "new" and kinds and kinds <= {"field_added"}:
        return ("a required field added to a response-only type: `new(...)` takes one more "
                "argument. The diff's rule counts it compatible: user code reads responses, "
                "it does not build them (docs/DESIGN.md)")
    if (finding.lint == "enum_variant_missing" and not finding.changes and finding.owner
            and finding.owner[1].endswith("-Output") and finding.member.endswith("Input")):
        return ("a member named after an -Input type: identical -Input/-Output schemas were "
                "one Rust type in OLD, two in NEW, so the variant is renamed. The diff compares "
                "the schemas before that unification and sees no change")
    return "not explained: a gap of the diff's rules"


def unseen_reason(change: Change, new_items) -> str:
    if change.kind == "removed" and change.owner[0] == "schema":
        rust = upper_camel(re.sub(r"-(Input|Output)$", "", change.owner[1]))
        if rust in new_items:
            return ("the Rust type `%s` is still there: the new document splits the schema "
                    "into identical -Input/-Output schemas, which generate one type under "
                    "the old name" % rust)
        return "the type's Rust name is not in the old crate: check by hand"
    if change.kind == "enum_value_removed":
        return ("the value is respelled on the wire and both spellings give the same Rust "
                "variant: it compiles, and breaks at run time (the old spelling is no longer "
                "sent or recognised)")
    if change.kind == "type_renamed" and change.entry.get("old") in new_items:
        return ("the place now takes another type, and the old one is still there for the "
                "places that keep it: cargo-semver-checks does not compare argument types")
    if change.kind == "field_added" and change.owner[0] == "schema":
        return "a required field of a response-only type read through `new(...)`: check by hand"
    return UNSEEN.get(change.kind, "not reported by cargo-semver-checks: check by hand")


# ---------------------------------------------------------------------------
# The run
# ---------------------------------------------------------------------------


def run_pair(args, old_doc: pathlib.Path, new_doc: pathlib.Path, work: pathlib.Path):
    """Generates both crates under `work` and leaves both tools' output
    there (diff.json, semver-checks.log) for `summarize_kept`."""
    old_root, new_root = work / "old", work / "new"
    old_manifest = generate(args.generator, old_doc, old_root)
    generate(args.generator, new_doc, new_root)
    old_generated, new_generated = old_root / "generated", new_root / "generated"
    run(
        [args.generator, "diff", "--manifest", str(old_manifest), "--format", "json",
         "elevenlabs", str(new_doc)],
        work / "diff.json",
    )
    env = dict(os.environ)
    if args.target_dir:
        env["CARGO_TARGET_DIR"] = args.target_dir
    run(
        ["cargo", "semver-checks", "check-release", "--color", "never",
         "--baseline-root", str(old_generated),
         "--manifest-path", str(new_generated / "Cargo.toml"),
         # Judge every change as if it were released as compatible: the
         # versions of both temporary crates are 0.1.0, and a release type
         # of major would skip the lints for breaking changes.
         "--release-type", "minor",
         # The crate's default features are every group of both APIs.
         "--default-features"],
        work / "semver-checks.log",
        ok=None,
        env=env,
    )


def summarize_kept(old_doc: pathlib.Path, new_doc: pathlib.Path, work: pathlib.Path):
    """The figures of a pair from what `run_pair` left in `work`."""
    report = (work / "semver-checks.log").read_text()
    diff = json.loads((work / "diff.json").read_text())
    return summarize(old_doc, new_doc, report, diff, work / "old" / "generated",
                     work / "new" / "generated")


def summarize(old_doc, new_doc, report, diff, old_generated, new_generated):
    found, changes = compare(report, diff, old_generated, new_generated)
    new_items = rust_items(new_generated)
    failures = [f for f in found if f.level == "failure"]
    warnings = [f for f in found if f.level != "failure"]
    breaking = [c for c in changes if c.breaking]
    agreed = [c for c in breaking if c.findings]
    tool_only = [f for f in failures if not any(c.breaking for c in f.changes)]
    diff_only = [c for c in breaking if not c.findings]

    def lints(items):
        counts = {}
        for f in items:
            counts[f.lint] = counts.get(f.lint, 0) + 1
        return dict(sorted(counts.items()))

    return {
        "old": str(old_doc),
        "new": str(new_doc),
        "tool_failures": len(failures),
        "tool_lints": lints(failures),
        "tool_warnings": len(warnings),
        "warning_lints": lints(warnings),
        "warnings_on_diff_additions": sum(1 for f in warnings if f.changes),
        "diff_changes": len(changes),
        "diff_breaking": len(breaking),
        "agreements": len(agreed),
        "agreements_through_twin": sum(1 for c in agreed if c.twin),
        "findings_agreeing": len(failures) - len(tool_only),
        "tool_only": [
            {
                "finding": f.line(),
                "owner": " ".join(f.owner) if f.owner else None,
                "diff_says": [c.label() for c in f.changes],
                "reason": tool_only_reason(f),
            }
            for f in tool_only
        ],
        "diff_only": [
            {"change": c.label(), "reason": unseen_reason(c, new_items)} for c in diff_only
        ],
    }


def render(result: dict) -> str:
    lines = [
        "%s -> %s" % (pathlib.Path(result["old"]).name, pathlib.Path(result["new"]).name),
        "  cargo-semver-checks: %d breaking findings (%s); %d warnings (%s), %d of them on "
        "values the diff lists as added" % (
            result["tool_failures"],
            ", ".join("%s %d" % kv for kv in result["tool_lints"].items()) or "none",
            result["tool_warnings"],
            ", ".join("%s %d" % kv for kv in result["warning_lints"].items()) or "none",
            result["warnings_on_diff_additions"]),
        "  generator diff: %d changes, %d breaking" % (result["diff_changes"], result["diff_breaking"]),
        "  agreements: %d breaking changes (%d through their -Input/-Output twin) confirmed by "
        "%d findings" % (result["agreements"], result["agreements_through_twin"],
                         result["findings_agreeing"]),
        "  tool breaking, diff not (%d):" % len(result["tool_only"]),
    ]
    for item in result["tool_only"]:
        said = "; ".join(item["diff_says"]) or "no change"
        lines.append("    - %s [%s] -- diff: %s -- %s" % (
            item["finding"], item["owner"], said, item["reason"]))
    lines.append("  diff breaking, tool passes (%d):" % len(result["diff_only"]))
    for item in result["diff_only"]:
        lines.append("    - %s -- %s" % (item["change"], item["reason"]))
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--generator", required=True, help="the built generator binary")
    parser.add_argument("--target-dir", help="CARGO_TARGET_DIR for cargo-semver-checks")
    parser.add_argument("--json", help="write the figures here")
    parser.add_argument("--keep", help="generate under this directory and keep it")
    parser.add_argument("--reuse", help="match again what an earlier --keep run left "
                        "there, without generating or running the tool")
    parser.add_argument("pairs", nargs="+", metavar="OLD:NEW",
                        help="two ElevenLabs documents, colon-separated")
    args = parser.parse_args()
    args.generator = os.path.abspath(args.generator)
    if args.target_dir:
        args.target_dir = os.path.abspath(args.target_dir)
    results = []
    for index, pair in enumerate(args.pairs):
        old, new = (pathlib.Path(p).resolve() for p in pair.split(":", 1))
        if args.reuse or args.keep:
            work = pathlib.Path(args.reuse or args.keep) / str(index)
            if not args.reuse:
                work.mkdir(parents=True, exist_ok=False)
                run_pair(args, old, new, work)
            results.append(summarize_kept(old, new, work))
        else:
            with tempfile.TemporaryDirectory(prefix="semver-check-") as tmp:
                run_pair(args, old, new, pathlib.Path(tmp))
                results.append(summarize_kept(old, new, pathlib.Path(tmp)))
        print(render(results[-1]), flush=True)
    if args.json:
        pathlib.Path(args.json).write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
