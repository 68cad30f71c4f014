/** Roles from least to most privileged; the order is what `roleAtLeast` compares. */
export const roles = ["viewer", "editor", "admin"] as const;

export type Role = (typeof roles)[number];

/** Narrows an untrusted value (a token claim, a body field) to a known role. */
export const isRole = (value: unknown): value is Role => roles.some((role) => role === value);

/** True when `actual` grants at least what `needed` does (admin ⊇ editor ⊇ viewer). */
export const roleAtLeast = (actual: Role, needed: Role): boolean => roles.indexOf(actual) >= roles.indexOf(needed);
