// A resource's name in every casing the code, the URLs, the tables and the prose use.
import { indefiniteArticle } from "../../core/words";

export interface ResourceNames {
  /** As declared: kebab-case singular, e.g. `stock-item`. */
  kebab: string;
  kebabPlural: string;
  camel: string;
  camelPlural: string;
  pascal: string;
  pascalPlural: string;
  snakePlural: string;
  /** Words for prose: `stock item`, `stock items`, and the article for the singular. */
  words: string;
  wordsPlural: string;
  article: "a" | "an";
}

export const capitaliseFirst = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

/** Simple English plural of the last word: box → boxes, category → categories, item → items. */
export function pluralise(word: string): string {
  if (/[^aeiou]y$/.test(word)) return `${word.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/.test(word)) return `${word}es`;
  return `${word}s`;
}

export function namesOf(kebab: string, kebabPlural?: string): ResourceNames {
  const parts = kebab.split("-");
  const plural = kebabPlural ?? [...parts.slice(0, -1), pluralise(parts.at(-1) ?? kebab)].join("-");
  const camel = (name: string) =>
    name
      .split("-")
      .map((part, index) => (index === 0 ? part : capitaliseFirst(part)))
      .join("");
  const words = parts.join(" ");
  return {
    kebab,
    kebabPlural: plural,
    camel: camel(kebab),
    camelPlural: camel(plural),
    pascal: capitaliseFirst(camel(kebab)),
    pascalPlural: capitaliseFirst(camel(plural)),
    snakePlural: plural.split("-").join("_"),
    words,
    wordsPlural: plural.split("-").join(" "),
    article: indefiniteArticle(words),
  };
}
