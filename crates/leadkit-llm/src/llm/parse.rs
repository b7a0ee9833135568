//! Reading the model's answer: fences, chatter and loose types tolerated,
//! the shape checked.

use serde_json::{Map, Value};

use crate::{ChatContent, Error};

/// What the model claims about the turn, before grounding.
#[derive(Clone, Default, PartialEq)]
pub(crate) struct Verdict {
    pub(crate) interest: f32,
    pub(crate) declined: bool,
    pub(crate) consent: bool,
    pub(crate) email: Option<String>,
    pub(crate) phone: Option<String>,
    pub(crate) name: Option<String>,
}

/// Reads a verdict from any kind of answer.
pub(crate) fn verdict(content: &ChatContent) -> Result<Verdict, Error> {
    let value = match content {
        ChatContent::Json(value) => value.clone(),
        ChatContent::ToolCall { arguments, .. } => match arguments {
            Value::String(raw) => json_in_text(raw)?,
            other => other.clone(),
        },
        ChatContent::Text(text) => json_in_text(text)?,
    };
    let Value::Object(object) = value else {
        return Err(invalid("the answer is JSON but not an object"));
    };
    from_object(&object)
}

fn from_object(object: &Map<String, Value>) -> Result<Verdict, Error> {
    let interest = match object.get("interest") {
        Some(Value::Number(n)) => n.as_f64().unwrap_or(0.0) as f32,
        Some(Value::String(s)) => s
            .trim()
            .parse::<f32>()
            .map_err(|_| invalid("the interest is not a number"))?,
        Some(Value::Null) | None => return Err(invalid("the answer has no interest")),
        Some(_) => return Err(invalid("the interest is not a number")),
    };
    Ok(Verdict {
        interest,
        declined: flag(object.get("declined")),
        consent: flag(object.get("consent")),
        email: text(object.get("email")),
        phone: text(object.get("phone")),
        name: text(object.get("name")),
    })
}

/// `true`, `"true"` and `1` are true; anything else is false.
fn flag(value: Option<&Value>) -> bool {
    match value {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => s.trim().eq_ignore_ascii_case("true"),
        Some(Value::Number(n)) => n.as_f64() == Some(1.0),
        _ => false,
    }
}

/// A non-empty string (numbers accepted, for phones), or `None`.
fn text(value: Option<&Value>) -> Option<String> {
    match value {
        Some(Value::String(s)) if !s.trim().is_empty() && s.trim() != "null" => {
            Some(s.trim().to_owned())
        }
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    }
}

/// The JSON object in a text answer: the whole text, the inside of a
/// ```` ```json ```` fence, or the first balanced `{…}` in it (after any
/// `</think>` block of a reasoning model).
pub(crate) fn json_in_text(text: &str) -> Result<Value, Error> {
    let text = match text.rfind("</think>") {
        Some(end) => text.get(end + "</think>".len()..).unwrap_or_default(),
        None => text,
    };
    let trimmed = strip_fence(text.trim());
    if let Ok(value) = serde_json::from_str::<Value>(trimmed) {
        return Ok(value);
    }
    let mut rest = trimmed;
    while let Some(start) = rest.find('{') {
        let candidate = rest.get(start..).unwrap_or_default();
        if let Some(end) = balanced_end(candidate)
            && let Ok(value) =
                serde_json::from_str::<Value>(candidate.get(..end).unwrap_or_default())
        {
            return Ok(value);
        }
        rest = candidate.get(1..).unwrap_or_default();
    }
    Err(invalid("no JSON object found in the answer"))
}

fn strip_fence(text: &str) -> &str {
    let Some(body) = text.strip_prefix("```") else {
        return text;
    };
    // Drop the info string ("json") up to the end of the first line.
    let body = body
        .find('\n')
        .map_or("", |i| body.get(i + 1..).unwrap_or_default());
    body.trim_end().strip_suffix("```").unwrap_or(body).trim()
}

/// The byte length of the balanced JSON object at the start of `text`
/// (which starts with `{`), skipping braces inside strings.
fn balanced_end(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (i, byte) in text.bytes().enumerate() {
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'{' => depth += 1,
            b'}' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
    }
    None
}

fn invalid(reason: &'static str) -> Error {
    Error::InvalidOutput {
        reason,
        source: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_plain_fenced_and_chatty_answers() {
        let plain = r#"{"interest":0.8,"declined":false,"consent":false,"email":null,"phone":null,"name":null}"#;
        let fenced = format!("```json\n{plain}\n```");
        let chatty = format!("Sure! Here is the result: {plain} Hope this helps {{");
        let thinking = format!("<think>maybe {{\"interest\": 0}}</think>\n{plain}");
        for text in [plain.to_owned(), fenced, chatty, thinking] {
            let v = verdict(&ChatContent::Text(text.clone())).unwrap();
            assert!((v.interest - 0.8).abs() < 1e-6, "{text}");
        }
    }

    #[test]
    fn loose_types_are_accepted() {
        let v = verdict(&ChatContent::Json(json!({
            "interest": "0.5", "declined": "true", "consent": 1, "phone": 5511987654321u64, "email": ""
        })))
        .unwrap();
        assert!(v.declined && v.consent);
        assert_eq!(v.phone.as_deref(), Some("5511987654321"));
        assert_eq!(v.email, None);
        let args = ChatContent::ToolCall {
            name: "x".into(),
            arguments: Value::String(r#"{"interest": 1}"#.into()),
        };
        assert_eq!(verdict(&args).unwrap().interest, 1.0);
    }

    #[test]
    fn wrong_shapes_are_invalid_output() {
        for content in [
            ChatContent::Text("I cannot help with that.".into()),
            ChatContent::Text("{\"interest\": ".into()),
            ChatContent::Json(json!([1, 2])),
            ChatContent::Json(json!({"declined": true})),
            ChatContent::Json(json!({"interest": [0.5]})),
        ] {
            assert!(matches!(
                verdict(&content),
                Err(Error::InvalidOutput { .. })
            ));
        }
        assert_eq!(balanced_end(r#"{"a":"}{"}"#), Some(10));
    }
}
