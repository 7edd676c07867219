import type { TPiiType } from "./pii-types.ts";

export type THintStrength = "STRONG" | "WEAK";

/** Splits `customerEmail`, `customer-email` and `Customer Email` alike into `customer_email`. */
export const normaliseColumnName = (name: string): string =>
  name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");

// A strong hint lets the looser value test decide (a `first_name` of "Zbigniew" is a name even though no
// dictionary knows it); a weak hint only adds a little confidence to the strict test (a bare `name`
// column in a catalogue holds product names).
const HINTS: { type: TPiiType; strong?: RegExp; weak?: RegExp; unless?: RegExp }[] = [
  { type: "EMAIL", strong: /(^|_)e_?mail(_|$)|(^|_)mail_?addr/ },
  { type: "PHONE", strong: /(^|_)(phone|mobile|telephone|tel|cell|fax|msisdn|phonenumber|telno)(_|$)/ },
  {
    type: "PERSON_NAME",
    strong:
      /(^|_)(first|last|given|family|middle|full|customer|contact|person|billing|shipping|recipient|cardholder|holder|sur|fore|maiden)_?name$|^(surname|forename|firstname|lastname|fullname)$/,
    weak: /^name$|(^|_)(customer|buyer|shopper|client|user)$/,
  },
  {
    type: "POSTAL_ADDRESS",
    strong: /(^|_)(address|addr|street|address_line_?\d?)(_|$)|(billing|shipping|home|postal|delivery)_?addr/,
    unless: /e_?mail|(^|_)ip(_|$)|mac|url|web|wallet/,
  },
  { type: "POSTCODE", strong: /post_?code|(^|_)zip(_?code)?(_|$)|postal_?code|(^|_)plz(_|$)|eircode/ },
  { type: "IP_ADDRESS", strong: /(^|_)ip(_|$)|ip_?addr|ipv[46]|remote_addr|client_ip/ },
  {
    type: "PAYMENT_CARD",
    strong: /card_?(number|no|num)|(^|_)pan(_|$)|(^|_)cc_?(number|num|no)(_|$)|credit_?card/,
  },
  { type: "IBAN", strong: /(^|_)iban(_|$)|bank_?account/ },
  { type: "DATE_OF_BIRTH", strong: /birth|(^|_)dob(_|$)|(^|_)born(_|$)|birthday/ },
  { type: "FREE_TEXT", weak: /comment|note|message|review|remark|feedback|(^|_)body(_|$)|(^|_)text(_|$)/ },
];

/** The hint a column name gives for one kind of personal data, if any. */
export const nameHint = (columnName: string, type: TPiiType): THintStrength | null => {
  const name = normaliseColumnName(columnName);
  const hint = HINTS.find((h) => h.type === type);
  if (!hint || (hint.unless?.test(name) ?? false)) return null;
  if (hint.strong?.test(name)) return "STRONG";
  if (hint.weak?.test(name)) return "WEAK";
  return null;
};
