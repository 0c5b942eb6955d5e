//! Operation rules on the shop floor (docs/shop-floor.md, "Statuses", "Transfer batches",
//! "Scrap and rework").
//!
//! - Statuses `a_faire` → `en_cours` ⇄ `en_pause` → `termine`; several operators may work on one
//!   operation, each with his own session; it is `en_cours` while one session is open.
//! - Transfer batches: an operation processes the good parts of the previous one (the job's
//!   quantity for the first); good + scrap declared never exceed that input.
//! - Scrap cost = scrapped × (material per part + Σ over the operations up to this one of
//!   (setup / lot quantity + run) × hourly rate / 60), rounded half-up to the cent.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

/// Status of an operation (`job_operations.status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OpStatus {
    AFaire,
    EnCours,
    EnPause,
    Termine,
}

impl OpStatus {
    pub const ALL: [OpStatus; 4] = [
        OpStatus::AFaire,
        OpStatus::EnCours,
        OpStatus::EnPause,
        OpStatus::Termine,
    ];

    /// Stored code: `a_faire`, `en_cours`, `en_pause`, `termine`.
    pub fn code(self) -> &'static str {
        match self {
            OpStatus::AFaire => "a_faire",
            OpStatus::EnCours => "en_cours",
            OpStatus::EnPause => "en_pause",
            OpStatus::Termine => "termine",
        }
    }

    pub fn parse(s: &str) -> Option<OpStatus> {
        OpStatus::ALL.into_iter().find(|st| st.code() == s)
    }

    /// French label for the UI.
    pub fn label_fr(self) -> &'static str {
        match self {
            OpStatus::AFaire => "À faire",
            OpStatus::EnCours => "En cours",
            OpStatus::EnPause => "En pause",
            OpStatus::Termine => "Terminée",
        }
    }

    /// English label.
    pub fn label_en(self) -> &'static str {
        match self {
            OpStatus::AFaire => "To do",
            OpStatus::EnCours => "In progress",
            OpStatus::EnPause => "Paused",
            OpStatus::Termine => "Finished",
        }
    }
}

/// What an operator does on an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OpAction {
    Start,
    Pause,
    Resume,
    Report,
    Finish,
}

impl OpAction {
    pub const ALL: [OpAction; 5] = [
        OpAction::Start,
        OpAction::Pause,
        OpAction::Resume,
        OpAction::Report,
        OpAction::Finish,
    ];
}

/// Why an action or a quantity is refused.
/// Deserialize is implemented by hand (through an owned twin) so that it does not require
/// `'static` input because of the `&'static str` field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum FlowError {
    AlreadyFinished,
    NotStarted,
    AlreadyRunning,
    NotRunning,
    /// Nothing left to process: the previous operation has delivered no good part yet, or
    /// every part received has already been declared.
    NothingToProcess,
    /// `field` is the request field in error (`good`, `scrap`, `rework`…).
    NegativeQuantity {
        field: &'static str,
    },
    /// `already` (good + scrap declared before) + `wanted` (this declaration) > `input`.
    TooMany {
        input: i64,
        already: i64,
        wanted: i64,
    },
    ReasonRequired,
}

const FIELDS: [&str; 7] = [
    "input",
    "done_good",
    "done_scrap",
    "good",
    "scrap",
    "rework",
    "quantity",
];

/// Same shape as [`FlowError`] with an owned field name, so that deserializing does not
/// borrow the input for `'static`.
#[derive(Deserialize)]
enum FlowErrorRepr {
    AlreadyFinished,
    NotStarted,
    AlreadyRunning,
    NotRunning,
    NothingToProcess,
    NegativeQuantity {
        field: String,
    },
    TooMany {
        input: i64,
        already: i64,
        wanted: i64,
    },
    ReasonRequired,
}

impl<'de> Deserialize<'de> for FlowError {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        FlowErrorRepr::deserialize(d).map(FlowError::from)
    }
}

impl From<FlowErrorRepr> for FlowError {
    fn from(r: FlowErrorRepr) -> Self {
        match r {
            FlowErrorRepr::AlreadyFinished => FlowError::AlreadyFinished,
            FlowErrorRepr::NotStarted => FlowError::NotStarted,
            FlowErrorRepr::AlreadyRunning => FlowError::AlreadyRunning,
            FlowErrorRepr::NotRunning => FlowError::NotRunning,
            FlowErrorRepr::NothingToProcess => FlowError::NothingToProcess,
            FlowErrorRepr::NegativeQuantity { field } => FlowError::NegativeQuantity {
                field: FIELDS
                    .into_iter()
                    .find(|f| *f == field)
                    .unwrap_or("quantity"),
            },
            FlowErrorRepr::TooMany {
                input,
                already,
                wanted,
            } => FlowError::TooMany {
                input,
                already,
                wanted,
            },
            FlowErrorRepr::ReasonRequired => FlowError::ReasonRequired,
        }
    }
}

fn field_fr(field: &str) -> &'static str {
    match field {
        "good" => "bonnes",
        "scrap" => "rebuts",
        "rework" => "à retoucher",
        "input" => "pièces disponibles",
        "done_good" => "bonnes déjà déclarées",
        "done_scrap" => "rebuts déjà déclarés",
        _ => "quantité",
    }
}

fn field_en(field: &str) -> &'static str {
    match field {
        "good" => "good",
        "scrap" => "scrap",
        "rework" => "rework",
        "input" => "parts available",
        "done_good" => "good already reported",
        "done_scrap" => "scrap already reported",
        _ => "quantity",
    }
}

impl FlowError {
    /// Stable code (snake_case) for the API error.
    pub fn code(&self) -> &'static str {
        match self {
            FlowError::AlreadyFinished => "operation_already_finished",
            FlowError::NotStarted => "operation_not_started",
            FlowError::AlreadyRunning => "operation_already_running",
            FlowError::NotRunning => "operation_not_running",
            FlowError::NothingToProcess => "nothing_to_process",
            FlowError::NegativeQuantity { .. } => "negative_quantity",
            FlowError::TooMany { .. } => "too_many_parts",
            FlowError::ReasonRequired => "reason_required",
        }
    }

    /// The request field a 422 error points at, if any.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            FlowError::NegativeQuantity { field } => Some(field),
            FlowError::TooMany { .. } => Some("good"),
            FlowError::ReasonRequired => Some("reason"),
            _ => None,
        }
    }

    /// Message in French.
    pub fn fr(&self) -> String {
        match self {
            FlowError::AlreadyFinished => {
                "Cette opération est déjà terminée : plus aucune action n'est possible.".into()
            }
            FlowError::NotStarted => {
                "Action impossible sur une opération jamais démarrée : démarrez-la d'abord.".into()
            }
            FlowError::AlreadyRunning => {
                "Vous travaillez déjà sur cette opération (session en cours).".into()
            }
            FlowError::NotRunning => {
                "Vous n'avez pas de session en cours sur cette opération : rien à mettre en pause."
                    .into()
            }
            FlowError::NothingToProcess => {
                "Rien à traiter : l'opération précédente n'a pas encore livré de pièces bonnes, \
                 ou toutes les pièces reçues ont déjà été déclarées."
                    .into()
            }
            FlowError::NegativeQuantity { field } => format!(
                "Quantité négative refusée ({}) : saisissez 0 ou plus.",
                field_fr(field)
            ),
            FlowError::TooMany {
                input,
                already,
                wanted,
            } => format!(
                "Trop de pièces : {already} déjà déclarée(s) + {wanted} maintenant = {} \
                 (bonnes + rebuts), pour {input} pièce(s) disponible(s) à cette opération.",
                already + wanted
            ),
            FlowError::ReasonRequired => {
                "Motif obligatoire : choisissez-le dans la liste (et précisez-le pour « Autre »)."
                    .into()
            }
        }
    }

    /// Message in English.
    pub fn en(&self) -> String {
        match self {
            FlowError::AlreadyFinished => {
                "This operation is already finished: no further action is possible.".into()
            }
            FlowError::NotStarted => {
                "Not possible on an operation never started: start it first.".into()
            }
            FlowError::AlreadyRunning => {
                "You are already working on this operation (session open).".into()
            }
            FlowError::NotRunning => {
                "You have no open session on this operation: nothing to pause.".into()
            }
            FlowError::NothingToProcess => {
                "Nothing to process: the previous operation has not delivered good parts yet, \
                 or every part received has already been reported."
                    .into()
            }
            FlowError::NegativeQuantity { field } => format!(
                "Negative quantity refused ({}): enter 0 or more.",
                field_en(field)
            ),
            FlowError::TooMany {
                input,
                already,
                wanted,
            } => format!(
                "Too many parts: {already} already reported + {wanted} now = {} (good + scrap), \
                 for {input} part(s) available at this operation.",
                already + wanted
            ),
            FlowError::ReasonRequired => {
                "Reason required: pick one from the list (and describe it for \"Other\").".into()
            }
        }
    }
}

impl std::fmt::Display for FlowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.fr())
    }
}

impl std::error::Error for FlowError {}

/// Status after `action`. `my_open`: this operator has an open session on the operation;
/// `others_open`: other operators have one.
///
/// | action | refused when | result |
/// |---|---|---|
/// | Start | termine → AlreadyFinished; my_open → AlreadyRunning | en_cours |
/// | Resume | termine → AlreadyFinished; a_faire → NotStarted; my_open → AlreadyRunning | en_cours |
/// | Pause | termine → AlreadyFinished; !my_open → NotRunning | en_cours if others_open else en_pause |
/// | Report | termine → AlreadyFinished; a_faire → NotStarted | unchanged |
/// | Finish | a_faire → NotStarted; termine → AlreadyFinished | termine |
pub fn transition(
    status: OpStatus,
    action: OpAction,
    my_open: bool,
    others_open: bool,
) -> Result<OpStatus, FlowError> {
    use OpAction::*;
    use OpStatus::*;
    match action {
        Start => {
            if status == Termine {
                Err(FlowError::AlreadyFinished)
            } else if my_open {
                Err(FlowError::AlreadyRunning)
            } else {
                Ok(EnCours)
            }
        }
        Resume => {
            if status == Termine {
                Err(FlowError::AlreadyFinished)
            } else if status == AFaire {
                Err(FlowError::NotStarted)
            } else if my_open {
                Err(FlowError::AlreadyRunning)
            } else {
                Ok(EnCours)
            }
        }
        Pause => {
            if status == Termine {
                Err(FlowError::AlreadyFinished)
            } else if !my_open {
                Err(FlowError::NotRunning)
            } else if others_open {
                Ok(EnCours)
            } else {
                Ok(EnPause)
            }
        }
        Report => match status {
            Termine => Err(FlowError::AlreadyFinished),
            AFaire => Err(FlowError::NotStarted),
            s => Ok(s),
        },
        Finish => match status {
            AFaire => Err(FlowError::NotStarted),
            Termine => Err(FlowError::AlreadyFinished),
            _ => Ok(Termine),
        },
    }
}

/// Parts an operation can process: the previous operation's good parts, or the job's quantity
/// for the first operation (`previous_good = None`). Never negative.
pub fn input_available(previous_good: Option<i64>, job_input: i64) -> i64 {
    previous_good.unwrap_or(job_input).max(0)
}

/// An operation can start only if parts are left to process: `input − done_good − done_scrap > 0`.
pub fn can_start(input: i64, done_good: i64, done_scrap: i64) -> Result<(), FlowError> {
    if input - done_good - done_scrap <= 0 {
        Err(FlowError::NothingToProcess)
    } else {
        Ok(())
    }
}

/// Checks a declaration of `good`, `scrap` and `rework` parts on an operation whose input is
/// `input` and that already has `done_good` and `done_scrap`. Rework parts are not counted in
/// the input (they come back to the same operation).
pub fn check_quantities(
    input: i64,
    done_good: i64,
    done_scrap: i64,
    good: i64,
    scrap: i64,
    rework: i64,
) -> Result<(), FlowError> {
    for (field, v) in [
        ("good", good),
        ("scrap", scrap),
        ("rework", rework),
        ("input", input),
        ("done_good", done_good),
        ("done_scrap", done_scrap),
    ] {
        if v < 0 {
            return Err(FlowError::NegativeQuantity { field });
        }
    }
    let already = done_good.saturating_add(done_scrap);
    let wanted = good.saturating_add(scrap);
    if already.saturating_add(wanted) > input {
        return Err(FlowError::TooMany {
            input,
            already,
            wanted,
        });
    }
    Ok(())
}

/// A declaration with scrap or rework needs a reason (from the `scrap_reasons` list).
pub fn check_scrap_reason(scrap: i64, rework: i64, reason: Option<&str>) -> Result<(), FlowError> {
    let missing = reason.is_none_or(|r| r.trim().is_empty());
    if (scrap > 0 || rework > 0) && missing {
        Err(FlowError::ReasonRequired)
    } else {
        Ok(())
    }
}

/// Time and rate of one operation, for the scrap cost.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CostStep {
    /// Run time per part (minutes).
    pub run_min: Decimal,
    /// Setup time for the lot (minutes).
    pub setup_min: Decimal,
    /// Machine (or work centre) hourly rate, in cents.
    pub rate_cents_per_hour: i64,
}

/// Cost in cents of `scrapped` parts at an operation: material per part plus the machine time
/// spent on them by the operations up to this one (setup spread over `lot_qty`), rounded
/// half-up to the cent. `lot_qty <= 0` counts as 1; `scrapped <= 0` costs nothing.
pub fn scrap_cost_cents(
    material_per_part_cents: i64,
    steps_up_to_here: &[CostStep],
    lot_qty: i64,
    scrapped: i64,
) -> i64 {
    if scrapped <= 0 {
        return 0;
    }
    let lot = Decimal::from(lot_qty.max(1));
    let sixty = Decimal::from(60);
    let per_part_machine: Decimal = steps_up_to_here
        .iter()
        .map(|s| (s.setup_min / lot + s.run_min) * Decimal::from(s.rate_cents_per_hour) / sixty)
        .sum();
    let total =
        Decimal::from(scrapped) * (Decimal::from(material_per_part_cents) + per_part_machine);
    total
        .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
        .to_i64()
        .unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::OpAction::*;
    use super::OpStatus::*;
    use super::*;

    /// The whole table: (status, action, my_open, others_open) → expected.
    fn expected(
        status: OpStatus,
        action: OpAction,
        my_open: bool,
        others_open: bool,
    ) -> Result<OpStatus, FlowError> {
        use FlowError::*;
        match (action, status) {
            (_, Termine) if action != Finish => Err(AlreadyFinished),
            (Start, _) if my_open => Err(AlreadyRunning),
            (Start, _) => Ok(EnCours),
            (Resume, AFaire) => Err(NotStarted),
            (Resume, _) if my_open => Err(AlreadyRunning),
            (Resume, _) => Ok(EnCours),
            (Pause, _) if !my_open => Err(NotRunning),
            (Pause, _) if others_open => Ok(EnCours),
            (Pause, _) => Ok(EnPause),
            (Report, AFaire) => Err(NotStarted),
            (Report, s) => Ok(s),
            (Finish, AFaire) => Err(NotStarted),
            (Finish, Termine) => Err(AlreadyFinished),
            (Finish, _) => Ok(Termine),
        }
    }

    #[test]
    fn exhaustive_transition_table() {
        let mut n = 0;
        for status in OpStatus::ALL {
            for action in OpAction::ALL {
                for my_open in [false, true] {
                    for others_open in [false, true] {
                        assert_eq!(
                            transition(status, action, my_open, others_open),
                            expected(status, action, my_open, others_open),
                            "{status:?} {action:?} my_open={my_open} others_open={others_open}"
                        );
                        n += 1;
                    }
                }
            }
        }
        assert_eq!(n, 80);
    }

    #[test]
    fn explicit_cases() {
        assert_eq!(transition(AFaire, Start, false, false), Ok(EnCours));
        assert_eq!(transition(EnCours, Start, false, true), Ok(EnCours));
        assert_eq!(transition(EnPause, Start, false, false), Ok(EnCours));
        assert_eq!(
            transition(AFaire, Resume, false, false),
            Err(FlowError::NotStarted)
        );
        assert_eq!(transition(EnCours, Pause, true, true), Ok(EnCours));
        assert_eq!(transition(EnCours, Pause, true, false), Ok(EnPause));
        assert_eq!(
            transition(EnCours, Pause, false, true),
            Err(FlowError::NotRunning)
        );
        assert_eq!(transition(EnPause, Report, false, false), Ok(EnPause));
        assert_eq!(transition(EnPause, Finish, false, false), Ok(Termine));
        let e = transition(AFaire, Finish, false, false).unwrap_err();
        assert_eq!(e, FlowError::NotStarted);
        assert!(e.fr().contains("jamais démarrée"), "{}", e.fr());
        assert!(e.en().contains("never started"));
        assert_eq!(
            transition(Termine, Finish, false, false),
            Err(FlowError::AlreadyFinished)
        );
    }

    #[test]
    fn status_codes_round_trip() {
        for s in OpStatus::ALL {
            assert_eq!(OpStatus::parse(s.code()), Some(s));
            assert_eq!(
                serde_json::to_string(&s).unwrap(),
                format!("\"{}\"", s.code())
            );
        }
        assert_eq!(OpStatus::parse("fini"), None);
    }

    #[test]
    fn transfer_batches() {
        assert_eq!(input_available(None, 50), 50);
        assert_eq!(input_available(Some(12), 50), 12);
        assert_eq!(input_available(Some(0), 50), 0);
        assert_eq!(input_available(Some(-3), 50), 0);
        assert_eq!(can_start(12, 0, 0), Ok(()));
        assert_eq!(can_start(12, 10, 2), Err(FlowError::NothingToProcess));
        let e = can_start(0, 0, 0).unwrap_err();
        assert!(
            e.fr()
                .contains("l'opération précédente n'a pas encore livré")
        );
        assert!(e.en().contains("previous operation has not delivered"));
    }

    #[test]
    fn quantities() {
        assert_eq!(check_quantities(10, 3, 1, 5, 1, 2), Ok(()));
        assert_eq!(check_quantities(10, 3, 1, 6, 0, 0), Ok(()));
        let e = check_quantities(10, 3, 1, 6, 1, 0).unwrap_err();
        assert_eq!(
            e,
            FlowError::TooMany {
                input: 10,
                already: 4,
                wanted: 7
            }
        );
        assert_eq!(
            e.fr(),
            "Trop de pièces : 4 déjà déclarée(s) + 7 maintenant = 11 (bonnes + rebuts), pour 10 \
             pièce(s) disponible(s) à cette opération."
        );
        assert_eq!(
            check_quantities(10, 0, 0, 1, -1, 0),
            Err(FlowError::NegativeQuantity { field: "scrap" })
        );
        let e = check_quantities(10, 0, 0, 1, 0, -2).unwrap_err();
        assert_eq!(e.field(), Some("rework"));
        assert!(e.fr().contains("à retoucher"));
        let back: FlowError = serde_json::from_str(&serde_json::to_string(&e).unwrap()).unwrap();
        assert_eq!(back, e);
        assert_eq!(
            check_scrap_reason(1, 0, None),
            Err(FlowError::ReasonRequired)
        );
        assert_eq!(
            check_scrap_reason(0, 1, Some("  ")),
            Err(FlowError::ReasonRequired)
        );
        assert_eq!(check_scrap_reason(1, 0, Some("bavure")), Ok(()));
        assert_eq!(check_scrap_reason(0, 0, None), Ok(()));
    }

    #[test]
    fn scrap_cost() {
        // Material 12.50 €/part; op 10: setup 30 min for 20 parts + 2 min/part at 60 €/h
        // → (1.5 + 2) × 100 = 350 c; op 20: 0 + 1.25 min at 45 €/h → 93.75 c.
        // Per part: 1250 + 350 + 93.75 = 1693.75; × 3 = 5081.25 → 5081.
        let steps = vec![
            CostStep {
                run_min: Decimal::from(2),
                setup_min: Decimal::from(30),
                rate_cents_per_hour: 6000,
            },
            CostStep {
                run_min: Decimal::new(125, 2),
                setup_min: Decimal::ZERO,
                rate_cents_per_hour: 4500,
            },
        ];
        assert_eq!(scrap_cost_cents(1250, &steps, 20, 3), 5081);
        // Half a cent rounds up: 0.5 min at 60 c/h = 0.5 c.
        let half = vec![CostStep {
            run_min: Decimal::new(5, 1),
            setup_min: Decimal::ZERO,
            rate_cents_per_hour: 60,
        }];
        assert_eq!(scrap_cost_cents(0, &half, 1, 1), 1);
        assert_eq!(scrap_cost_cents(1250, &steps, 20, 0), 0);
        assert_eq!(scrap_cost_cents(1250, &[], 0, 2), 2500);
    }
}
