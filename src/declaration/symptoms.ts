/**
 * The symptoms a declaration offers as choices (Q9: forms anyone can fill), stored in Chinese — as the baseline
 * rules and the provinces' read them — with their English. A symptom outside the list (the API takes any short
 * text) is shown as written. Pure data.
 */
export const SYMPTOMS: readonly (readonly [zh: string, en: string])[] = [
  ['发热', 'Fever'],
  ['咳嗽', 'Cough'],
  ['乏力', 'Fatigue'],
  ['咽痛', 'Sore throat'],
  ['腹泻', 'Diarrhoea'],
  ['嗅觉味觉减退', 'Loss of smell or taste'],
];

const EN: ReadonlyMap<string, string> = new Map(SYMPTOMS);

/** A symptom's English, or the symptom as written when it is not one of the choices. */
export function symptomEn(symptom: string): string {
  return EN.get(symptom) ?? symptom;
}
