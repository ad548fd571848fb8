//! Creates a Tavus deployment (`POST /v2/deployments`).
//!
//! ```text
//! TAVUS_API_KEY=... cargo run --example tavus_create_deployment -- \
//!     PAL_ID [widget|embed|landing-page] [--name NAME] [--base-url URL]
//! ```

use api_clients::tavus::types::{CreateDeploymentRequest, DeploymentChannel};
use api_clients::tavus::Client;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse(std::env::args().skip(1))?;
    let mut builder = Client::builder().api_key_from_env();
    if let Some(base_url) = &args.base_url {
        builder = builder.base_url(base_url);
    }
    let client = builder.build()?;
    let mut request = CreateDeploymentRequest::new(args.pal_id, args.channel);
    if let Some(name) = args.name {
        request = request.name(name);
    }
    let deployment = client.deployments().create(&request).await?;
    println!(
        "deployment {} ({:?})",
        deployment.deployment_id.unwrap_or_default(),
        deployment.status
    );
    Ok(())
}

struct Args {
    pal_id: String,
    channel: DeploymentChannel,
    name: Option<String>,
    base_url: Option<String>,
}

impl Args {
    fn parse(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
        const USAGE: &str =
            "usage: tavus_create_deployment PAL_ID [widget|embed|landing-page] [--name NAME] [--base-url URL]";
        let mut positional = Vec::new();
        let (mut name, mut base_url) = (None, None);
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--base-url" => base_url = Some(args.next().ok_or(USAGE)?),
                "--name" => name = Some(args.next().ok_or(USAGE)?),
                _ => positional.push(arg),
            }
        }
        let mut positional = positional.into_iter();
        let pal_id = positional.next().ok_or(USAGE)?;
        let channel = match positional.next().as_deref() {
            None | Some("widget") => DeploymentChannel::Widget,
            Some("embed") => DeploymentChannel::Embed,
            Some("landing-page") => DeploymentChannel::LandingPage,
            Some(other) => return Err(format!("unknown channel {other:?}; {USAGE}")),
        };
        Ok(Args {
            pal_id,
            channel,
            name,
            base_url,
        })
    }
}
