//! Try leadkit-contact on your own data: one input per line on stdin, one JSON
//! object per line on stdout.
//!
//! ```text
//! cargo run --example contact_check -- extract --region GB < chat.txt
//! cargo run --example contact_check -- email < emails.txt
//! cargo run --example contact_check -- phone --region US < phones.txt
//! cargo run --example contact_check -- name < names.txt
//! ```
//!
//! `extract` prints `{"found":[{"kind":"email|phone|name","start":B,"end":B,"value":"…","valid":true}]}`
//! with byte offsets into the line (phones add `"status"`, `"region"` and
//! `"hint"`: how the number was read); the others print
//! `{"valid":…,"normalized":…,"reason":…}` with `null` where absent.

use std::io::{self, BufRead, BufWriter, Write};
use std::process::ExitCode;

use leadkit_contact::{
    EmailOptions, Error, ExtractOptions, NameOptions, PhoneOptions, extract, validate_email,
    validate_name, validate_phone,
};
use serde_json::Value;

const USAGE: &str = "\
usage: contact_check <command> [--region XX] < input.txt

Reads one input per line on stdin and prints one JSON object per line.

commands:
  extract [--region XX] [--lang LL] [--accept-hinted]
                         find emails, phone numbers and names in each line:
                         {\"found\":[{\"kind\":…,\"start\":B,\"end\":B,\"value\":…,\"valid\":…}]}
                         (phones add \"status\", \"region\" and \"hint\"); LL is
                         the messages' language (guessed when absent);
                         --accept-hinted counts numbers valid in a hinted
                         region as valid
  email                  validate each line as an email address
  phone [--region XX]    validate each line as a phone number; XX is the
                         region assumed for numbers without a country code
  name                   validate each line as a person's name

the validators print {\"valid\":…,\"normalized\":…,\"reason\":…} (null where absent)";

#[derive(Clone, Copy)]
enum Command {
    Extract,
    Email,
    Phone,
    Name,
}

struct Args {
    command: Command,
    region: Option<String>,
    language: Option<String>,
    accept_hinted: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut args = std::env::args().skip(1);
    let command = match args.next().as_deref() {
        Some("extract") => Command::Extract,
        Some("email") => Command::Email,
        Some("phone") => Command::Phone,
        Some("name") => Command::Name,
        Some(other) => return Err(format!("unknown command {other:?}")),
        None => return Err("missing command".to_owned()),
    };
    let mut region = None;
    let mut language = None;
    let mut accept_hinted = false;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--lang" if matches!(command, Command::Extract) => {
                language = Some(args.next().ok_or("--lang needs a language code")?);
            }
            "--accept-hinted" if matches!(command, Command::Extract) => accept_hinted = true,
            "--region" if matches!(command, Command::Extract | Command::Phone) => {
                let code = args
                    .next()
                    .ok_or("--region needs a two-letter region code")?;
                if code.len() != 2 || !code.chars().all(|c| c.is_ascii_alphabetic()) {
                    return Err(format!("{code:?} is not a two-letter region code"));
                }
                region = Some(code);
            }
            other => return Err(format!("unexpected argument {other:?}")),
        }
    }
    Ok(Args {
        command,
        region,
        language,
        accept_hinted,
    })
}

/// A JSON string literal (quoted and escaped).
fn string(value: &str) -> String {
    Value::String(value.to_owned()).to_string()
}

/// `{"valid":…,"normalized":…,"reason":…}`, keys in that order.
fn verdict(result: Result<String, Error>) -> String {
    match result {
        Ok(normalized) => format!(
            r#"{{"valid":true,"normalized":{},"reason":null}}"#,
            string(&normalized)
        ),
        Err(err) => format!(
            r#"{{"valid":false,"normalized":null,"reason":{}}}"#,
            string(&err.to_string())
        ),
    }
}

fn check_line(line: &str, args: &Args) -> String {
    match args.command {
        Command::Extract => {
            let mut options =
                ExtractOptions::default().with_hinted_regions_accepted(args.accept_hinted);
            if let Some(region) = &args.region {
                options = options.with_default_region(region);
            }
            if let Some(language) = &args.language {
                options = options.with_language(language);
            }
            let found: Vec<String> = extract(line, &options)
                .found
                .iter()
                .map(|f| {
                    let reading = f.phone.as_ref().map_or(String::new(), |p| {
                        let or_null = |v: Option<&str>| v.map_or("null".to_owned(), string);
                        format!(
                            r#","status":"{}","region":{},"hint":{}"#,
                            p.status.as_str(),
                            or_null(p.region.as_deref()),
                            or_null(p.hint.map(|h| h.as_str())),
                        )
                    });
                    format!(
                        r#"{{"kind":"{}","start":{},"end":{},"value":{},"valid":{}{reading}}}"#,
                        f.kind.as_str(),
                        f.span.start,
                        f.span.end,
                        string(&f.value),
                        f.valid
                    )
                })
                .collect();
            format!(r#"{{"found":[{}]}}"#, found.join(","))
        }
        Command::Email => {
            verdict(validate_email(line, &EmailOptions::default()).map(|e| e.as_str().to_owned()))
        }
        Command::Phone => {
            let mut options = PhoneOptions::default();
            if let Some(region) = &args.region {
                options = options.with_default_region(region);
            }
            verdict(validate_phone(line, &options).map(|p| p.canonical()))
        }
        Command::Name => {
            verdict(validate_name(line, &NameOptions::default()).map(|n| n.as_str().to_owned()))
        }
    }
}

fn run(args: &Args) -> io::Result<()> {
    let stdin = io::stdin();
    let mut input = stdin.lock();
    let mut out = BufWriter::new(io::stdout().lock());
    let mut buf = Vec::new();
    loop {
        buf.clear();
        if input.read_until(b'\n', &mut buf)? == 0 {
            break;
        }
        // Tolerate CRLF files and stray invalid UTF-8 rather than stopping.
        let line = String::from_utf8_lossy(&buf);
        let line = line.strip_suffix('\n').unwrap_or(&line);
        let line = line.strip_suffix('\r').unwrap_or(line);
        writeln!(out, "{}", check_line(line, args))?;
    }
    out.flush()
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(problem) => {
            eprintln!("contact_check: {problem}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        // A closed pipe (`… | head`) is a normal way to stop.
        Err(err) if err.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("contact_check: {err}");
            ExitCode::FAILURE
        }
    }
}
