use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use usinage_engines::audit_chain::{AuditFields, ChainVerifier, GENESIS_HASH, StoredRow, row_hash};
use usinage_engines::identifiers::check_siret;

fn bench_audit_chain(c: &mut Criterion) {
    let after = "{\"login\":\"kdumas\",\"full_name\":\"Kévin Dumas\",\"roles\":[\"operateur\"],\"active\":true}".to_string();
    let mut rows: Vec<(String, String, String)> = Vec::new();
    let mut prev = GENESIS_HASH.to_string();
    for id in 1..=10_000i64 {
        let at = format!("2026-11-27T10:{:02}:{:02}.000000Z", (id / 60) % 60, id % 60);
        let f = AuditFields {
            id,
            at: &at,
            actor_id: Some(1),
            actor_login: "admin",
            entity_type: "user",
            entity_id: "7",
            action: "update",
            before: Some(&after),
            after: Some(&after),
            request_id: "0f7c",
        };
        let h = row_hash(&prev, &f);
        rows.push((at, prev.clone(), h.clone()));
        prev = h;
    }
    c.bench_function("audit_chain/row_hash", |b| {
        let f = AuditFields {
            id: 1,
            at: "2026-11-27T10:00:00.000000Z",
            actor_id: Some(1),
            actor_login: "admin",
            entity_type: "user",
            entity_id: "7",
            action: "update",
            before: Some(&after),
            after: Some(&after),
            request_id: "0f7c",
        };
        b.iter(|| row_hash(black_box(GENESIS_HASH), black_box(&f)))
    });
    c.bench_function("audit_chain/verify_10k_rows", |b| {
        b.iter(|| {
            let mut v = ChainVerifier::new();
            for (i, (at, p, h)) in rows.iter().enumerate() {
                let f = AuditFields {
                    id: i as i64 + 1,
                    at,
                    actor_id: Some(1),
                    actor_login: "admin",
                    entity_type: "user",
                    entity_id: "7",
                    action: "update",
                    before: Some(&after),
                    after: Some(&after),
                    request_id: "0f7c",
                };
                v.push(&StoredRow {
                    fields: f,
                    prev_hash: p,
                    hash: h,
                });
            }
            let last = rows.last().unwrap();
            v.finish(Some((10_000, &last.2)))
        })
    });
}

fn bench_identifiers(c: &mut Criterion) {
    c.bench_function("identifiers/check_siret", |b| {
        b.iter(|| check_siret(black_box("735 840 530 00019")))
    });
}

criterion_group!(benches, bench_audit_chain, bench_identifiers);
criterion_main!(benches);
