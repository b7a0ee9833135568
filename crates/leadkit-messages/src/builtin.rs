//! The built-in sentences, one block per language. (The blocks share their
//! shape, field by field: each is a translation of the same catalog.)
//!
//! Field subjects are chosen so that one reason phrase agrees with all three
//! fields (every subject is masculine in Spanish, French and Portuguese; the
//! German phrases need no agreement).

use super::{Locale, MessageCatalog};

fn owned<const N: usize>(items: [&str; N]) -> [String; N] {
    items.map(str::to_owned)
}

pub(super) fn catalog(locale: Locale) -> MessageCatalog {
    match locale {
        Locale::English => english(),
        Locale::Spanish => spanish(),
        Locale::German => german(),
        Locale::French => french(),
        Locale::Portuguese => portuguese(),
    }
}

fn english() -> MessageCatalog {
    MessageCatalog {
        field_objects: owned(["your name", "your email address", "your phone number"]),
        field_subjects: owned(["That name", "That email address", "That phone number"]),
        and: "and".into(),
        or: "or".into(),
        ask_first_query: "By the way, could you share {fields} so we can follow up?".into(),
        ask_reminder: "If you'd like us to follow up, just share {fields}.".into(),
        ask_interest:
            "Happy to help further: could you share {fields} so our team can get back to you?"
                .into(),
        ask_every_reply: "Could you share {fields} so we can stay in touch?".into(),
        ask_missing: "Thanks! Could you also share {fields}?".into(),
        gate: "Before I can answer, please share {fields}.".into(),
        optional: " ({optional} too, if you like)".into(),
        consent: "{consent} Is that OK with you?".into(),
        correction: "{field} {reason}. Could you check it?".into(),
        reasons: owned([
            "looks incomplete",
            "doesn't look right",
            "can't be accepted",
            "doesn't look real",
        ]),
        country_code: "Could you add the country code to that phone number (for example +44)?"
            .into(),
        thanks: "Thanks — we'll be in touch.".into(),
        thanks_named: "Thanks, {name} — we'll be in touch.".into(),
        no_problem: "No problem.".into(),
    }
}

fn spanish() -> MessageCatalog {
    MessageCatalog {
        field_objects: owned(["tu nombre", "tu correo electrónico", "tu número de teléfono"]),
        field_subjects: owned(["El nombre", "El correo electrónico", "El número de teléfono"]),
        and: "y".into(),
        or: "o".into(),
        ask_first_query: "Por cierto, ¿podrías compartir {fields} para que podamos darte seguimiento?".into(),
        ask_reminder: "Si quieres que te contactemos, solo comparte {fields}.".into(),
        ask_interest: "¡Con gusto te ayudamos! ¿Podrías compartir {fields} para que nuestro equipo te contacte?"
            .into(),
        ask_every_reply: "¿Podrías compartir {fields} para mantenernos en contacto?".into(),
        ask_missing: "¡Gracias! ¿Podrías compartir también {fields}?".into(),
        gate: "Antes de responder, por favor comparte {fields}.".into(),
        optional: " (y {optional}, si quieres)".into(),
        consent: "{consent} ¿Te parece bien?".into(),
        correction: "{field} {reason}. ¿Puedes revisarlo?".into(),
        reasons: owned([
            "parece incompleto",
            "no parece correcto",
            "no se puede aceptar",
            "no parece real",
        ]),
        country_code: "¿Podrías añadir el prefijo del país a ese número de teléfono (por ejemplo +34)?".into(),
        thanks: "Gracias: te contactaremos pronto.".into(),
        thanks_named: "Gracias, {name}: te contactaremos pronto.".into(),
        no_problem: "No hay problema.".into(),
    }
}

fn german() -> MessageCatalog {
    MessageCatalog {
        field_objects: owned(["Ihren Namen", "Ihre E-Mail-Adresse", "Ihre Telefonnummer"]),
        field_subjects: owned(["Der Name", "Die E-Mail-Adresse", "Die Telefonnummer"]),
        and: "und".into(),
        or: "oder".into(),
        ask_first_query: "Übrigens: Könnten Sie uns {fields} nennen, damit wir uns bei Ihnen melden können?".into(),
        ask_reminder: "Wenn wir uns bei Ihnen melden sollen, nennen Sie uns einfach {fields}.".into(),
        ask_interest: "Gern helfen wir weiter: Könnten Sie uns {fields} nennen, damit sich unser Team bei Ihnen meldet?"
            .into(),
        ask_every_reply: "Könnten Sie uns {fields} nennen, damit wir in Kontakt bleiben?".into(),
        ask_missing: "Danke! Könnten Sie uns auch {fields} nennen?".into(),
        gate: "Bevor ich antworten kann, nennen Sie uns bitte {fields}.".into(),
        optional: " (gern auch {optional})".into(),
        consent: "{consent} Sind Sie damit einverstanden?".into(),
        correction: "{field} {reason}. Könnten Sie das bitte prüfen?".into(),
        reasons: owned([
            "scheint unvollständig zu sein",
            "scheint nicht korrekt zu sein",
            "kann leider nicht akzeptiert werden",
            "scheint nicht echt zu sein",
        ]),
        country_code: "Könnten Sie bitte die Ländervorwahl zu dieser Telefonnummer hinzufügen (zum Beispiel +49)?".into(),
        thanks: "Danke – wir melden uns bei Ihnen.".into(),
        thanks_named: "Danke, {name} – wir melden uns bei Ihnen.".into(),
        no_problem: "Kein Problem.".into(),
    }
}

fn french() -> MessageCatalog {
    MessageCatalog {
        field_objects: owned(["votre nom", "votre adresse e-mail", "votre numéro de téléphone"]),
        field_subjects: owned(["Le nom", "L'e-mail", "Le numéro de téléphone"]),
        and: "et".into(),
        or: "ou".into(),
        ask_first_query:
            "Au fait, pourriez-vous nous indiquer {fields} afin que nous puissions vous recontacter ?".into(),
        ask_reminder: "Si vous souhaitez que nous vous recontactions, indiquez-nous simplement {fields}.".into(),
        ask_interest: "Avec plaisir ! Pourriez-vous nous indiquer {fields} pour que notre équipe vous recontacte ?"
            .into(),
        ask_every_reply: "Pourriez-vous nous indiquer {fields} pour que nous restions en contact ?".into(),
        ask_missing: "Merci ! Pourriez-vous aussi nous indiquer {fields} ?".into(),
        gate: "Avant de pouvoir répondre, merci de nous indiquer {fields}.".into(),
        optional: " (et {optional}, si vous le souhaitez)".into(),
        consent: "{consent} Êtes-vous d'accord ?".into(),
        correction: "{field} {reason}. Pouvez-vous vérifier ?".into(),
        reasons: owned([
            "semble incomplet",
            "ne semble pas correct",
            "ne peut pas être accepté",
            "ne semble pas réel",
        ]),
        country_code: "Pourriez-vous ajouter l'indicatif du pays à ce numéro de téléphone (par exemple +33) ?".into(),
        thanks: "Merci, nous vous recontacterons.".into(),
        thanks_named: "Merci, {name}, nous vous recontacterons.".into(),
        no_problem: "Pas de problème.".into(),
    }
}

fn portuguese() -> MessageCatalog {
    MessageCatalog {
        field_objects: owned(["seu nome", "seu e-mail", "seu número de telefone"]),
        field_subjects: owned(["O nome", "O e-mail", "O número de telefone"]),
        and: "e".into(),
        or: "ou".into(),
        ask_first_query:
            "A propósito, você poderia compartilhar {fields} para que possamos entrar em contato?"
                .into(),
        ask_reminder: "Se quiser que entremos em contato, é só compartilhar {fields}.".into(),
        ask_interest:
            "Com prazer! Você poderia compartilhar {fields} para que nossa equipe entre em contato?"
                .into(),
        ask_every_reply: "Você poderia compartilhar {fields} para mantermos contato?".into(),
        ask_missing: "Obrigado! Você poderia compartilhar também {fields}?".into(),
        gate: "Antes de responder, por favor compartilhe {fields}.".into(),
        optional: " (e {optional}, se quiser)".into(),
        consent: "{consent} Tudo bem para você?".into(),
        correction: "{field} {reason}. Pode verificar?".into(),
        reasons: owned([
            "parece incompleto",
            "não parece correto",
            "não pode ser aceito",
            "não parece real",
        ]),
        country_code:
            "Você poderia adicionar o código do país a esse número de telefone (por exemplo +55)?"
                .into(),
        thanks: "Obrigado! Entraremos em contato.".into(),
        thanks_named: "Obrigado, {name}! Entraremos em contato.".into(),
        no_problem: "Sem problema.".into(),
    }
}
