//! A varied set of leads for the query checks, with the expected answers
//! computed here, independently of any store.

use chrono::{DateTime, Duration, Utc};
use leadkit_core::{BotId, Consent, ContactDetails, LeadId, LeadStatus, VisitorId, WorkspaceId};

use super::{ok, t0};
use crate::{Bot, COMPANY_FIELD, LeadPatch, LeadUpsert, Store, fold};

pub(crate) const NAMES: [&str; 12] = [
    "José Álvarez",
    "jose alvarez",
    "Zoë Ångström",
    "ana souza",
    "Ana Souza",
    "Bob O'Brien",
    "100% Real_Name",
    "back\\slash",
    "SELECT * FROM leads; --",
    "Åsa Öberg",
    "=HYPERLINK(\"http://evil\")",
    "Łukasz Straße",
];

const COMPANIES: [&str; 4] = ["Acme", "ÉCOLE Lumière", "Globex_Corp", "acme labs"];

/// One lead as the fixture created it.
#[derive(Debug, Clone)]
pub(crate) struct Spec {
    pub(crate) id: LeadId,
    pub(crate) bot: BotId,
    pub(crate) name: String,
    pub(crate) email: Option<String>,
    pub(crate) phone: Option<String>,
    pub(crate) company: Option<String>,
    pub(crate) status: LeadStatus,
    pub(crate) consent: Option<bool>,
    pub(crate) created: DateTime<Utc>,
    pub(crate) last_seen: DateTime<Utc>,
}

impl Spec {
    pub(crate) fn search_text(&self) -> Vec<String> {
        [
            Some(&self.name),
            self.email.as_ref(),
            self.phone.as_ref(),
            self.company.as_ref(),
        ]
        .into_iter()
        .flatten()
        .map(|v| fold(v))
        .collect()
    }
}

pub(crate) struct Fixture {
    pub(crate) workspace: WorkspaceId,
    pub(crate) bots: [BotId; 3],
    pub(crate) leads: Vec<Spec>,
}

pub(crate) const COUNT: u128 = 40;

pub(crate) async fn build(store: &dyn Store, workspace: WorkspaceId) -> Fixture {
    let seed = workspace.as_uuid().as_u128();
    let bots = [1u128, 2, 3].map(|i| BotId::from_u128(seed ^ (i << 100)));
    for (i, bot) in bots.iter().enumerate() {
        let bot = Bot::new(*bot, workspace, format!("Bot {}", 3 - i));
        ok(store.put_bot(workspace, &bot).await, "put_bot");
    }
    let mut leads = Vec::new();
    for i in 0..COUNT {
        let n = usize::try_from(i).expect("small");
        let id = LeadId::from_u128(seed ^ (i + 1000));
        let created = t0() + Duration::days(i64::try_from(i % 7).expect("small"));
        let spec = Spec {
            id,
            bot: bots[n % 3],
            name: NAMES[n % NAMES.len()].to_owned(),
            email: (i % 4 != 3).then(|| format!("User{i}@Example.com")),
            phone: (i % 3 == 0).then(|| format!("+1415555{i:04}")),
            company: (i % 2 == 0).then(|| COMPANIES[n % COMPANIES.len()].to_owned()),
            status: LeadStatus::ALL[n % LeadStatus::ALL.len()],
            consent: match i % 3 {
                0 => None,
                1 => Some(true),
                _ => Some(false),
            },
            created,
            last_seen: if i % 5 == 0 {
                created + Duration::hours(3)
            } else {
                created
            },
        };
        let mut details = ContactDetails::new().with_name(spec.name.clone());
        if let Some(email) = &spec.email {
            details = details.with_email(email.clone());
        }
        if let Some(phone) = &spec.phone {
            details = details.with_phone(phone.clone());
        }
        if let Some(company) = &spec.company {
            details = details.with_custom(COMPANY_FIELD, company.clone());
        }
        let visitor = VisitorId::new(format!("visitor-{i}")).expect("valid visitor id");
        let mut upsert =
            LeadUpsert::new(id, spec.bot, details, spec.created).visitor(visitor.clone());
        if let Some(given) = spec.consent {
            upsert = upsert.consent(Consent::new(given, "notice", "v1", spec.created));
        }
        let outcome = ok(
            store.upsert_lead(workspace, &upsert).await,
            "fixture upsert",
        );
        assert!(outcome.created, "fixture lead {i} should be new");
        if spec.last_seen != spec.created {
            let again = LeadUpsert::new(id, spec.bot, ContactDetails::new(), spec.last_seen)
                .visitor(visitor);
            ok(
                store.upsert_lead(workspace, &again).await,
                "fixture second upsert",
            );
        }
        if spec.status != LeadStatus::New {
            let patch = LeadPatch::new().status(spec.status);
            ok(
                store.update_lead(workspace, id, &patch).await,
                "fixture status",
            );
        }
        leads.push(spec);
    }
    Fixture {
        workspace,
        bots,
        leads,
    }
}
