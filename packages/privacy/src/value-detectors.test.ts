import { describe, expect, it } from "vitest";
import {
  findEmbeddedPii,
  ibanValid,
  isEmail,
  isIpAddress,
  isPaymentCard,
  isPersonName,
  isPhone,
  isPostalAddress,
  isPostcode,
  luhnValid,
} from "./value-detectors.ts";

describe("value detectors", () => {
  it("checks Luhn on the published test numbers", () => {
    // Test card numbers the schemes publish for integration testing.
    expect(luhnValid("4111111111111111")).toBe(true);
    expect(luhnValid("5555555555554444")).toBe(true);
    expect(luhnValid("378282246310005")).toBe(true);
    expect(luhnValid("4111111111111112")).toBe(false);
    expect(isPaymentCard("4111 1111 1111 1111")).toBe(true);
    // Luhn-valid but no card scheme starts with 9.
    expect(isPaymentCard("9111111111111119")).toBe(false);
  });

  it("checks IBANs with mod 97 (ISO 13616 examples)", () => {
    expect(ibanValid("GB82 WEST 1234 5698 7654 32")).toBe(true);
    expect(ibanValid("DE89370400440532013000")).toBe(true);
    expect(ibanValid("GB82WEST12345698765433")).toBe(false);
    expect(ibanValid("SKU12345678901234")).toBe(false);
  });

  it("tells emails, phones, IPs and postcodes from codes and numbers", () => {
    expect(isEmail("j.doe+shop@example.co.uk")).toBe(true);
    expect(isEmail("SKU@123")).toBe(false);
    expect(isPhone("+44 20 7946 0958")).toBe(true);
    expect(isPhone("(555) 123-4567")).toBe(true);
    expect(isPhone("020 7946 0958")).toBe(true);
    expect(isPhone("1234567890123456")).toBe(false);
    expect(isPhone("10.20.30.40")).toBe(false);
    expect(isPhone("12.99")).toBe(false);
    expect(isIpAddress("192.168.0.1")).toBe(true);
    expect(isIpAddress("2001:db8::1")).toBe(true);
    expect(isIpAddress("256.1.1.1")).toBe(false);
    expect(isIpAddress("1.2.3")).toBe(false);
    expect(isPostcode("SW1A 1AA")).toBe(true);
    expect(isPostcode("85123A")).toBe(false);
  });

  it("knows names and addresses but not product titles", () => {
    expect(isPersonName("Maria Garcia")).toBe(true);
    expect(isPersonName("Smith, John")).toBe(true);
    expect(isPersonName("Red Wool Scarf")).toBe(false);
    expect(isPersonName("Green")).toBe(false);
    expect(isPostalAddress("221B Baker Street, London")).toBe(true);
    expect(isPostalAddress("Hauptstraße 5")).toBe(true);
    expect(isPostalAddress("Pack of 12 mugs")).toBe(false);
  });

  it("finds PII inside free text", () => {
    const text = "Call +44 20 7946 0958 or mail ann@example.com; order SKU-12345 costs 12.99";
    expect(findEmbeddedPii(text).map((m) => [m.type, text.slice(m.start, m.end).trim()])).toEqual([
      ["PHONE", "+44 20 7946 0958"],
      ["EMAIL", "ann@example.com"],
    ]);
  });
});
