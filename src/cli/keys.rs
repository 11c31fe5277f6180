//! `tournee keys hash --name NAME`: reads one API key on stdin and prints its line for
//! `serve --api-keys FILE` (`NAME:sha256-hex`), so the operator's file holds no key.
//! Reading the key on stdin keeps it out of the shell history and the process list.

use std::io::Read;

/// Commands for the server's API keys.
#[derive(Debug, clap::Args)]
pub struct KeysArguments {
    #[command(subcommand)]
    command: KeysCommand,
}

#[derive(Debug, clap::Subcommand)]
enum KeysCommand {
    /// Reads a key on stdin (one line; e.g. `openssl rand -hex 32`) and prints its line
    /// for the --api-keys file.
    Hash {
        /// The key's name: who holds it (1 to 64 letters, digits or `-_.`). The server
        /// logs it with each call.
        #[arg(long)]
        name: String,
    },
}

/// Runs a `keys` command.
pub fn run(arguments: &KeysArguments) -> anyhow::Result<()> {
    match &arguments.command {
        KeysCommand::Hash { name } => {
            if !tournee::server::valid_key_name(name) {
                anyhow::bail!("--name: {name:?} is not 1 to 64 letters, digits or `-_.`");
            }
            let mut input = String::new();
            std::io::stdin()
                .read_to_string(&mut input)
                .map_err(|error| anyhow::anyhow!("stdin: cannot read the key: {error}"))?;
            let key = input.trim_end_matches(['\n', '\r']);
            // It travels in an HTTP/2 header: printable ASCII only, and no spaces, which
            // `Bearer <key>` could not carry unambiguously.
            if !key.chars().all(|c| c.is_ascii_graphic()) {
                anyhow::bail!("stdin: the key must be one line of printable ASCII, no spaces");
            }
            if key.len() < tournee::server::MIN_KEY_BYTES {
                anyhow::bail!(
                    "stdin: the key has {} bytes, fewer than {}: use a long random one \
                     (openssl rand -hex 32)",
                    key.len(),
                    tournee::server::MIN_KEY_BYTES
                );
            }
            println!("{}", tournee::server::key_line(name, key));
            Ok(())
        }
    }
}
