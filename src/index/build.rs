//! Building an index from a content folder.

use super::lexicon::{section_terms, Lexicon, LEXICON_FILE, MAX_SECTION_PAIRS};
use super::manifest::{
    Changes, DocEntry, LangCounts, Manifest, SkippedFile, FORMAT_VERSION, MANIFEST_FILE,
    SYNONYMS_JSON,
};
use super::schema::{build_schema, doc_number, lang_id, pair_key, Fields, BREADCRUMB_SEPARATOR};
use super::store;
use super::suggest_file::{SuggestionKind, SuggestionsBuilder, SUGGEST_FILE};
use crate::analysis::{register_analyzers, term_table};
use crate::codes;
use crate::error::{Error, Result};
use crate::ingest::{self, SourceFile};
use crate::model::Document;
use crate::synonyms::Synonyms;
use crate::urls::section_url;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::mpsc::sync_channel;
use std::time::{Instant, SystemTime, UNIX_EPOCH};
use tantivy::indexer::NoMergePolicy;
use tantivy::{doc, Index, IndexWriter, TantivyDocument, Term};

/// Settings of one build.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub content: PathBuf,
    pub index: PathBuf,
    pub max_file_bytes: u64,
    /// Indexing threads (0 = one per core, at most 4).
    pub threads: usize,
    /// Synonyms file; `None` = `synonyms.toml` at the content root, if any.
    pub synonyms: Option<PathBuf>,
    /// Rebuild everything instead of re-indexing only changed documents.
    pub full: bool,
}

impl BuildOptions {
    pub fn new(content: impl Into<PathBuf>, index: impl Into<PathBuf>) -> Self {
        BuildOptions {
            content: content.into(),
            index: index.into(),
            max_file_bytes: ingest::DEFAULT_MAX_FILE_BYTES,
            threads: 0,
            synonyms: None,
            full: false,
        }
    }
}

/// What happened to each file, reported while the build runs.
pub enum Progress<'a> {
    Started {
        files: usize,
    },
    Indexed {
        file: &'a SourceFile,
        sections: usize,
    },
    Warning {
        file: &'a SourceFile,
        message: &'a str,
    },
    Skipped {
        file: &'a SourceFile,
        reason: &'a ingest::SkipReason,
    },
}

/// Outcome of a build.
#[derive(Debug, Clone)]
pub struct BuildReport {
    pub manifest: Manifest,
    pub generation: PathBuf,
    pub index_bytes: u64,
    pub threads: usize,
}

/// Indexes `options.content` into a new generation under `options.index` and
/// publishes it. The previous index stays live until the new one is complete.
pub fn build(
    options: &BuildOptions,
    mut progress: impl FnMut(Progress<'_>),
) -> Result<BuildReport> {
    let started = Instant::now();
    let started_at_unix_ms = unix_millis(SystemTime::now());
    let found = ingest::discover_all(&options.content).map_err(|source| Error::Content {
        path: options.content.clone(),
        source,
    })?;
    let files = found.files;
    let synonyms_file = synonyms_source(options);
    let synonyms = match &options.synonyms {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
            Synonyms::parse(&path.display().to_string(), &text)?
        }
        None => Synonyms::load(&options.content)?,
    };
    progress(Progress::Started {
        files: files.len() + found.problems.len(),
    });
    // Paths that could not even be walked (symlink loops, broken links) are
    // reported like skipped files.
    let mut skipped = Vec::new();
    for problem in &found.problems {
        let reason = ingest::SkipReason::Unreadable(problem.reason.clone());
        progress(Progress::Skipped {
            file: &problem.file,
            reason: &reason,
        });
        skipped.push(SkippedFile {
            path: problem.file.id.clone(),
            reason: reason.to_string(),
        });
    }

    let previous = previous_generation(options, &synonyms_file);
    if previous.is_none() && !options.full {
        tracing::debug!("no compatible previous index: building everything");
    }
    let generation = store::new_generation(&options.index)?;
    let threads = if options.threads == 0 {
        let cores = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
            .min(4);
        cores.min(threads_for_size(&files))
    } else {
        options.threads
    };
    let result = write_synonyms(&generation, &synonyms).and_then(|()| {
        write_generation(
            &generation,
            Job {
                options,
                files: &files,
                threads,
                started,
                started_at_unix_ms,
                previous,
                synonyms_file,
            },
            skipped,
            &mut progress,
        )
    });
    match result {
        Ok(manifest) => {
            store::publish(&options.index, &generation)?;
            let index_bytes = folder_size(&generation);
            Ok(BuildReport {
                manifest,
                generation,
                index_bytes,
                threads,
            })
        }
        Err(err) => {
            store::discard(&generation);
            Err(err)
        }
    }
}

/// The synonyms file a build uses, as recorded in its manifest.
pub fn synonyms_source(options: &BuildOptions) -> String {
    let path = match &options.synonyms {
        Some(path) => path.clone(),
        None => options.content.join(crate::synonyms::SYNONYMS_FILE),
    };
    if !path.is_file() {
        return String::new();
    }
    std::fs::canonicalize(&path)
        .unwrap_or(path)
        .display()
        .to_string()
}

fn write_synonyms(generation: &Path, synonyms: &Synonyms) -> Result<()> {
    let path = generation.join(SYNONYMS_JSON);
    let json = serde_json::to_vec(synonyms).map_err(|e| Error::io(&path, e.into()))?;
    std::fs::write(&path, json).map_err(|e| Error::io(&path, e))
}

/// The live generation a build can start from, when it is compatible.
struct Previous {
    dir: PathBuf,
    manifest: Manifest,
}

fn previous_generation(options: &BuildOptions, synonyms_file: &str) -> Option<Previous> {
    if options.full {
        return None;
    }
    let opened = super::open(&options.index).ok()?;
    let content_root = std::fs::canonicalize(&options.content).ok()?;
    let manifest = opened.manifest;
    let compatible = Path::new(&manifest.content_root) == content_root
        && manifest.synonyms_file == synonyms_file;
    compatible.then_some(Previous {
        dir: opened.generation,
        manifest,
    })
}

/// Markdown bytes that make another indexing thread worth its segment.
const BYTES_PER_THREAD: u64 = 32 * 1024 * 1024;

/// Indexing threads worth using for `files`: one per [`BYTES_PER_THREAD`]
/// started. Each thread writes its own segment, and every search pays per
/// segment (term look-ups, typo walks), so a small knowledge base is
/// indexed into one segment, which it also builds faster.
fn threads_for_size(files: &[SourceFile]) -> usize {
    let bytes: u64 = files
        .iter()
        .filter_map(|f| std::fs::metadata(&f.path).ok())
        .map(|m| m.len())
        .sum();
    1 + usize::try_from(bytes / BYTES_PER_THREAD).unwrap_or(usize::MAX)
}

/// Fills a new generation folder with the files of the previous one. Index
/// segments never change once written, so hard links are enough; copying is
/// the fallback on file systems without them.
fn clone_generation(from: &Path, to: &Path) -> Result<()> {
    for entry in std::fs::read_dir(from).map_err(|e| Error::io(from, e))? {
        let entry = entry.map_err(|e| Error::io(from, e))?;
        let name = entry.file_name();
        let name_str = name.to_string_lossy();
        if !entry.path().is_file() || name_str.ends_with(".lock") || name_str == MANIFEST_FILE {
            continue;
        }
        let target = to.join(&name);
        if std::fs::hard_link(entry.path(), &target).is_err() {
            std::fs::copy(entry.path(), &target).map_err(|e| Error::io(&target, e))?;
        }
    }
    Ok(())
}

/// Memory each indexing thread fills before it writes a segment. It is
/// taken as needed, so a small build uses less. It is big enough for a
/// build of 1 M sections to end with one segment per thread, which needs no
/// merge: skipping the merge saves more time than the extra memory costs,
/// and queries are as fast on those segments (docs/benchmarks.md).
const WRITER_MEMORY_PER_THREAD: usize = 768 * 1024 * 1024;

/// Files each parse worker may read ahead of the one being indexed.
const PARSE_AHEAD: usize = 64;

/// One file read ahead: unchanged since the previous generation (same
/// content hash), or its hash and parsed document. Few are alive at a time
/// and most hold parsed documents, so the small variant's size is moot.
#[allow(clippy::large_enum_variant)]
enum Prepared {
    Unchanged,
    Changed {
        hash: Option<String>,
        loaded: std::result::Result<ingest::Loaded, ingest::SkipReason>,
    },
}

/// Reads a file once, hashes it, and parses it unless its hash is the one
/// the previous generation recorded (`known`: path → content hash).
fn prepare(file: &SourceFile, known: &HashMap<String, String>, max_bytes: u64) -> Prepared {
    let bytes = match std::fs::read(&file.path) {
        Ok(bytes) => bytes,
        Err(e) => {
            return Prepared::Changed {
                hash: None,
                loaded: Err(ingest::SkipReason::Unreadable(e.to_string())),
            }
        }
    };
    let hash = blake3::hash(&bytes).to_hex().to_string();
    if known.get(&file.id) == Some(&hash) {
        return Prepared::Unchanged;
    }
    Prepared::Changed {
        loaded: ingest::load_bytes(file, &bytes, max_bytes),
        hash: Some(hash),
    }
}

/// [`prepare`] for every file, on `threads` parse workers that live as long
/// as `scope`, yielded in file order. Worker `w` takes files `w`, `w +
/// threads`, … and blocks once it is [`PARSE_AHEAD`] files ahead, so memory
/// stays bounded; dropping the iterator stops the workers.
fn prepare_in_order<'scope>(
    scope: &'scope std::thread::Scope<'scope, '_>,
    files: &'scope [SourceFile],
    known: &'scope HashMap<String, String>,
    max_bytes: u64,
    threads: usize,
) -> std::io::Result<impl Iterator<Item = Prepared> + 'scope> {
    let threads = threads.max(1);
    let mut results = Vec::with_capacity(threads);
    for worker in 0..threads {
        let (sender, receiver) = sync_channel(PARSE_AHEAD);
        std::thread::Builder::new()
            .name(format!("parse-{worker}"))
            .spawn_scoped(scope, move || {
                for file in files.iter().skip(worker).step_by(threads) {
                    if sender.send(prepare(file, known, max_bytes)).is_err() {
                        break;
                    }
                }
            })?;
        results.push(receiver);
    }
    Ok((0..files.len()).map(move |i| {
        // A worker only stops early when it panicked; the scope re-raises
        // that panic once this one unwinds.
        results[i % threads]
            .recv()
            .expect("a parse worker stopped before its last file")
    }))
}

/// Everything one build works from.
struct Job<'a> {
    options: &'a BuildOptions,
    files: &'a [SourceFile],
    threads: usize,
    started: Instant,
    started_at_unix_ms: u64,
    previous: Option<Previous>,
    synonyms_file: String,
}

fn write_generation(
    generation: &Path,
    job: Job<'_>,
    mut skipped: Vec<SkippedFile>,
    progress: &mut impl FnMut(Progress<'_>),
) -> Result<Manifest> {
    let Job {
        options,
        files,
        threads,
        started,
        started_at_unix_ms,
        previous,
        synonyms_file,
    } = job;
    let schema = build_schema();
    let index = match &previous {
        Some(previous) => {
            clone_generation(&previous.dir, generation)?;
            Index::open_in_dir(generation)?
        }
        None => Index::create_in_dir(generation, schema.clone())?,
    };
    register_analyzers(&index);
    let fields = Fields::from_schema(&index.schema())?;
    let memory = WRITER_MEMORY_PER_THREAD * threads;
    let mut writer: IndexWriter = index.writer_with_num_threads(threads, memory)?;
    let full_build = previous.is_none();
    if full_build {
        // Segments are merged, if at all, once everything is written.
        writer.set_merge_policy(Box::new(NoMergePolicy));
    }

    let mut old: BTreeMap<String, DocEntry> = previous
        .as_ref()
        .map(|p| {
            p.manifest
                .docs
                .iter()
                .map(|d| (d.path.clone(), d.clone()))
                .collect()
        })
        .unwrap_or_default();
    let mut suggestions = match &previous {
        Some(previous) => SuggestionsBuilder::read(&previous.dir.join(SUGGEST_FILE)),
        None => SuggestionsBuilder::default(),
    };
    let mut changes = Changes {
        incremental: previous.is_some(),
        ..Changes::default()
    };
    let mut docs: Vec<DocEntry> = Vec::with_capacity(files.len());

    // Files are read, hashed and parsed on `threads` workers while this
    // thread adds them to the index in file order.
    let known: HashMap<String, String> = old
        .iter()
        .map(|(path, entry)| (path.clone(), entry.hash.clone()))
        .collect();
    std::thread::scope(|scope| -> Result<()> {
        let prepared = prepare_in_order(scope, files, &known, options.max_file_bytes, threads)
            .map_err(|e| Error::io(&options.content, e))?;
        for (file, prepared) in files.iter().zip(prepared) {
            let (hash, loaded) = match prepared {
                Prepared::Changed { hash, loaded } => (hash, loaded),
                Prepared::Unchanged => {
                    let entry = old
                        .remove(&file.id)
                        .expect("an unchanged file has an entry");
                    changes.unchanged += 1;
                    progress(Progress::Indexed {
                        file,
                        sections: entry.sections,
                    });
                    docs.push(entry);
                    continue;
                }
            };
            let existed = old.remove(&file.id).is_some();
            if existed {
                writer.delete_term(Term::from_field_text(fields.path, &file.id));
                suggestions.remove(&file.id);
            }
            match loaded {
                Ok(loaded) => {
                    for warning in &loaded.warnings {
                        progress(Progress::Warning {
                            file,
                            message: warning,
                        });
                    }
                    let document = loaded.document;
                    add_document(&writer, &fields, &document, doc_number(&document.path))?;
                    let mut codes = BTreeSet::new();
                    suggestions.add(
                        &document.path,
                        &document.meta.title,
                        SuggestionKind::Title,
                        Some(section_url(&document.path, "")),
                    );
                    for section in &document.sections {
                        codes.extend(section.codes.iter().cloned());
                        suggestions.add(
                            &document.path,
                            &section.heading,
                            SuggestionKind::Heading,
                            Some(section_url(&document.path, &section.anchor)),
                        );
                        for code in &section.codes {
                            suggestions.add(&document.path, code, SuggestionKind::Code, None);
                        }
                    }
                    if existed {
                        changes.changed += 1;
                    } else {
                        changes.added += 1;
                    }
                    progress(Progress::Indexed {
                        file,
                        sections: document.sections.len(),
                    });
                    docs.push(DocEntry {
                        path: document.path,
                        lang: document.lang,
                        title: document.meta.title,
                        description: document.meta.description,
                        date: document.meta.date,
                        sections: document.sections.len(),
                        product: document.meta.product,
                        bytes: loaded.bytes,
                        hash: hash.unwrap_or_default(),
                        codes: codes.into_iter().collect(),
                    });
                }
                Err(reason) => {
                    if existed {
                        changes.removed += 1;
                    }
                    progress(Progress::Skipped {
                        file,
                        reason: &reason,
                    });
                    skipped.push(SkippedFile {
                        path: file.id.clone(),
                        reason: reason.to_string(),
                    });
                }
            }
        }
        Ok(())
    })?;
    // Documents whose files are gone.
    for path in old.keys() {
        writer.delete_term(Term::from_field_text(fields.path, path));
        suggestions.remove(path);
        changes.removed += 1;
    }
    let kept: BTreeSet<&str> = docs.iter().map(|d| d.path.as_str()).collect();
    suggestions.retain(|path| kept.contains(path));
    let suggest_path = generation.join(SUGGEST_FILE);
    suggestions
        .write(&suggest_path)
        .map_err(|e| Error::io(&suggest_path, e))?;
    writer.commit()?;
    if full_build {
        merge_beyond_one_segment_per_thread(&index, &mut writer, threads)?;
    }
    writer.wait_merging_threads()?;
    let lexicon = learn_lexicon(&index, &fields, &docs)?;
    let lexicon_path = generation.join(LEXICON_FILE);
    // The file may be a hard link to the live generation's: replace it,
    // never write through it.
    let _ = std::fs::remove_file(&lexicon_path);
    lexicon
        .write(&lexicon_path)
        .map_err(|e| Error::io(&lexicon_path, e))?;

    let mut per_lang: BTreeMap<_, LangCounts> = BTreeMap::new();
    let mut all_codes = BTreeSet::new();
    for doc in &docs {
        let counts = per_lang.entry(doc.lang).or_default();
        counts.documents += 1;
        counts.sections += doc.sections;
        all_codes.extend(doc.codes.iter().map(String::as_str));
    }
    let manifest = Manifest {
        format: FORMAT_VERSION,
        built_at_unix: SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0),
        started_at_unix_ms,
        synonyms_file,
        content_root: std::fs::canonicalize(&options.content)
            .unwrap_or_else(|_| options.content.clone())
            .display()
            .to_string(),
        documents: docs.len(),
        sections: docs.iter().map(|d| d.sections).sum(),
        codes: all_codes.len(),
        bytes: docs.iter().map(|d| d.bytes).sum(),
        build_seconds: started.elapsed().as_secs_f64(),
        per_lang,
        docs,
        skipped,
        changes,
    };
    let path = generation.join(MANIFEST_FILE);
    let json = serde_json::to_vec_pretty(&manifest).map_err(|e| Error::io(&path, e.into()))?;
    std::fs::write(&path, json).map_err(|e| Error::io(&path, e))?;
    Ok(manifest)
}

/// Merges the segments of a full build into one when some indexing thread
/// filled its memory and wrote more than one segment. Up to that size a
/// build has one segment per thread, and merging them costs the build more
/// than it gives the queries: the sweep shares its chunks between the
/// threads across segments. Beyond [`WRITER_MEMORY_PER_THREAD`] the count
/// grows with the corpus, and every query pays per segment, so one merged
/// segment is faster (docs/benchmarks.md). Incremental builds keep
/// tantivy's merge policy.
fn merge_beyond_one_segment_per_thread(
    index: &Index,
    writer: &mut IndexWriter,
    threads: usize,
) -> Result<()> {
    let segments = index.searchable_segment_ids()?;
    if segments.len() > threads.max(1) {
        writer.merge(&segments).wait()?;
    }
    Ok(())
}

/// Learns the lexicon from the sections of every article that has a
/// translation (`en/x.md` and `ru/x.md`), paired by anchor.
fn learn_lexicon(index: &Index, fields: &Fields, docs: &[DocEntry]) -> Result<Lexicon> {
    use tantivy::collector::DocSetCollector;
    use tantivy::query::TermQuery;
    use tantivy::schema::{IndexRecordOption, Value};
    let started = Instant::now();
    let paths: BTreeSet<&str> = docs.iter().map(|d| d.path.as_str()).collect();
    let searcher = index.reader()?.searcher();
    // The terms of each section of `path`, by lower-case anchor. An anchor
    // that several sections share (some translations repeat «solution»)
    // pairs with nothing.
    let sections_of = |path: &str| -> Result<BTreeMap<String, Vec<String>>> {
        let query = TermQuery::new(
            Term::from_field_text(fields.path, path),
            IndexRecordOption::Basic,
        );
        let mut sections = BTreeMap::new();
        let mut repeated = BTreeSet::new();
        let mut addresses: Vec<_> = searcher
            .search(&query, &DocSetCollector)?
            .into_iter()
            .collect();
        addresses.sort();
        for address in addresses {
            let doc: TantivyDocument = searcher.doc(address)?;
            let text = |field| doc.get_first(field).and_then(|v| v.as_str()).unwrap_or("");
            let terms = section_terms(&format!("{}\n{}", text(fields.heading), text(fields.body)));
            let anchor = text(fields.anchor).to_lowercase();
            if sections.insert(anchor.clone(), terms).is_some() {
                repeated.insert(anchor);
            }
        }
        sections.retain(|anchor, _| !repeated.contains(anchor));
        Ok(sections)
    };
    let mut aligned = Vec::new();
    for ru_path in paths.iter().filter(|p| p.starts_with("ru/")) {
        if aligned.len() >= MAX_SECTION_PAIRS {
            break;
        }
        let Some(en_path) = ingest::counterpart(ru_path).filter(|p| paths.contains(p.as_str()))
        else {
            continue;
        };
        let mut en = sections_of(&en_path)?;
        for (anchor, ru_terms) in sections_of(ru_path)? {
            if let Some(en_terms) = en.remove(&anchor) {
                aligned.push((ru_terms, en_terms));
            }
        }
    }
    aligned.truncate(MAX_SECTION_PAIRS);
    let lexicon = Lexicon::learn(&aligned);
    tracing::debug!(
        "lexicon learned from {} section pairs in {:?}: {} terms",
        aligned.len(),
        started.elapsed(),
        lexicon.len()
    );
    Ok(lexicon)
}

/// Adds one tantivy document per section.
fn add_document(
    writer: &IndexWriter,
    fields: &Fields,
    document: &Document,
    doc_number: u64,
) -> Result<()> {
    let problems = ingest::structure::problem_headings(&document.sections);
    let roles = ingest::structure::roles(&document.sections);
    let structure = problems.into_iter().zip(roles);
    for (ordinal, (section, (problem, role))) in document.sections.iter().zip(structure).enumerate()
    {
        let mut doc: TantivyDocument = doc!(
            fields.path => document.path.as_str(),
            fields.anchor => section.anchor.as_str(),
            fields.lang => document.lang.code(),
            fields.product => document.meta.product.as_str(),
            fields.title => document.meta.title.as_str(),
            fields.heading => section.heading.as_str(),
            fields.breadcrumbs => section.breadcrumbs.join(BREADCRUMB_SEPARATOR),
            fields.body => section.body.as_str(),
            fields.level => u64::from(section.level),
            fields.ordinal => ordinal as u64,
            fields.doc_number => doc_number,
            fields.table_rows => section.records.len() as u64,
            fields.lang_id => lang_id(document.lang),
            fields.pair => pair_key(&document.path, &section.anchor, document.lang),
            fields.role => role as u64,
        );
        for alias in &section.anchor_aliases {
            doc.add_text(fields.anchor, alias);
        }
        doc.add_bytes(fields.body_terms, &term_table(&section.body));
        // `all`: title, the heading three times (its weight) and body, as
        // values of one field. Its fields come last in the schema, so the
        // tokenizer copies the tokens of texts it has just analysed.
        doc.add_text(fields.all, document.meta.title.as_str());
        for _ in 0..3 {
            doc.add_text(fields.all, section.heading.as_str());
        }
        doc.add_text(fields.all, section.body.as_str());
        if let Some(problem) = problem {
            doc.add_text(fields.problem, problem);
        }
        for text in [&document.meta.title, &section.heading, &section.body] {
            doc.add_text(fields.sound, text.as_str());
        }
        for code in &section.codes {
            doc.add_text(fields.codes, code);
            for alias in codes::aliases(code) {
                doc.add_text(fields.code_aliases, &alias);
            }
        }
        for code in &section.defined_codes {
            doc.add_text(fields.codes_defined, code);
        }
        if !section.records.is_empty() {
            let json = serde_json::to_string(&section.records).unwrap_or_default();
            doc.add_text(fields.records, json);
        }
        writer.add_document(doc)?;
    }
    Ok(())
}

pub(crate) fn unix_millis(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

fn folder_size(path: &Path) -> u64 {
    walkdir::WalkDir::new(path)
        .into_iter()
        .flatten()
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An index with `segments` committed segments of three sections each.
    fn index_with_segments(segments: usize) -> (Index, IndexWriter) {
        let index = Index::create_in_ram(build_schema());
        register_analyzers(&index);
        let fields = Fields::from_schema(&index.schema()).unwrap();
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        writer.set_merge_policy(Box::new(NoMergePolicy));
        for segment in 0..segments {
            for section in 0..3 {
                let path = format!("en/doc-{segment}.md");
                writer
                    .add_document(doc!(
                        fields.path => path.as_str(),
                        fields.body => format!("section {section} of segment {segment}"),
                        fields.doc_number => doc_number(&path),
                    ))
                    .unwrap();
            }
            writer.commit().unwrap();
        }
        (index, writer)
    }

    #[test]
    fn segments_beyond_one_per_thread_are_merged_into_one() {
        let (index, mut writer) = index_with_segments(3);
        merge_beyond_one_segment_per_thread(&index, &mut writer, 2).unwrap();
        writer.wait_merging_threads().unwrap();
        let metas = index.searchable_segment_metas().unwrap();
        assert_eq!(metas.len(), 1);
        assert_eq!(metas[0].num_docs(), 9);
    }

    #[test]
    fn one_segment_per_thread_is_left_alone() {
        for (segments, threads) in [(2, 2), (1, 2), (1, 0)] {
            let (index, mut writer) = index_with_segments(segments);
            let before = index.searchable_segment_ids().unwrap();
            merge_beyond_one_segment_per_thread(&index, &mut writer, threads).unwrap();
            writer.wait_merging_threads().unwrap();
            assert_eq!(index.searchable_segment_ids().unwrap(), before);
        }
    }
}
