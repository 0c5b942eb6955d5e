//! Live shop-floor events for the office view (server-sent events on `GET /api/v1/events`).
//! Each committed floor action publishes one [`FloorEvent`]; subscribers that lag behind lose
//! the oldest events and simply re-read the board.

use chrono::{DateTime, Utc};
use serde::Serialize;
use tokio::sync::broadcast;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FloorEvent {
    /// `start`, `pause`, `resume`, `report`, `finish`, `tool_change`, `broken_tool`,
    /// `instrument_check`, `clock`.
    pub kind: String,
    pub operation_id: Option<i64>,
    pub job_id: Option<i64>,
    pub machine_id: Option<i64>,
    pub user_id: Option<i64>,
    pub status: Option<String>,
    pub at: DateTime<Utc>,
}

/// The process-wide event channel (one per server).
#[derive(Debug, Clone)]
pub struct Bus {
    tx: broadcast::Sender<FloorEvent>,
}

impl Default for Bus {
    fn default() -> Self {
        Bus::new(256)
    }
}

impl Bus {
    pub fn new(capacity: usize) -> Bus {
        let (tx, _) = broadcast::channel(capacity.max(1));
        Bus { tx }
    }
    /// Publishes to whoever listens (no listener is fine).
    pub fn publish(&self, e: FloorEvent) {
        let _ = self.tx.send(e);
    }
    pub fn subscribe(&self) -> broadcast::Receiver<FloorEvent> {
        self.tx.subscribe()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_subscriber_receives_what_is_published_after_it_subscribed() {
        let bus = Bus::new(4);
        bus.publish(FloorEvent {
            kind: "start".into(),
            operation_id: Some(1),
            job_id: None,
            machine_id: None,
            user_id: None,
            status: None,
            at: Utc::now(),
        });
        let mut rx = bus.subscribe();
        bus.publish(FloorEvent {
            kind: "finish".into(),
            operation_id: Some(2),
            job_id: None,
            machine_id: None,
            user_id: None,
            status: Some("termine".into()),
            at: Utc::now(),
        });
        let e = rx.recv().await.unwrap();
        assert_eq!(e.kind, "finish");
        assert_eq!(e.operation_id, Some(2));
    }
}
