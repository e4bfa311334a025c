import { render, screen } from "@testing-library/react";
import { expect, test } from "vitest";
import { Avatar, initials } from "./avatar";

test("initials are the first letters of the first two names, capitalised", () => {
  expect(initials("ada  lovelace byron")).toBe("AL");
  expect(initials("Plato")).toBe("P");
  expect(initials("   ")).toBe("?");
});

test("without a picture the avatar shows the initials", () => {
  render(<Avatar name="Grace Hopper" />);
  expect(screen.getByText("GH")).toBeInTheDocument();
});
