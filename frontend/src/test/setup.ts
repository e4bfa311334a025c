import "@testing-library/jest-dom/vitest";
import { cleanup, configure } from "@testing-library/react";
import { afterEach } from "vitest";

afterEach(() => cleanup());

// The machine running the tests may be busy: give findBy*/waitFor more than the default second.
configure({ asyncUtilTimeout: 5000 });
