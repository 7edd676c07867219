import type { TAttributes } from "@dam/attributes/extract-attributes";
import type { TColumnType } from "@dam/vocabulary/column-types";

/** The columns an attribute extraction adds to the catalogue, in table order, with their roles. */
export const ATTRIBUTE_COLUMNS: {
  name: string;
  type: TColumnType;
  role: string | null;
  value: (a: TAttributes) => string | number | null;
}[] = [
  { name: "extracted_colour", type: "text", role: "colour", value: (a) => a.colour },
  { name: "extracted_material", type: "text", role: "material", value: (a) => a.material },
  { name: "extracted_size", type: "text", role: "size", value: (a) => a.size },
  { name: "extracted_pack_quantity", type: "integer", role: "packQuantity", value: (a) => a.packQuantity },
  { name: "extracted_brand", type: "text", role: null, value: (a) => a.brand },
  { name: "extracted_product_type", type: "text", role: "productType", value: (a) => a.productType },
  { name: "extracted_category", type: "text", role: null, value: (a) => a.category },
];

/** Default text: the title and the description, whichever the version has. */
export const defaultAttributeTemplate = (roles: (string | null | undefined)[]): string | null => {
  const parts = ["title", "description"].filter((role) => roles.includes(role)).map((role) => `{${role}}`);
  return parts.length > 0 ? parts.join(". ") : null;
};
