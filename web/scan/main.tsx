/**
 * The checkpoint scanner: reads a code with the camera (getUserMedia + jsQR, bundled), from a picture or pasted
 * text, verifies it offline with the trust list and rules kept on the device, and shows accept / refuse / manual
 * check with the colour, masked name, issuer and expiry, large enough to read at arm's length.
 */
import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import '../shared/base.css';
import { imageTooLarge, QR_IMAGE_LIMITS, readPngHeader } from '../../src/code/png-header.domain.ts';
import { qrFromPixels } from '../../src/code/qr-pixels.ts';
import { formatTime, initialLang, LangContext, saveLang, translator, type Lang } from '../shared/i18n.ts';
import { HeaderBar, TextField } from '../shared/ui.tsx';
import { registerServiceWorker } from '../shared/sw-register.ts';
import { refreshTrust, trustState, verifyScanned, type Outcome } from './offline-verifier.ts';
import { ConsentLookup, DocumentCheck, type T } from './lookups.tsx';
import { STRINGS } from './strings.ts';

const PROVINCE = 'ymt.scan.province';
const PROVINCES = 'ymt.scan.provinces';
const SERVER = 'ymt.scan.server';
const REFRESH_MS = 5 * 60_000;

/** What this server is (GET /healthz): the hub, or the node of one province. */
interface Server {
  readonly role: 'hub' | 'province';
  readonly issuer: string;
}

interface Province {
  readonly code: string;
  readonly name: string;
  readonly nameEn: string;
}

function age(t: T, ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  if (minutes < 120) return t('minutes', { n: minutes });
  if (minutes < 48 * 60) return t('hours', { n: Math.floor(minutes / 60) });
  return t('days', { n: Math.floor(minutes / 1440) });
}

/** Reads the first QR code in an image's pixels. */
function decodePixels(data: ImageData): string | null {
  return qrFromPixels(data.data, data.width, data.height) ?? null;
}

/**
 * The picture, loaded: its size is known, its pixels not yet decoded (an image not shown is decoded when drawn).
 */
function loadImage(url: string): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => {
      resolve(img);
    };
    img.onerror = () => {
      reject(new Error('not an image'));
    };
    img.src = url;
  });
}

/** What a picture gave: the code's text, or why there is none to check. */
type FromPicture = { readonly text: string } | { readonly problem: 'noQrInImage' | 'imageTooLarge' };

/**
 * The code in a picture. The same bounds as `yimatong verify` (src/code/png-header.domain.ts) apply before any pixel
 * is decoded: the file's size, then the size a PNG declares in its header (a 389 KB file may declare 20 000 × 20 000
 * pixels), or the size the browser reads for other formats.
 */
async function decodeFile(file: File): Promise<FromPicture> {
  const tooLarge = { problem: 'imageTooLarge' } as const;
  const none = { problem: 'noQrInImage' } as const;
  if (file.size > QR_IMAGE_LIMITS.maxFileBytes) return tooLarge;
  const png = readPngHeader(new Uint8Array(await file.slice(0, 33).arrayBuffer()));
  if (png.ok && imageTooLarge(png.header)) return tooLarge;
  const url = URL.createObjectURL(file);
  try {
    const img = await loadImage(url);
    const size = { width: img.naturalWidth, height: img.naturalHeight };
    if (imageTooLarge(size)) return tooLarge;
    const canvas = document.createElement('canvas');
    canvas.width = size.width;
    canvas.height = size.height;
    const g = canvas.getContext('2d');
    if (!g) return none;
    g.drawImage(img, 0, 0);
    const text = decodePixels(g.getImageData(0, 0, canvas.width, canvas.height));
    return text === null ? none : { text };
  } catch {
    return none;
  } finally {
    URL.revokeObjectURL(url);
  }
}

function Verdict(props: { outcome: Outcome; t: T; lang: Lang }) {
  const { outcome: o, t, lang } = props;
  return (
    <section
      class={`verdict ${o.decision}`}
      data-testid="verdict"
      data-decision={o.decision}
      aria-live="assertive"
    >
      <div class="word">{t(o.decision)}</div>
      {o.colour && (
        <div class="line">
          {t('colour')}: {t(o.colour)}
        </div>
      )}
      {o.maskedName && (
        <div class="line" data-testid="verdict-name">
          {t('name')}: {o.maskedName}
        </div>
      )}
      {o.form === 'paper' && (
        <div class="line" data-testid="verdict-paper">
          {t('paperCode')}
        </div>
      )}
      {o.issuer && (
        <div class="line">
          {t('issuer')}: {(lang === 'zh' ? o.issuerName : o.issuerNameEn) ?? o.issuer} ({o.issuer})
        </div>
      )}
      {o.expiresAt && (
        <div class="line">
          {t('expires')}: {formatTime(lang, o.expiresAt, false)}
        </div>
      )}
      <ul class="plain">
        {o.reasons.map((r) => (
          <li key={r.code}>{lang === 'zh' ? r.text : r.textEn}</li>
        ))}
      </ul>
      {o.listMayBeStale && <p data-testid="list-may-be-stale">{t('listMayBeStale')}</p>}
      {o.ruleSet && (
        <div>
          {t('ruleSet')}: {o.ruleSet}
        </div>
      )}
    </section>
  );
}

function App() {
  const [lang, setLang] = useState<Lang>(initialLang);
  const t: T = translator(STRINGS[lang]);
  const [province, setProvince] = useState(localStorage.getItem(PROVINCE) ?? '');
  const [provinces, setProvinces] = useState<readonly Province[]>(
    () => JSON.parse(localStorage.getItem(PROVINCES) ?? '[]') as Province[],
  );
  const [now, setNow] = useState(Date.now());
  const [refreshError, setRefreshError] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [text, setText] = useState('');
  const [cameraOn, setCameraOn] = useState(false);
  const [cameraError, setCameraError] = useState<string | null>(null);
  const [imageError, setImageError] = useState<'noQrInImage' | 'imageTooLarge' | null>(null);
  const [noCode, setNoCode] = useState(false);
  const [online, setOnline] = useState(navigator.onLine);
  const video = useRef<HTMLVideoElement>(null);
  const [server, setServer] = useState<Server | null>(
    () => JSON.parse(localStorage.getItem(SERVER) ?? 'null') as Server | null,
  );
  // Look-ups by document are the hub's (docs/checkpoint-lookups.md); a node's scanner has the consent look-up.
  const atHub = server?.role !== 'province';

  useEffect(() => {
    saveLang(lang);
    document.title = t('title');
  }, [lang]);

  const refresh = () => {
    refreshTrust(Date.now()).then(
      () => {
        setRefreshError(null);
        setNow(Date.now());
      },
      (e: unknown) => {
        setRefreshError(e instanceof Error ? e.message : String(e));
      },
    );
    fetch('/api/v1/provinces').then(
      async (r) => {
        if (!r.ok) return;
        const list = (await r.json()) as Province[];
        localStorage.setItem(PROVINCES, JSON.stringify(list));
        setProvinces(list);
      },
      () => undefined,
    );
  };
  useEffect(() => {
    fetch('/healthz').then(
      async (r) => {
        if (!r.ok) return;
        const found = (await r.json()) as Server;
        localStorage.setItem(SERVER, JSON.stringify(found));
        setServer(found);
        // A node's checkpoints are in its province unless they chose otherwise.
        if (found.role === 'province' && localStorage.getItem(PROVINCE) === null) setProvince(found.issuer);
      },
      () => undefined,
    );
    refresh();
    const timer = setInterval(refresh, REFRESH_MS);
    const tick = setInterval(() => {
      setNow(Date.now());
    }, 30_000);
    const on = () => {
      setOnline(navigator.onLine);
    };
    addEventListener('online', on);
    addEventListener('offline', on);
    return () => {
      clearInterval(timer);
      clearInterval(tick);
      removeEventListener('online', on);
      removeEventListener('offline', on);
    };
  }, []);

  const check = async (scanned: string) => {
    setOutcome(await verifyScanned(scanned, province === '' ? null : province, new Date(), navigator.onLine));
    // A look again on an unknown key may have taken a newer list.
    setNow(Date.now());
  };

  // The camera: a frame every 250 ms through jsQR until a code is read.
  useEffect(() => {
    if (!cameraOn) return undefined;
    let stream: MediaStream | undefined;
    let timer: ReturnType<typeof setInterval> | undefined;
    const canvas = document.createElement('canvas');
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: 'environment' } })
      .then((s) => {
        stream = s;
        const v = video.current;
        if (!v) return;
        v.srcObject = s;
        void v.play();
        timer = setInterval(() => {
          if (v.videoWidth === 0) return;
          canvas.width = v.videoWidth;
          canvas.height = v.videoHeight;
          const g = canvas.getContext('2d', { willReadFrequently: true });
          if (!g) return;
          g.drawImage(v, 0, 0);
          const found = decodePixels(g.getImageData(0, 0, canvas.width, canvas.height));
          if (found !== null) {
            setCameraOn(false);
            void check(found);
          }
        }, 250);
      })
      .catch((e: unknown) => {
        setCameraError(e instanceof Error ? e.message : String(e));
        setCameraOn(false);
      });
    return () => {
      clearInterval(timer);
      stream?.getTracks().forEach((track) => {
        track.stop();
      });
    };
  }, [cameraOn]);

  const state = trustState(now);
  return (
    <LangContext.Provider value={{ lang, setLang }}>
      <HeaderBar title={t('title')}>
        <span>{online ? t('online') : t('offline')}</span>
      </HeaderBar>
      <main>
        <section class="card" aria-labelledby="trust-title" data-testid="trust">
          <h2 id="trust-title">{t('trustTitle')}</h2>
          {state.stored && (
            <p>
              {t('trustVersion', {
                version: state.stored.list.version,
                age: age(t, now - state.stored.fetchedAt),
                expires: formatTime(lang, state.stored.list.expiresAt),
              })}
            </p>
          )}
          {state.usable && state.stale && <div class="notice busy">{t('trustStale')}</div>}
          {!state.usable && (
            <div class="notice error" role="alert" data-testid="trust-unusable">
              {state.reason === 'expired' ? t('trustExpired') : t('trustMissing')}
            </div>
          )}
          {refreshError !== null && <p class="muted">{t('trustRefreshFailed', { reason: refreshError })}</p>}
          <button class="secondary-button" type="button" onClick={refresh}>
            {t('trustRefresh')}
          </button>
          <label for="province">{t('province')}</label>
          <select
            id="province"
            value={province}
            onChange={(e) => {
              setProvince(e.currentTarget.value);
              localStorage.setItem(PROVINCE, e.currentTarget.value);
            }}
          >
            <option value="">{t('nationalRules')}</option>
            {provinces.map((p) => (
              <option key={p.code} value={p.code}>
                {lang === 'zh' ? p.name : p.nameEn} ({p.code})
              </option>
            ))}
          </select>
        </section>
        {server?.role === 'province' && <ConsentLookup t={t} lang={lang} />}
        {outcome && (
          <>
            <Verdict outcome={outcome} t={t} lang={lang} />
            {outcome.decision === 'manual' && atHub && <DocumentCheck t={t} lang={lang} />}
            <button
              class="primary"
              type="button"
              onClick={() => {
                setOutcome(null);
                setText('');
              }}
            >
              {t('scanAgain')}
            </button>
          </>
        )}
        {!outcome && atHub && (
          <button
            class="secondary-button"
            type="button"
            onClick={() => {
              setNoCode(!noCode);
            }}
          >
            {t('docNoCode')}
          </button>
        )}
        {!outcome && atHub && noCode && <DocumentCheck t={t} lang={lang} />}
        <section class="card" style={{ marginTop: '1rem' }}>
          {cameraOn && <video class="camera" ref={video} muted playsInline aria-label={t('camera')} />}
          <button
            class="primary"
            type="button"
            onClick={() => {
              setCameraError(null);
              setCameraOn(!cameraOn);
            }}
          >
            {cameraOn ? t('stopCamera') : t('camera')}
          </button>
          {cameraError !== null && (
            <p class="notice error">{t('cameraUnavailable', { reason: cameraError })}</p>
          )}
          <label for="image">{t('upload')}</label>
          <input
            id="image"
            type="file"
            accept="image/*"
            onChange={(e) => {
              const file = e.currentTarget.files?.[0];
              if (!file) return;
              setImageError(null);
              void decodeFile(file).then((found) => {
                if ('problem' in found) setImageError(found.problem);
                else void check(found.text);
              });
            }}
          />
          {imageError !== null && (
            <p class="notice error" role="alert">
              {t(imageError)}
            </p>
          )}
          <TextField id="pasted" label={t('paste')} rows={3} value={text} onValue={setText} />
          <button
            class="secondary-button"
            type="button"
            disabled={text.trim() === ''}
            onClick={() => void check(text)}
          >
            {t('verify')}
          </button>
        </section>
      </main>
    </LangContext.Provider>
  );
}

const root = document.getElementById('app');
if (root) render(<App />, root);
registerServiceWorker();
