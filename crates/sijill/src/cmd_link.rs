//! `sijill link`: links the victim records of several lists into persons and writes
//! `list,record_id,person_id,match_probability`, one row per input record; or, with
//! `--org`, links the lists stored in the database as a linkage run (persons and a
//! review queue, the clerical decisions taken so far applied), as the web page does.

use crate::error::CliError;
use crate::link_input::read_inputs;
use anyhow::Context;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use sijill_linkage::{Linker, Params, Progress};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Arguments of `sijill link`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Input columns (header row; any subset beyond record_id): record_id, list (default: file stem), \
full_name or given_name,father_name,grandfather_name,family_name, mother_name, sex, age, birth_year, date_of_death, place_of_death.\n\
Output: list,record_id,person_id,match_probability (one row per input record).\n\n\
Stored lists: with --org the lists imported with `sijill import victims` are linked in the database \
(all of the organization's lists, or those named with --list by source, file name or id), using the \
clerical decisions taken so far; the persons and the review queue appear on the web pages.\n\
Examples:\n  sijill link --input a.csv --input b.csv --output persons.csv\n  \
sijill link --db sqlite:sijill.db --org \"Coast Rights Observatory\" --list \"Field team\" --list observatory.csv"
)]
pub struct LinkArgs {
    /// A list of victim records (CSV with a header row); give one --input per list.
    #[arg(
        long = "input",
        value_name = "FILE",
        required_unless_present = "org",
        conflicts_with = "org"
    )]
    pub inputs: Vec<PathBuf>,
    /// Where to write the persons (CSV); written whole or not at all.
    #[arg(
        long,
        value_name = "FILE",
        required_unless_present = "org",
        conflicts_with = "org"
    )]
    pub output: Option<PathBuf>,
    /// Pairs at or above this match probability are the same person.
    #[arg(long, value_name = "P", default_value_t = 0.5)]
    pub threshold: f64,
    /// Also write, per candidate pair with probability ≥ 0.01, the weight each field added or took away.
    #[arg(long, value_name = "FILE")]
    pub explain: Option<PathBuf>,
    /// Blocks with more records than this are skipped (and reported); lower is faster.
    #[arg(long, value_name = "N", default_value_t = 120)]
    pub max_block: usize,
    /// A further column to compare as text (e.g. a national id); may be repeated.
    #[arg(long = "extra-field", value_name = "COLUMN")]
    pub extra_fields: Vec<String>,
    /// Link the lists stored in the database for this organization (its exact name).
    #[arg(long, value_name = "NAME", conflicts_with_all = ["explain", "extra_fields"])]
    pub org: Option<String>,
    /// With --org: a stored list to link, by source, file name or id; may be repeated
    /// (default: every list of the organization).
    #[arg(long = "list", value_name = "LIST", requires = "org")]
    pub lists: Vec<String>,
    /// With --org: the database, `sqlite:PATH` or `postgres://USER@HOST/DB`.
    #[arg(
        long,
        env = "SIJILL_DB",
        default_value = "sqlite:sijill.db",
        requires = "org"
    )]
    pub db: String,
    /// With --org: the key file that seals personal fields (default: the SQLite file's
    /// path with `.key` added; required with PostgreSQL).
    #[arg(long, env = "SIJILL_KEY_FILE", requires = "org")]
    pub key_file: Option<PathBuf>,
}

/// Drives an indicatif bar on stderr (hidden when stderr is not a terminal).
struct Bar(ProgressBar);

impl Progress for Bar {
    fn stage(&self, name: &str, total: u64) {
        self.0.set_length(total);
        self.0.set_position(0);
        self.0.set_message(name.to_string());
    }
    fn advance(&self, n: u64) {
        self.0.inc(n);
    }
}

fn new_bar() -> Result<Bar, CliError> {
    let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{msg:>10} [{bar:40}] {pos}/{len} ({elapsed})")
            .map_err(|e| CliError::Other(e.into()))?
            .progress_chars("=> "),
    );
    Ok(Bar(bar))
}

/// `sijill link --org NAME [--list L]…`: a linkage run over stored lists.
fn run_stored(args: LinkArgs) -> Result<(), CliError> {
    use sijill_store::{Actor, Keyring, StoreError};
    let org_name = args.org.clone().unwrap_or_default();
    let key_file = match &args.key_file {
        Some(k) => k.clone(),
        None => crate::cmd_reconcile::default_key_file(&args.db).ok_or_else(|| {
            CliError::input(
                "--key-file: required with PostgreSQL (the key must live outside the database)",
            )
        })?,
    };
    let threshold = args.threshold;
    let wanted = args.lists.clone();
    let db = args.db.clone();
    crate::runtime::block_on(async move {
        let store = crate::runtime::open_store(&db).await?;
        let keys = Keyring::load(&key_file)
            .map_err(|e| CliError::input(format!("{}: {e}", key_file.display())))?;
        let store = store.with_keyring(keys).await.map_err(|e| match e {
            StoreError::Crypto(c) => CliError::input(format!("{}: {c}", key_file.display())),
            other => CliError::Other(anyhow::Error::new(other).context("checking the key file")),
        })?;
        let org = store
            .org_by_name(&org_name)
            .await
            .context("finding the organization")?
            .ok_or_else(|| CliError::input(format!("--org: no organization named {org_name:?}")))?;
        let stored = store
            .victim_lists(org.id)
            .await
            .context("reading the lists")?;
        if stored.is_empty() {
            return Err(CliError::input(format!(
                "--org: {org_name:?} has no victim lists; import them first with `sijill import victims`"
            )));
        }
        let mut chosen = Vec::new();
        for w in &wanted {
            let hits: Vec<_> = stored
                .iter()
                .filter(|l| l.id.to_string() == *w || l.source == *w || l.file_name == *w)
                .collect();
            if hits.is_empty() {
                let known: Vec<String> = stored
                    .iter()
                    .map(|l| format!("{} ({})", l.source, l.file_name))
                    .collect();
                return Err(CliError::input(format!(
                    "--list: no list {w:?} in {org_name:?}; its lists: {}",
                    known.join(", ")
                )));
            }
            for h in hits {
                if !chosen.contains(&h.id) {
                    chosen.push(h.id);
                }
            }
        }
        let by = Actor {
            user: None,
            org: org.id,
        };
        let params = serde_json::json!({
            "threshold": threshold,
            "lists": chosen.iter().map(|l| l.to_string()).collect::<Vec<_>>(),
        });
        let run = store
            .start_linkage_run(by, &params)
            .await
            .context("starting the run")?;
        let handle = tokio::runtime::Handle::current();
        let (s2, lists2, id) = (store.clone(), chosen.clone(), run.id);
        let stats = tokio::task::spawn_blocking(move || -> Result<serde_json::Value, String> {
            let bar = new_bar().map_err(|e| e.to_string())?;
            let r = sijill_server::reconcile::link_stored(
                s2,
                handle,
                by,
                id,
                threshold,
                &lists2,
                Some(&bar),
            );
            bar.0.finish_and_clear();
            r
        })
        .await
        .context("the linkage thread")?
        .map_err(|reason| CliError::Other(anyhow::anyhow!("linkage run {id} failed: {reason}")))?;
        let n = |k: &str| stats.get(k).and_then(|v| v.as_u64()).unwrap_or(0);
        let lists_n = if chosen.is_empty() {
            stored.len()
        } else {
            chosen.len()
        };
        println!(
            "Linked {} records of {lists_n} lists into {} persons (run {id}); {} uncertain pairs wait for review on /reconcile/review.",
            n("records"),
            n("persons"),
            n("review_pairs")
        );
        store.close().await;
        Ok(())
    })
}

/// Writes a file through a temporary sibling and a rename, so that a failure never
/// leaves a partial file under the final name.
fn write_atomic(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> anyhow::Result<()>,
) -> Result<(), CliError> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| -> anyhow::Result<()> {
        let file = std::fs::File::create(&tmp)
            .with_context(|| format!("{}: cannot create", tmp.display()))?;
        let mut w = std::io::BufWriter::new(file);
        write(&mut w)?;
        let file = w.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        std::fs::rename(&tmp, path).with_context(|| format!("{}: cannot write", path.display()))?;
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(CliError::from)
}

/// Runs the command.
pub fn run(args: LinkArgs) -> Result<(), CliError> {
    if !(args.threshold > 0.0 && args.threshold <= 1.0) {
        return Err(CliError::input(format!(
            "--threshold must be in (0, 1], not {}",
            args.threshold
        )));
    }
    if args.org.is_some() {
        return run_stored(args);
    }
    let Some(output) = args.output.clone() else {
        return Err(CliError::input("--output: required with --input"));
    };
    let input = read_inputs(&args.inputs, &args.extra_fields)?;
    for n in &input.notes {
        eprintln!("sijill: {n}");
    }
    let params = Params {
        threshold: args.threshold,
        max_block: args.max_block,
        extra_fields: args.extra_fields.clone(),
        ..Params::default()
    }
    .check()
    .map_err(|e| CliError::input(e.to_string()))?;
    let bar = new_bar()?;
    bar.stage("preparing", input.records.len() as u64);
    let linker = Linker::new(&input.records, &params);
    let out = linker.run(&bar);
    bar.0.finish_and_clear();

    let records = &input.records;
    write_atomic(&output, |w| {
        let mut csv = csv::Writer::from_writer(w);
        csv.write_record(["list", "record_id", "person_id", "match_probability"])?;
        for (i, r) in records.iter().enumerate() {
            csv.write_record([
                r.list.as_str(),
                r.record_id.as_str(),
                &format!("P{}", out.person[i] + 1),
                &format!("{:.4}", out.probability[i]),
            ])?;
        }
        csv.flush()?;
        Ok(())
    })?;
    if let Some(path) = &args.explain {
        write_atomic(path, |w| {
            let mut csv = csv::Writer::from_writer(w);
            let names: Vec<String> = linker
                .fields()
                .iter()
                .map(|&k| sijill_linkage::field_name(k, &args.extra_fields))
                .collect();
            let mut header = vec![
                "list_a".to_string(),
                "record_id_a".into(),
                "list_b".into(),
                "record_id_b".into(),
            ];
            header.extend([
                "match_probability".into(),
                "total_weight".into(),
                "against".into(),
                "prior".into(),
                "other".into(),
            ]);
            for n in &names {
                header.push(format!("{n}_level"));
                header.push(format!("{n}_weight"));
                header.push(format!("{n}_tf"));
            }
            csv.write_record(&header)?;
            for (&(i, j), &p) in out.pairs.iter().zip(&out.pair_probability) {
                if p < 0.01 {
                    continue;
                }
                let (a, b) = (&records[i as usize], &records[j as usize]);
                let e = linker.explain(&out, i as usize, j as usize);
                let mut row = vec![
                    a.list.clone(),
                    a.record_id.clone(),
                    b.list.clone(),
                    b.record_id.clone(),
                ];
                row.push(format!("{:.4}", e.probability));
                row.push(format!("{:.3}", e.total));
                row.push(e.against.to_string());
                row.push(format!("{:.3}", e.prior));
                row.push(format!("{:.3}", e.other));
                for f in &e.fields {
                    row.push(f.level.to_string());
                    row.push(format!("{:.3}", f.weight));
                    row.push(format!("{:.3}", f.tf));
                }
                csv.write_record(&row)?;
            }
            csv.flush()?;
            Ok(())
        })?;
    }
    let s = &out.stats;
    for pass in &s.passes {
        eprintln!(
            "sijill: blocking on {}: {} pairs, largest block {}, {} blocks over the cap skipped ({} records)",
            pass.name, pass.pairs, pass.largest_block, pass.skipped_blocks, pass.skipped_records
        );
    }
    eprintln!(
        "sijill: {} records, {} candidate pairs, {} persons (EM: {} iterations{})",
        records.len(),
        s.candidate_pairs,
        s.persons,
        s.em.iterations,
        if s.em.converged {
            ""
        } else {
            ", not converged"
        }
    );
    Ok(())
}
