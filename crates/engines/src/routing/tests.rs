use super::example::*;
use super::*;
use crate::estimate::{
    self, Envelope, Estimate, Feature, IsoGroup, Machine, MachineKind, Material, PartSpec,
    ProcessKind, ShapeClass, Tolerance, ToolKind, Treatment,
};

struct Case {
    spec: PartSpec,
    est: Estimate,
    machines: Vec<Machine>,
    activities: Vec<String>,
    tools: Vec<CribTool>,
    instruments: Vec<Instrument>,
    settings: RoutingSettings,
    treatments: Vec<TreatmentOrder>,
    quantity: u32,
    critical: bool,
    control_sheet: bool,
}

impl Case {
    fn new(spec: PartSpec, machines: Vec<Machine>) -> Case {
        let est = estimate::estimate(&spec, &shop(machines.clone()));
        let quantity = spec.quantities[0];
        Case {
            spec,
            est,
            machines,
            activities: vec!["usinage".into()],
            tools: crib(),
            instruments: instruments(),
            settings: RoutingSettings::default(),
            treatments: vec![],
            quantity,
            critical: false,
            control_sheet: false,
        }
    }

    fn run(&self) -> RoutingDraft {
        generate(&RoutingInput {
            spec: &self.spec,
            estimate: &self.est,
            quantity: self.quantity,
            drawing_ref: "PL-2041 A",
            settings: &self.settings,
            activities: &self.activities,
            tools: &self.tools,
            instruments: &self.instruments,
            machines: &self.machines,
            critical: self.critical,
            treatments: &self.treatments,
            control_sheet_required: self.control_sheet,
        })
    }
}

fn worked_case() -> Case {
    Case::new(worked_part(), vec![saw(), lathe(), mill()])
}

fn processes(r: &RoutingDraft) -> Vec<ProcessKind> {
    r.operations.iter().map(|o| o.process).collect()
}

fn op(r: &RoutingDraft, p: ProcessKind) -> &RoutingOperation {
    r.operations.iter().find(|o| o.process == p).unwrap()
}

fn instrument_for<'a>(o: &'a RoutingOperation, starts: &str) -> &'a InstrumentNeed {
    o.instruments
        .iter()
        .find(|i| i.characteristic_fr.starts_with(starts))
        .unwrap_or_else(|| panic!("no instrument for {starts}: {:#?}", o.instruments))
}

// ------------------------------------------------------------------ tests

#[test]
fn worked_example_turned_c45_ø45_h7_qty_25() {
    let case = worked_case();
    let r = case.run();

    // Débit: Ø45 + 2 mm → Ø47 → standard Ø50 bar; 65 + 3 mm facing = 68; 25 + ⌈25 × 2 %⌉ = 26.
    let debit = r.debit.as_ref().unwrap();
    assert_eq!(debit.label_fr, "Débit Ø50×68 — 26 pcs");
    assert_eq!(debit.cut_length, 68.0);
    assert_eq!(debit.consumed_length, 70.0); // + 2 mm saw kerf
    assert!(!debit.bar_fed);
    assert_eq!(debit.quantity, 26);
    assert_eq!(debit.parts_per_bar, 42); // ⌊3000 / 70⌋
    assert_eq!(debit.bars, 1);
    assert_eq!(debit.total_length, 1820.0);
    assert_eq!(
        (r.ordered_quantity, r.scrap_extra, r.launched_quantity),
        (25, 1, 26)
    );

    // Ø50 > bar capacity Ø42 of the lathe: sawn and chucked.
    use ProcessKind::*;
    assert_eq!(
        processes(&r),
        vec![Debit, Tournage, Ebavurage, Controle, Emballage]
    );
    let numbers: Vec<u32> = r.operations.iter().map(|o| o.number).collect();
    assert_eq!(numbers, vec![10, 20, 30, 40, 50]);

    let o10 = &r.operations[0];
    assert_eq!(o10.label_fr, "Débit Ø50×68 — 26 pcs");
    assert_eq!(
        o10.work_centre,
        WorkCentre::Machine {
            machine_id: 1,
            code: "M01".into()
        }
    );
    assert_eq!(o10.skills, vec!["sciage"]);
    assert_eq!(o10.quantity, 26);
    assert!(o10.nc_program.is_none());

    let o20 = &r.operations[1];
    assert_eq!(o20.label_fr, "Tournage");
    assert_eq!(
        o20.work_centre,
        WorkCentre::Machine {
            machine_id: 2,
            code: "M02".into()
        }
    );
    assert!(
        o20.description_fr.contains("lopin Ø50 en mandrin"),
        "{}",
        o20.description_fr
    );
    assert_eq!(o20.skills, vec!["tournage_cn"]);
    assert_eq!(o20.nc_program.as_deref(), Some("PL-2041-A_OP20"));
    let tools: Vec<(&str, ToolKind, f64, &str)> = o20
        .tools
        .iter()
        .map(|t| (t.position.as_str(), t.kind, t.diameter, t.label_fr.as_str()))
        .collect();
    assert_eq!(
        tools,
        vec![
            (
                "T01",
                ToolKind::Tournage,
                0.0,
                "Outil d'ébauche extérieur (dressage, ébauche)"
            ),
            (
                "T02",
                ToolKind::Tournage,
                0.0,
                "Outil de finition extérieur"
            ),
            ("T03", ToolKind::Percage, 18.0, "Foret Ø18 (avant-trou Ø20)"),
            ("T04", ToolKind::Percage, 8.5, "Foret Ø8.5 (avant-trou M10)"),
            (
                "T05",
                ToolKind::Alesage,
                0.0,
                "Outil à aléser (barre d'alésage, entrée mini Ø18)"
            ),
            ("T06", ToolKind::Taraudage, 10.0, "Taraud M10"),
        ]
    );
    assert!(o20.tools.iter().all(|t| t.in_stock), "{:#?}", o20.tools);
    assert_eq!(o20.tools[3].tool_code.as_deref(), Some("T40"));
    assert_eq!(o20.tools[4].tool_code.as_deref(), Some("T16"));
    assert_eq!(o20.tools[5].tool_code.as_deref(), Some("T43-M10"));
    assert_eq!(o20.method_sheet.tools, o20.tools);
    let steps = &o20.method_sheet.cam_steps;
    for want in [
        "Prise 1 — dressage face avant (T01)",
        "Ébauche Ø45 sur 50 mm, surépaisseur 0,5 mm au rayon (T01)",
        "Finition Ø45 IT7 Ra 1.6 sur 50 mm (T02)",
        "Perçage Ø18 prof. 30 (T03)",
        "Perçage Ø8.5 prof. 20 (avant-trou M10) (T04)",
        "Alésage Ø20 IT7 Ra 1.6 prof. 30 : ébauche + finition (T05)",
        "Taraudage M10 prof. 15 (T06)",
        "Prise 2 — dressage face arrière à la longueur 65 (T01)",
        "Prise 2 — ébauche Ø45 sur 15 mm (partie tenue en prise 1) (T01)",
        "Prise 2 — finition Ø45 IT7 Ra 1.6 sur 15 mm, raccordement sans marche (T02)",
    ] {
        assert!(
            steps.iter().any(|s| s == want),
            "missing step {want}: {steps:#?}"
        );
    }
    // Tools numbered in the order of use: drilling, then boring, then tapping.
    let at = |s: &str| steps.iter().position(|x| x.starts_with(s)).unwrap();
    assert!(at("Perçage Ø18") < at("Alésage Ø20") && at("Alésage Ø20") < at("Taraudage M10"));
    assert!(
        o20.method_sheet.setup_fr[0]
            .starts_with("Prise 1 : mandrin 3 mors durs sur le lopin Ø50×68")
    );
    assert!(o20.method_sheet.setup_fr[1].contains("mors doux usinés au Ø45"));

    // Times come from the estimate (minutes).
    let est20 = case
        .est
        .operations
        .iter()
        .find(|o| o.process == Tournage)
        .unwrap();
    assert!((o20.setup_min - est20.setup_h * 60.0).abs() < 1e-9);
    assert!((o20.run_min_per_part - est20.cycle_min).abs() < 1e-9);
    assert!(o20.setup_min > 0.0 && o20.run_min_per_part > 0.0);

    // Instruments: micrometer 25–50 for Ø45 IT7, plug gauge Ø20 H7, thread plug gauge M10.
    let i45 = instrument_for(o20, "Ø45 IT7");
    assert_eq!(
        (
            i45.instrument_type.as_str(),
            i45.instrument_code.as_deref(),
            i45.usable
        ),
        ("micrometre", Some("I05"), true)
    );
    let i20 = instrument_for(o20, "Alésage Ø20 IT7");
    assert_eq!(
        (i20.instrument_type.as_str(), i20.instrument_code.as_deref()),
        ("tampon_lisse", Some("I10"))
    );
    let m10 = instrument_for(o20, "Taraudage M10");
    assert_eq!(
        (m10.instrument_type.as_str(), m10.instrument_code.as_deref()),
        ("tampon_filete", Some("I18"))
    );
    let len = instrument_for(o20, "Longueur totale 65");
    assert_eq!(len.instrument_type, "pied_a_coulisse");

    // Control: all characteristics; frequencies per the rule.
    let ctl = &r.operations[3];
    assert_eq!(ctl.label_fr, "Contrôle");
    assert_eq!(
        ctl.work_centre,
        WorkCentre::Activity {
            code: "controle".into()
        }
    );
    let freq = |c: &str| {
        ctl.method_sheet
            .inspection_points
            .iter()
            .find(|p| p.characteristic_fr.starts_with(c))
            .unwrap()
            .frequency_fr
            .clone()
    };
    assert_eq!(freq("Ø45 IT7"), "100 %");
    assert_eq!(freq("Taraudage M10"), "1re pièce + 1 pièce sur 10");
    assert_eq!(freq("Longueur totale 65"), "1re pièce + 1 pièce sur 10");
    let lp = ctl
        .method_sheet
        .inspection_points
        .iter()
        .find(|p| p.characteristic_fr == "Longueur totale 65")
        .unwrap();
    assert_eq!(lp.tolerance_fr, "±0.3 (ISO 2768-m)");
    assert!(
        ctl.instruments
            .iter()
            .any(|i| i.instrument_type == "rugosimetre"
                && i.instrument_code.as_deref() == Some("I14"))
    );

    let pack = r.operations.last().unwrap();
    assert_eq!(pack.label_fr, "Emballage");
    assert_eq!(pack.quantity, 25);
    assert!(r.warnings_fr.is_empty(), "{:#?}", r.warnings_fr);
    assert!(
        r.missing_fr
            .iter()
            .any(|m| m == "OP20 : Programme CN PL-2041-A_OP20 à écrire et valider")
    );

    // The chosen machines pass the capability check.
    let raw = case.est.raw_stock.as_ref();
    assert_eq!(check_machine(Tournage, &lathe(), &case.spec, raw), Ok(()));
    assert_eq!(check_machine(Debit, &saw(), &case.spec, raw), Ok(()));
}

#[test]
fn scrap_allowance_rule() {
    let s = RoutingSettings::default();
    assert_eq!(scrap_extra(1, &s), 0);
    assert_eq!(scrap_extra(9, &s), 0);
    assert_eq!(scrap_extra(10, &s), 1);
    assert_eq!(scrap_extra(25, &s), 1);
    assert_eq!(scrap_extra(50, &s), 1); // exactly 1.0
    assert_eq!(scrap_extra(51, &s), 2); // 1.02 → 2
    assert_eq!(scrap_extra(100, &s), 2);
    assert_eq!(scrap_extra(160, &s), 4); // 3.2 → 4
    let five = RoutingSettings {
        scrap_pct: 5.0,
        scrap_min_qty: 1,
        ..RoutingSettings::default()
    };
    assert_eq!(scrap_extra(1, &five), 1);
    assert_eq!(scrap_extra(30, &five), 2); // 1.5 → 2
    let none = RoutingSettings {
        scrap_pct: 0.0,
        ..RoutingSettings::default()
    };
    assert_eq!(scrap_extra(500, &none), 0);
}

#[test]
fn subcontracted_treatment_is_one_operation_before_control() {
    let mut spec = worked_part();
    spec.treatments = vec![Treatment {
        code: "anodisation".into(),
        label_fr: "anodisation".into(),
    }];
    let r = Case::new(spec, vec![saw(), lathe(), mill()]).run();
    use ProcessKind::*;
    assert_eq!(
        processes(&r),
        vec![
            Debit,
            Tournage,
            Ebavurage,
            TraitementSousTraite,
            Controle,
            Emballage
        ]
    );
    let t = op(&r, TraitementSousTraite);
    assert_eq!(t.number, 40);
    assert_eq!(t.label_fr, "Traitement sous-traité : anodisation");
    assert_eq!(
        t.work_centre,
        WorkCentre::Subcontract {
            treatment: "anodisation".into(),
            supplier: Some("Anodia Surfaces".into())
        }
    );
    let sc = t.subcontract.as_ref().unwrap();
    assert_eq!(sc.supplier.as_deref(), Some("Anodia Surfaces"));
    assert!(sc.purchase_order.is_none() && sc.send_date.is_none() && sc.return_date.is_none());
    assert!(t.skills.is_empty() && t.tools.is_empty() && t.nc_program.is_none());
    for m in [
        "Date d'envoi à renseigner",
        "Date de retour prévue à renseigner",
        "N° de bon de commande sous-traitant à renseigner",
    ] {
        assert!(
            r.missing_fr.contains(&format!("OP40 : {m}")),
            "{m}: {:#?}",
            r.missing_fr
        );
    }
}

#[test]
fn order_line_treatment_without_supplier_asks_for_one() {
    let mut case = worked_case();
    case.treatments = vec![TreatmentOrder {
        treatment: Treatment {
            code: "zingage".into(),
            label_fr: "zingage".into(),
        },
        supplier: None,
    }];
    let r = case.run();
    let ts: Vec<&RoutingOperation> = r
        .operations
        .iter()
        .filter(|o| o.process == ProcessKind::TraitementSousTraite)
        .collect();
    assert_eq!(ts.len(), 1);
    assert_eq!(ts[0].label_fr, "Traitement sous-traité : zingage");
    assert!(ts[0].description_fr.contains("sous-traitant à choisir"));
    assert!(
        r.missing_fr
            .contains(&format!("OP{} : Sous-traitant à choisir", ts[0].number))
    );
}

#[test]
fn critical_part_gets_full_control_and_safety_sheet() {
    let mut case = worked_case();
    case.critical = true;
    case.control_sheet = true;
    let r = case.run();
    assert!(r.critical);
    let ctl = op(&r, ProcessKind::Controle);
    assert_eq!(ctl.label_fr, "Contrôle 100 %");
    assert!(
        ctl.description_fr
            .contains("fiche de contrôle / sécurité, 100 % des pièces")
    );
    assert!(
        ctl.method_sheet
            .inspection_points
            .iter()
            .all(|p| p.frequency_fr == "100 %")
    );
    for doc in [
        "Fiche de contrôle / sécurité (pièce critique, 100 %)",
        "Rapport de premier article (FAI)",
        "Certificat matière EN 10204 3.1 (n° de coulée)",
        "Fiche de contrôle client (relevé de cotes)",
    ] {
        assert!(ctl.documents_fr.iter().any(|d| d == doc), "{doc}");
    }
    assert!(
        ctl.method_sheet
            .material_fr
            .ends_with("matière certifiée EN 10204 3.1 exigée")
    );
    let pack = op(&r, ProcessKind::Emballage);
    assert!(
        pack.documents_fr
            .iter()
            .any(|d| d == "Certificat de conformité")
    );
}

#[test]
fn bar_fed_part_has_no_saw_operation_but_a_debit_line() {
    let spec = PartSpec {
        envelope: Envelope::Round {
            diameter: 30.0,
            length: 40.0,
        },
        features: vec![
            Feature::ExternalTurning {
                diameter: 30.0,
                length: 40.0,
                tolerance: None,
                ra: Some(3.2),
            },
            Feature::Threads {
                count: 1,
                designation: "M6".into(),
                depth: 12.0,
                external: false,
            },
        ],
        general_tolerance_class: Some('m'),
        quantities: vec![100],
        ..worked_part()
    };
    let r = Case::new(spec, vec![saw(), lathe(), mill()]).run();
    use ProcessKind::*;
    assert_eq!(
        processes(&r),
        vec![Tournage, Ebavurage, Controle, Emballage]
    );
    let dl = r.debit.as_ref().unwrap();
    assert!(dl.bar_fed);
    // Ø30 + 2 → Ø32 bar ≤ Ø42 capacity; 40 + 1 facing + 3 parting = 44 mm per part.
    assert_eq!(dl.consumed_length, 44.0);
    assert_eq!(dl.quantity, 102);
    assert_eq!(dl.parts_per_bar, 63); // ⌊(3000 − 200) / 44⌋
    assert_eq!(dl.bars, 2);
    assert_eq!(
        dl.label_fr,
        "Barre Ø32 en embarreur — 102 pcs × 44 mm (2 barre(s) de 3000 mm)"
    );
    let t = op(&r, Tournage);
    let last = t.tools.last().unwrap();
    assert_eq!(
        (last.kind, last.label_fr.as_str()),
        (ToolKind::Tronconnage, "Lame de tronçonnage")
    );
    assert_eq!(
        t.method_sheet.cam_steps.last().unwrap(),
        &format!("Tronçonnage à la longueur 40 ({})", last.position)
    );
    assert!(t.method_sheet.setup_fr[0].starts_with("Barre Ø32 en embarreur"));
    assert!(
        t.method_sheet
            .safety_fr
            .iter()
            .any(|s| s.starts_with("Embarreur"))
    );
    // A lathe without a bar feeder cannot run this routing as it stands.
    let chuck_only = Machine {
        bar_feeder: false,
        ..lathe()
    };
    let err = check_machine(Tournage, &chuck_only, &r_spec_bar(), None).err();
    assert!(err.is_none(), "without raw stock nothing says bar-fed");
    let case = Case::new(r_spec_bar(), vec![saw(), lathe()]);
    let e = check_machine(
        Tournage,
        &chuck_only,
        &case.spec,
        case.est.raw_stock.as_ref(),
    )
    .unwrap_err();
    assert_eq!(e, vec!["M02 : la gamme prévoit la barre en embarreur : pas d'embarreur (il faudrait ajouter un débit)".to_string()]);
}

fn r_spec_bar() -> PartSpec {
    PartSpec {
        envelope: Envelope::Round {
            diameter: 30.0,
            length: 40.0,
        },
        features: vec![Feature::ExternalTurning {
            diameter: 30.0,
            length: 40.0,
            tolerance: None,
            ra: None,
        }],
        ..worked_part()
    }
}

fn bracket() -> PartSpec {
    PartSpec {
        shape: ShapeClass::Prismatic,
        envelope: Envelope::Block {
            length: 80.0,
            width: 50.0,
            height: 20.0,
        },
        material: Material {
            grade_id: 11,
            label: "7075".into(),
            iso_group: IsoGroup::N,
            density: 2.81,
        },
        features: vec![
            Feature::Pocket {
                length: 40.0,
                width: 24.0,
                depth: 8.0,
                ra: Some(1.6),
            },
            Feature::Bore {
                diameter: 6.0,
                depth: 20.0,
                tolerance: Some(Tolerance::It { grade: 7 }),
                ra: None,
            },
            Feature::Threads {
                count: 4,
                designation: "M6".into(),
                depth: 12.0,
                external: false,
            },
        ],
        tightest_tolerance: None,
        general_tolerance_class: Some('m'),
        gdt_count: 0,
        treatments: vec![],
        critical: false,
        allow_certified: false,
        net_mass_kg: None,
        setups: Some(2),
        quantities: vec![10],
    }
}

#[test]
fn prismatic_part_on_the_mill_one_operation_per_clamping_set() {
    let r = Case::new(bracket(), vec![saw(), lathe(), mill()]).run();
    use ProcessKind::*;
    assert_eq!(
        processes(&r),
        vec![Debit, Fraisage, Ebavurage, Controle, Emballage]
    );
    let m = op(&r, Fraisage);
    assert_eq!(m.label_fr, "Fraisage / perçage / taraudage");
    assert!(
        m.origin_fr.contains('+'),
        "merged from two estimate ops: {}",
        m.origin_fr
    );
    let est_sum: (f64, f64) = Case::new(bracket(), vec![saw(), lathe(), mill()])
        .est
        .operations
        .iter()
        .filter(|o| matches!(o.process, Fraisage | PercageTaraudage))
        .fold((0.0, 0.0), |a, o| {
            (a.0 + o.setup_h * 60.0, a.1 + o.cycle_min)
        });
    assert!(
        (m.setup_min - est_sum.0).abs() < 1e-9 && (m.run_min_per_part - est_sum.1).abs() < 1e-9
    );
    assert_eq!(m.skills, vec!["fraisage_cn"]);
    assert_eq!(m.method_sheet.zero_point_fr, "à renseigner");
    assert!(
        m.method_sheet
            .missing_fr
            .iter()
            .any(|x| x == "Origine pièce (G54) à renseigner")
    );
    let labels: Vec<&str> = m.tools.iter().map(|t| t.label_fr.as_str()).collect();
    assert_eq!(
        labels,
        vec![
            "Fraise à surfacer Ø50",
            "Fraise 2 tailles Ø16 (contournage)",
            "Fraise 2 tailles Ø12",
            "Foret Ø5.8 (avant-trou Ø6)",
            "Foret Ø5 (avant-trou M6)",
            "Alésoir Ø6 IT7",
            "Taraud M6",
        ]
    );
    // No Ø12 end mill: the nearest smaller one (Ø10) is proposed; no Ø5.8 drill at all.
    assert_eq!(m.tools[2].tool_code.as_deref(), Some("T25"));
    assert!(!m.tools[3].in_stock && m.tools[3].tool_id.is_none());
    assert!(r.warnings_fr.contains(&format!(
        "OP{} Fraisage / perçage / taraudage : T04 Foret Ø5.8 (avant-trou Ø6) absent du magasin (à acheter)",
        m.number
    )));
    assert!(m.tools[5].in_stock && m.tools[5].tool_code.as_deref() == Some("T44-6H7"));
    let steps = &m.method_sheet.cam_steps;
    assert_eq!(steps[0], "Surfaçage de la face supérieure du brut (T01)");
    assert_eq!(steps[1], "Contournage extérieur aux cotes 80×50 (T02)");
    assert!(steps.iter().any(|s| s == "Taraudage 4 × M6 prof. 12 (T07)"));
    assert!(
        steps
            .iter()
            .any(|s| s == "Montage 2 — surfaçage de la face opposée à l'épaisseur 20 (T01)")
    );
    assert!(m.method_sheet.setup_fr[0].starts_with("Montage 1 : étau"));
    // Ø6 IT7 bore: no Ø6 plug gauge in the park.
    assert!(
        r.warnings_fr
            .iter()
            .any(|w| w.contains("aucun tampon lisse adapté à « Alésage Ø6 IT7 »"))
    );
}

#[test]
fn machine_checks_explain_in_french() {
    let spec = worked_part();
    let case = worked_case();
    let raw = case.est.raw_stock.as_ref();
    // A saw cannot turn.
    let e = check_machine(ProcessKind::Tournage, &saw(), &spec, raw).unwrap_err();
    assert_eq!(
        e,
        vec!["M01 (scie) ne peut pas faire l'opération « tournage » : il faut un tour".to_string()]
    );
    // Ø50 above bar capacity Ø42 and without a chuck.
    let small = Machine {
        max_chuck_diameter: None,
        ..lathe()
    };
    let e = check_machine(ProcessKind::Tournage, &small, &spec, raw).unwrap_err();
    assert_eq!(
        e,
        vec!["M02 : Ø50 dépasse la capacité barre Ø42".to_string()]
    );
    // Unavailable.
    let off = Machine {
        available: false,
        ..lathe()
    };
    let e = check_machine(ProcessKind::Tournage, &off, &spec, raw).unwrap_err();
    assert_eq!(e, vec!["M02 : machine indisponible".to_string()]);
    // Prismatic part beyond the travels of a small mill.
    let long = PartSpec {
        envelope: Envelope::Block {
            length: 400.0,
            width: 100.0,
            height: 50.0,
        },
        ..bracket()
    };
    let small_mill = Machine {
        travel_x: Some(300.0),
        travel_y: Some(200.0),
        travel_z: Some(200.0),
        ..mill()
    };
    let e = check_machine(ProcessKind::Fraisage, &small_mill, &long, None).unwrap_err();
    assert_eq!(
        e,
        vec!["M04 : courses 300×200×200 insuffisantes pour 400×100×50".to_string()]
    );
    assert_eq!(
        check_machine(ProcessKind::Fraisage, &mill(), &long, None),
        Ok(())
    );
    // Saw capacity.
    let tiny_saw = Machine {
        max_bar_diameter: Some(40.0),
        ..saw()
    };
    let e = check_machine(ProcessKind::Debit, &tiny_saw, &spec, raw).unwrap_err();
    assert_eq!(e, vec!["M01 : section Ø50 > capacité 40".to_string()]);
    // Manual operations have no machine.
    assert!(check_machine(ProcessKind::Emballage, &mill(), &spec, raw).is_err());
}

#[test]
fn mill_beyond_travels_in_the_routing_is_flagged() {
    // The estimate chose M04; the park now holds a smaller machine under the same id.
    let long = PartSpec {
        envelope: Envelope::Block {
            length: 400.0,
            width: 100.0,
            height: 50.0,
        },
        ..bracket()
    };
    let mut case = Case::new(long, vec![saw(), mill()]);
    case.machines = vec![
        saw(),
        Machine {
            travel_x: Some(300.0),
            travel_y: Some(200.0),
            travel_z: Some(200.0),
            ..mill()
        },
    ];
    let r = case.run();
    let m = op(&r, ProcessKind::Fraisage);
    assert!(r.warnings_fr.contains(&format!(
        "OP{} Fraisage / perçage / taraudage : M04 : courses 300×200×200 insuffisantes pour 400×100×50",
        m.number
    )), "{:#?}", r.warnings_fr);
    // 406 mm long blank: two vices or the table.
    assert_eq!(
        m.method_sheet.setup_fr[0],
        "Montage 1 : deux étaux alignés ou bridage sur table (longueur 406 mm), brut plat 120×60×406"
    );
}

#[test]
fn missing_or_empty_tool_in_crib_is_not_in_stock() {
    let mut case = worked_case();
    // No Ø18 drill at all; the M10 tap is out of stock.
    case.tools.retain(|t| t.code != "T47");
    for t in &mut case.tools {
        if t.code == "T43-M10" {
            t.quantity = 0;
        }
    }
    let r = case.run();
    let o20 = op(&r, ProcessKind::Tournage);
    let drill = &o20.tools[2];
    assert_eq!(
        (drill.tool_id, drill.in_stock, drill.available_qty),
        (None, false, 0)
    );
    let tap = &o20.tools[5];
    assert_eq!(
        (tap.tool_id, tap.in_stock, tap.available_qty),
        (Some(430), false, 0)
    );
    assert!(r.warnings_fr.contains(
        &"OP20 Tournage : T03 Foret Ø18 (avant-trou Ø20) absent du magasin (à acheter)".to_string()
    ));
    assert!(r.warnings_fr.contains(
        &"OP20 Tournage : T06 Taraud M10 en rupture au magasin (à commander)".to_string()
    ));
    assert!(r.missing_fr.contains(
        &"OP20 : T03 Foret Ø18 (avant-trou Ø20) : absent du magasin (à acheter)".to_string()
    ));
    // A Ø8 drill does not replace the Ø8.5 tap drill; a smaller end mill may replace a larger.
    let crib = vec![
        crib_tool(1, "D8", ToolKind::Percage, 8.0, 5),
        crib_tool(2, "F10", ToolKind::Fraisage, 10.0, 1),
    ];
    assert!(sheets::match_tool(&crib, ToolKind::Percage, 8.5).is_none());
    assert_eq!(
        sheets::match_tool(&crib, ToolKind::Fraisage, 12.0).map(|t| t.id),
        Some(2)
    );
    assert!(sheets::match_tool(&crib, ToolKind::Fraisage, 25.0).is_none());
}

fn welded_part() -> PartSpec {
    PartSpec {
        shape: ShapeClass::Welded,
        envelope: Envelope::Block {
            length: 400.0,
            width: 300.0,
            height: 200.0,
        },
        material: c45(),
        features: vec![Feature::Weld { length: 800.0 }],
        net_mass_kg: Some(6.0),
        quantities: vec![5],
        ..bracket()
    }
}

#[test]
fn activity_templates_filter_and_extend_the_routing() {
    let machines = vec![
        saw(),
        lathe(),
        mill(),
        machine(6, "M06", MachineKind::Soudure),
    ];
    // Usinage only: welding is kept but flagged; no weld control template.
    let mut case = Case::new(welded_part(), machines.clone());
    let r = case.run();
    let w = op(&r, ProcessKind::Soudure);
    assert!(w.outside_activities);
    assert!(r.warnings_fr.contains(&format!(
        "OP{} Soudure : procédé hors des activités déclarées (usinage) : conservé, à valider ou à sous-traiter",
        w.number
    )));
    assert!(
        !r.operations
            .iter()
            .any(|o| o.label_fr == "Contrôle des soudures")
    );
    assert!(r.debit.is_none());
    assert!(
        r.missing_fr
            .iter()
            .any(|m| m.starts_with("Débit à définir"))
    );

    // Usinage + soudure: no warning, weld control right after the welding.
    case.activities = vec!["soudure".into(), "usinage".into()];
    let r = case.run();
    let i = r
        .operations
        .iter()
        .position(|o| o.process == ProcessKind::Soudure)
        .unwrap();
    assert!(!r.operations[i].outside_activities);
    assert_eq!(r.operations[i + 1].label_fr, "Contrôle des soudures");
    assert_eq!(r.operations[i + 1].process, ProcessKind::Controle);
    assert_eq!(
        r.operations[i + 1].skills,
        vec!["controle", "controle_soudure"]
    );
    assert!(
        !r.warnings_fr
            .iter()
            .any(|w| w.contains("hors des activités"))
    );
    assert_eq!(r.activities, vec!["usinage", "soudure"]);

    // Décolletage only: the sawn débit of the worked example is outside the activity, the
    // deburring gets washing.
    let mut case = worked_case();
    case.activities = vec!["decolletage".into()];
    let r = case.run();
    assert!(op(&r, ProcessKind::Debit).outside_activities);
    assert!(!op(&r, ProcessKind::Tournage).outside_activities);
    assert_eq!(
        op(&r, ProcessKind::Ebavurage).label_fr,
        "Ébavurage / lavage"
    );

    // No activity: usinage by default, said in a warning; unknown codes are reported.
    let mut case = worked_case();
    case.activities = vec![];
    let r = case.run();
    assert_eq!(r.activities, vec!["usinage"]);
    assert!(
        r.warnings_fr
            .iter()
            .any(|w| w.contains("gamme type « usinage »"))
    );
    case.activities = vec!["usinage".into(), "forge".into()];
    assert!(
        case.run()
            .warnings_fr
            .contains(&"Activité « forge » inconnue : ignorée".to_string())
    );
}

#[test]
fn grinding_goes_after_hardening_and_surface_treatment_in_house() {
    let mut spec = worked_part();
    spec.features[0] = Feature::ExternalTurning {
        diameter: 45.0,
        length: 65.0,
        tolerance: Some(Tolerance::It { grade: 6 }),
        ra: Some(0.4),
    };
    spec.treatments = vec![Treatment {
        code: "trempe".into(),
        label_fr: "trempe + revenu".into(),
    }];
    let grinder = Machine {
        travel_x: Some(460.0),
        ..machine(8, "M08", MachineKind::Rectifieuse)
    };
    let mut case = Case::new(spec.clone(), vec![saw(), lathe(), mill(), grinder.clone()]);
    case.activities = vec!["usinage".into(), "rectification".into()];
    let r = case.run();
    use ProcessKind::*;
    assert_eq!(
        processes(&r),
        vec![
            Debit,
            Tournage,
            Ebavurage,
            TraitementSousTraite,
            Rectification,
            Controle,
            Emballage
        ]
    );
    assert!(
        op(&r, Rectification)
            .origin_fr
            .contains("après le traitement thermique")
    );
    assert!(
        op(&r, Tournage)
            .method_sheet
            .cam_steps
            .iter()
            .any(|s| s.starts_with("Laisser la surépaisseur de rectification"))
    );

    // Anodising with the in-house surface-treatment activity: no subcontracting.
    spec.treatments = vec![Treatment {
        code: "anodisation".into(),
        label_fr: "anodisation".into(),
    }];
    let mut case = Case::new(spec, vec![saw(), lathe(), mill(), grinder]);
    case.activities = vec![
        "usinage".into(),
        "rectification".into(),
        "traitement_surface".into(),
    ];
    let r = case.run();
    let t = op(&r, TraitementSousTraite);
    assert_eq!(t.label_fr, "Traitement : anodisation (interne)");
    assert_eq!(
        t.work_centre,
        WorkCentre::Activity {
            code: "traitement_surface".into()
        }
    );
    assert!(t.subcontract.is_none());
    assert_eq!(t.skills, vec!["traitement_surface"]);
    // Not a hardening treatment: grinding stays before it.
    let pos = |p| processes(&r).iter().position(|x| *x == p).unwrap();
    assert!(pos(Rectification) < pos(TraitementSousTraite));
}

#[test]
fn unusable_instrument_is_flagged() {
    let mut spec = worked_part();
    spec.features[1] = Feature::Bore {
        diameter: 10.0,
        depth: 20.0,
        tolerance: Some(Tolerance::It { grade: 7 }),
        ra: None,
    };
    let r = Case::new(spec, vec![saw(), lathe(), mill()]).run();
    let ctl = op(&r, ProcessKind::Controle);
    let i = instrument_for(ctl, "Alésage Ø10 IT7");
    assert_eq!(
        (i.instrument_code.as_deref(), i.usable),
        (Some("I09"), false)
    );
    assert!(r.warnings_fr.iter().any(|w| w.starts_with(
        "Instrument : I09 (I09) prévu pour « Alésage Ø10 IT7 » n'est pas utilisable"
    )));
    assert!(
        ctl.method_sheet
            .missing_fr
            .contains(&"Instrument à prévoir : tampon lisse pour « Alésage Ø10 IT7 »".to_string())
    );
    // Warnings are not repeated for each operation that measures it.
    assert_eq!(
        r.warnings_fr.iter().filter(|w| w.contains("I09")).count(),
        1
    );
}

#[test]
fn machine_removed_from_park_and_unavailable_machine_are_warned() {
    let mut case = worked_case();
    case.machines = vec![
        saw(),
        Machine {
            available: false,
            ..lathe()
        },
        mill(),
    ];
    let r = case.run();
    assert!(
        r.warnings_fr
            .contains(&"OP20 Tournage : M02 : machine indisponible".to_string())
    );
    case.machines = vec![saw(), mill()];
    let r = case.run();
    assert!(r.warnings_fr.contains(&"OP20 Tournage : la machine M02 choisie au devis n'est plus dans le parc : choisir une machine".to_string()));
}

#[test]
fn nc_program_names() {
    assert_eq!(nc_program_name("PL-2041 A", 20), "PL-2041-A_OP20");
    assert_eq!(nc_program_name(" plan 12/b ", 30), "PLAN-12-B_OP30");
    assert_eq!(nc_program_name("", 20), "PIECE_OP20");
    assert_eq!(nc_program_name("Ø-é", 10), "-_OP10");
}

#[test]
fn sheet_metal_with_tolerie_is_cut_not_sawn() {
    let spec = PartSpec {
        shape: ShapeClass::SheetBent,
        envelope: Envelope::Block {
            length: 300.0,
            width: 120.0,
            height: 3.0,
        },
        material: c45(),
        features: vec![Feature::Bends { count: 2 }],
        setups: None,
        quantities: vec![20],
        ..bracket()
    };
    let brake = Machine {
        travel_x: Some(2000.0),
        ..machine(9, "M09", MachineKind::Plieuse)
    };
    let mut case = Case::new(spec, vec![saw(), brake]);
    case.activities = vec!["tolerie".into()];
    let r = case.run();
    let d = op(&r, ProcessKind::Debit);
    assert!(d.label_fr.starts_with("Découpe plat"), "{}", d.label_fr);
    assert!(d.label_fr.ends_with("— 21 pcs"));
    assert_eq!(
        d.work_centre,
        WorkCentre::Activity {
            code: "decoupe".into()
        }
    );
    assert_eq!(d.skills, vec!["decoupe"]);
    assert!(!d.outside_activities);
    let b = op(&r, ProcessKind::Pliage);
    assert_eq!(
        b.work_centre,
        WorkCentre::Machine {
            machine_id: 9,
            code: "M09".into()
        }
    );
    assert!(!b.outside_activities);
    assert!(
        b.instruments
            .iter()
            .any(|i| i.instrument_type == "rapporteur")
    );
}

#[test]
fn deterministic_and_serializable() {
    let case = worked_case();
    let a = case.run();
    let b = case.run();
    assert_eq!(a, b);
    let json = serde_json::to_string(&a).unwrap();
    assert!(json.contains("\"label_fr\":\"Débit Ø50×68 — 26 pcs\""));
    assert!(json.contains("\"kind\":\"machine\""));
}
