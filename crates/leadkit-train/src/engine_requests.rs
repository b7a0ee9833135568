//! The intent analyzer recognises every request leadkit-engine's built-in
//! messages make, in every locale, as a request for details, so that a
//! "yes" or "no" right after one is read as consent or a decline even when
//! the caller does not say a request is pending.

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Duration, Utc};
    use leadkit_core::{
        Action, ContactDetails, Conversation, Field, InvalidReason, Policy, Signals, UserTurn,
    };
    use leadkit_engine::messages::{Locale, MessageCatalog};
    use leadkit_llm::{ChatMessage, IntentAnalyzer, TurnInput};

    const NOTICE: &str = "We will use these details only to follow up on this conversation.";

    /// Every request text (asks and gates; corrections ask to check a value,
    /// not for details or consent) a short conversation under `policy`
    /// produces.
    fn requests(policy: &Policy, catalog: &MessageCatalog) -> Vec<String> {
        let t0 = DateTime::<Utc>::UNIX_EPOCH;
        let steps = [
            Signals::none().with_interest(1.0),
            Signals::none().with_invalid(Field::Email, InvalidReason::Incomplete),
            Signals::none().with_details(ContactDetails::new().with_email("ana@example.com")),
            Signals::none(),
            Signals::none(),
            Signals::none(),
            Signals::none().with_interest(1.0),
        ];
        let mut conversation = Conversation::new();
        let mut texts = Vec::new();
        for (i, signals) in steps.into_iter().enumerate() {
            let at = t0 + Duration::minutes(i as i64);
            let Ok(outcome) = conversation.handle_user_turn(policy, UserTurn::new(at, signals))
            else {
                continue;
            };
            if let Action::AnswerAndAsk(request) | Action::Gate(request) = &outcome.action {
                texts.push(catalog.request(request, NOTICE));
            }
            let _ = conversation.handle_assistant_reply(at + Duration::seconds(1));
        }
        texts
    }

    #[test]
    fn every_built_in_request_is_read_as_a_request() {
        let analyzer = IntentAnalyzer::new();
        let policies = [
            Policy::after_first_query(),
            Policy::on_interest(),
            Policy::every_reply(),
            Policy::before_chat(),
            Policy::on_interest().with_required_consent(NOTICE, "v1"),
            Policy::after_first_query().with_required_consent(NOTICE, "v1"),
        ];
        let mut seen = 0;
        for locale in Locale::ALL {
            let catalog = MessageCatalog::builtin(locale);
            for policy in &policies {
                for text in requests(policy, &catalog) {
                    seen += 1;
                    let transcript = [ChatMessage::assistant(text.clone())];
                    let input = TurnInput::new(policy, "ok").with_transcript(&transcript);
                    assert!(
                        analyzer.assess_turn(&input).answers_request,
                        "{locale:?}: not read as a request: {text}"
                    );
                }
            }
        }
        assert!(seen >= 5 * 8, "only {seen} requests rendered");
    }

    #[test]
    fn an_assistant_answer_is_not_a_request() {
        let analyzer = IntentAnalyzer::new();
        let policy = Policy::on_interest();
        for text in [
            "Our office is open from 9 to 5. Anything else?",
            "The Pro plan costs 49 euros per month.",
            "Nuestro horario es de 9 a 17.",
        ] {
            let transcript = [ChatMessage::assistant(text)];
            let input = TurnInput::new(&policy, "yes").with_transcript(&transcript);
            let assessment = analyzer.assess_turn(&input);
            assert!(
                !assessment.answers_request && !assessment.signals.consent,
                "{text}"
            );
        }
    }
}
