//! `sijill-synth --records N --seed S --out DIR`: writes the four lists as CSV files and
//! `truth.csv` (list, record_id, person_id) into DIR.

use anyhow::{Context, Result, bail};
use std::path::PathBuf;

fn main() -> Result<()> {
    let mut records = 10_000usize;
    let mut seed = 1u64;
    let mut out = PathBuf::from("synth");
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || args.next().with_context(|| format!("{a} needs a value"));
        match a.as_str() {
            "--records" => records = value()?.parse().context("--records")?,
            "--seed" => seed = value()?.parse().context("--seed")?,
            "--out" => out = PathBuf::from(value()?),
            "--help" | "-h" => {
                println!("sijill-synth --records N --seed S --out DIR");
                return Ok(());
            }
            other => bail!("unknown argument {other}"),
        }
    }
    std::fs::create_dir_all(&out)?;
    let data = sijill_synth::generate(&sijill_synth::Config { records, seed });
    for (i, list) in data.lists.iter().enumerate() {
        let path = out.join(format!("{}.csv", list.name));
        let mut file = std::fs::File::create(&path).with_context(|| path.display().to_string())?;
        if i == 1 {
            // One list comes with a byte-order mark, as spreadsheet exports do.
            std::io::Write::write_all(&mut file, "\u{FEFF}".as_bytes())?;
        }
        let mut w = csv::Writer::from_writer(std::io::BufWriter::new(file));
        w.write_record(&list.header)?;
        for r in &list.rows {
            w.write_record(r)?;
        }
        w.flush()?;
    }
    let mut w = csv::Writer::from_path(out.join("truth.csv"))?;
    w.write_record(["list", "record_id", "person_id"])?;
    for t in &data.truth {
        w.write_record(t)?;
    }
    w.flush()?;
    eprintln!(
        "{} records in {} lists written to {}",
        data.truth.len(),
        data.lists.len(),
        out.display()
    );
    Ok(())
}
