"""Line counts for "Calls beside the official SDK" in docs/DESIGN.md.

Ours: the call statement of each test named below in tests/calls.rs (from
`let x = client` or `client` to `.unwrap();`), with `.await.unwrap()`
written `.await?` as an application returning `Result` would; the file is
rustfmt-checked and `.await?;` is what rustfmt makes of those two lines.
SDK: the body of each function in sdk.py (black --skip-magic-trailing-comma),
without its `return`. Lines counted are the non-blank ones.

    python3 scripts/sdk-side-by-side/count.py
"""
import pathlib, re

HERE = pathlib.Path(__file__).resolve().parent
TESTS = {
    "c01": "creates_an_agent_with_a_nested_conversation_config",
    "c02": "patches_an_agent_with_an_explicit_null",
    "c03": "seed_deploys_agent_branches",
    "c04": "creates_a_client_tool_with_a_json_schema",
    "c05": "converts_text_to_speech_with_voice_settings",
    "c06": "transcribes_speech_with_additional_formats",
    "c07": "adds_a_voice_from_two_files",
    "c08": "adds_a_pronunciation_dictionary_from_rules",
    "c09": "dubs_a_video_from_a_url",
    "c10": "lists_history_with_filters",
}

rust = (HERE / "../../tests/calls.rs").read_text()
python = (HERE / "sdk.py").read_text()


def ours(test):
    body = rust.split(f"async fn {test}()", 1)[1]
    call = re.search(r"\n(    (?:let \w+ = )?client\n.*?\.await\n\s+\.unwrap\(\);)", body, re.S)
    text = re.sub(r"\.await\n\s+\.unwrap\(\);", ".await?;", call.group(1))
    return [line for line in text.split("\n") if line.strip()]


def sdk(name):
    body = python.split(f"def {name}(client):\n", 1)[1].split("\n\n\n", 1)[0]
    return [line for line in body.split("\n") if line.strip() and not line.strip().startswith("return")]


def main():
    total_ours = total_sdk = 0
    for name, test in TESTS.items():
        o, s = len(ours(test)), len(sdk(name))
        total_ours += o
        total_sdk += s
        print(f"{name} {test:52} ours {o:3}  sdk {s:3}")
    print(f"total ours {total_ours}  sdk {total_sdk}  ratio {total_ours / total_sdk:.2f}")


if __name__ == "__main__":
    main()
