// Which helper addresses the panel may reach. UXP allows only the hosts in the manifest's
// requiredPermissions.network.domains (read when the plugin loads); Settings warns when the address it saves is
// not among them, instead of leaving the editor with a connection that silently never opens.
import { helperSocketUrl } from "./connection";

/** The manifest's network domains (plugin/manifest.json; a test keeps the two equal). */
export const MANIFEST_NETWORK_DOMAINS: readonly string[] = [
  "ws://localhost:8001",
  "ws://127.0.0.1:8001",
  "http://localhost:8001",
  "http://127.0.0.1:8001",
];

/** The ws:// origin the panel opens for an address ("127.0.0.1:8001" → "ws://127.0.0.1:8001"). */
export function socketOrigin(address: string): string {
  const url = helperSocketUrl(address);
  const m = /^(wss?:\/\/[^/?#]+)/i.exec(url);
  return (m ? m[1] : url).toLowerCase();
}

/** True when UXP lets the panel open the helper's WebSocket at `address`. */
export function addressPermitted(
  address: string,
  domains: readonly string[] | "all" = MANIFEST_NETWORK_DOMAINS,
): boolean {
  if (domains === "all") return true;
  const origin = socketOrigin(address);
  return domains.some((d) => d.toLowerCase().replace(/\/+$/, "") === origin);
}

/** The warning Settings shows for an address outside the manifest's list; null when it is listed. */
export function networkWarning(
  address: string,
  domains: readonly string[] | "all" = MANIFEST_NETWORK_DOMAINS,
): string | null {
  if (addressPermitted(address, domains)) return null;
  return (
    `Premiere will refuse ${socketOrigin(address)}: the panel's manifest allows only ${(domains as readonly string[]).filter((d) => d.startsWith("ws")).join(", ")}. ` +
    "Add the address to requiredPermissions.network.domains in plugin/manifest.json, rebuild and reload the plugin (docs/plugin.md)."
  );
}
