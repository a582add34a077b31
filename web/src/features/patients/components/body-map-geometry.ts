// Where each body site sits on the body map: two outline figures (front, back) side by side in
// one 440 × 460 coordinate space. The front figure faces the viewer, so the patient's right is on
// the viewer's left; on the back figure the patient's right is on the viewer's right.
import type { Laterality, Site } from '../../../api/types';

export const MAP_WIDTH = 440;
export const MAP_HEIGHT = 470;
export const FIGURE_WIDTH = 200;
export const BACK_OFFSET = 240;

type View = 'front' | 'back';

/** x on the front figure for the patient's right side (viewer's left), and y. */
const SITES: Record<Exclude<Site, 'other'>, { x: number; y: number; view: View; centre?: boolean }> = {
  'head-neck': { x: 90, y: 48, view: 'front', centre: true },
  shoulder: { x: 64, y: 90, view: 'front' },
  'upper-arm': { x: 52, y: 128, view: 'front' },
  elbow: { x: 44, y: 166, view: 'back' },
  forearm: { x: 38, y: 200, view: 'front' },
  wrist: { x: 33, y: 234, view: 'front' },
  hand: { x: 30, y: 256, view: 'front' },
  finger: { x: 27, y: 284, view: 'front' },
  trunk: { x: 88, y: 150, view: 'front', centre: true },
  buttock: { x: 86, y: 236, view: 'back' },
  hip: { x: 72, y: 228, view: 'front' },
  thigh: { x: 82, y: 278, view: 'front' },
  knee: { x: 82, y: 324, view: 'front' },
  leg: { x: 83, y: 364, view: 'front' },
  ankle: { x: 84, y: 402, view: 'front' },
  foot: { x: 82, y: 420, view: 'front' },
  toe: { x: 80, y: 436, view: 'front' },
  visceral: { x: 100, y: 178, view: 'front', centre: true },
};

export interface MapPoint {
  x: number;
  y: number;
  view: View;
}

/**
 * The points of a deposit on the map: one for a side, two for both sides, the middle for midline
 * (or a site without sides). `other` sites have no place on the figure (null: listed beside it).
 */
export function pointsOf(site: Site, laterality: Laterality): MapPoint[] | null {
  if (site === 'other') return null;
  const s = SITES[site];
  const offset = s.view === 'back' ? BACK_OFFSET : 0;
  const right = s.view === 'front' ? s.x : FIGURE_WIDTH - s.x;
  const left = FIGURE_WIDTH - right;
  const at = (x: number): MapPoint => ({ x: offset + x, y: s.y, view: s.view });
  switch (laterality) {
    case 'right':
      return [at(right)];
    case 'left':
      return [at(left)];
    case 'bilateral':
      return [at(right), at(left)];
    default:
      return [at(s.centre ? FIGURE_WIDTH / 2 : right)];
  }
}

/** Markers at the same spot fan out so each stays visible and clickable. */
export function spread(points: { key: string; point: MapPoint }[]): Map<string, MapPoint> {
  const seen = new Map<string, number>();
  const out = new Map<string, MapPoint>();
  for (const { key, point } of points) {
    const spot = `${Math.round(point.x)}:${Math.round(point.y)}`;
    const n = seen.get(spot) ?? 0;
    seen.set(spot, n + 1);
    const centre = point.view === 'back' ? BACK_OFFSET + FIGURE_WIDTH / 2 : FIGURE_WIDTH / 2;
    const away = point.x <= centre ? -1 : 1;
    out.set(key, { ...point, x: point.x + away * n * 6, y: point.y + n * 16 });
  }
  return out;
}

/** One outline figure (drawn for this app): head, neck, torso, arms and legs. */
export const FIGURE_PATHS = [
  // head
  'M100 14c13 0 22 10 22 24s-9 26-22 26-22-12-22-26 9-24 22-24z',
  // neck and torso
  'M91 62h18l2 12 26 8c8 3 12 9 12 18l-2 42c-2 20-6 40-8 60l-3 26c-1 6-6 10-12 10H72c-6 0-11-4-12-10l-3-26c-2-20-6-40-8-60l-2-42c0-9 4-15 12-18l26-8z',
  // patient's right arm (viewer's left on the front)
  'M62 86c-8 2-12 8-13 16l-6 56-7 38-6 40-4 22-4 24c-1 6 6 8 8 2l5-16 3 14c1 5 7 5 7 0l-1-20 4-20 6-40 8-38 6-50z',
  // the other arm
  'M138 86c8 2 12 8 13 16l6 56 7 38 6 40 4 22 4 24c1 6-6 8-8 2l-5-16-3 14c-1 5-7 5-7 0l1-20-4-20-6-40-8-38-6-50z',
  // legs
  'M72 236h26l-2 50-4 40-2 40-2 36 2 20c1 8-4 12-12 12H66c-6 0-8-6-4-10l10-18-2-40-4-40-2-40z',
  'M128 236h-26l2 50 4 40 2 40 2 36-2 20c-1 8 4 12 12 12h12c6 0 8-6 4-10l-10-18 2-40 4-40 2-40z',
];
