// The request target (`GET /presets/x?since=7d`) read once, inside the request's guarded boundary. Node hands the
// raw target over unchecked: `//[` or `http://[::1:8001/health` make `new URL` throw, and `%` alone makes
// `decodeURIComponent` throw. Here both are answers (null), never exceptions, so a bad target is a 400.

export interface RequestTarget {
  pathname: string;
  searchParams: URLSearchParams;
}

/** The characters RFC 3986 allows in a path: unreserved, sub-delims, ":", "@", "/" and %-escapes. */
const PATH_CHARS = /^[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*$/;

/**
 * Origin-form (`/path?query`) and absolute-form (`http://host/path`, which proxies send) targets; anything else
 * (`*`, `health`, a bad absolute URL, a path with characters RFC 3986 does not allow there, such as `//[`) is
 * null. Origin-form is parsed against a fixed base so that `//x` stays a path instead of becoming a host name.
 */
export function parseRequestTarget(raw: string | undefined): RequestTarget | null {
  if (raw === undefined || raw === "") return null;
  let url: URL;
  try {
    if (raw.startsWith("/")) {
      const q = raw.indexOf("?");
      if (!PATH_CHARS.test(q < 0 ? raw : raw.slice(0, q))) return null;
      url = new URL(`http://helper${raw}`);
    } else if (/^https?:\/\//i.test(raw)) {
      url = new URL(raw);
    } else {
      return null;
    }
  } catch {
    return null;
  }
  return { pathname: url.pathname, searchParams: url.searchParams };
}

/** One path segment with its %-escapes decoded; null when an escape is malformed (`%`, `%zz`, a bad UTF-8 run). */
export function decodePathSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}
