import { startPageImport } from "./app/early-pages";
import "./index.css";

/**
 * The entry is tiny on purpose: it asks for the app and, for a page that is loaded on demand, that
 * page's code at the same moment, so both download and compile side by side.
 */
const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root");
startPageImport(window.location.pathname);
void import("./app/start").then(({ start }) => start(root));
