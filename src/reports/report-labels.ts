// How the coded values of the domain read in a printed report or a FHIR text.

import type { Condition } from '../patients/patient.entity';

const WORDS: Readonly<Record<string, string>> = {
  'iv-sodium-thiosulfate': 'IV sodium thiosulfate',
  ivig: 'IVIG',
  xray: 'X-ray',
  ct: 'CT',
  mri: 'MRI',
  'head-neck': 'head and neck',
  'not-applicable': 'laterality not applicable',
  'plaque-nodule': 'plaque/nodule',
  'systemic-sclerosis-limited': 'systemic sclerosis, limited cutaneous',
  'systemic-sclerosis-diffuse': 'systemic sclerosis, diffuse cutaneous',
  'juvenile-dermatomyositis': 'juvenile dermatomyositis',
  'chronic-kidney-disease': 'chronic kidney disease',
  other: 'other',
};

/** 'iv-sodium-thiosulfate' → 'IV sodium thiosulfate'; 'watchful-waiting' → 'watchful waiting'. */
export function words(code: string): string {
  return WORDS[code] ?? code.replace(/-/g, ' ');
}

export function conditionLabel(condition: Condition): string {
  return condition === 'other' ? 'other underlying condition' : words(condition);
}

/** 'watchful waiting' → 'Watchful waiting': for a title or a sentence start. */
export function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
