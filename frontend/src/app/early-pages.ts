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
const DIRECTORY = /^\/experts\/?$/;
const EXPERT_PROFILE = /^\/experts\/([^/]+)\/?$/;

/**
 * Ask the browser to fetch what the API request a page starts with will need, now: the router's loader
 * sends the same anonymous GET once the app runs, and the browser answers it from this preload.
 */
function preloadApi(path: string): void {
  const link = document.createElement("link");
  link.rel = "preload";
  link.as = "fetch";
  link.crossOrigin = "anonymous";
  link.href = path;
  document.head.append(link);
}

export function startPageImport(path: string): void {
  // A failure here is left to the router, which imports again and shows its error page.
  const ignore = () => undefined;
  if (DIRECTORY.test(path)) directoryPage().catch(ignore);
  const expert = EXPERT_PROFILE.exec(path)?.[1];
  if (expert) {
    expertProfilePage().catch(ignore);
    preloadApi(`/v1/experts/${expert}`);
  }
}
