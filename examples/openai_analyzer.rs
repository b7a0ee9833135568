//! Analyze chat messages with a real OpenAI-compatible model: one visitor
//! message per line on stdin, one JSON line of signals per message on
//! stdout (contact values redacted: only which fields were found).
//!
//! ```text
//! export OPENAI_BASE_URL=https://api.openai.com/v1   # or http://localhost:11434/v1 (Ollama) …
//! export OPENAI_API_KEY=sk-…                         # not needed by most local servers
//! export OPENAI_MODEL=gpt-4o-mini                    # optional, this is the default
//! export OPENAI_STRUCTURED_OUTPUT=auto               # optional: json_schema | tool_calling | prompt_only | auto
//! printf 'How much is the team plan?\nno thanks\n' | cargo run --example openai_analyzer
//! ```
//!
//! Without `OPENAI_BASE_URL` it explains what it needs and exits
//! successfully, so CI can build and run it without a model.

use std::io::{self, BufRead, Write};
use std::process::ExitCode;

use leadkit_core::{Field, Policy};
use leadkit_llm::{
    LlmAnalyzer, OpenAiCompatible, OpenAiConfig, RuleAnalyzer, StructuredOutput, TurnInput,
};
use serde_json::json;

const HELP: &str = "\
openai_analyzer: analyze visitor messages with an OpenAI-compatible model.

It needs:
  OPENAI_BASE_URL           the API base URL, e.g. https://api.openai.com/v1,
                            http://localhost:11434/v1 (Ollama), http://localhost:8000/v1 (vLLM)
and optionally:
  OPENAI_API_KEY            the API key (sent as a Bearer token; never printed)
  OPENAI_MODEL              the model name (default gpt-4o-mini)
  OPENAI_STRUCTURED_OUTPUT  json_schema (default) | tool_calling | prompt_only | auto

Then pipe one message per line on stdin.
OPENAI_BASE_URL is not set, so there is nothing to do.";

fn main() -> ExitCode {
    let Some(base_url) = std::env::var("OPENAI_BASE_URL")
        .ok()
        .filter(|v| !v.trim().is_empty())
    else {
        println!("{HELP}");
        return ExitCode::SUCCESS;
    };
    match run(&base_url) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("openai_analyzer: {error}");
            let mut source = error.source();
            while let Some(inner) = source {
                eprintln!("  caused by: {inner}");
                source = inner.source();
            }
            ExitCode::FAILURE
        }
    }
}

fn run(base_url: &str) -> Result<(), Box<dyn std::error::Error>> {
    let model = std::env::var("OPENAI_MODEL").unwrap_or_else(|_| "gpt-4o-mini".to_owned());
    let output = match std::env::var("OPENAI_STRUCTURED_OUTPUT").as_deref() {
        Ok("tool_calling") => StructuredOutput::ToolCalling,
        Ok("prompt_only") => StructuredOutput::PromptOnly,
        Ok("auto") => StructuredOutput::Auto,
        Ok("json_schema") | Err(_) => StructuredOutput::JsonSchema,
        Ok(other) => return Err(format!("unknown OPENAI_STRUCTURED_OUTPUT {other:?}").into()),
    };
    let mut config = OpenAiConfig::new(base_url, model);
    if let Ok(key) = std::env::var("OPENAI_API_KEY") {
        config = config.with_api_key(key);
    }
    let analyzer = LlmAnalyzer::new(OpenAiCompatible::new(config)?).with_structured_output(output);
    let rules = RuleAnalyzer::new();
    let policy = Policy::on_interest();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;

    let stdout = io::stdout();
    let mut out = stdout.lock();
    for line in io::stdin().lock().lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let assessment = rules.assess(&policy, &line);
        let result = runtime.block_on(analyzer.analyze_detailed(TurnInput::new(&policy, &line)));
        let record = match result {
            Ok(analysis) => {
                let signals = &analysis.signals;
                json!({
                    "interest": rounded(signals.interest.get()),
                    "declined": signals.declined,
                    "consent": signals.consent,
                    // Personal values stay redacted: only which fields were found.
                    "details": Field::ALL.iter().filter(|f| signals.details.has(**f)).map(|f| f.as_str()).collect::<Vec<_>>(),
                    "invalid": signals.invalid.iter().map(|a| json!({"field": a.field, "reason": a.reason})).collect::<Vec<_>>(),
                    "ungrounded_claims_dropped": analysis.ungrounded,
                    "tokens": analysis.usage.map(|u| u.total_tokens),
                    "rules": {"interest": rounded(assessment.signals.interest.get()), "unsure": assessment.unsure.is_some()},
                })
            }
            Err(error) => json!({"error": error.to_string()}),
        };
        writeln!(out, "{record}")?;
    }
    Ok(())
}

/// A score with two decimals, for reading.
fn rounded(score: f32) -> f64 {
    (f64::from(score) * 100.0).round() / 100.0
}
