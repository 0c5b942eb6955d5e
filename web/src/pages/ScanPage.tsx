import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { Icon } from '../components/Icon';
import { PageHeader } from '../components/PageHeader';
import { resolveScan, type ScanTarget } from '../lib/scan';

interface Scanner {
  stop: () => Promise<void>;
  clear: () => void;
}

const READER_ID = 'qr-reader';

export function ScanPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const scanner = useRef<Scanner | null>(null);
  const [running, setRunning] = useState(false);
  const [starting, setStarting] = useState(false);
  const [cameraError, setCameraError] = useState<string | null>(null);
  const [result, setResult] = useState<ScanTarget | null>(null);
  const [manual, setManual] = useState('');
  const secure = typeof window !== 'undefined' && window.isSecureContext;

  const stop = async () => {
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
  };

  const handle = (text: string) => {
    const target = resolveScan(text, window.location.origin);
    if (target.kind === 'internal') {
      void stop();
      navigate(target.path);
      return;
    }
    setResult(target);
  };

  const start = async () => {
    setCameraError(null);
    setResult(null);
    setStarting(true);
    try {
      // Loaded on demand: the scanner library is only needed on this screen.
      const { Html5Qrcode } = await import('html5-qrcode');
      const s = new Html5Qrcode(READER_ID, { verbose: false });
      await s.start(
        { facingMode: 'environment' },
        { fps: 10, qrbox: (w: number, h: number) => ({ width: Math.floor(Math.min(w, h) * 0.7), height: Math.floor(Math.min(w, h) * 0.7) }) },
        (decoded: string) => handle(decoded),
        () => undefined,
      );
      scanner.current = s;
      setRunning(true);
    } catch (e) {
      setCameraError(e instanceof Error ? e.message : String(e));
    } finally {
      setStarting(false);
    }
  };

  // Release the camera when leaving the screen.
  useEffect(
    () => () => {
      const s = scanner.current;
      scanner.current = null;
      if (s) void s.stop().then(() => s.clear(), () => undefined);
    },
    [],
  );

  const submitManual = (e: FormEvent) => {
    e.preventDefault();
    if (manual.trim()) handle(manual);
  };

  return (
    <div className="page" data-testid="scan-page">
      <PageHeader crumbs={[{ label: t('scan.title') }]} />
      <div className="scan-layout">
        <section className="sheet scan-camera">
          <p className="muted">{t('scan.subtitle')}</p>
          {!secure && <div className="banner banner-info">{t('scan.insecure')}</div>}
          <div id={READER_ID} className={`qr-reader ${running ? 'on' : ''}`} data-testid="qr-reader" />
          {cameraError && (
            <div className="banner banner-error" role="alert">
              <Icon name="alert" size={20} />
              <span>{t('scan.camera_error', { message: cameraError })}</span>
            </div>
          )}
          <div className="scan-buttons">
            {running ? (
              <button type="button" className="btn btn-secondary btn-lg btn-block" onClick={() => void stop()} data-testid="scan-stop">
                {t('scan.stop')}
              </button>
            ) : (
              <button type="button" className="btn btn-primary btn-lg btn-block" disabled={starting} onClick={() => void start()} data-testid="scan-start">
                <Icon name="scan" size={20} /> {t('scan.start')}
              </button>
            )}
          </div>
        </section>
        <section className="sheet">
          <h3 className="panel-title">{t('scan.manual')}</h3>
          <form onSubmit={submitManual} className="form-inline">
            <input
              className="input input-lg"
              value={manual}
              onChange={(e) => setManual(e.target.value)}
              placeholder="/users/3"
              aria-label={t('scan.manual_hint')}
              autoCapitalize="none"
              spellCheck={false}
              data-testid="scan-manual"
            />
            <button type="submit" className="btn btn-primary btn-lg" data-testid="scan-open">
              {t('scan.open')}
            </button>
          </form>
          <p className="hint">{t('scan.manual_hint')}</p>
          {result && (
            <div className="scan-result" data-testid="scan-result">
              <div className="json-title">{t('scan.result')}</div>
              <pre className="json">{result.kind === 'text' ? result.text : result.kind === 'other-origin' ? result.url : result.path}</pre>
              {result.kind === 'other-origin' ? (
                <p>
                  {t('scan.other_server', { origin: result.origin })}{' '}
                  {result.path && (
                    <button type="button" className="btn btn-secondary" onClick={() => navigate(result.path!)}>
                      {t('scan.open_here')}
                    </button>
                  )}
                </p>
              ) : (
                <p className="muted">{t('scan.not_app')}</p>
              )}
            </div>
          )}
        </section>
      </div>
    </div>
  );
}
