//! The API key read from the environment. Alone in its own test binary
//! because it sets an environment variable.

mod common;

use api_runtime::reqwest::Method;
use api_runtime::{ApiConfig, ClientBuilder, ConfigError, FromTransport, Request, Transport};
use common::ApiError;
use wiremock::matchers::{header, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

const VARIABLE: &str = "API_RUNTIME_TEST_ENV_KEY";
const KEY: &str = "sk_from_env_93af";

#[derive(Debug)]
struct EnvClient(Transport);

impl FromTransport for EnvClient {
    const CONFIG: &'static ApiConfig = &ApiConfig {
        name: "env",
        default_base_url: "http://127.0.0.1:9",
        api_key_header: Some("x-api-key"),
        api_key_env: Some(VARIABLE),
        user_agent: "env-test/1",
    };

    fn from_transport(transport: Transport) -> Self {
        EnvClient(transport)
    }
}

#[tokio::test]
async fn the_key_is_read_from_the_variable_when_the_client_is_built() {
    let builder = || ClientBuilder::<EnvClient>::new().api_key_from_env();
    std::env::remove_var(VARIABLE);
    let missing = builder().build().unwrap_err();
    assert!(
        matches!(
            missing,
            ConfigError::MissingApiKeyEnv { variable: VARIABLE }
        ),
        "{missing:?}"
    );

    std::env::set_var(VARIABLE, "   ");
    let empty = builder().build().unwrap_err();
    assert!(
        matches!(empty, ConfigError::MissingApiKeyEnv { .. }),
        "{empty:?}"
    );

    std::env::set_var(VARIABLE, KEY);
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(header("x-api-key", KEY))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let client = builder().base_url(server.uri()).build().unwrap();
    client
        .0
        .send::<ApiError>(Request::new(Method::GET, "/v2/replicas"))
        .await
        .expect("the key from the environment is sent");
}
