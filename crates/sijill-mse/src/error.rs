//! The error type of the engine: what is wrong with the input or the parameters.

/// Why an estimate could not be computed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MseError {
    /// Fewer than two lists (or occasions): capture–recapture needs overlaps.
    #[error("at least two lists are needed, got {0}")]
    TooFewLists(usize),
    /// More lists than the engine supports for this method.
    #[error("{lists} lists is more than {max} supported by {method}")]
    TooManyLists {
        /// Lists given.
        lists: usize,
        /// Maximum for the method.
        max: usize,
        /// The method.
        method: &'static str,
    },
    /// The capture pattern with no list at all cannot be observed.
    #[error("capture pattern {0} is in no list: the unobserved cell cannot have a count")]
    EmptyPattern(String),
    /// The same capture pattern was given twice.
    #[error("capture pattern {0} is given more than once")]
    DuplicatePattern(String),
    /// A pattern has the wrong number of lists.
    #[error("capture pattern has {got} entries, expected {expected}")]
    PatternLength {
        /// Entries given.
        got: usize,
        /// Lists expected.
        expected: usize,
    },
    /// Nobody was observed.
    #[error("no unit was observed (all counts are zero)")]
    NoObservations,
    /// A parameter is out of its domain.
    #[error("invalid parameter {name}: {reason}")]
    InvalidParameter {
        /// Parameter name.
        name: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// The model has more parameters than cells.
    #[error("model has {params} parameters for {cells} cells: not estimable")]
    NotEstimable {
        /// Parameters.
        params: usize,
        /// Observable cells.
        cells: usize,
    },
    /// The fit failed numerically.
    #[error("numerical failure: {0}")]
    Numerical(String),
}

pub(crate) fn invalid(name: &'static str, reason: impl Into<String>) -> MseError {
    MseError::InvalidParameter {
        name,
        reason: reason.into(),
    }
}
