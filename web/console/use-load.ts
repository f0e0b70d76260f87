/** A section's data, loaded with the credential when the section opens. */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, call } from '../shared/api.ts';

export interface Loaded<V> {
  readonly data: V | null;
  readonly error: ApiError | null;
  /** Fetches again (after a change the section made). */
  readonly reload: () => void;
}

/** Loads `path` with the credential; `reload` fetches again. */
export function useLoad<V>(token: string, path: string): Loaded<V> {
  const [data, setData] = useState<V | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const reload = () => {
    call<V>('GET', path, { token }).then(
      (v) => {
        setData(v);
        setError(null);
      },
      (e: unknown) => {
        if (e instanceof ApiError) setError(e);
      },
    );
  };
  useEffect(reload, [path]);
  return { data, error, reload };
}
