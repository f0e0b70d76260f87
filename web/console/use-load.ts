/** A section's data, loaded with the credential when the section opens. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, call } from '../shared/api.ts';

export interface Loaded<V> {
  readonly data: V | null;
  readonly error: ApiError | null;
  /** Fetches again (after a change the section made). */
  readonly reload: () => void;
}

/**
 * Loads `path` with the credential; `reload` fetches again. Only the latest request's answer is shown: when the
 * path changes (a filter chosen) while an earlier request is still out, the earlier answer, arriving late, is
 * dropped instead of replacing the newer one (seen on a busy machine: a list filtered by "accepted" showed the
 * previous filter's tickets).
 */
export function useLoad<V>(token: string, path: string): Loaded<V> {
  const [data, setData] = useState<V | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const latest = useRef(0);
  const reload = () => {
    latest.current += 1;
    const request = latest.current;
    call<V>('GET', path, { token }).then(
      (v) => {
        if (request !== latest.current) return;
        setData(v);
        setError(null);
      },
      (e: unknown) => {
        if (request === latest.current && e instanceof ApiError) setError(e);
      },
    );
  };
  useEffect(reload, [path]);
  return { data, error, reload };
}
