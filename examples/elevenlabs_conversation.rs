//! A text conversation with an ElevenLabs agent over the realtime channel
//! (WebSocket `/v1/convai/conversation`): each line of standard input is
//! sent as a user message, and the agent's answers are printed as they
//! arrive.
//!
//! ```text
//! ELEVENLABS_API_KEY=... cargo run --example elevenlabs_conversation -- AGENT_ID [--base-url URL]
//! ```
//!
//! Standard output gets `you: ...` for what the agent heard, `agent: ...`
//! for each answer and `agent (corrected): ...` when an answer was cut
//! short; notes go to standard error. The connection answers the server's
//! pings itself. Input is read once the server has sent the conversation's
//! metadata. At the end of the input (Ctrl-D) the program waits until the
//! agent has answered every message (at most 30 seconds), then closes the
//! conversation. The agent's audio is not played.

use std::process::ExitCode;
use std::time::Duration;

use api_clients::elevenlabs::types::{
    ClientToolCall, ClientToolResult, ConversationalConversationClientMessage,
    ConversationalConversationServerMessage as Event, UserMessage,
};
use api_clients::elevenlabs::{Error, Receiver, Sender};
use api_clients::runtime::realtime::RealtimeError;
use api_clients::runtime::StreamExt;
use tokio::time::Instant;

mod realtime_support;
use realtime_support::{client, exit_code, stdin_lines, Lines};

type ConversationSender = Sender<ConversationalConversationClientMessage>;
type ConversationEvents = Receiver<Event>;

/// How long the end of the input waits for the agent's last answer.
const LAST_ANSWER_TIMEOUT: Duration = Duration::from_secs(30);

#[tokio::main]
async fn main() -> ExitCode {
    exit_code(run().await)
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse(std::env::args().skip(1))?;
    let client = client(args.base_url.as_deref())?;
    let (sender, events) = client
        .conversational_ai()
        .conversation(&args.agent_id)
        .connect()
        .await?
        .split();
    converse(&sender, events, stdin_lines()).await
}

/// Sends the lines of `input` and shows the events as they come, until
/// the conversation ends: closed by the server, or by us once the input
/// has ended and been answered.
async fn converse(
    sender: &ConversationSender,
    mut events: ConversationEvents,
    mut input: Lines,
) -> Result<(), Box<dyn std::error::Error>> {
    let mut turns = Turns::default();
    loop {
        // `recv` and `next` are cancel safe: a branch that loses the race
        // loses nothing.
        tokio::select! {
            line = input.recv(), if turns.reading_input() => match line {
                Some(Ok(line)) => send_line(sender, &line, &mut turns).await?,
                Some(Err(error)) => return Err(format!("reading standard input: {error}").into()),
                None => turns.end_input(),
            },
            event = events.next() => match event {
                Some(Ok(event)) => handle(event, sender, &mut turns).await?,
                Some(Err(error)) if error.realtime().is_some_and(RealtimeError::is_decode) => {
                    eprintln!("ignoring a server message: {error}");
                }
                Some(Err(error)) => return Err(error.into()),
                None => break,
            },
            () = tokio::time::sleep_until(turns.deadline()), if turns.waiting_for_last_answer() => {
                if turns.awaiting_answers > 0 {
                    eprintln!("no answer to the last message within {LAST_ANSWER_TIMEOUT:?}");
                }
            }
        }
        if turns.finished() {
            close(sender).await?;
            // The server answers the close frame; `events` then ends.
            turns.closing = true;
        }
    }
    if !turns.closing {
        eprintln!("the server ended the conversation");
    }
    Ok(())
}

/// Where the conversation stands.
#[derive(Default)]
struct Turns {
    /// The server's `conversation_initiation_metadata` has arrived.
    started: bool,
    /// User messages sent that the agent has not answered yet.
    awaiting_answers: usize,
    /// When standard input ended, if it has.
    input_ended_at: Option<Instant>,
    /// Our close frame is sent.
    closing: bool,
}

impl Turns {
    fn end_input(&mut self) {
        self.input_ended_at = Some(Instant::now());
    }

    fn input_ended(&self) -> bool {
        self.input_ended_at.is_some()
    }

    /// Input is read from the start of the conversation to its end.
    fn reading_input(&self) -> bool {
        self.started && !self.input_ended()
    }

    fn waiting_for_last_answer(&self) -> bool {
        self.input_ended() && !self.closing
    }

    /// The latest the conversation waits for answers after the input ended.
    fn deadline(&self) -> Instant {
        self.input_ended_at.unwrap_or_else(Instant::now) + LAST_ANSWER_TIMEOUT
    }

    /// Input is over and answered (or waited for long enough), and the
    /// close frame not yet sent.
    fn finished(&self) -> bool {
        self.waiting_for_last_answer()
            && (self.awaiting_answers == 0 || Instant::now() >= self.deadline())
    }
}

/// Sends a non-blank line as a user message.
async fn send_line(
    sender: &ConversationSender,
    line: &str,
    turns: &mut Turns,
) -> Result<(), Error> {
    let text = line.trim();
    if text.is_empty() {
        return Ok(());
    }
    sender
        .send(UserMessage::default().text(text).into())
        .await?;
    turns.awaiting_answers += 1;
    Ok(())
}

/// Prints what the conversation shows as text and answers the agent's
/// client tool calls; audio and voice activity are left out. (`ping` is
/// answered by the connection before it gets here.)
async fn handle(event: Event, sender: &ConversationSender, turns: &mut Turns) -> Result<(), Error> {
    match event {
        Event::ConversationInitiationMetadata(started) => {
            let id = started
                .conversation_initiation_metadata_event
                .and_then(|event| event.conversation_id);
            eprintln!(
                "conversation {} started",
                id.as_deref().unwrap_or("(no id)")
            );
            turns.started = true;
        }
        Event::UserTranscript(heard) => {
            if let Some(text) = heard
                .user_transcription_event
                .and_then(|e| e.user_transcript)
            {
                println!("you: {text}");
            }
        }
        Event::AgentResponse(answer) => {
            if let Some(event) = answer.agent_response_event {
                println!("agent: {}", event.agent_response);
            }
            // An answer before any message (the agent's greeting) answers
            // nothing; a greeting that comes after the first message was
            // sent is taken for its answer, the messages carry no ids.
            turns.awaiting_answers = turns.awaiting_answers.saturating_sub(1);
        }
        Event::AgentResponseCorrection(correction) => {
            if let Some(event) = correction.agent_response_correction_event {
                println!("agent (corrected): {}", event.corrected_agent_response);
            }
        }
        Event::Interruption(_) => eprintln!("(the agent was interrupted)"),
        Event::ClientToolCall(call) => refuse_tool_call(call, sender).await?,
        Event::Unknown(message) => {
            let kind = message.get("type").and_then(|kind| kind.as_str());
            eprintln!("ignoring a message of kind {}", kind.unwrap_or("(none)"));
        }
        _ => {}
    }
    Ok(())
}

/// Answers a client tool call with an error, so that the agent does not
/// wait for a tool this program does not have.
async fn refuse_tool_call(call: ClientToolCall, sender: &ConversationSender) -> Result<(), Error> {
    let Some(call) = call.client_tool_call else {
        return Ok(());
    };
    let tool = call.tool_name.as_deref().unwrap_or("(unnamed)");
    eprintln!("the agent called the client tool {tool}, which this example does not have");
    let Some(tool_call_id) = call.tool_call_id else {
        return Ok(());
    };
    let result = ClientToolResult::default()
        .tool_call_id(tool_call_id)
        .result(format!("the client has no tool {tool}"))
        .is_error(true);
    sender.send(result.into()).await
}

/// Sends the close frame; the server may have closed already.
async fn close(sender: &ConversationSender) -> Result<(), Error> {
    match sender.close().await {
        Err(error)
            if error
                .realtime()
                .is_some_and(RealtimeError::is_already_closed) =>
        {
            Ok(())
        }
        closed => closed,
    }
}

struct Args {
    agent_id: String,
    base_url: Option<String>,
}

impl Args {
    fn parse(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
        const USAGE: &str = "usage: elevenlabs_conversation AGENT_ID [--base-url URL]";
        let mut positional = Vec::new();
        let mut base_url = None;
        while let Some(arg) = args.next() {
            if arg == "--base-url" {
                base_url = Some(args.next().ok_or(USAGE)?);
            } else if arg.starts_with("--") {
                return Err(format!("unknown option {arg}\n{USAGE}"));
            } else {
                positional.push(arg);
            }
        }
        let [agent_id] = <[String; 1]>::try_from(positional).map_err(|_| USAGE)?;
        Ok(Args { agent_id, base_url })
    }
}
