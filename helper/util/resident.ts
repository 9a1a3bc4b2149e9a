// A model that stays loaded: one load per folder for the life of the process, shared by concurrent callers; a
// load that fails is forgotten, so the next call retries (and reports) instead of returning the old failure.
export function residentLoader<T>(load: (dir: string) => Promise<T>): (dir: string) => Promise<T> {
  const loaded = new Map<string, Promise<T>>();
  return (dir) => {
    let pending = loaded.get(dir);
    if (!pending) {
      pending = load(dir);
      loaded.set(dir, pending);
      pending.catch(() => loaded.delete(dir));
    }
    return pending;
  };
}
