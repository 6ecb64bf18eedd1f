//! Synthetic corpus generator for benchmarks.
//!
//! ```text
//! cargo run --release --example gen_corpus -- --docs 50000 --out /tmp/corpus [--seed 1] [--vocab content]
//! ```
//!
//! Writes `--docs` Markdown articles in the content format: half under `en/`,
//! half under `ru/` at the same relative paths, spread over 50 product
//! folders. Each article has YAML front matter, an H1 and 10–28 H2/H3
//! sections (≈20 sections per document with the H1), paragraphs, lists,
//! code blocks, notes, `**Error message**:` lines and troubleshooting tables
//! (`| Error | Possible causes | Recommended actions |`), and error codes of
//! every kind the engine recognises: `0x8007xxxx` hex, `ID: 12345` /
//! `Ошибка 34506` labelled numbers, `AADSTS50058`-style prefixed codes,
//! CamelCase and `ERROR_UPPER_CASE` symbolic identifiers.
//!
//! Words come from the word distribution of the sample articles in
//! `content/` (read at run time, tokenised per language, sampled by
//! frequency through a bigram chain), so no third-party text is needed.
//! The output depends only on `--docs`, `--seed` and the vocabulary folder.
//!
//! The generator is also compiled into `benches/search.rs` (`#[path]`), so
//! keep its public functions free of `main`-only assumptions.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::Instant;

// ---------------------------------------------------------------- random

/// SplitMix64: small, fast, good enough for text generation, deterministic.
#[derive(Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9e37_79b9_7f4a_7c15)
    }

    /// A generator for one (seed, stream, index) triple: independent streams
    /// per document and language, whatever the thread that renders them.
    pub fn derive(seed: u64, stream: u64, index: u64) -> Rng {
        let mut r = Rng::new(seed);
        r.0 ^= stream.wrapping_mul(0xbf58_476d_1ce4_e5b9);
        r.next_u64();
        r.0 ^= index.wrapping_mul(0x94d0_49bb_1331_11eb);
        r.next_u64();
        r
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() as u128 * n as u128) >> 64) as usize
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        ((self.next_u64() >> 11) as f64 / (1u64 << 53) as f64) < p
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

// ---------------------------------------------------------------- vocabulary

/// Word statistics of one language: a bigram chain over the sample text.
pub struct LangVocab {
    /// Surface form of each word id.
    pub words: Vec<String>,
    /// The token stream; [`END`] marks a sentence end.
    stream: Vec<u32>,
    /// Positions in `stream` of each word id (for bigram sampling).
    positions: Vec<Vec<u32>>,
    /// Positions that start a sentence.
    starts: Vec<u32>,
    /// Word ids of words of 5+ letters (for symbolic identifiers).
    pub long_words: Vec<u32>,
}

const END: u32 = u32::MAX;

impl LangVocab {
    fn from_texts(texts: &[String]) -> LangVocab {
        let mut ids: HashMap<String, u32> = HashMap::new();
        // surface form counts per lowercase word, non-initial positions only
        let mut forms: Vec<HashMap<String, u32>> = Vec::new();
        let mut stream = Vec::new();
        for text in texts {
            for line in prose_lines(text) {
                let mut sentence_start = true;
                let mut word = String::new();
                // chunks with digits are codes, versions, numbers: not words
                let line: String = line
                    .split_whitespace()
                    .filter(|chunk| !chunk.chars().any(|c| c.is_ascii_digit()))
                    .collect::<Vec<_>>()
                    .join(" ");
                let mut chars = line.chars().peekable();
                while let Some(c) = chars.next() {
                    let joins = (c == '-' || c == '\'' || c == '’')
                        && !word.is_empty()
                        && chars.peek().is_some_and(|n| n.is_alphabetic());
                    if c.is_alphabetic() || joins {
                        word.push(c);
                        continue;
                    }
                    if !word.is_empty() {
                        push_word(&mut ids, &mut forms, &mut stream, &word, sentence_start);
                        sentence_start = false;
                        word.clear();
                    }
                    if matches!(c, '.' | '!' | '?' | ':' | ';' | '|') && stream.last() != Some(&END)
                    {
                        stream.push(END);
                        sentence_start = true;
                    }
                }
                if !word.is_empty() {
                    push_word(&mut ids, &mut forms, &mut stream, &word, sentence_start);
                }
                if stream.last() != Some(&END) {
                    stream.push(END);
                }
            }
        }
        let mut words = vec![String::new(); ids.len()];
        for (lower, id) in &ids {
            let best = forms[*id as usize]
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
                .map(|(form, _)| form.clone())
                .unwrap_or_else(|| lower.clone());
            words[*id as usize] = best;
        }
        let mut positions = vec![Vec::new(); words.len()];
        let mut starts = Vec::new();
        for (pos, &id) in stream.iter().enumerate() {
            if id == END {
                if pos + 1 < stream.len() && stream[pos + 1] != END {
                    starts.push(pos as u32 + 1);
                }
            } else {
                positions[id as usize].push(pos as u32);
            }
        }
        if stream.first().is_some_and(|&id| id != END) {
            starts.push(0);
        }
        let long_words = (0..words.len() as u32)
            .filter(|&id| {
                let w = &words[id as usize];
                w.chars().count() >= 5 && w.chars().all(|c| c.is_ascii_alphabetic())
            })
            .collect();
        LangVocab {
            words,
            stream,
            positions,
            starts,
            long_words,
        }
    }

    /// A word sampled by corpus frequency.
    pub fn word(&self, rng: &mut Rng) -> &str {
        loop {
            let id = self.stream[rng.below(self.stream.len())];
            if id != END {
                return &self.words[id as usize];
            }
        }
    }

    /// Appends a sentence of `min..=max` words (bigram chain, restarted at
    /// random when it ends early). No final punctuation.
    pub fn sentence(&self, rng: &mut Rng, out: &mut String, min: usize, max: usize) {
        let target = rng.range(min, max);
        let mut pos = *rng.pick(&self.starts) as usize;
        let mut first = true;
        for n in 0..target {
            if self.stream[pos] == END || rng.chance(0.12) {
                pos = if n + 1 < target && rng.chance(0.5) {
                    *rng.pick(&self.starts) as usize
                } else {
                    // jump to a frequency-sampled word
                    loop {
                        let p = rng.below(self.stream.len());
                        if self.stream[p] != END {
                            break p;
                        }
                    }
                };
            }
            let id = self.stream[pos];
            let word = &self.words[id as usize];
            if !first {
                out.push(' ');
            }
            if first {
                push_capitalised(out, word);
                first = false;
            } else {
                out.push_str(word);
            }
            // follow the chain: another occurrence of this word, then its successor
            let occurrences = &self.positions[id as usize];
            pos = *rng.pick(occurrences) as usize + 1;
            if pos >= self.stream.len() {
                pos = *rng.pick(&self.starts) as usize;
            }
        }
    }
}

fn push_word(
    ids: &mut HashMap<String, u32>,
    forms: &mut Vec<HashMap<String, u32>>,
    stream: &mut Vec<u32>,
    word: &str,
    sentence_start: bool,
) {
    // single Latin letters are mostly debris of `e.g.`, `x64` …
    if word.chars().count() == 1 && word.is_ascii() && !matches!(word, "a" | "A" | "I") {
        return;
    }
    let lower = word.to_lowercase();
    let next = ids.len() as u32;
    let id = *ids.entry(lower.clone()).or_insert(next);
    if id == next {
        forms.push(HashMap::new());
    }
    let surface = if sentence_start {
        lower
    } else {
        word.to_string()
    };
    *forms[id as usize].entry(surface).or_insert(0) += 1;
    stream.push(id);
}

/// Prose lines of a Markdown sample: no front-matter keys, fences, code,
/// HTML tags, link targets or table rules.
fn prose_lines(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_fence = false;
    let mut in_front = false;
    for (n, line) in text.lines().enumerate() {
        let t = line.trim();
        if n == 0 && t == "---" {
            in_front = true;
            continue;
        }
        if in_front {
            if t == "---" {
                in_front = false;
            } else if let Some(v) = t
                .strip_prefix("title:")
                .or_else(|| t.strip_prefix("description:"))
            {
                out.push(v.to_string());
            }
            continue;
        }
        if t.starts_with("```") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence || t.starts_with("| ---") {
            continue;
        }
        let mut clean = String::with_capacity(t.len());
        let mut depth_tag = false;
        let mut in_code = false;
        let mut chars = t.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '<' => depth_tag = true,
                '>' if depth_tag => depth_tag = false,
                '`' => {
                    in_code = !in_code;
                    clean.push(' ');
                }
                ']' if chars.peek() == Some(&'(') => {
                    // skip the link target
                    for c2 in chars.by_ref() {
                        if c2 == ')' {
                            break;
                        }
                    }
                    clean.push(' ');
                }
                _ if depth_tag || in_code => {}
                _ => clean.push(c),
            }
        }
        out.push(clean);
    }
    out
}

fn push_capitalised(out: &mut String, word: &str) {
    let mut chars = word.chars();
    if let Some(c) = chars.next() {
        out.extend(c.to_uppercase());
        out.push_str(chars.as_str());
    }
}

/// Vocabulary of both languages.
pub struct Vocab {
    pub en: LangVocab,
    pub ru: LangVocab,
}

impl Vocab {
    /// Reads every Markdown file under `dir/en` and `dir/ru`.
    pub fn load(dir: &Path) -> io::Result<Vocab> {
        let read = |lang: &str| -> io::Result<Vec<String>> {
            let mut files = Vec::new();
            collect_md(&dir.join(lang), &mut files)?;
            files.sort();
            files.iter().map(fs::read_to_string).collect()
        };
        let (en, ru) = (read("en")?, read("ru")?);
        if en.is_empty() || ru.is_empty() {
            return Err(io::Error::new(
                io::ErrorKind::NotFound,
                format!("no en/ or ru/ Markdown files under {}", dir.display()),
            ));
        }
        Ok(Vocab {
            en: LangVocab::from_texts(&en),
            ru: LangVocab::from_texts(&ru),
        })
    }

    fn lang(&self, lang: Lang) -> &LangVocab {
        match lang {
            Lang::En => &self.en,
            Lang::Ru => &self.ru,
        }
    }
}

fn collect_md(dir: &Path, out: &mut Vec<PathBuf>) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect_md(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "md") {
            out.push(path);
        }
    }
    Ok(())
}

/// The sample articles of this repository (default vocabulary).
pub fn default_vocab_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("content")
}

// ---------------------------------------------------------------- codes

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Lang {
    En,
    Ru,
}

/// Product folders (50).
pub const PRODUCTS: [&str; 50] = [
    "windows",
    "windows-server",
    "windows-update",
    "active-directory",
    "group-policy",
    "identity",
    "exchange",
    "outlook",
    "email",
    "sharepoint",
    "teams",
    "onedrive",
    "office",
    "intune",
    "defender",
    "remote-desktop",
    "hyper-v",
    "vmware",
    "virtual-machines",
    "kubernetes",
    "containers",
    "linux",
    "storage",
    "file-shares",
    "backup",
    "database",
    "sql-server",
    "postgresql",
    "network",
    "dns",
    "dhcp",
    "vpn",
    "proxy",
    "firewall",
    "tls",
    "load-balancer",
    "web-server",
    "app-service",
    "functions",
    "monitoring",
    "logging",
    "printing",
    "drivers",
    "services",
    "licensing",
    "1c",
    "accounting",
    "erp",
    "crm",
    "mobile",
];

const PREFIXES: [&str; 24] = [
    "AADSTS", "KBERR", "MSB", "CS", "NETSDK", "VPNE", "DNSE", "SQLE", "ORA", "BKP", "AGT", "SYNC",
    "MDM", "WUE", "LIC", "PRN", "RDP", "SMB", "TLSE", "K8S", "APP", "FUNC", "SMTP", "HV",
];

const HEX_BASES: [&str; 6] = ["8007", "8007", "8007", "8024", "800f", "c00d"];

/// A code of a document: its written forms in both languages.
#[derive(Clone, Debug)]
pub struct Code {
    /// How the code is written in English text (`0x80070005`, `ID: 12345`, …).
    pub en: String,
    /// How it is written in Russian text (`Ошибка 34506`, …).
    pub ru: String,
    /// The bare code, as a user would paste it.
    pub bare: String,
    /// Labelled numeric ids: the number (headings say `Error N` / `Ошибка N`).
    pub number: Option<usize>,
}

impl Code {
    fn written(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Ru => &self.ru,
        }
    }
}

/// Code number `index` of the global pool: the same index always gives
/// the same code, so codes are shared by a few documents.
pub fn pool_code(seed: u64, index: usize, vocab: &Vocab) -> Code {
    let mut rng = Rng::derive(seed, 7, index as u64);
    match index % 6 {
        0 | 1 => {
            let base = rng.pick(&HEX_BASES);
            let code = format!("0x{base}{:04x}", rng.below(0x10000));
            Code {
                en: code.clone(),
                ru: code.clone(),
                bare: code,
                number: None,
            }
        }
        2 => {
            let n = rng.range(10_000, 99_999);
            let en = if rng.chance(0.5) {
                format!("ID: {n}")
            } else {
                format!("error {n}")
            };
            Code {
                en,
                ru: format!("Ошибка {n}"),
                bare: format!("ID: {n}"),
                number: Some(n),
            }
        }
        3 => {
            let code = format!(
                "{}{}",
                rng.pick(&PREFIXES),
                rng.range(1000, 999_999) // 4–6 digits
            );
            Code {
                en: code.clone(),
                ru: code.clone(),
                bare: code,
                number: None,
            }
        }
        4 => {
            let parts = rng.range(3, 4);
            let mut code = String::new();
            for _ in 0..parts {
                let id = *rng.pick(&vocab.en.long_words);
                push_capitalised(&mut code, &vocab.en.words[id as usize].to_lowercase());
            }
            Code {
                en: code.clone(),
                ru: code.clone(),
                bare: code,
                number: None,
            }
        }
        _ => {
            let parts = rng.range(2, 3);
            let mut code = String::from("ERROR");
            for _ in 0..parts {
                let id = *rng.pick(&vocab.en.long_words);
                code.push('_');
                code.push_str(&vocab.en.words[id as usize].to_uppercase());
            }
            Code {
                en: code.clone(),
                ru: code.clone(),
                bare: code,
                number: None,
            }
        }
    }
}

// ---------------------------------------------------------------- documents

/// Element kinds a section body can hold.
#[derive(Clone, Copy)]
struct SectionPlan {
    level: u8,
    /// Index into the document's codes when the section is about one error.
    error_code: Option<usize>,
    paragraphs: usize,
    table_rows: usize,
    list_items: usize,
    numbered: bool,
    code_lines: usize,
    note: bool,
    /// Fixed heading ("Before you begin" …) instead of generated words.
    fixed: Option<usize>,
}

struct DocPlan {
    product: &'static str,
    codes: Vec<Code>,
    hosts: Vec<String>,
    sections: Vec<SectionPlan>,
    date: String,
}

const FIXED_EN: [&str; 6] = [
    "Before you begin",
    "Symptoms",
    "Cause",
    "Resolution",
    "More information",
    "Next steps",
];
const FIXED_RU: [&str; 6] = [
    "Перед началом работы",
    "Симптомы",
    "Причина",
    "Решение",
    "Дополнительные сведения",
    "Дальнейшие действия",
];

const COMMANDS: [&str; 16] = [
    "Get-Service",
    "Restart-Service",
    "Get-EventLog -LogName System -Newest 50",
    "Test-NetConnection",
    "icacls",
    "netsh winhttp show proxy",
    "ipconfig /flushdns",
    "nslookup",
    "systemctl status",
    "journalctl -u",
    "kubectl describe pod",
    "kubectl logs --previous",
    "sfc /scannow",
    "DISM /Online /Cleanup-Image /RestoreHealth",
    "openssl s_client -connect",
    "sqlcmd -S",
];

fn plan(seed: u64, pair: usize, pairs: usize, vocab: &Vocab) -> DocPlan {
    let mut rng = Rng::derive(seed, 1, pair as u64);
    let product = PRODUCTS[pair % PRODUCTS.len()];
    // a pool of ~2 codes per document pair: each code appears in a few documents
    let pool = (pairs * 2).max(64);
    let ncodes = rng.range(3, 8);
    let codes = (0..ncodes)
        .map(|_| pool_code(seed, rng.below(pool), vocab))
        .collect::<Vec<_>>();
    let hosts = (0..rng.range(1, 3))
        .map(|_| {
            format!(
                "srv-{}{:02}",
                vocab.en.word(&mut rng).to_lowercase(),
                rng.below(100)
            )
        })
        .collect();
    let count = rng.range(10, 28);
    let mut sections = Vec::with_capacity(count + 1);
    // the H1 with an introduction
    sections.push(SectionPlan {
        level: 1,
        error_code: None,
        paragraphs: rng.range(1, 2),
        table_rows: 0,
        list_items: 0,
        numbered: false,
        code_lines: 0,
        note: false,
        fixed: None,
    });
    let mut level = 2;
    for n in 0..count {
        let fixed = if n == 0 && rng.chance(0.6) {
            Some(0)
        } else if n + 1 == count {
            Some(5)
        } else if rng.chance(0.08) {
            Some(rng.range(1, 4))
        } else {
            None
        };
        level = if fixed.is_some() || level == 3 || n == 0 {
            2
        } else if rng.chance(0.4) {
            3
        } else {
            2
        };
        let error = fixed.is_none() && rng.chance(0.35);
        sections.push(SectionPlan {
            level,
            error_code: error.then(|| rng.below(codes.len())),
            paragraphs: rng.range(1, 2),
            table_rows: if rng.chance(if error { 0.5 } else { 0.12 }) {
                rng.range(2, 5)
            } else {
                0
            },
            list_items: if rng.chance(0.3) { rng.range(3, 5) } else { 0 },
            numbered: rng.chance(0.5),
            code_lines: if rng.chance(0.15) { rng.range(2, 6) } else { 0 },
            note: rng.chance(0.08),
            fixed,
        });
    }
    let date = format!(
        "20{:02}-{:02}-{:02}",
        rng.range(19, 26),
        rng.range(1, 12),
        rng.range(1, 28)
    );
    DocPlan {
        product,
        codes,
        hosts,
        sections,
        date,
    }
}

fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    slug
}

struct Rendered {
    text: String,
    headings: Vec<String>,
    sections: usize,
}

/// Renders one language of a document. `anchors` (Russian side) are the
/// slugs of the English headings, written as `<a name>` anchors.
fn render(
    plan: &DocPlan,
    lang: Lang,
    vocab: &Vocab,
    mut rng: Rng,
    anchors: Option<&[String]>,
) -> Rendered {
    let v = vocab.lang(lang);
    let mut out = String::with_capacity(16 * 1024);
    let mut headings = Vec::with_capacity(plan.sections.len());

    let mut title = String::new();
    match lang {
        Lang::En => title.push_str("Troubleshoot "),
        Lang::Ru => title.push_str("Устранение проблем: "),
    }
    let mut words = String::new();
    v.sentence(&mut rng, &mut words, 3, 6);
    title.push_str(&words.to_lowercase());
    let mut description = String::new();
    v.sentence(&mut rng, &mut description, 10, 22);
    description.push('.');
    let _ = write!(
        out,
        "---\ntitle: {}\ndescription: {}\nms.date: {}\nms.topic: troubleshooting\nms.contentlocale: {}\n---\n",
        yaml_quote(&title),
        yaml_quote(&description),
        plan.date,
        match lang {
            Lang::En => "en-US",
            Lang::Ru => "ru-RU",
        }
    );

    for (n, s) in plan.sections.iter().enumerate() {
        // heading
        let mut heading = String::new();
        if n == 0 {
            heading.push_str(&title);
        } else if let Some(f) = s.fixed {
            heading.push_str(match lang {
                Lang::En => FIXED_EN[f],
                Lang::Ru => FIXED_RU[f],
            });
        } else {
            if let Some(c) = s.error_code {
                let code = &plan.codes[c];
                match lang {
                    Lang::En => heading.push_str("Error "),
                    Lang::Ru => heading.push_str("Ошибка "),
                }
                match code.number {
                    Some(n) => {
                        let _ = write!(heading, "{n}: ");
                    }
                    None => {
                        heading.push_str(&code.bare);
                        heading.push_str(": ");
                    }
                }
                let mut w = String::new();
                v.sentence(&mut rng, &mut w, 2, 5);
                heading.push_str(&w.to_lowercase());
            } else {
                v.sentence(&mut rng, &mut heading, 2, 7);
            }
        }
        out.push('\n');
        for _ in 0..s.level {
            out.push('#');
        }
        out.push(' ');
        if let Some(anchors) = anchors {
            let _ = write!(out, "<a name=\"{}\"></a>", anchors[n]);
        }
        out.push_str(&heading);
        out.push_str("\n\n");
        headings.push(heading);

        if let Some(c) = s.error_code {
            let code = &plan.codes[c];
            out.push_str(match lang {
                Lang::En => "**Error message**: ",
                Lang::Ru => "**Сообщение об ошибке**: ",
            });
            v.sentence(&mut rng, &mut out, 5, 12);
            let _ = writeln!(out, ". ({})\n", code.written(lang));
        }

        for _ in 0..s.paragraphs {
            paragraph(plan, lang, v, &mut rng, &mut out);
        }

        if s.table_rows > 0 {
            out.push_str(match lang {
                Lang::En => {
                    "| Error | Possible causes | Recommended actions |\n| --- | --- | --- |\n"
                }
                Lang::Ru => {
                    "| Ошибка | Возможные причины | Рекомендуемые действия |\n| --- | --- | --- |\n"
                }
            });
            for r in 0..s.table_rows {
                let code = match s.error_code {
                    Some(c) if r == 0 => &plan.codes[c],
                    _ => rng.pick(&plan.codes),
                };
                let _ = write!(out, "| **{}** ", code.written(lang));
                let mut w = String::new();
                v.sentence(&mut rng, &mut w, 2, 5);
                out.push_str(&w.to_lowercase());
                out.push_str(" | ");
                v.sentence(&mut rng, &mut out, 8, 20);
                out.push_str(". | ");
                v.sentence(&mut rng, &mut out, 8, 22);
                out.push_str(". |\n");
            }
            out.push('\n');
        }

        if s.list_items > 0 {
            for _ in 0..s.list_items {
                out.push_str(if s.numbered { "1. " } else { "- " });
                v.sentence(&mut rng, &mut out, 5, 16);
                if rng.chance(0.25) {
                    let _ = write!(out, " `{}`", rng.pick(&COMMANDS));
                }
                out.push_str(".\n");
            }
            out.push('\n');
        }

        if s.code_lines > 0 {
            let fence = *rng.pick(&["powershell", "bash", "text", ""]);
            let _ = writeln!(out, "```{fence}");
            for _ in 0..s.code_lines {
                if rng.chance(0.35) {
                    let code = rng.pick(&plan.codes);
                    let _ = writeln!(
                        out,
                        "2026-03-{:02} {:02}:{:02}:{:02} ERROR {} {} {}",
                        rng.range(1, 28),
                        rng.below(24),
                        rng.below(60),
                        rng.below(60),
                        rng.pick(&plan.hosts),
                        v.word(&mut rng),
                        code.bare
                    );
                } else {
                    let _ = writeln!(
                        out,
                        "{} {} {}",
                        rng.pick(&COMMANDS),
                        rng.pick(&plan.hosts),
                        vocab.en.word(&mut rng).to_lowercase()
                    );
                }
            }
            out.push_str("```\n\n");
        }

        if s.note {
            out.push_str(match lang {
                Lang::En => "> [!NOTE]\n> ",
                Lang::Ru => "> [!ПРИМЕЧАНИЕ]\n> ",
            });
            v.sentence(&mut rng, &mut out, 8, 20);
            out.push_str(".\n");
        }
    }
    Rendered {
        text: out,
        headings,
        sections: plan.sections.len(),
    }
}

fn paragraph(plan: &DocPlan, lang: Lang, v: &LangVocab, rng: &mut Rng, out: &mut String) {
    let sentences = rng.range(1, 4);
    for i in 0..sentences {
        if i > 0 {
            out.push(' ');
        }
        v.sentence(rng, out, 6, 16);
        if rng.chance(0.15) {
            let code = rng.pick(&plan.codes);
            let _ = write!(out, " `{}`", code.written(lang));
        } else if rng.chance(0.05) {
            let _ = write!(out, " `{}`", rng.pick(&plan.hosts));
        }
        out.push('.');
    }
    out.push_str("\n\n");
}

fn yaml_quote(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

// ---------------------------------------------------------------- driver

/// What to generate.
#[derive(Clone, Debug)]
pub struct GenConfig {
    pub docs: usize,
    pub out: PathBuf,
    pub seed: u64,
    pub vocab: PathBuf,
    /// Worker threads (0 = one per core).
    pub threads: usize,
}

/// What was written.
#[derive(Clone, Debug, Default)]
pub struct GenSummary {
    pub docs: usize,
    pub sections: usize,
    pub bytes: u64,
    pub seconds: f64,
}

/// Writes the corpus. Document pair `p` is `en/<product>/<slug>.md` and
/// `ru/<product>/<slug>.md`; with an odd `docs` the last pair is English only.
pub fn generate(config: &GenConfig) -> io::Result<GenSummary> {
    let started = Instant::now();
    let vocab = Vocab::load(&config.vocab)?;
    let pairs = config.docs.div_ceil(2);
    for lang in ["en", "ru"] {
        for product in PRODUCTS {
            fs::create_dir_all(config.out.join(lang).join(product))?;
        }
    }
    let threads = if config.threads == 0 {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        config.threads
    };
    let results: Vec<io::Result<GenSummary>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let vocab = &vocab;
                scope.spawn(move || -> io::Result<GenSummary> {
                    let mut sum = GenSummary::default();
                    let mut pair = t;
                    while pair < pairs {
                        let with_ru = pair * 2 + 1 < config.docs;
                        write_pair(config, vocab, pair, pairs, with_ru, &mut sum)?;
                        pair += threads;
                    }
                    Ok(sum)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("generator thread panicked"))
            .collect()
    });
    let mut total = GenSummary::default();
    for r in results {
        let r = r?;
        total.docs += r.docs;
        total.sections += r.sections;
        total.bytes += r.bytes;
    }
    total.seconds = started.elapsed().as_secs_f64();
    Ok(total)
}

fn write_pair(
    config: &GenConfig,
    vocab: &Vocab,
    pair: usize,
    pairs: usize,
    with_ru: bool,
    sum: &mut GenSummary,
) -> io::Result<()> {
    let plan = plan(config.seed, pair, pairs, vocab);
    let en = render(
        &plan,
        Lang::En,
        vocab,
        Rng::derive(config.seed, 2, pair as u64),
        None,
    );
    // anchors: slugs of the English headings, unique within the document
    let mut seen: HashMap<String, usize> = HashMap::new();
    let anchors: Vec<String> = en
        .headings
        .iter()
        .map(|h| {
            let base = match slugify(h) {
                s if s.is_empty() => "section".to_string(),
                s => s,
            };
            let n = seen.entry(base.clone()).or_insert(0);
            *n += 1;
            if *n == 1 {
                base
            } else {
                format!("{base}-{n}")
            }
        })
        .collect();
    let mut slug: String = anchors[0]
        .split('-')
        .skip(1)
        .take(5)
        .collect::<Vec<_>>()
        .join("-");
    if slug.is_empty() {
        slug.push_str("article");
    }
    let file = format!("{slug}-{pair}.md");
    let rel = Path::new(plan.product).join(&file);
    fs::write(config.out.join("en").join(&rel), &en.text)?;
    sum.docs += 1;
    sum.sections += en.sections;
    sum.bytes += en.text.len() as u64;
    if with_ru {
        let ru = render(
            &plan,
            Lang::Ru,
            vocab,
            Rng::derive(config.seed, 3, pair as u64),
            Some(&anchors),
        );
        fs::write(config.out.join("ru").join(&rel), &ru.text)?;
        sum.docs += 1;
        sum.sections += ru.sections;
        sum.bytes += ru.text.len() as u64;
    }
    Ok(())
}

fn usage() -> ! {
    eprintln!(
        "usage: gen_corpus --docs N --out DIR [--seed S] [--vocab DIR] [--threads T]\n\
         Writes N synthetic Markdown articles (half en/, half ru/) into DIR."
    );
    std::process::exit(2)
}

#[allow(dead_code)]
fn main() {
    let mut args = std::env::args().skip(1);
    let mut docs = None;
    let mut out = None;
    let mut seed = 1u64;
    let mut vocab = default_vocab_dir();
    let mut threads = 0usize;
    while let Some(arg) = args.next() {
        let mut value = || args.next().unwrap_or_else(|| usage());
        match arg.as_str() {
            "--docs" => docs = value().parse().ok(),
            "--out" => out = Some(PathBuf::from(value())),
            "--seed" => seed = value().parse().unwrap_or_else(|_| usage()),
            "--vocab" => vocab = PathBuf::from(value()),
            "--threads" => threads = value().parse().unwrap_or_else(|_| usage()),
            "-h" | "--help" => usage(),
            _ => usage(),
        }
    }
    let (Some(docs), Some(out)) = (docs, out) else {
        usage()
    };
    let config = GenConfig {
        docs,
        out,
        seed,
        vocab,
        threads,
    };
    match generate(&config) {
        Ok(s) => println!(
            "wrote {} documents, {} sections, {:.1} MiB of Markdown to {} in {:.2} s (seed {})",
            s.docs,
            s.sections,
            s.bytes as f64 / (1024.0 * 1024.0),
            config.out.display(),
            s.seconds,
            config.seed
        ),
        Err(err) => {
            eprintln!("gen_corpus: {err}");
            std::process::exit(1);
        }
    }
}
