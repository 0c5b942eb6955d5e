// Shared pieces of the shop-floor screens: the queue banner (waiting and conflicting actions),
// a bottom sheet, the QR scanner (camera + typed code), status chips, and the hook that sends an
// action through the offline queue.
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState, useSyncExternalStore, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Icon } from '../../components/Icon';
import { useToast } from '../../components/Toast';
import { shopFloorQueue, type QueueState, type SubmitOutcome } from './queue';
import './shopfloor.css';

export function useQueueState(): QueueState {
  const q = shopFloorQueue();
  return useSyncExternalStore(q.subscribe, q.snapshot, q.snapshot);
}

/** Runs the queue's replay while the screen is shown and refreshes the screens after a replay. */
export function useQueueRunner() {
  const qc = useQueryClient();
  useEffect(() => {
    const q = shopFloorQueue();
    const stop = q.start();
    const off = q.onSent(() => {
      void qc.invalidateQueries({ queryKey: ['shop-floor'] });
    });
    return () => {
      off();
      stop();
    };
  }, [qc]);
}

/** "N action(s) en attente" and the "Actions en conflit" list. */
export function QueueBanner() {
  const { t } = useTranslation();
  const s = useQueueState();
  const [busy, setBusy] = useState(false);
  if (s.pending.length === 0 && s.conflicts.length === 0) return null;
  return (
    <>
      {s.pending.length > 0 && (
        <div className="sf-queue" role="status" data-testid="queue-badge">
          <Icon name="refresh" size={20} />
          <span className="sf-grow">
            <span data-testid="queue-count">{t('shopfloor.pending', { count: s.pending.length })}</span>
            <span className="small" style={{ display: 'block', fontWeight: 400 }}>
              {t('shopfloor.pending_hint', { count: s.pending.length })}
            </span>
          </span>
          <button
            type="button"
            className="btn btn-secondary sf-touch"
            disabled={busy}
            onClick={() => {
              setBusy(true);
              void shopFloorQueue()
                .flush()
                .finally(() => setBusy(false));
            }}
            data-testid="queue-retry"
          >
            {t('shopfloor.retry_now')}
          </button>
        </div>
      )}
      {s.conflicts.length > 0 && (
        <section className="sf-conflicts" data-testid="queue-conflicts">
          <h3>{t('shopfloor.conflicts')}</h3>
          <p className="small">{t('shopfloor.conflicts_hint')}</p>
          {s.conflicts.map((c) => (
            <div key={c.key} className="sf-conflict" data-testid="queue-conflict">
              <div className="sf-grow">
                <strong>{c.label}</strong>
                <div>{c.message}</div>
              </div>
              <button type="button" className="btn btn-secondary sf-touch" onClick={() => shopFloorQueue().dismiss(c.key)} data-testid="queue-ignore">
                {t('shopfloor.ignore')}
              </button>
            </div>
          ))}
        </section>
      )}
    </>
  );
}

/** A modal that slides from the bottom on a phone. */
export function Sheet({ title, children, onClose, testId }: { title: string; children: ReactNode; onClose: () => void; testId?: string }) {
  const close = useRef(onClose);
  useEffect(() => {
    close.current = onClose;
  });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') close.current();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
  return (
    <div className="sf-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className="sf-sheet" role="dialog" aria-modal="true" aria-label={title} data-testid={testId}>
        <h3>{title}</h3>
        {children}
      </div>
    </div>
  );
}

export function StatusChip({ status, label, testId }: { status: string; label: string; testId?: string }) {
  return (
    <span className={`sf-chip sf-st-${status}`} data-testid={testId}>
      {label}
    </span>
  );
}

interface Scanner {
  stop: () => Promise<void>;
  clear: () => void;
}

let readerSeq = 0;

/**
 * Camera QR scanning (html5-qrcode, loaded on demand) with a typed fallback. `onResult` gets the
 * decoded or typed text; return true to stop scanning.
 */
export function QrScanner({
  onResult,
  manualLabel,
  manualPlaceholder,
  scanLabel,
  testId = 'scanner',
  inputMode = 'numeric',
}: {
  onResult: (text: string) => boolean;
  manualLabel: string;
  manualPlaceholder?: string;
  scanLabel: string;
  testId?: string;
  inputMode?: 'numeric' | 'text';
}) {
  const { t } = useTranslation();
  const [readerId] = useState(() => `sf-reader-${++readerSeq}`);
  const scanner = useRef<Scanner | null>(null);
  const [running, setRunning] = useState(false);
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [manual, setManual] = useState('');
  const handler = useRef(onResult);
  useEffect(() => {
    handler.current = onResult;
  });
  const secure = typeof window !== 'undefined' && window.isSecureContext;

  const stop = useCallback(async () => {
    const s = scanner.current;
    scanner.current = null;
    setRunning(false);
    if (s) {
      try {
        await s.stop();
        s.clear();
      } catch {
        /* already stopped */
      }
    }
  }, []);

  const start = async () => {
    setError(null);
    setStarting(true);
    try {
      const { Html5Qrcode } = await import('html5-qrcode');
      const s = new Html5Qrcode(readerId, { verbose: false });
      await s.start(
        { facingMode: 'environment' },
        { fps: 10, qrbox: (w: number, h: number) => ({ width: Math.floor(Math.min(w, h) * 0.7), height: Math.floor(Math.min(w, h) * 0.7) }) },
        (decoded: string) => {
          if (handler.current(decoded)) void stop();
        },
        () => undefined,
      );
      scanner.current = s;
      setRunning(true);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setStarting(false);
    }
  };

  useEffect(
    () => () => {
      const s = scanner.current;
      scanner.current = null;
      if (s) void s.stop().then(() => s.clear(), () => undefined);
    },
    [],
  );

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (manual.trim() && handler.current(manual.trim())) setManual('');
  };

  return (
    <div className="sf-scan" data-testid={testId}>
      {running ? (
        <button type="button" className="btn btn-secondary btn-block sf-big" onClick={() => void stop()} data-testid={`${testId}-stop`}>
          {t('shopfloor.scan_stop')}
        </button>
      ) : (
        <button type="button" className="btn btn-primary btn-block sf-big sf-huge" disabled={starting} onClick={() => void start()} data-testid={`${testId}-start`}>
          <Icon name="scan" size={28} /> {scanLabel}
        </button>
      )}
      <div id={readerId} className="sf-reader" />
      {!secure && !running && <p className="hint">{t('shopfloor.insecure')}</p>}
      {error && <ErrorBanner error={new Error(t('shopfloor.camera_error', { message: error }))} />}
      <form className="sf-manual" onSubmit={submit}>
        <input
          className="input sf-input"
          value={manual}
          onChange={(e) => setManual(e.target.value)}
          placeholder={manualPlaceholder}
          aria-label={manualLabel}
          inputMode={inputMode}
          autoCapitalize="none"
          spellCheck={false}
          data-testid={`${testId}-manual`}
        />
        <button type="submit" className="btn btn-secondary sf-big" data-testid={`${testId}-open`}>
          {t('shopfloor.open')}
        </button>
      </form>
    </div>
  );
}

export type ActionOutcome<T> = { status: 'sent'; data: T } | { status: 'queued' } | { status: 'error'; error: unknown };

/**
 * Sends a shop-floor action through the offline queue (a queued one is toasted): `sent` with the
 * server's answer, `queued` (no network: replayed later), or `error` (the server refused it:
 * `error` is also kept for an ErrorBanner).
 */
export function useFloorAction() {
  const { t } = useTranslation();
  const toast = useToast();
  const qc = useQueryClient();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = useCallback(
    async <T,>(path: string, body: Record<string, unknown>, label: string, operationId?: number | null, opts: { toast?: boolean } = {}): Promise<ActionOutcome<T>> => {
      setPending(true);
      setError(null);
      try {
        const r: SubmitOutcome<T> = await shopFloorQueue().submit<T>(path, body, label, operationId);
        if (r.queued) {
          toast.show(t('shopfloor.queued_toast', { action: label }), 'info');
          return { status: 'queued' };
        }
        // A status change shows on the screen itself; a toast would only hide the buttons.
        if (r.replayed) toast.show(t('shopfloor.replayed_toast'));
        else if (opts.toast) toast.show(t('shopfloor.done_toast', { action: label }));
        void qc.invalidateQueries({ queryKey: ['shop-floor', 'tasks'] });
        void qc.invalidateQueries({ queryKey: ['shop-floor', 'board'] });
        return { status: 'sent', data: r.data };
      } catch (e) {
        setError(e);
        return { status: 'error', error: e };
      } finally {
        setPending(false);
      }
    },
    [qc, t, toast],
  );
  return { run, pending, error, setError };
}
