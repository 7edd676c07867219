"use client";

export type SelectOption = { value: string; label: string };

/** A labelled <select> over value/label options; `empty` adds a first option with the value "". */
export function SelectField({
  label,
  value,
  options,
  onChange,
  empty,
}: {
  label: string;
  value: string;
  options: readonly SelectOption[];
  onChange: (value: string) => void;
  empty?: string;
}) {
  return (
    <label>
      {label}
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        {empty !== undefined ? <option value="">{empty}</option> : null}
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </label>
  );
}
