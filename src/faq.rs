//! A tiny rule-based FAQ bot for the examples: canned answers to a few
//! questions, so the lead-capture flow can be tried without a model.

/// One canned answer and the words that select it.
struct Entry {
    keywords: &'static [&'static str],
    answer: &'static str,
}

const ENTRIES: &[Entry] = &[
    Entry {
        keywords: &[
            "price", "pricing", "cost", "how much", "plan", "plans", "precio", "preço", "preis",
            "prix",
        ],
        answer: "Our Starter plan is $29/month, Team is $99/month, and Enterprise is priced per seat.",
    },
    Entry {
        keywords: &[
            "demo",
            "trial",
            "try",
            "test drive",
            "prueba",
            "teste",
            "essai",
        ],
        answer: "You can start a 14-day free trial any time, and we run live demos every weekday.",
    },
    Entry {
        keywords: &[
            "hours",
            "open",
            "opening",
            "horario",
            "öffnungszeiten",
            "horaires",
        ],
        answer: "Our team is available Monday to Friday, 9:00 to 18:00 (CET).",
    },
    Entry {
        keywords: &[
            "ship",
            "shipping",
            "deliver",
            "delivery",
            "envío",
            "envio",
            "versand",
            "livraison",
        ],
        answer: "We ship worldwide; delivery takes 3 to 7 working days.",
    },
    Entry {
        keywords: &[
            "refund",
            "cancel",
            "return",
            "reembolso",
            "rückerstattung",
            "remboursement",
        ],
        answer: "You can cancel any time; unused months are refunded in full.",
    },
    Entry {
        keywords: &["integrat", "api", "slack", "crm", "zapier"],
        answer: "We integrate with Slack, HubSpot, Salesforce and Zapier, and have a REST API.",
    },
];

/// What the bot says when no canned answer fits.
pub const FALLBACK: &str = "Happy to help! Ask me about pricing, trials and demos, opening hours, shipping, refunds or integrations.";

/// The canned answer for a visitor message, if one fits.
///
/// ```
/// assert!(leadkit_workspace::faq::lookup("How much is the Team plan?").unwrap().contains("$99"));
/// assert_eq!(leadkit_workspace::faq::lookup("hello"), None);
/// ```
pub fn lookup(message: &str) -> Option<&'static str> {
    let lower = message.to_lowercase();
    ENTRIES
        .iter()
        .find(|entry| entry.keywords.iter().any(|k| lower.contains(k)))
        .map(|entry| entry.answer)
}

/// The bot's answer to a visitor message: the canned answer or [`FALLBACK`].
pub fn answer(message: &str) -> &'static str {
    lookup(message).unwrap_or(FALLBACK)
}
