//! Deploys branches of an ElevenLabs agent with traffic percentages
//! (`POST /v1/convai/agents/{agent_id}/deployments`).
//!
//! ```text
//! ELEVENLABS_API_KEY=... cargo run --example elevenlabs_deploy -- \
//!     AGENT_ID BRANCH_ID=PERCENT [BRANCH_ID=PERCENT ...] [--base-url URL]
//! ```

use api_clients::elevenlabs::types::{
    AgentDeploymentPercentageStrategy, AgentDeploymentRequest, AgentDeploymentRequestItem,
};
use api_clients::elevenlabs::Client;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse(std::env::args().skip(1))?;
    let mut builder = Client::builder().api_key_from_env();
    if let Some(base_url) = &args.base_url {
        builder = builder.base_url(base_url);
    }
    let client = builder.build()?;
    let deployments = AgentDeploymentRequest::new(args.branches.iter().map(deployment_item));
    let deployed = client
        .conversational_ai()
        .agents()
        .deployments()
        .create(&args.agent_id, deployments)
        .await?;
    for (branch, percentage) in deployed
        .traffic_percentage_branch_id_map
        .unwrap_or_default()
    {
        println!("{branch}: {percentage}%");
    }
    Ok(())
}

fn deployment_item((branch_id, percentage): &(String, f64)) -> AgentDeploymentRequestItem {
    AgentDeploymentRequestItem::new(
        branch_id,
        AgentDeploymentPercentageStrategy::new(*percentage),
    )
}

struct Args {
    agent_id: String,
    branches: Vec<(String, f64)>,
    base_url: Option<String>,
}

impl Args {
    fn parse(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
        const USAGE: &str =
            "usage: elevenlabs_deploy AGENT_ID BRANCH_ID=PERCENT... [--base-url URL]";
        let mut positional = Vec::new();
        let mut base_url = None;
        while let Some(arg) = args.next() {
            if arg == "--base-url" {
                base_url = Some(args.next().ok_or(USAGE)?);
            } else {
                positional.push(arg);
            }
        }
        let mut positional = positional.into_iter();
        let agent_id = positional.next().ok_or(USAGE)?;
        let branches = positional
            .map(|pair| {
                let (branch, percent) = pair.split_once('=').ok_or(USAGE)?;
                let percent = percent.parse::<f64>().map_err(|e| format!("{pair}: {e}"))?;
                Ok((branch.to_owned(), percent))
            })
            .collect::<Result<Vec<_>, String>>()?;
        if branches.is_empty() {
            return Err(USAGE.to_owned());
        }
        Ok(Args {
            agent_id,
            branches,
            base_url,
        })
    }
}
