//! Configuration: built-in defaults < `kbsearch.toml` < `KBSEARCH_*`
//! environment variables < command-line flags.
//!
//! One table, [`KEYS`], drives every source: each row names a key in the
//! file, its environment variable and its flag, says what makes a value
//! usable and documents it (the flags' help text comes from it too). The
//! file reader, the environment reader, the merge and the `kbsearch
//! config` printer walk the table instead of naming keys; the settings
//! themselves are the typed structs [`Layer`] (what one source gives) and
//! [`Config`] (the effective values, whose `Default` holds every key's
//! default).
//!
//! Each source is read into a [`Layer`] (every setting optional, `None` = not
//! given there); [`merge`] takes the first value present from the flags, then
//! the environment, then the file, else the built-in default, and records in
//! [`Resolved::sources`] where each value came from. [`resolve`] adds parsing
//! of the environment and validation. Everything here is a plain function of
//! its inputs — the environment is passed in as a map — so it is tested
//! without touching the process.
//!
//! The file is found by [`locate`]: `--config FILE`, else `KBSEARCH_CONFIG`,
//! else `kbsearch.toml` in the working directory when it exists. Unknown keys
//! are errors naming the key, the line and the file. Relative paths in a file
//! are relative to the file's folder.
//!
//! `admin_token` is accepted and validated but unused: it is reserved for the
//! reload/reindex endpoints. It is a [`Secret`], which prints as `<set>` in
//! `Debug` output and in [`Resolved::to_toml`].
//!
//! # Files
//!
//! Each imports only the ones above it:
//!
//! * `settings.rs` — [`Layer`], [`Config`] and its defaults, [`Secret`];
//! * `keys.rs` — the table: [`Key`], [`KEYS`], what a value must be
//!   ([`Check`]) and how each type is read from text and printed;
//! * `sources.rs` — the file and the environment read into layers, and
//!   where a value came from ([`Source`]);
//! * `resolve.rs` — the layers merged and checked ([`Resolved`]);
//! * `print.rs` — `kbsearch config`'s TOML.

mod keys;
mod print;
mod resolve;
mod settings;
mod sources;

pub use keys::{find_key, Check, Field, Key, Value, KEYS};
pub use resolve::{load, merge, resolve, validate, Resolved};
pub use settings::{Config, Layer, QueryLayer, Secret};
pub use sources::{
    env_layer, load_file, locate, parse_file, process_env, set, ConfigError, FileLayer, Source,
    CONFIG_ENV, DEFAULT_FILE,
};
