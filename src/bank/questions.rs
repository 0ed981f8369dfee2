//! The questions about the story as the analysts' page, the forms and the command line see them: the
//! file's text with the version it was read at, the checked set, the questions to ask with one story,
//! and replacing the file in one call that checks it first (its places against the bank, its versions
//! against the stored set, and that no question with answers is left out) and then stores it only
//! while nobody else changed it in between.

use std::collections::BTreeMap;

use super::Bank;
use crate::ids::{QuestionId, RoundId, SessionId, StatementId, SubgoalId};
use crate::questions::{Answers, Problem, Question, QuestionSet, References};
use crate::store::{Update, Versioned};
use crate::story::receipt::ReceiptCode;
use crate::story::{Moderation, Story};

/// What replacing the questions file did.
#[derive(Debug, Clone, PartialEq)]
pub enum QuestionsSaved {
    /// Stored; the file is now at this version and holds this many questions.
    Saved { version: u64, questions: usize },
    /// The text has problems; nothing was stored.
    Invalid(Vec<Problem>),
    /// Someone else changed the file after the version the change was made from; nothing was
    /// stored. The file as it is now.
    Changed(Versioned<String>),
}

impl Bank {
    /// The questions file's text and version; an empty text at version 0 when there is none.
    pub fn questions_text(&self) -> anyhow::Result<Versioned<String>> {
        Ok(self.store.questions()?.unwrap_or(Versioned {
            item: String::new(),
            version: 0,
        }))
    }

    /// The bank's own questions (the statements not among them), checked. A stored file is checked
    /// before it is stored, so it always reads; should it not, there are no questions, and the log
    /// says so.
    pub fn question_set(&self) -> anyhow::Result<QuestionSet> {
        let Some(stored) = self.store.questions()? else {
            return Ok(QuestionSet::default());
        };
        Ok(
            QuestionSet::from_toml(&stored.item).unwrap_or_else(|problems| {
                tracing::warn!(
                    problems = problems.len(),
                    "the stored questions file does not read"
                );
                QuestionSet::default()
            }),
        )
    }

    /// Every question a story may have answered, statements included: for tables and patterns.
    pub fn all_questions(&self) -> anyhow::Result<Vec<Question>> {
        let settings = self.settings()?;
        Ok(self.question_set()?.with_statements(&settings.goals))
    }

    /// The questions to ask with a story about `subgoals`, told for `round` or in `session`.
    pub fn questions_for(
        &self,
        subgoals: &[SubgoalId],
        round: Option<&RoundId>,
        session: Option<&SessionId>,
    ) -> anyhow::Result<Vec<Question>> {
        let settings = self.settings()?;
        Ok(self
            .question_set()?
            .asked(&settings.goals, subgoals, round, session))
    }

    /// Replaces the questions file with `text`, made from the file at version `read_at`.
    pub fn replace_questions(&self, text: &str, read_at: u64) -> anyhow::Result<QuestionsSaved> {
        // Checked first, as the checks below compare with the stored set, which the analyst has not
        // seen when someone else changed it; the store checks it again when it writes.
        if self.store.questions_version()? != read_at {
            return Ok(QuestionsSaved::Changed(self.questions_text()?));
        }
        let settings = self.settings()?;
        let (sessions, rounds) = self.linkable_ids()?;
        let references = References {
            goals: &settings.goals,
            sessions: &sessions,
            rounds: &rounds,
        };
        let previous = self.question_set()?;
        let set = match QuestionSet::check(text, Some(references), Some(&previous)) {
            Ok(set) => set,
            Err(problems) => return Ok(QuestionsSaved::Invalid(problems)),
        };
        let removed: Vec<&QuestionId> = previous
            .questions
            .iter()
            .map(|question| &question.id)
            .filter(|id| set.get(id).is_none())
            .collect();
        if !removed.is_empty() {
            let answered = self.answer_counts()?;
            let problems: Vec<Problem> = removed
                .into_iter()
                .filter_map(|id| {
                    answered
                        .get(id)
                        .map(|stories| Problem::removed(id, *stories))
                })
                .collect();
            if !problems.is_empty() {
                return Ok(QuestionsSaved::Invalid(problems));
            }
        }
        Ok(match self.store.set_questions_checked(text, read_at)? {
            Update::Done { version } => {
                tracing::info!(
                    version,
                    questions = set.questions.len(),
                    "questions changed"
                );
                QuestionsSaved::Saved {
                    version,
                    questions: set.questions.len(),
                }
            }
            Update::Stale | Update::Missing => QuestionsSaved::Changed(self.questions_text()?),
        })
    }

    /// How many stories have an answer to each question of the file.
    fn answer_counts(&self) -> anyhow::Result<BTreeMap<QuestionId, usize>> {
        let mut counts = BTreeMap::new();
        for story in self.store.stories() {
            for (id, _) in story?.answers.iter() {
                *counts.entry(id.clone()).or_insert(0) += 1;
            }
        }
        Ok(counts)
    }
}

/// What answering the questions with a receipt code came to.
#[derive(Debug, Clone, PartialEq)]
pub enum Answered {
    /// Stored with the story.
    Saved,
    /// The code belongs to no story.
    Unknown,
    /// The story has been moderated since: what the moderator read stays as it was.
    Moderated,
}

impl Bank {
    /// The questions to ask with this story: those of the bank, its subgoals, round and session.
    pub fn questions_for_story(&self, story: &Story) -> anyhow::Result<Vec<Question>> {
        self.questions_for(
            &story.subgoals,
            story.round.as_ref(),
            story.session.as_ref(),
        )
    }

    /// The teller answers the questions about their story with its receipt code, right after
    /// telling it: the answers given replace earlier ones to the same questions. Only while the story
    /// waits for moderation.
    pub fn answer_by_receipt(
        &self,
        code: &ReceiptCode,
        answers: &Answers,
        scores: &BTreeMap<StatementId, u8>,
    ) -> anyhow::Result<Answered> {
        let changed = self.change_by_receipt(code, |story| {
            if story.moderation != Moderation::Submitted {
                return Err(Answered::Moderated);
            }
            for (question, answer) in answers.iter() {
                story.answers.insert(question.clone(), answer.clone());
            }
            story
                .scores
                .extend(scores.iter().map(|(id, score)| (id.clone(), *score)));
            Ok(())
        })?;
        Ok(match changed {
            Some((story, Ok(()))) => {
                tracing::info!(story = %story.id, answers = answers.len() + scores.len(), "questions answered by the teller");
                Answered::Saved
            }
            Some((_, Err(answered))) => answered,
            None => Answered::Unknown,
        })
    }
}
