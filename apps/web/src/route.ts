/** Pages are addressed by the URL's hash (#/review/…): links can be shared and the back button works. */
import { useEffect, useState } from 'react';

export function useRoute(): string[] {
  const read = () =>
    window.location.hash
      .replace(/^#\/?/, '')
      .split('/')
      .filter(Boolean)
      .map((part) => decodeURIComponent(part));
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const changed = () => setRoute(read());
    window.addEventListener('hashchange', changed);
    return () => window.removeEventListener('hashchange', changed);
  }, []);
  return route;
}

export function navigate(...parts: string[]): void {
  window.location.hash = '/' + parts.map((part) => encodeURIComponent(part)).join('/');
}
