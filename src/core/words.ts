// Small English for messages built from names: "a product", "an item", "a user".

/** Vowel letters that sound like a consonant ("user", "unit", "euro", "one"), and a silent h ("hour"). */
const consonantSound = /^(u[bcfhjkln-t][aeiou]|uni|use|usu|eu|one|once)/i;
const vowelSound = /^(hour|honest|honou?r|heir)/i;

/** `a` or `an` for the word that follows. */
export function indefiniteArticle(word: string): "a" | "an" {
  if (vowelSound.test(word)) return "an";
  if (consonantSound.test(word)) return "a";
  return /^[aeiou]/i.test(word) ? "an" : "a";
}

/** The words with their article, capitalised: `A product`, `An item`. */
export const withArticle = (words: string) => {
  const article = indefiniteArticle(words);
  return `${article.charAt(0).toUpperCase()}${article.slice(1)} ${words}`;
};
