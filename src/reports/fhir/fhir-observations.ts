import { methodClassOf } from '../../change-detection/types';
import type { LabResultDto } from '../../labs/dto/lab.dto';
import type { EvaluationDto } from '../../visits/dto/evaluation.dto';
import type { ReportDepositDto } from '../dto/patient-report.dto';
import { words } from '../report-labels';
import { LAB_CODES, MEASUREMENT_CODES, SYSTEMS, type LabField, type QuantityCode } from './fhir-codes';
import { namedUuid } from './fhir-ids';
import { category, codeOf, compact, quantity, ref, text } from './fhir-elements';
import type { FhirResource, Reference } from './fhir.types';

type Measured = keyof typeof MEASUREMENT_CODES;

function measuredValues(e: EvaluationDto): [Measured, number | null][] {
  return [
    ['longest', e.longestDiameterMm],
    ['perpendicular', e.perpendicularDiameterMm],
    ['depth', e.depthMm],
    ['area', e.areaMm2],
    ['volume', e.volumeMm3],
    ['pain', e.painScore],
  ];
}

function sign(code: string, display: string, value: Record<string, unknown>) {
  return { code: { coding: [{ system: SYSTEMS.measurement, code, display }], text: display }, ...value };
}

/** Signs and descriptors of the deposit at one evaluation, as components of one Observation. */
function findingComponents(e: EvaluationDto) {
  return [
    sign('ulcerated', 'Ulcerated', { valueBoolean: e.ulcerated }),
    sign('infection-signs', 'Signs of infection', { valueBoolean: e.infectionSigns }),
    sign('inflammation', 'Inflammation', { valueBoolean: e.inflammation }),
    sign('nerve-compression', 'Nerve compression', { valueBoolean: e.nerveCompression }),
    sign('drainage', 'Drainage', { valueCodeableConcept: text(e.drainage) }),
    ...(e.shape ? [sign('shape', 'Shape', { valueCodeableConcept: text(e.shape) })] : []),
    ...(e.margin ? [sign('margin', 'Margin', { valueCodeableConcept: text(e.margin) })] : []),
    ...(e.mobility ? [sign('mobility', 'Mobility', { valueCodeableConcept: text(e.mobility) })] : []),
    ...(e.position ? [sign('position', 'Position from an anatomical landmark', { valueString: positionText(e.position) })] : []),
  ];
}

function positionText(p: NonNullable<EvaluationDto['position']>): string {
  const offset = [p.xMm === null ? null : `x ${p.xMm} mm`, p.yMm === null ? null : `y ${p.yMm} mm`].filter(Boolean).join(', ');
  return offset ? `${offset} from ${p.landmark}` : p.landmark;
}

/**
 * One Observation per measured value of an evaluation (longest, perpendicular, depth, area, volume,
 * pain), plus one holding its signs. Each has `focus` on the deposit's BodyStructure; an amended
 * evaluation's Observations are `amended`, its original values stay in the JSON report's amendments.
 */
export function evaluationObservations(d: ReportDepositDto, e: EvaluationDto, patient: Reference): FhirResource[] {
  const common = {
    status: e.version > 1 ? 'amended' : 'final',
    subject: patient,
    focus: [ref(d.id, d.label)],
    effectiveDateTime: e.visitDate,
    issued: new Date(e.recordedAt).toISOString(),
    method: text(words(e.method)),
  };
  const byMethod = category(methodClassOf(e.method) === 'clinical' ? 'exam' : 'imaging');
  const values = measuredValues(e)
    .filter((entry): entry is [Measured, number] => entry[1] !== null)
    .map(([what, value]): FhirResource => {
      const c: QuantityCode = MEASUREMENT_CODES[what];
      return {
        resourceType: 'Observation',
        id: namedUuid(e.id, c.code),
        ...common,
        category: what === 'pain' ? category('survey') : byMethod,
        code: codeOf(c),
        valueQuantity: quantity(value, c.unit),
      };
    });
  const findings: FhirResource = compact({
    resourceType: 'Observation',
    id: namedUuid(e.id, 'findings'),
    ...common,
    category: byMethod,
    code: { coding: [{ system: SYSTEMS.measurement, code: 'findings', display: 'Findings at a calcinosis deposit' }], text: 'Findings at a calcinosis deposit' },
    note: e.notes ? [{ text: e.notes }] : undefined,
    component: findingComponents(e),
  });
  return [...values, findings];
}

const LAB_FIELDS = Object.keys(LAB_CODES) as LabField[];

/** Derived values point at what they were computed from. */
const DERIVED_FROM: Partial<Record<LabField, LabField[]>> = {
  correctedCalciumMgDl: ['calciumMgDl', 'albuminGDl'],
  calciumPhosphateProduct: ['calciumMgDl', 'phosphateMgDl'],
};

/** One Observation per analyte given, in conventional units, LOINC-coded where a code is certain. */
export function labObservations(l: LabResultDto, patient: Reference): FhirResource[] {
  const present = LAB_FIELDS.filter((f) => l[f] !== null && l[f] !== undefined);
  const idOf = (f: LabField) => namedUuid(l.id, LAB_CODES[f].code);
  return present.map((f) =>
    compact({
      resourceType: 'Observation',
      id: idOf(f),
      status: 'final',
      category: category('laboratory'),
      code: codeOf(LAB_CODES[f], SYSTEMS.lab),
      subject: patient,
      effectiveDateTime: l.collectedOn,
      issued: new Date(l.createdAt).toISOString(),
      valueQuantity: quantity(l[f] as number, LAB_CODES[f].unit),
      derivedFrom: (DERIVED_FROM[f] ?? []).filter((source) => present.includes(source)).map((source) => ref(idOf(source))),
    }),
  );
}
