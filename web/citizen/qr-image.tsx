/**
 * The QR of a code, drawn here from its token (level M, 4 modules of margin, as the hub would draw it): the hub
 * signs the code and sends the token, and draws an image only when one is asked for (`?qr=svg`, `code.png`), so
 * showing a code costs the hub a signature, not a drawing (docs/api.md#the-code).
 */
import QRCode from 'qrcode';
import { useEffect, useState } from 'preact/hooks';

export function QrImage(props: { text: string; alt: string; faded: boolean }) {
  const [svg, setSvg] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    QRCode.toString(props.text, { type: 'svg', errorCorrectionLevel: 'M', margin: 4 })
      .then((drawn) => {
        if (current) setSvg(drawn);
      })
      .catch(() => {
        if (current) setSvg(null);
      });
    return () => {
      current = false;
    };
  }, [props.text]);
  // The last drawing stays until the next is ready, so a refreshed code never blinks.
  if (svg === null) return <div class="qr-placeholder" aria-busy="true" />;
  return (
    <img
      src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`}
      alt={props.alt}
      data-testid="qr"
      style={props.faded ? { opacity: 0.15 } : undefined}
    />
  );
}
