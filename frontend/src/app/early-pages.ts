/**
 * Pages whose code the entry starts loading from the address alone, in parallel with the app itself,
 * because visits often begin there (search results and expert profiles are what people share and
 * what search engines link to). Without this, a page's code would be requested only once the app's
 * code had been run, one round of download and compile after the other. The router loads these
 * pages through the same functions, so each module is fetched once.
 */
export const directoryPage = () => import("@/features/directory/routes/directory");
export const expertProfilePage = () => import("./routes/expert-profile");

/** The router's paths `experts` and `experts/:expertId`. */
const EARLY: [RegExp, () => Promise<unknown>][] = [
  [/^\/experts\/?$/, directoryPage],
  [/^\/experts\/[^/]+\/?$/, expertProfilePage],
];

export function startPageImport(path: string): void {
  // A failure here is left to the router, which imports again and shows its error page.
  EARLY.find(([pattern]) => pattern.test(path))?.[1]().catch(() => undefined);
}
