// version.js — which build this is, stamped by build.sh (the service worker's
// version, and the build time in seconds). The core's worker is named by
// VERSION, so a new build starts a new worker; when two builds want the same
// database, the one with the later BUILT wins (docs/browser-internals.md,
// "Many tabs"). Unstamped (served from the source tree) it is "dev", built 0.
const version = "__SXWEB_VERSION__";
export const VERSION = version.startsWith("__") ? "dev" : version;
export const BUILT = Number("__SXWEB_BUILT__") || 0;

/** Whether build a ({version, built}) is newer than build b. */
export function newer(a, b) {
  if (a.built !== b.built) return a.built > b.built;
  return a.version > b.version; // built in the same second: any fixed order will do
}
