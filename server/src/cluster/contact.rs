//! Reaching Redis: the client for `--redis-url` (over TLS for `rediss://`, trusting
//! `--redis-ca-file` or the system's CAs), and a first contact at start that tells a
//! setting that can never work (a wrong password, a certificate not trusted, a user not
//! allowed what natter needs) from a Redis that is only away for now.

use super::scripts;
use super::COMMAND_TIMEOUT;
use redis::aio::MultiplexedConnection;
use redis::{AsyncConnectionConfig, ErrorKind, RedisError, TlsCertificates};
use std::path::Path;

/// The client for `url`; `ca_file` is a PEM certificate authority for a `rediss://` URL.
/// The error is for the person starting the server.
pub fn client(url: &str, ca_file: Option<&Path>) -> Result<redis::Client, String> {
    let Some(path) = ca_file else {
        return redis::Client::open(url).map_err(|error| format!("--redis-url: {error}"));
    };
    if !url.starts_with("rediss://") {
        return Err("--redis-ca-file is for a TLS connection: give a rediss:// URL".to_owned());
    }
    let pem = std::fs::read(path)
        .map_err(|error| format!("cannot read --redis-ca-file {}: {error}", path.display()))?;
    let certificates = TlsCertificates { client_tls: None, root_cert: Some(pem) };
    redis::Client::build_with_tls(url, certificates)
        .map_err(|error| format!("--redis-ca-file {}: {error}", path.display()))
}

/// Connects once, asks what natter will ask, and loads its scripts. `Err` for what no
/// retry can mend, said for a person; a Redis that cannot be reached (or answers too
/// slowly) is left to the link, which keeps trying.
pub async fn first(client: &redis::Client) -> Result<(), String> {
    let config = AsyncConnectionConfig::new()
        .set_connection_timeout(COMMAND_TIMEOUT)
        .set_response_timeout(COMMAND_TIMEOUT);
    let attempt = async {
        let mut connection = client.get_multiplexed_async_connection_with_config(&config).await?;
        ask(&mut connection).await
    };
    match tokio::time::timeout(2 * COMMAND_TIMEOUT, attempt).await {
        Ok(Err(error)) if !is_passing(&error) => Err(explain(&error)),
        _ => Ok(()),
    }
}

/// One command of each kind natter runs on its keys and channels, and its scripts loaded:
/// an ACL user without one of them fails here rather than at a login.
async fn ask(connection: &mut MultiplexedConnection) -> redis::RedisResult<()> {
    redis::cmd("EXISTS").arg(super::wire::SEQ).exec_async(connection).await?;
    // A channel of natter's that nobody hears.
    redis::cmd("PUBLISH").arg("natter:contact").arg("").exec_async(connection).await?;
    for script in [&*scripts::CLAIM, &*scripts::RELEASE, &*scripts::RESTORE, &*scripts::REAP] {
        script.prepare_invoke().load_async(connection).await?;
    }
    Ok(())
}

/// Errors that a retry may mend: Redis down, restarting or slow.
fn is_passing(error: &RedisError) -> bool {
    let certificate =
        error.kind() == ErrorKind::IoError && error.to_string().contains("certificate");
    let refused = error.kind() == ErrorKind::AuthenticationFailed
        || matches!(error.code(), Some("WRONGPASS" | "NOAUTH" | "NOPERM"));
    !certificate && !refused
}

/// What to tell the person starting the server.
fn explain(error: &RedisError) -> String {
    if error.kind() == ErrorKind::IoError {
        return format!(
            "Redis's TLS certificate is not trusted ({error}): give its CA with --redis-ca-file"
        );
    }
    match error.code() {
        Some("NOPERM") => format!(
            "the Redis user may not do what natter needs ({error}): see docs/deploy.md, Managed Redis"
        ),
        _ => format!("Redis refused the user name or password of --redis-url ({error})"),
    }
}
