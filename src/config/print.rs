//! `kbsearch config`: the effective configuration as TOML, every key of
//! [`KEYS`] with where its value came from.

use super::keys::{find_key, KEYS};
use super::resolve::Resolved;

impl Resolved {
    /// The effective configuration as TOML, each key followed by a comment
    /// naming its source. The admin token prints as `"<set>"`.
    pub fn to_toml(&self) -> String {
        let mut out = String::from("# kbsearch: effective configuration\n");
        match &self.file {
            Some(path) => out.push_str(&format!("# config file: {}\n", path.display())),
            None => out.push_str("# config file: none\n"),
        }
        out.push_str(
            "# precedence: built-in default < config file < KBSEARCH_* environment < command-line flag\n\n",
        );
        let mut in_query = false;
        for key in KEYS {
            let (table, name) = match key.name.split_once('.') {
                Some((table, name)) => (Some(table), name),
                None => (None, key.name),
            };
            if let Some(table) = table {
                if !in_query {
                    out.push_str(&format!("\n[{table}]\n"));
                    in_query = true;
                }
            }
            let source = self.source(key.name);
            match self.value(key.name) {
                Some(value) => out.push_str(&format!("{name} = {value}  # {source}\n")),
                None => out.push_str(&format!("# {name} is not set  # {source}\n")),
            }
        }
        out
    }

    /// The TOML text of a key's value; `None` when it is not set (or the
    /// name is not a key). The admin token is `"<set>"`.
    pub fn value(&self, name: &str) -> Option<String> {
        let value = find_key(name)?.value(&self.config)?;
        Some(value.to_toml().to_string())
    }
}

#[cfg(test)]
mod tests {
    use crate::config::resolve::resolve;
    use crate::config::settings::{Layer, Secret};
    use crate::config::sources::env;
    use crate::config::sources::parse_file;
    use std::path::Path;

    #[test]
    fn the_token_never_shows() {
        let token = "s3cret-token-0123456789";
        let r = resolve(
            None,
            &env(&[("KBSEARCH_ADMIN_TOKEN", token)]),
            &Layer::default(),
        )
        .unwrap();
        assert_eq!(
            r.config.admin_token.as_ref().map(Secret::expose),
            Some(token)
        );
        assert!(!format!("{r:?}").contains(token));
        let text = r.to_toml();
        assert!(!text.contains(token), "{text}");
        assert!(
            text.contains("admin_token = \"<set>\"  # env KBSEARCH_ADMIN_TOKEN"),
            "{text}"
        );
        let bad = "has space but long enough";
        let err = resolve(
            None,
            &env(&[("KBSEARCH_ADMIN_TOKEN", bad)]),
            &Layer::default(),
        )
        .unwrap_err();
        assert!(!err.to_string().contains(bad), "{err}");
    }

    #[test]
    fn the_rendering_is_toml_that_reads_back() {
        let f = parse_file(
            Path::new("kbsearch.toml"),
            "content = \"kb\"\ncors_origins = [\"https://a.example\"]\n[query]\nlayout = false\n",
        )
        .unwrap();
        let r = resolve(Some(&f), &env(&[]), &Layer::default()).unwrap();
        let text = r.to_toml();
        let back: Layer = toml::from_str(&text).unwrap();
        assert_eq!(back.content.as_deref(), Some(Path::new("kb")));
        assert_eq!(back.query.layout, Some(false));
        assert_eq!(back.cors_origins.unwrap(), ["https://a.example"]);
        assert!(text.contains("# synonyms is not set  # default"), "{text}");
    }
}
