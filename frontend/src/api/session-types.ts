import type { components } from "./schema";

export type Role = components["schemas"]["Role"];
