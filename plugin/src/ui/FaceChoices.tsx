import type { FaceBox } from '@mend/protocol';
import type { SourceKind } from '../workflows/host';
import { Checkbox } from './widgets';

/** A face Find faces found, as the panel lists it. */
export interface FaceEntry {
  box: FaceBox;
  /** The detector's confidence, 0..1. */
  score: number;
  /** Its thumbnail's URL; absent when Photoshop could not encode it (the face is still listed, by position). */
  picture?: string;
  ticked: boolean;
  /** Set once Restore faces restored it: its identity check (identity absent when the identity model was not available). */
  restored?: { identity?: number; mayNotLookLikeSamePerson?: boolean };
}

/** The faces found in one source, and what restored them once restored. */
export interface FoundFaces {
  /** The source they were found in: Restore faces reads the same, so the boxes fit. */
  source: SourceKind;
  entries: FaceEntry[];
  /** After Restore faces: the helper's name for what restored them. */
  restorer?: string;
}

const THUMBNAIL_SIDE = 48;

/** A face's identity in the list: its box. */
export const boxKey = ({ x, y, width, height }: FaceBox) => `${x},${y},${width},${height}`;

/** "Face 1 · score 0.98": the checkbox's label. */
export function faceLabel(index: number, entry: FaceEntry): string {
  return `Face ${index + 1} · score ${entry.score.toFixed(2)}`;
}

function identityLine({ identity, mayNotLookLikeSamePerson }: NonNullable<FaceEntry['restored']>): string {
  if (identity === undefined) return 'Identity not checked (the identity model is not available).';
  const score = `Identity ${identity.toFixed(2)}`;
  return mayNotLookLikeSamePerson ? `${score}: may not look like the same person` : `${score}: looks like the same person`;
}

/** Each face found: its thumbnail, a checkbox (ticked: restore it), its score, and after restoring, its identity check. */
export function FaceChoices({ found, onTick }: { found: FoundFaces; onTick(index: number, ticked: boolean): void }) {
  return (
    <div role="group" aria-label="Faces found">
      {found.entries.map((entry, index) => {
        const label = faceLabel(index, entry);
        const { x, y, width, height } = entry.box;
        const where = `at ${Math.round(x)}, ${Math.round(y)} (${Math.round(width)}×${Math.round(height)} px)`;
        return (
          <div className="face" key={boxKey(entry.box)}>
            {entry.picture && <img src={entry.picture} width={THUMBNAIL_SIDE} height={THUMBNAIL_SIDE} alt={label} />}
            <div>
              <Checkbox label={label} checked={entry.ticked} onToggle={(ticked) => onTick(index, ticked)} />
              <sp-detail>{where}</sp-detail>
              {entry.restored && <sp-detail role="status">{identityLine(entry.restored)}</sp-detail>}
            </div>
          </div>
        );
      })}
      {found.restorer !== undefined && <sp-detail>Restored by: {found.restorer}</sp-detail>}
    </div>
  );
}
