/** A request the generator will not carry out: it says why, exits 2 and writes nothing. */
export class Refusal extends Error {
  override name = "Refusal";
}
