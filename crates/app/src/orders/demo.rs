//! Demo orders (DEMO-SHOP.md): an aerospace order from an accepted quote, validated, with its
//! jobs, generated routings and method sheets (one routing validated by méthode); a quote sent
//! to a second client whose PO (a generated PDF, attached to the client as received by e-mail)
//! is waiting to be imported; a hand-made order waiting for validation.

use super::{NewLine, create_from_quote, set_total, write_lines};
use crate::audit;
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::quotes::{LinePatch, lines};
use chrono::{Datelike, Days};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use usinage_store::entities::{attachment, material_grade, order, partner, quote, quote_line};

async fn grade<C: ConnectionTrait>(tx: &C, code: &str) -> Result<Option<i64>, AppError> {
    Ok(material_grade::Entity::find()
        .filter(material_grade::Column::Code.eq(code))
        .one(tx)
        .await?
        .map(|g| g.id))
}

async fn client<C: ConnectionTrait>(
    tx: &C,
    name_part: &str,
) -> Result<Option<partner::Model>, AppError> {
    Ok(partner::Entity::find()
        .filter(partner::Column::Kind.eq("client"))
        .order_by_asc(partner::Column::Id)
        .all(tx)
        .await?
        .into_iter()
        .find(|p| p.name.contains(name_part)))
}

async fn new_quote<C: ConnectionTrait>(
    tx: &C,
    client: &partner::Model,
    subject: &str,
    reference: &str,
    days_ago: u64,
) -> Result<quote::Model, AppError> {
    let today = crate::paris_today();
    let now = crate::now();
    let year = today.year();
    let number = super::next_number!(tx, quote, "DV", year);
    Ok(quote::ActiveModel {
        number: Set(number),
        revision: Set(0),
        client_id: Set(client.id),
        subject: Set(Some(subject.into())),
        customer_reference: Set(Some(reference.into())),
        status: Set("brouillon".into()),
        valid_until: Set(today + Days::new(30) - Days::new(days_ago)),
        notes: Set(None),
        total_standard_cents: Set(None),
        status_comment: Set(None),
        created_by_id: Set(None),
        created_by: Set("commercial".into()),
        sent_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    }
    .insert(tx)
    .await?)
}

/// Marks every line reviewed, totals the quote and sets its status.
async fn finish_quote<C: ConnectionTrait>(
    tx: &C,
    q: &quote::Model,
    status: &str,
) -> Result<quote::Model, AppError> {
    let ls = quote_line::Entity::find()
        .filter(quote_line::Column::QuoteId.eq(q.id))
        .all(tx)
        .await?;
    for l in ls {
        let mut am: quote_line::ActiveModel = l.into();
        am.reviewed = Set(true);
        am.reviewed_by = Set(Some("commercial".into()));
        am.reviewed_at = Set(Some(crate::now()));
        am.update(tx).await?;
    }
    crate::quotes::touch(tx, q.id).await?;
    let cur = quote::Entity::find_by_id(q.id)
        .one(tx)
        .await?
        .ok_or_else(|| AppError::internal("devis démo"))?;
    let mut am: quote::ActiveModel = cur.clone().into();
    am.status = Set(status.into());
    am.sent_at = Set(Some(crate::now()));
    am.version = Set(cur.version + 1);
    Ok(am.update(tx).await?)
}

/// A turned part of the drawing corpus with threads, a readable grade and envelope: analysed now
/// (the same code path as the background worker), so its routing has real features.
fn corpus_turned_part() -> Option<(String, Vec<u8>)> {
    let fonts = usinage_drawing::corpus::system_fonts();
    (0..60).find_map(|i| {
        let (src, t) = usinage_drawing::corpus::generate(2027, i);
        let env = t.envelope.as_ref()?;
        let ok = t.shape_class.as_deref() == Some("turned")
            && !t.threads.is_empty()
            && t.material_grade.is_some()
            && env.diameter.is_some_and(|d| (20.0..=70.0).contains(&d))
            && env.length.is_some_and(|l| l <= 150.0)
            && t.drawing_number.is_some()
            && t.heat_treatment.is_none();
        if !ok {
            return None;
        }
        let pdf = usinage_drawing::corpus::render_pdf(&src, &fonts).ok()?;
        Some((
            format!("plan-{}.pdf", t.drawing_number.unwrap_or_default()),
            pdf,
        ))
    })
}

pub async fn load_demo<C: ConnectionTrait>(tx: &C, ctx: &Ctx) -> Result<(), AppError> {
    let today = crate::paris_today();
    let (Some(aero), Some(second)) = (client(tx, "Aviaxe").await?, client(tx, "Hydroléa").await?)
    else {
        return Ok(());
    };
    // 0. Work for the planner, created first so the other demo records stay the newest: a
    // rail-maintenance order validated last month (three turned parts, two milled plates), its
    // five jobs ready; the first one's requested date is already past (it becomes sur-urgent).
    if let Some(fourth) = client(tx, "Ferrovia").await? {
        let q4 = new_quote(
            tx,
            &fourth,
            "Pièces de bogie — révision",
            "FFM-RFQ-2611",
            40,
        )
        .await?;
        // (reference, name, grade, shape, Ø or length, length or width, height, quantity)
        let specs = [
            (
                "FFM-AXE-040",
                "Axe de biellette",
                "MA04",
                "turned",
                40.0,
                120.0,
                None,
                120_i32,
            ),
            (
                "FFM-BAG-065",
                "Bague de friction",
                "MA02",
                "turned",
                65.0,
                40.0,
                None,
                200,
            ),
            (
                "FFM-ENT-028",
                "Entretoise",
                "MA02",
                "turned",
                28.0,
                25.0,
                None,
                400,
            ),
            (
                "FFM-SUP-110",
                "Support de capteur",
                "MA10",
                "prismatic",
                110.0,
                60.0,
                Some(25.0),
                40,
            ),
            (
                "FFM-PLA-200",
                "Platine de fixation",
                "MA01",
                "prismatic",
                200.0,
                120.0,
                Some(15.0),
                24,
            ),
        ];
        for (k, (reference, name, g, shape, a, b, h, qty)) in specs.iter().enumerate() {
            let envelope = if *shape == "turned" {
                lines::EnvelopeView {
                    diameter: Some(*a),
                    length: Some(*b),
                    width: None,
                    height: None,
                }
            } else {
                lines::EnvelopeView {
                    diameter: None,
                    length: Some(*a),
                    width: Some(*b),
                    height: *h,
                }
            };
            let patch = LinePatch {
                drawing_number: Some((*reference).into()),
                drawing_revision: Some("A".into()),
                part_name: Some((*name).into()),
                grade_id: grade(tx, g).await?,
                quantities: Some(vec![i64::from(*qty)]),
                shape: Some((*shape).into()),
                envelope: Some(envelope),
                selected_quantity: Some(*qty),
                ..Default::default()
            };
            lines::add_demo_line(tx, &q4, k as i32 + 1, patch, None).await?;
        }
        let q4 = finish_quote(tx, &q4, "accepte").await?;
        let o4 = create_from_quote(tx, ctx, &q4).await?;
        let mut am: order::ActiveModel = o4.clone().into();
        am.customer_po_number = Set(Some("FFM-CDE-26-0871".into()));
        am.customer_po_date = Set(Some(today - Days::new(30)));
        am.requested_date = Set(Some(today - Days::new(2)));
        am.promised_date = Set(Some(today - Days::new(2)));
        am.priority = Set("normale".into());
        am.status = Set("validee".into());
        am.validated_at = Set(Some(crate::now()));
        am.version = Set(o4.version + 1);
        let o4 = am.update(tx).await?;
        let ls = super::lines_of(tx, o4.id).await?;
        let jobs = crate::production::generate_for_order(tx, ctx, &o4, &ls).await?;
        for (k, j) in jobs.iter().enumerate() {
            let mut am: usinage_store::entities::job::ActiveModel = j.clone().into();
            am.status = Set("pret".into());
            am.routing_validated_by = Set(Some("methode".into()));
            am.routing_validated_at = Set(Some(crate::now()));
            // The first one was promised for two days ago; the others one to four weeks later.
            am.due_date = Set(Some(today - Days::new(2) + Days::new(7 * k as u64)));
            am.version = Set(j.version + 1);
            am.update(tx).await?;
        }
    }
    // 1. Aerospace: quote accepted, order validated, jobs generated.
    let q = new_quote(
        tx,
        &aero,
        "Bagues et axes — programme nacelle",
        "RFQ-AVX-2026-031",
        12,
    )
    .await?;
    let drawing = tokio::task::spawn_blocking(corpus_turned_part)
        .await
        .map_err(|_| AppError::internal("plan démo"))?;
    let mut position = 1;
    if let Some((name, pdf)) = drawing {
        lines::add_demo_analysed_line(tx, &q, position, &name, pdf, 25).await?;
        position += 1;
    }
    let patch = LinePatch {
        drawing_number: Some("AVX-ENT-2210".into()),
        drawing_revision: Some("C".into()),
        part_name: Some("Entretoise épaulée".into()),
        grade_id: grade(tx, "MA02").await?,
        quantities: Some(vec![50, 100]),
        shape: Some("turned".into()),
        envelope: Some(lines::EnvelopeView {
            diameter: Some(32.0),
            length: Some(45.0),
            width: None,
            height: None,
        }),
        selected_quantity: Some(50),
        ..Default::default()
    };
    lines::add_demo_line(tx, &q, position, patch, None).await?;
    let q = finish_quote(tx, &q, "accepte").await?;
    let o = create_from_quote(tx, ctx, &q).await?;
    let mut am: order::ActiveModel = o.clone().into();
    am.customer_po_number = Set(Some("4500123456".into()));
    am.customer_po_date = Set(Some(today - Days::new(3)));
    am.requested_date = Set(Some(today + Days::new(25)));
    am.promised_date = Set(Some(today + Days::new(28)));
    am.priority = Set("haute".into());
    am.status = Set("validee".into());
    am.validated_at = Set(Some(crate::now()));
    am.version = Set(o.version + 1);
    let o = am.update(tx).await?;
    let ls = super::lines_of(tx, o.id).await?;
    let jobs = crate::production::generate_for_order(tx, ctx, &o, &ls).await?;
    // Méthode reviewed the second job's routing.
    if let Some(j) = jobs.get(1) {
        let mut am: usinage_store::entities::job::ActiveModel = j.clone().into();
        am.status = Set("pret".into());
        am.routing_validated_by = Set(Some("methode".into()));
        am.routing_validated_at = Set(Some(crate::now()));
        am.version = Set(j.version + 1);
        let j = am.update(tx).await?;
        crate::shopfloor::demo::prepare(tx, &j).await?;
    }

    // 2. Second client: quote sent, the customer's PO received by e-mail, to import.
    let q2 = new_quote(tx, &second, "Arbres de pompe et bagues", "CONSULT-HP-77", 8).await?;
    let specs = [
        (
            "HP-ARB-310",
            "B",
            "Arbre de pompe Ø35",
            "MA04",
            35.0,
            180.0,
            vec![20, 40],
            20,
        ),
        (
            "HP-BAG-112",
            "A",
            "Bague d'usure",
            "MA02",
            60.0,
            30.0,
            vec![30, 60],
            30,
        ),
    ];
    for (k, (reference, rev, name, g, d, l, qty, sel)) in specs.iter().enumerate() {
        let patch = LinePatch {
            drawing_number: Some((*reference).into()),
            drawing_revision: Some((*rev).into()),
            part_name: Some((*name).into()),
            grade_id: grade(tx, g).await?,
            quantities: Some(qty.clone()),
            shape: Some("turned".into()),
            envelope: Some(lines::EnvelopeView {
                diameter: Some(*d),
                length: Some(*l),
                width: None,
                height: None,
            }),
            selected_quantity: Some(*sel),
            ..Default::default()
        };
        lines::add_demo_line(tx, &q2, k as i32 + 1, patch, None).await?;
    }
    let q2 = finish_quote(tx, &q2, "envoye").await?;
    let priced = quote_line::Entity::find()
        .filter(quote_line::Column::QuoteId.eq(q2.id))
        .order_by_asc(quote_line::Column::Position)
        .all(tx)
        .await?;
    let po_lines: Vec<usinage_drawing::po::DemoPoLine> = priced
        .iter()
        .enumerate()
        .map(|(k, l)| usinage_drawing::po::DemoPoLine {
            reference: l.drawing_number.clone().unwrap_or_default(),
            revision: l.drawing_revision.clone(),
            designation: l.part_name.clone().unwrap_or_default(),
            // The customer orders 40 shafts where 20 were quoted: flagged at import.
            quantity: if k == 0 {
                40
            } else {
                l.selected_quantity.unwrap_or(1) as u32
            },
            unit_price: Decimal::new(
                l.unit_price_override_cents
                    .or(l.unit_price_cents)
                    .unwrap_or(0),
                2,
            ),
            requested_date: Some(today + Days::new(35)),
        })
        .collect();
    let demo_po = usinage_drawing::po::DemoPo {
        buyer: usinage_drawing::po::corpus::demo_party(&second.name),
        buyer_city: "Clermont-Ferrand".into(),
        buyer_contact: Some("Élodie Fabre".into()),
        supplier: usinage_drawing::po::corpus::demo_supplier(),
        po_number: format!("HP-{}-0412", today.year()),
        date: today - Days::new(1),
        quote_reference: Some(q2.number.clone()),
        quote_date: Some(today - Days::new(8)),
        lines: po_lines,
        delivery_address: vec![
            "Hydroléa Pompes SAS — Magasin".into(),
            "19 rue de l'Industrie".into(),
            "63100 Clermont-Ferrand".into(),
        ],
        conditions: vec![
            "Paiement à 45 jours fin de mois.".into(),
            "Certificat de conformité à joindre à la livraison.".into(),
        ],
        style: usinage_drawing::po::PoStyle::default(),
    };
    let pdf = tokio::task::spawn_blocking(move || usinage_drawing::po::demo_po_pdf(&demo_po))
        .await
        .map_err(|_| AppError::internal("bon de commande démo"))?;
    if let Ok(pdf) = pdf {
        let size = pdf.len() as i64;
        let blob = lines::store_blob(tx, pdf).await?;
        attachment::ActiveModel {
            entity: Set("clients".into()),
            entity_id: Set(second.id),
            kind: Set("document".into()),
            filename: Set(format!("bon-de-commande-HP-{}-0412.pdf", today.year())),
            content_type: Set("application/pdf".into()),
            size_bytes: Set(size),
            blob_id: Set(blob.id),
            note: Set(Some(format!(
                "Bon de commande reçu par e-mail pour le devis {} — à importer (Commandes › Importer un bon de commande)",
                q2.number
            ))),
            uploaded_by_id: Set(None),
            uploaded_by: Set("commercial".into()),
            created_at: Set(crate::now()),
            ..Default::default()
        }
        .insert(tx)
        .await?;
    }

    // 3. A hand-made order (repair part, no quote), waiting for validation.
    if let Some(third) = client(tx, "Agroval").await? {
        let now = crate::now();
        let o3 = order::ActiveModel {
            number: Set(super::next_number!(tx, order, "CO", today.year())),
            client_id: Set(third.id),
            quote_id: Set(None),
            customer_po_number: Set(Some("AGV-26-1187".into())),
            customer_po_date: Set(Some(today - Days::new(2))),
            po_blob_id: Set(None),
            requested_date: Set(Some(today + Days::new(10))),
            promised_date: Set(None),
            priority: Set("urgente".into()),
            status: Set("en_attente".into()),
            critical: Set(false),
            control_sheet: Set(true),
            notes: Set(Some(
                "Dépannage ligne de conditionnement : pièce sur plan client papier.".into(),
            )),
            status_comment: Set(None),
            total_cents: Set(None),
            created_by_id: Set(None),
            created_by: Set("commercial".into()),
            validated_at: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
            ..Default::default()
        }
        .insert(tx)
        .await?;
        write_lines(
            tx,
            &o3,
            vec![NewLine {
                quote_line_id: None,
                reference: Some("AGV-PL-0098".into()),
                revision: Some("A".into()),
                designation: "Came de renvoi (réparation)".into(),
                grade_id: grade(tx, "MA02").await?,
                quantity: 2,
                unit_price_cents: Some(18_500),
                requested_date: None,
                critical: false,
                blob_id: None,
            }],
        )
        .await?;
        let o3 = set_total(tx, o3).await?;
        audit::record(
            tx,
            ctx,
            "order",
            &o3.id.to_string(),
            "create",
            None,
            Some(serde_json::json!({"number": o3.number})),
        )
        .await?;
    }

    Ok(())
}
