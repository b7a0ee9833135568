//! One visitor turn, in three steps: decide what to do on the stored state,
//! commit it (deciding again when another server wrote first), and publish
//! what it produced.

use chrono::{DateTime, Utc};
use leadkit_core::{
    Conversation, Event, Field, KnownVisitor, Policy, Signals, TurnOutcome, UserTurn,
};
use leadkit_llm::{ChatMessage, TurnInput};
use leadkit_store::{
    LeadKey, LeadUpsert, Role, TranscriptMessage, TurnReceipt, TurnWrite, VersionedState,
};

use super::{Engine, Happened, LeadEvent, TurnReply, TurnSettings, Visit};
use crate::Error;

/// The state a turn is decided on, and whether it came from this engine's
/// cache (a conflict on a cached state is not counted as a retry).
struct StartState {
    state: Option<VersionedState>,
    from_cache: bool,
}

/// A turn decided on one version of the conversation's state, ready to be
/// written.
struct Decided {
    outcome: TurnOutcome,
    write: TurnWrite,
}

impl Engine {
    pub(super) async fn user_turn(&self, visit: &Visit, text: &str) -> Result<TurnReply, Error> {
        let settings = self
            .inner
            .policies
            .turn_settings(visit.workspace, visit.bot)
            .await?;
        let policy = &settings.policy;
        let stored = self.stored_state(visit).await?;
        // Whether the bot's last message asked for details changes what
        // "yes" or "no" mean. The message is read once, on the state the
        // turn starts from; a retry after a conflict keeps that reading.
        let request_pending = stored
            .state
            .as_ref()
            .is_some_and(|saved| saved.conversation.request_pending());
        let signals = self
            .analyze(visit, &settings, text, request_pending)
            .await?;
        let (decided, receipt) = self.commit(visit, policy, &signals, text, stored).await?;
        Ok(self.publish(visit, &settings, &signals, decided.outcome, receipt))
    }

    /// The conversation's state as this engine last saw it, or as stored.
    async fn stored_state(&self, visit: &Visit) -> Result<StartState, Error> {
        let inner = &self.inner;
        if let Some(state) = inner.states.get((visit.workspace, visit.conversation)) {
            return Ok(StartState {
                state: Some(state),
                from_cache: true,
            });
        }
        let state = inner
            .store
            .load_state(visit.workspace, visit.conversation)
            .await?;
        Ok(StartState {
            state,
            from_cache: false,
        })
    }

    /// The analyzer's reading of the message, with the window of earlier
    /// lines it asked for.
    async fn analyze(
        &self,
        visit: &Visit,
        settings: &TurnSettings,
        text: &str,
        request_pending: bool,
    ) -> Result<Signals, Error> {
        let inner = &self.inner;
        let history = if inner.transcript_window == 0 {
            Vec::new()
        } else {
            inner
                .store
                .recent_messages(visit.workspace, visit.conversation, inner.transcript_window)
                .await?
        };
        let transcript: Vec<ChatMessage> = history
            .iter()
            .map(|message| {
                let text = message.text.expose().as_str();
                match message.role {
                    Role::Visitor => ChatMessage::user(text),
                    Role::Assistant => ChatMessage::assistant(text),
                }
            })
            .collect();
        Ok(inner
            .analyzer
            .analyze(
                TurnInput::new(&settings.policy, text)
                    .with_transcript(&transcript)
                    .with_request_pending(request_pending)
                    .with_region(self.turn_region(visit, settings)),
            )
            .await?)
    }

    /// Decides and writes the turn: a compare-and-swap on the state's
    /// version, decided again on the stored state when it conflicts.
    async fn commit(
        &self,
        visit: &Visit,
        policy: &Policy,
        signals: &Signals,
        text: &str,
        start: StartState,
    ) -> Result<(Decided, TurnReceipt), Error> {
        let inner = &self.inner;
        let key = (visit.workspace, visit.conversation);
        let mut next = Some(start);
        let mut attempt = 0;
        loop {
            let StartState {
                state: stored,
                from_cache,
            } = match next.take() {
                Some(start) => start,
                None => self.stored_state(visit).await?,
            };
            let decided = self.decide(visit, policy, signals, text, stored).await?;
            match inner
                .store
                .persist_turn(visit.workspace, &decided.write)
                .await
            {
                Ok(receipt) => {
                    let state = VersionedState::new(decided.write.state.clone(), receipt.version);
                    inner.states.put(key, state);
                    return Ok((decided, receipt));
                }
                Err(error) => {
                    // Changed elsewhere, or not known to be written or not.
                    inner.states.forget(key);
                    match error {
                        leadkit_store::Error::VersionConflict { .. } if from_cache => {
                            // The cached state was not the stored one any
                            // more: decide again on the stored state (not a
                            // retry).
                            tracing::debug!("cached conversation state was stale; reading it");
                        }
                        leadkit_store::Error::VersionConflict { .. }
                            if attempt < inner.conflict_retries =>
                        {
                            // Another server handled a message of this
                            // conversation meanwhile: decide again on the
                            // fresh state.
                            attempt += 1;
                            tracing::debug!(
                                attempt,
                                "conversation state changed concurrently; retrying the turn"
                            );
                        }
                        error => return Err(error.into()),
                    }
                }
            }
        }
    }

    /// What the core decides on `stored` (or a new conversation), and the
    /// write that records it: the state, the visitor's line and any lead.
    async fn decide(
        &self,
        visit: &Visit,
        policy: &Policy,
        signals: &Signals,
        text: &str,
        stored: Option<VersionedState>,
    ) -> Result<Decided, Error> {
        let inner = &self.inner;
        let (mut conversation, version) = match stored {
            Some(saved) => (saved.conversation, Some(saved.version)),
            None => (Conversation::new(), None),
        };
        let now = self.now_for(&conversation);
        let verified = self.recognise_verified(visit, &mut conversation, now)?;
        self.recognise(visit, &mut conversation, now).await?;
        let outcome = conversation.handle_user_turn(policy, UserTurn::new(now, signals.clone()))?;

        let message =
            TranscriptMessage::new(visit.conversation, visit.bot, Role::Visitor, text, now);
        let mut write = TurnWrite::new(visit.conversation, conversation, version).message(message);
        if let Some(capture) = outcome.lead() {
            let mut upsert = LeadUpsert::new(
                inner.ids.new_lead_id(),
                visit.bot,
                capture.details.clone(),
                now,
            )
            .conversation(visit.conversation)
            // Only a verified visitor's details (a verified id, or details
            // the integrator passed in) may change a lead captured in
            // another conversation; others become a claim on it.
            .verified(visit.visitor.is_some() || visit.verified_details.is_some());
            if let Some(visitor) = &visit.visitor {
                upsert = upsert.visitor(visitor.id().clone());
            }
            if let Some(consent) = capture.consent.clone() {
                upsert = upsert.consent(consent);
            }
            write = write.lead(upsert);
        } else if let Some(upsert) = verified {
            // A signed-in visitor's lead, created or linked without asking.
            write = write.lead(upsert);
        }
        Ok(Decided { outcome, write })
    }

    /// Tells subscribers about the stored lead and renders the prompt.
    fn publish(
        &self,
        visit: &Visit,
        settings: &TurnSettings,
        signals: &Signals,
        outcome: TurnOutcome,
        receipt: TurnReceipt,
    ) -> TurnReply {
        let inner = &self.inner;
        let mut events = Vec::new();
        // A claim left someone else's lead unchanged: nothing to announce,
        // and that lead is not this visitor's to see (the reply carries no
        // lead, so code that greets the visitor by the lead's name cannot
        // show another person's).
        let claimed = receipt.lead.as_ref().is_some_and(|stored| stored.claimed);
        let lead = receipt.lead.filter(|stored| !stored.claimed).map(|stored| {
            let lead = Box::new(stored.lead.clone());
            events.push(if stored.created {
                LeadEvent::Created {
                    workspace: visit.workspace,
                    lead,
                }
            } else {
                LeadEvent::Updated {
                    workspace: visit.workspace,
                    lead,
                }
            });
            stored.lead
        });
        for event in &events {
            // No subscriber is not an error.
            let _ = inner.events.send(event.clone());
        }
        if outcome.events.iter().any(|e| matches!(e, Event::Declined)) {
            tracing::debug!("visitor declined to share details");
        }
        let locale = visit.language(settings);
        let prompt = self.render(locale, &outcome.action, settings);
        let happened = Happened::of(&settings.policy, &outcome, signals);
        let acknowledgement = happened.and_then(|happened| {
            let name = outcome
                .lead()
                .and_then(|capture| capture.details.get(Field::Name))
                .or_else(|| lead.as_ref().and_then(|l| l.details.get(Field::Name)));
            let catalog = self.catalog(locale)?;
            happened.acknowledgement(&outcome.action, catalog, name)
        });
        TurnReply {
            turn: outcome.turn,
            action: outcome.action,
            prompt,
            lead,
            events,
            claimed,
            happened,
            acknowledgement,
        }
    }

    /// The time for the next input: the clock, but never before the
    /// conversation's latest input (clocks step back; servers disagree).
    fn now_for(&self, conversation: &Conversation) -> DateTime<Utc> {
        let now = self.inner.clock.now();
        conversation
            .last_input_at()
            .map_or(now, |last| now.max(last))
    }

    /// Marks the conversation known when the visit carries a verified
    /// visitor who already has a lead.
    async fn recognise(
        &self,
        visit: &Visit,
        conversation: &mut Conversation,
        now: DateTime<Utc>,
    ) -> Result<(), Error> {
        let Some(visitor) = &visit.visitor else {
            return Ok(());
        };
        if conversation.is_known() {
            return Ok(());
        }
        let key = LeadKey::Visitor(visitor.id().clone());
        if let Some(lead) = self.inner.store.find_lead(visit.workspace, &key).await? {
            // The conversation is the lead's: link it, so that it shows on
            // the lead's page and goes when the lead is erased. (Linking
            // again, on a retried turn, changes nothing.)
            self.inner
                .store
                .link_conversation(visit.workspace, visit.conversation, lead.id)
                .await?;
            conversation
                .handle_known_visitor(now, KnownVisitor::new(Some(lead.id), lead.details))?;
        }
        Ok(())
    }
}
