"""The official Python SDK's side of "Calls beside the official SDK" in
docs/DESIGN.md: the calls of tests/calls.rs the way the `elevenlabs` package
(2.78.0) documents them, formatted with `black --skip-magic-trailing-comma`.
verify.py sends each one to a local server; count.py counts the lines."""

from elevenlabs import (
    AgentConfig,
    AgentDeploymentPercentageStrategy,
    AgentDeploymentRequest,
    AgentDeploymentRequestItem,
    ConversationalConfig,
    ExportOptions_Srt,
    ExportOptions_Txt,
    LiteralJsonSchemaProperty,
    ObjectJsonSchemaPropertyInput,
    PromptAgentApiModelOutput,
    ToolRequestModel,
    ToolRequestModelToolConfig_Client,
    TtsConversationalConfigOutput,
    VoiceSettings,
)
from elevenlabs.pronunciation_dictionaries import (
    BodyAddAPronunciationDictionaryV1PronunciationDictionariesAddFromRulesPostRulesItem_Alias,
    BodyAddAPronunciationDictionaryV1PronunciationDictionariesAddFromRulesPostRulesItem_Phoneme,
)


def c01(client):
    agent = client.conversational_ai.agents.create(
        conversation_config=ConversationalConfig(
            agent=AgentConfig(
                first_message="Hi, this is Alex from support. How can I help?",
                language="en",
                prompt=PromptAgentApiModelOutput(
                    prompt="You are a friendly support agent for Acme.",
                    llm="gpt-4o-mini",
                    temperature=0.3,
                ),
            ),
            tts=TtsConversationalConfigOutput(
                model_id="eleven_flash_v2", voice_id="21m00Tcm4TlvDq8ikWAM"
            ),
        ),
        name="Support agent",
        tags=["support", "en"],
    )
    return agent


def c02(client):
    agent = client.conversational_ai.agents.update(
        agent_id="agent_3701", name="Support agent v2", tags=None
    )
    return agent


def c03(client):
    client.conversational_ai.agents.deployments.create(
        agent_id="agent_3701",
        deployment_request=AgentDeploymentRequest(
            requests=[
                AgentDeploymentRequestItem(
                    branch_id="main",
                    deployment_strategy=AgentDeploymentPercentageStrategy(
                        traffic_percentage=80.0
                    ),
                ),
                AgentDeploymentRequestItem(
                    branch_id="beta",
                    deployment_strategy=AgentDeploymentPercentageStrategy(
                        traffic_percentage=20.0
                    ),
                ),
            ]
        ),
    )


def c04(client):
    tool = client.conversational_ai.tools.create(
        request=ToolRequestModel(
            tool_config=ToolRequestModelToolConfig_Client(
                name="get_order_status",
                description="Looks up the status of an order",
                parameters=ObjectJsonSchemaPropertyInput(
                    required=["order_id"],
                    properties={
                        "order_id": LiteralJsonSchemaProperty(
                            type="string", description="The order number, e.g. A-1001"
                        ),
                        "include_items": LiteralJsonSchemaProperty(type="boolean"),
                    },
                ),
                expects_response=True,
            )
        )
    )
    return tool


def c05(client):
    speech = client.text_to_speech.convert(
        voice_id="JBFqnCBsd6RMkjVDRZzb",
        text="The first move is what sets everything in motion.",
        model_id="eleven_multilingual_v2",
        voice_settings=VoiceSettings(stability=0.5, similarity_boost=0.75),
        output_format="mp3_44100_128",
    )
    return b"".join(speech)


def c06(client):
    transcript = client.speech_to_text.convert(
        model_id="scribe_v1",
        file=("meeting.mp3", b"ID3-meeting"),
        language_code="en",
        diarize=True,
        additional_formats=[
            ExportOptions_Srt(max_characters_per_line=42),
            ExportOptions_Txt(),
        ],
    )
    return transcript


def c07(client):
    voice = client.voices.ivc.create(
        name="Narrator",
        files=[("take1.mp3", b"take-one"), ("take2.mp3", b"take-two")],
        description="Warm, calm narration voice",
        remove_background_noise=True,
    )
    return voice


def c08(client):
    dictionary = client.pronunciation_dictionaries.create_from_rules(
        rules=[
            BodyAddAPronunciationDictionaryV1PronunciationDictionariesAddFromRulesPostRulesItem_Alias(
                string_to_replace="Acme", alias="Ack-mee"
            ),
            BodyAddAPronunciationDictionaryV1PronunciationDictionariesAddFromRulesPostRulesItem_Phoneme(
                string_to_replace="tomato", phoneme="/təˈmeɪtoʊ/", alphabet="ipa"
            ),
        ],
        name="Brand names",
        description="How we say our product names",
        workspace_access="viewer",
    )
    return dictionary


def c09(client):
    dubbing = client.dubbing.create(
        source_url="https://example.com/launch.mp4",
        source_lang="en",
        target_lang="es",
        num_speakers=2,
        watermark=True,
    )
    return dubbing


def c10(client):
    history = client.history.list(
        page_size=20,
        voice_id="JBFqnCBsd6RMkjVDRZzb",
        date_after_unix=1700000000,
        sort_direction="desc",
        source="TTS",
    )
    return history
