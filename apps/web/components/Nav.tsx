"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

interface NavItem {
  label: string;
  href?: string;
}

/** Every area of the platform; items without href are not built yet. */
const AREAS: NavItem[] = [
  { label: "Dashboard", href: "/" },
  { label: "Datasets", href: "/datasets" },
  { label: "Quality", href: "/quality" },
  { label: "Lineage", href: "/lineage" },
  { label: "Labelling", href: "/labelling" },
  { label: "Features & Segments", href: "/features" },
  { label: "Models", href: "/models" },
  { label: "Experiments", href: "/experiments" },
  { label: "Audiences", href: "/audiences" },
  { label: "Search", href: "/search" },
  { label: "Search & Recommend", href: "/playground" },
  { label: "Privacy", href: "/privacy" },
  { label: "Jobs", href: "/jobs" },
  { label: "Admin", href: "/admin" },
];

// A labeller works their queue and nothing else (the API refuses the other areas to them).
const LABELLER_AREAS = new Set(["Dashboard", "Labelling"]);

function isActive(pathname: string, href: string): boolean {
  return href === "/" ? pathname === "/" : pathname === href || pathname.startsWith(`${href}/`);
}

export function Nav({ role }: { role?: string }) {
  const pathname = usePathname();
  const areas = role === "LABELLER" ? AREAS.filter((area) => LABELLER_AREAS.has(area.label)) : AREAS;
  return (
    <nav className="nav" aria-label="Main">
      <ul>
        {areas.map((area) =>
          area.href ? (
            <li key={area.label}>
              <Link
                href={area.href}
                className={isActive(pathname, area.href) ? "nav-item active" : "nav-item"}
                aria-current={isActive(pathname, area.href) ? "page" : undefined}
              >
                {area.label}
              </Link>
            </li>
          ) : (
            <li key={area.label}>
              <span className="nav-item disabled" aria-disabled="true" title="Not available yet">
                {area.label}
                <span className="soon">soon</span>
              </span>
            </li>
          ),
        )}
      </ul>
    </nav>
  );
}
