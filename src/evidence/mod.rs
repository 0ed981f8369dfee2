//! Counted evidence: measurements (metingen) of indicators per period and area.
//!
//! Domain only, no IO: the figures themselves, the counted side of an indicator's evidence
//! ([`counted`]) and the signals that come from reading counted and told evidence together ([`signals`]).

pub mod counted;
pub mod period;
pub mod signals;
pub mod statements;

pub use counted::{CountedEvidence, EvidenceFilter, Trend, counted_evidence};
pub use period::Period;
pub use signals::{Signal, ToldSummary, signals};

use serde::{Deserialize, Serialize};

use crate::ids::{AreaId, IndicatorId};

/// One figure for one indicator, period and area.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Measurement {
    pub indicator: IndicatorId,
    pub period: Period,
    /// `None` is the whole municipality.
    pub area: Option<AreaId>,
    pub value: f64,
    /// For a share: the count it is made of (for example respondents who agree).
    pub numerator: Option<f64>,
    /// For a share: the group it is a share of (for example all respondents).
    pub denominator: Option<f64>,
    /// Where the figure comes from; `None` means the indicator's own source.
    pub source: Option<String>,
}

impl Measurement {
    /// The key that makes a figure unique: one value per indicator, period and area.
    pub fn key(&self) -> (IndicatorId, Period, Option<AreaId>) {
        (self.indicator.clone(), self.period, self.area.clone())
    }
}
