//! Streams text from standard input into ElevenLabs text to speech over the
//! realtime channel (WebSocket `/v1/text-to-speech/{voice_id}/stream-input`),
//! one line at a time as a language model would produce it, and writes the
//! audio to a file.
//!
//! ```text
//! some-llm | ELEVENLABS_API_KEY=... cargo run --example elevenlabs_stream_input -- \
//!     VOICE_ID OUTPUT_FILE [--model-id ID] [--output-format FMT] [--base-url URL]
//! ```
//!
//! The channel is opened first; then each non-blank line goes out as a text
//! chunk while the audio comes back. At the end of the input the remaining
//! text is flushed and the stream closed; the program ends after the
//! server's final message (`isFinal`). The file holds the audio exactly as
//! the chosen output format encodes it (MP3 by default, `pcm_16000` is raw
//! 16-bit PCM).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use api_clients::elevenlabs::types::{
    CloseConnection, InitializeConnection, SendText, TextToSpeechStreamInputClientMessage,
    TextToSpeechStreamInputServerMessage,
};
use api_clients::elevenlabs::{Receiver, Sender};
use api_clients::runtime::realtime::RealtimeError;
use api_clients::runtime::StreamExt;
use tokio::fs::File;
use tokio::io::{AsyncWriteExt, BufWriter};

mod realtime_support;
use realtime_support::{client, exit_code, stdin_lines, Lines};

type TtsSender = Sender<TextToSpeechStreamInputClientMessage>;
type TtsReceiver = Receiver<TextToSpeechStreamInputServerMessage>;

#[tokio::main]
async fn main() -> ExitCode {
    exit_code(run().await)
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse(std::env::args().skip(1))?;
    let client = client(args.base_url.as_deref())?;
    let mut channel = client.text_to_speech().stream_input(&args.voice_id);
    if let Some(model_id) = &args.model_id {
        channel = channel.model_id(model_id);
    }
    if let Some(output_format) = &args.output_format {
        channel = channel.output_format(output_format.as_str());
    }
    // A file that cannot be written is found out before the channel opens.
    let mut output = AudioFile::create(&args.output_file).await?;
    let (sender, receiver) = channel.connect().await?.split();
    stream(stdin_lines(), &sender, receiver, &mut output).await?;
    output.finish().await?;
    eprintln!(
        "wrote {} bytes of audio to {}",
        output.written,
        args.output_file.display()
    );
    Ok(())
}

/// Sends the text while the audio arrives. The server may also end the
/// stream early: after an error, or its inactivity timeout.
async fn stream(
    input: Lines,
    sender: &TtsSender,
    receiver: TtsReceiver,
    output: &mut AudioFile,
) -> Result<(), Box<dyn std::error::Error>> {
    let sending = send_text(sender, input);
    let receiving = receive_audio(receiver, sender, output);
    tokio::pin!(sending, receiving);
    tokio::select! {
        sent = &mut sending => {
            sent?;
            receiving.await
        }
        received = &mut receiving => {
            received?;
            Err("the server ended the stream before the end of the input".into())
        }
    }
}

/// Sends the opening message, each non-blank line of `input` as a text
/// chunk, then a flush and the end of the stream.
async fn send_text(sender: &TtsSender, mut input: Lines) -> Result<(), Box<dyn std::error::Error>> {
    sender.send(InitializeConnection::default().into()).await?;
    while let Some(line) = input.recv().await {
        let line = line.map_err(|e| format!("reading standard input: {e}"))?;
        if let Some(chunk) = text_chunk(&line) {
            sender.send(SendText::new(chunk).into()).await?;
        }
    }
    sender.send(SendText::new(" ").flush(true).into()).await?;
    sender.send(CloseConnection::default().into()).await?;
    Ok(())
}

/// The text chunk for one line of input: the line without surrounding
/// whitespace and with the single trailing space the API asks for; `None`
/// for a blank line (empty text would end the stream).
fn text_chunk(line: &str) -> Option<String> {
    let words = line.trim();
    (!words.is_empty()).then(|| format!("{words} "))
}

/// Writes every audio chunk to `output` until the server's final message,
/// then closes the channel.
async fn receive_audio(
    mut receiver: TtsReceiver,
    sender: &TtsSender,
    output: &mut AudioFile,
) -> Result<(), Box<dyn std::error::Error>> {
    while let Some(message) = receiver.next().await {
        match message {
            Ok(TextToSpeechStreamInputServerMessage::AudioOutput(chunk)) => {
                output.write(&chunk.audio).await?;
            }
            Ok(TextToSpeechStreamInputServerMessage::FinalOutput(end))
                if end.is_final == Some(true) =>
            {
                return close(sender, receiver).await;
            }
            // Neither audio nor the end (`FinalOutput` takes any object
            // without audio, so this is also where an error message lands).
            Ok(other) => eprintln!("ignoring a server message without audio: {other:?}"),
            Err(error) if error.realtime().is_some_and(RealtimeError::is_decode) => {
                eprintln!("ignoring a server message: {error}");
            }
            Err(error) => return Err(error.into()),
        }
    }
    Err("the server closed the channel before its final message".into())
}

/// Sends our close frame (unless the server has closed already) and reads
/// the channel to its end, the server's close.
async fn close(
    sender: &TtsSender,
    mut receiver: TtsReceiver,
) -> Result<(), Box<dyn std::error::Error>> {
    match sender.close().await {
        Err(error)
            if error
                .realtime()
                .is_some_and(RealtimeError::is_already_closed) => {}
        closed => closed?,
    }
    while let Some(message) = receiver.next().await {
        match message {
            Err(error) if !error.realtime().is_some_and(RealtimeError::is_decode) => {
                return Err(format!("closing the channel: {error}").into())
            }
            _ => {}
        }
    }
    Ok(())
}

/// The output file, counting the bytes written.
struct AudioFile {
    file: BufWriter<File>,
    path: PathBuf,
    written: u64,
}

impl AudioFile {
    async fn create(path: &Path) -> Result<AudioFile, String> {
        let file = File::create(path)
            .await
            .map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(AudioFile {
            file: BufWriter::new(file),
            path: path.to_owned(),
            written: 0,
        })
    }

    async fn write(&mut self, audio: &[u8]) -> Result<(), String> {
        self.file
            .write_all(audio)
            .await
            .map_err(|e| self.error(e))?;
        self.written += audio.len() as u64;
        Ok(())
    }

    async fn finish(&mut self) -> Result<(), String> {
        self.file.flush().await.map_err(|e| self.error(e))?;
        self.file
            .get_ref()
            .sync_all()
            .await
            .map_err(|e| self.error(e))
    }

    fn error(&self, error: std::io::Error) -> String {
        format!("{}: {error}", self.path.display())
    }
}

struct Args {
    voice_id: String,
    output_file: PathBuf,
    model_id: Option<String>,
    output_format: Option<String>,
    base_url: Option<String>,
}

impl Args {
    fn parse(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
        const USAGE: &str = "usage: elevenlabs_stream_input VOICE_ID OUTPUT_FILE \
             [--model-id ID] [--output-format FMT] [--base-url URL]";
        let mut positional = Vec::new();
        let (mut model_id, mut output_format, mut base_url) = (None, None, None);
        while let Some(arg) = args.next() {
            let option = match arg.as_str() {
                "--model-id" => &mut model_id,
                "--output-format" => &mut output_format,
                "--base-url" => &mut base_url,
                _ if arg.starts_with("--") => return Err(format!("unknown option {arg}\n{USAGE}")),
                _ => {
                    positional.push(arg);
                    continue;
                }
            };
            *option = Some(args.next().ok_or(USAGE)?);
        }
        let [voice_id, output_file] = <[String; 2]>::try_from(positional).map_err(|_| USAGE)?;
        Ok(Args {
            voice_id,
            output_file: PathBuf::from(output_file),
            model_id,
            output_format,
            base_url,
        })
    }
}
