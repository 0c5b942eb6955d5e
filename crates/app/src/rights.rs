//! Rights: roles × modules × actions, editable by the admin, checked in one place
//! ([`crate::ctx::Principal::require`]) with row rules on top ([`row_scope`]).

use crate::audit;
use crate::ctx::{Ctx, Principal};
use crate::error::{AppError, Validator};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use usinage_store::Db;
use usinage_store::entities::role_right;

macro_rules! code_enum {
    ($name:ident { $($variant:ident = $code:literal, $fr:literal, $en:literal $(, $extra:expr)?;)* }) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),* }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];
            pub fn code(self) -> &'static str { match self { $($name::$variant => $code),* } }
            pub fn label_fr(self) -> &'static str { match self { $($name::$variant => $fr),* } }
            pub fn label_en(self) -> &'static str { match self { $($name::$variant => $en),* } }
            pub fn parse(s: &str) -> Option<$name> { match s { $($code => Some($name::$variant),)* _ => None } }
        }
    };
}

code_enum!(Role {
    Admin = "admin", "Administrateur", "Administrator";
    Direction = "direction", "Direction", "Management";
    ChefAtelier = "chef_atelier", "Chef d'atelier", "Shop foreman";
    Methode = "methode", "Méthodes", "Methods engineer";
    Qualite = "qualite", "Qualité", "Quality";
    Commercial = "commercial", "Commercial", "Sales";
    Comptabilite = "comptabilite", "Comptabilité", "Accounting";
    Operateur = "operateur", "Opérateur", "Operator";
});

code_enum!(Module {
    Users = "users", "Utilisateurs", "Users";
    Hr = "hr", "RH", "HR";
    Crm = "crm", "Clients & fournisseurs", "Customers & suppliers";
    Quotes = "quotes", "Devis / chiffrage", "Quotes";
    Orders = "orders", "Commandes", "Orders";
    Routings = "routings", "Gammes", "Routings";
    MethodSheets = "method_sheets", "Fiches méthode", "Method sheets";
    Machines = "machines", "Machines", "Machines";
    Programs = "programs", "Programmes CN", "NC programs";
    Tools = "tools", "Outils", "Tools";
    Materials = "materials", "Matières", "Materials";
    Instruments = "instruments", "Instruments de contrôle", "Measuring instruments";
    Quality = "quality", "Qualité", "Quality";
    Planning = "planning", "Planning", "Planning";
    TimeTracking = "time_tracking", "Pointage", "Time tracking";
    Maintenance = "maintenance", "Maintenance", "Maintenance";
    Invoicing = "invoicing", "Facturation", "Invoicing";
    Finance = "finance", "Finance", "Finance";
    Statistics = "statistics", "Statistiques", "Statistics";
    Integrations = "integrations", "Intégrations", "Integrations";
    Robots = "robots", "Robots & caméras", "Robots & cameras";
    System = "system", "Système", "System";
});

code_enum!(Action {
    Read = "read", "Lire", "Read";
    Create = "create", "Créer", "Create";
    Update = "update", "Modifier", "Update";
    Delete = "delete", "Supprimer", "Delete";
    Validate = "validate", "Valider", "Validate";
});

impl Action {
    pub fn label_fr_verb(self) -> &'static str {
        match self {
            Action::Read => "consulter",
            Action::Create => "créer",
            Action::Update => "modifier",
            Action::Delete => "supprimer",
            Action::Validate => "valider",
        }
    }
    pub fn label_en_verb(self) -> &'static str {
        match self {
            Action::Read => "read",
            Action::Create => "create",
            Action::Update => "update",
            Action::Delete => "delete",
            Action::Validate => "validate",
        }
    }
}

impl Module {
    /// Modules whose screens and API exist in this version; the others are shown as planned.
    /// Registration point: add a module here when its API and screens land.
    pub fn built(self) -> bool {
        matches!(
            self,
            Module::Users
                | Module::System
                | Module::Crm
                | Module::Tools
                | Module::Materials
                | Module::Machines
                | Module::Instruments
                | Module::Hr
                | Module::Quotes
                | Module::Orders
                | Module::Routings
                | Module::MethodSheets
        )
    }
}

/// Row rule applied on top of the module right.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowScope {
    All,
    /// Only rows assigned to this user (an operator's own tasks and time entries).
    OwnOnly(i64),
}

/// "Un opérateur aura son travail à réaliser et c'est tout": for the shop-floor modules an
/// operator (without a supervising role) sees only what is assigned to him.
pub fn row_scope(p: &Principal, module: Module) -> RowScope {
    let supervising = p.roles.iter().any(|r| r != "operateur");
    match module {
        Module::Planning | Module::TimeTracking | Module::MethodSheets | Module::Programs
            if !supervising =>
        {
            RowScope::OwnOnly(p.user_id)
        }
        _ => RowScope::All,
    }
}

/// The matrix the shop starts with; the admin edits it afterwards.
pub fn default_grants() -> BTreeSet<(Role, Module, Action)> {
    use Action::*;
    use Module::*;
    use Role::*;
    let all = [Read, Create, Update, Delete, Validate];
    let rcu = [Read, Create, Update];
    let rcuv = [Read, Create, Update, Validate];
    let mut g = BTreeSet::new();
    let mut put = |role: Role, modules: &[Module], actions: &[Action]| {
        for m in modules {
            for a in actions {
                g.insert((role, *m, *a));
            }
        }
    };
    for m in Module::ALL {
        put(Admin, &[*m], &all);
    }
    // Direction: everything business-wide, validates urgent purchases and plan reorganisations;
    // user accounts and the rights matrix stay with the admin.
    for m in Module::ALL.iter().filter(|m| !matches!(m, Users | System)) {
        put(Direction, &[*m], &all);
    }
    put(Direction, &[Users, System], &[Read]);
    // Shop-wide business parameters (company identity, activities, rate grid, margins).
    put(Direction, &[System], &[Validate]);
    put(
        ChefAtelier,
        &[
            Orders,
            Machines,
            Tools,
            Materials,
            Instruments,
            Quality,
            Maintenance,
            Hr,
            Statistics,
            Robots,
        ],
        &[Read],
    );
    put(
        ChefAtelier,
        &[Routings, MethodSheets, Programs, TimeTracking, Maintenance],
        &rcuv,
    );
    put(
        ChefAtelier,
        &[Planning, Tools, Materials, Machines, Quality],
        &rcu,
    );
    // The chef d'atelier validates plan reorganisations with the direction (issue 8: "a
    // manager's (direction or chef d'atelier) validation").
    put(ChefAtelier, &[Planning], &[Validate]);
    put(ChefAtelier, &[Users], &[Read]);
    put(
        Methode,
        &[
            Quotes,
            Orders,
            Machines,
            Planning,
            Quality,
            Instruments,
            Statistics,
            Crm,
        ],
        &[Read],
    );
    put(Methode, &[Routings, MethodSheets, Programs], &rcuv);
    put(Methode, &[Tools, Materials, Machines], &rcu);
    put(Methode, &[Quotes], &rcu);
    put(
        Qualite,
        &[
            Orders,
            Routings,
            MethodSheets,
            Machines,
            Programs,
            Tools,
            Materials,
            Planning,
            Hr,
            Statistics,
            Crm,
        ],
        &[Read],
    );
    put(Qualite, &[Quality, Instruments], &all);
    put(Commercial, &[Crm, Quotes, Orders], &rcuv);
    put(
        Commercial,
        &[
            Planning, Invoicing, Statistics, Machines, Materials, Routings,
        ],
        &[Read],
    );
    put(Comptabilite, &[Invoicing, Finance], &all);
    put(
        Comptabilite,
        &[Crm, Orders, Quotes, Statistics, Hr, TimeTracking],
        &[Read],
    );
    // Operator: his own tasks (row rule), validates his operations, reads the method sheets and
    // programs of his operations; no quotes, no routings.
    put(
        Operateur,
        &[
            Planning,
            MethodSheets,
            Programs,
            Machines,
            Tools,
            Materials,
            Instruments,
        ],
        &[Read],
    );
    put(Operateur, &[TimeTracking], &[Read, Create, Validate]);
    put(Operateur, &[Quality], &[Read, Create]);
    g
}

/// Whole matrix as stored.
pub async fn load_matrix<C: ConnectionTrait>(
    db: &C,
) -> Result<BTreeSet<(String, String, String)>, AppError> {
    Ok(role_right::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.role, r.module, r.action))
        .collect())
}

/// Effective rights of a user with these roles. The admin role always has everything, whatever
/// the table says, so nobody can lock the shop out of its own system.
pub async fn grants_for<C: ConnectionTrait>(
    db: &C,
    roles: &[String],
) -> Result<HashSet<(Module, Action)>, AppError> {
    if roles.iter().any(|r| r == "admin") {
        return Ok(Module::ALL
            .iter()
            .flat_map(|m| Action::ALL.iter().map(move |a| (*m, *a)))
            .collect());
    }
    if roles.is_empty() {
        return Ok(HashSet::new());
    }
    let rows = role_right::Entity::find()
        .filter(role_right::Column::Role.is_in(roles.iter().cloned()))
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| Some((Module::parse(&r.module)?, Action::parse(&r.action)?)))
        .collect())
}

/// Seeds the default matrix if the table is empty (fresh install).
pub async fn seed_defaults<C: ConnectionTrait>(db: &C) -> Result<bool, AppError> {
    if role_right::Entity::find().one(db).await?.is_some() {
        return Ok(false);
    }
    let rows: Vec<role_right::ActiveModel> = default_grants()
        .into_iter()
        .map(|(r, m, a)| role_right::ActiveModel {
            role: Set(r.code().into()),
            module: Set(m.code().into()),
            action: Set(a.code().into()),
        })
        .collect();
    role_right::Entity::insert_many(rows).exec(db).await?;
    Ok(true)
}

/// Wire shape of the matrix: role → module → actions.
pub type Grants = BTreeMap<String, BTreeMap<String, Vec<String>>>;

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CodeLabel {
    pub code: String,
    pub label: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ModuleInfo {
    pub code: String,
    pub label: String,
    pub built: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RightsMatrix {
    pub roles: Vec<CodeLabel>,
    pub modules: Vec<ModuleInfo>,
    pub actions: Vec<CodeLabel>,
    /// role code → module code → action codes
    #[schema(value_type = Object)]
    pub grants: Grants,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RightsUpdate {
    #[schema(value_type = Object)]
    pub grants: Grants,
}

fn grants_from_set(set: &BTreeSet<(String, String, String)>) -> Grants {
    let mut g: Grants = BTreeMap::new();
    for r in Role::ALL {
        g.entry(r.code().to_string()).or_default();
    }
    for (role, module, action) in set {
        g.entry(role.clone())
            .or_default()
            .entry(module.clone())
            .or_default()
            .push(action.clone());
    }
    g
}

pub async fn get_matrix(db: &Db, ctx: &Ctx, english: bool) -> Result<RightsMatrix, AppError> {
    ctx.require(Module::System, Action::Read)?;
    let mut set = load_matrix(&db.conn).await?;
    for m in Module::ALL {
        for a in Action::ALL {
            set.insert(("admin".into(), m.code().into(), a.code().into()));
        }
    }
    let label = |fr: &str, en: &str| {
        if english {
            en.to_string()
        } else {
            fr.to_string()
        }
    };
    Ok(RightsMatrix {
        roles: Role::ALL
            .iter()
            .map(|r| CodeLabel {
                code: r.code().into(),
                label: label(r.label_fr(), r.label_en()),
            })
            .collect(),
        modules: Module::ALL
            .iter()
            .map(|m| ModuleInfo {
                code: m.code().into(),
                label: label(m.label_fr(), m.label_en()),
                built: m.built(),
            })
            .collect(),
        actions: Action::ALL
            .iter()
            .map(|a| CodeLabel {
                code: a.code().into(),
                label: label(a.label_fr(), a.label_en()),
            })
            .collect(),
        grants: grants_from_set(&set),
    })
}

/// Replaces the matrix. Only the admin role may (module `system`, action `update`, which the
/// default matrix gives to admin alone). The admin column is ignored: admin keeps everything.
pub async fn put_matrix(
    db: &Db,
    ctx: &Ctx,
    update: RightsUpdate,
    english: bool,
) -> Result<RightsMatrix, AppError> {
    ctx.require(Module::System, Action::Update)?;
    let mut v = Validator::default();
    let mut wanted: BTreeSet<(String, String, String)> = BTreeSet::new();
    for (role, modules) in &update.grants {
        let Some(r) = Role::parse(role) else {
            v.add(
                &format!("grants.{role}"),
                "unknown_role",
                format!("Rôle inconnu : {role}"),
                format!("Unknown role: {role}"),
            );
            continue;
        };
        for (module, actions) in modules {
            let Some(m) = Module::parse(module) else {
                v.add(
                    &format!("grants.{role}.{module}"),
                    "unknown_module",
                    format!("Module inconnu : {module}"),
                    format!("Unknown module: {module}"),
                );
                continue;
            };
            for action in actions {
                match Action::parse(action) {
                    Some(a) if r != Role::Admin => {
                        wanted.insert((r.code().into(), m.code().into(), a.code().into()));
                    }
                    Some(_) => {}
                    None => v.add(
                        &format!("grants.{role}.{module}"),
                        "unknown_action",
                        format!("Action inconnue : {action}"),
                        format!("Unknown action: {action}"),
                    ),
                }
            }
        }
    }
    v.finish()?;
    let tx = db.write().await?;
    let current: BTreeSet<_> = load_matrix(&tx.tx)
        .await?
        .into_iter()
        .filter(|(r, _, _)| r != "admin")
        .collect();
    if current != wanted {
        role_right::Entity::delete_many().exec(&tx.tx).await?;
        let mut rows: Vec<role_right::ActiveModel> = wanted
            .iter()
            .map(|(r, m, a)| role_right::ActiveModel {
                role: Set(r.clone()),
                module: Set(m.clone()),
                action: Set(a.clone()),
            })
            .collect();
        // Keep admin rows in the table too, so a plain SQL reader sees the truth.
        for m in Module::ALL {
            for a in Action::ALL {
                rows.push(role_right::ActiveModel {
                    role: Set("admin".into()),
                    module: Set(m.code().into()),
                    action: Set(a.code().into()),
                });
            }
        }
        role_right::Entity::insert_many(rows).exec(&tx.tx).await?;
        let added: Vec<String> = wanted
            .difference(&current)
            .map(|(r, m, a)| format!("{r}:{m}:{a}"))
            .collect();
        let removed: Vec<String> = current
            .difference(&wanted)
            .map(|(r, m, a)| format!("{r}:{m}:{a}"))
            .collect();
        audit::record(
            &tx.tx,
            ctx,
            "rights",
            "matrix",
            "update",
            Some(serde_json::json!({ "removed": removed })),
            Some(serde_json::json!({ "added": added })),
        )
        .await?;
    }
    tx.commit().await?;
    get_matrix(db, ctx, english).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn principal(roles: &[&str]) -> Principal {
        let roles: Vec<String> = roles.iter().map(|s| s.to_string()).collect();
        let grants = default_grants()
            .into_iter()
            .filter(|(r, _, _)| roles.iter().any(|x| x == r.code()))
            .map(|(_, m, a)| (m, a))
            .collect();
        Principal {
            user_id: 9,
            login: "x".into(),
            full_name: "X".into(),
            roles,
            must_change_password: false,
            session_id: 1,
            grants,
        }
    }

    #[test]
    fn only_methode_chef_and_admin_edit_method_sheets() {
        for role in Role::ALL {
            let can = default_grants().contains(&(*role, Module::MethodSheets, Action::Update));
            let expected = matches!(
                role,
                Role::Admin | Role::Direction | Role::ChefAtelier | Role::Methode
            );
            // Direction has every business right by default (it runs the shop); the rest is
            // exactly méthode / chef d'atelier / admin.
            assert_eq!(can, expected, "{role:?}");
        }
    }

    #[test]
    fn operators_have_no_quotes_nor_routings_and_validate_operations() {
        let p = principal(&["operateur"]);
        assert!(!p.can(Module::Quotes, Action::Read));
        assert!(!p.can(Module::Routings, Action::Read));
        assert!(p.can(Module::TimeTracking, Action::Validate));
        assert!(p.can(Module::MethodSheets, Action::Read));
        assert!(!p.can(Module::MethodSheets, Action::Update));
    }

    #[test]
    fn only_direction_and_admin_validate_urgent_purchases_and_managers_plan_reorganisations() {
        // Urgent tool/material purchases are validated in the tools/materials modules.
        for role in Role::ALL {
            let boss = matches!(role, Role::Admin | Role::Direction);
            let manager = boss || *role == Role::ChefAtelier;
            assert_eq!(
                default_grants().contains(&(*role, Module::Planning, Action::Validate)),
                manager,
                "{role:?} planning"
            );
            for m in [Module::Tools, Module::Materials] {
                assert_eq!(
                    default_grants().contains(&(*role, m, Action::Validate)),
                    boss,
                    "{role:?} {m:?}"
                );
            }
        }
    }

    #[test]
    fn only_admin_edits_rights_and_users() {
        for role in Role::ALL {
            assert_eq!(
                default_grants().contains(&(*role, Module::System, Action::Update)),
                *role == Role::Admin
            );
            assert_eq!(
                default_grants().contains(&(*role, Module::Users, Action::Create)),
                *role == Role::Admin
            );
        }
    }

    #[test]
    fn an_operator_sees_only_his_own_tasks_but_a_foreman_sees_all() {
        assert_eq!(
            principal(&["operateur"]).row_scope(Module::Planning),
            RowScope::OwnOnly(9)
        );
        assert_eq!(
            principal(&["operateur", "chef_atelier"]).row_scope(Module::Planning),
            RowScope::All
        );
        assert_eq!(
            principal(&["operateur"]).row_scope(Module::Machines),
            RowScope::All
        );
    }

    #[test]
    fn a_denied_action_gets_a_french_message_naming_the_module() {
        let e = principal(&["operateur"])
            .require(Module::System, Action::Read)
            .unwrap_err();
        assert_eq!(e.code, "forbidden");
        assert!(e.detail.fr.contains("Accès refusé"), "{}", e.detail.fr);
        assert!(e.detail.fr.contains("Système"));
    }

    #[test]
    fn every_code_round_trips() {
        for m in Module::ALL {
            assert_eq!(Module::parse(m.code()), Some(*m));
        }
        for r in Role::ALL {
            assert_eq!(Role::parse(r.code()), Some(*r));
        }
        assert_eq!(Module::ALL.len(), 22);
        assert_eq!(Role::ALL.len(), 8);
    }
}
