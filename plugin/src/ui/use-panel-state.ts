import { useRef, useState } from 'react';
import { CancelToken } from '../helper-client/cancel-token';
import { keepVariant, nextVariant, runCompare, showVariant } from '../workflows/compare';
import { findFaces, restoreFaces } from '../workflows/faces';
import type { SourceKind } from '../workflows/host';
import { maskOutInventedDetail } from '../workflows/invented-detail';
import type { LayerSettings } from '../workflows/operations';
import { findDefects, runOperation, type WorkflowCallbacks, type WorkflowDependencies } from '../workflows/run-operation';
import { describeError, type PanelError } from './error-message';
import { boxKey, type FaceEntry, type FoundFaces } from './FaceChoices';
import type { HelperApi } from './helper-connection';
import { compareRequest, DEFAULT_CHOICES, operationRequest, runLabel, withChoice, type OperationChoices } from './operation-choices';
import type { PanelServices } from './panel-services';
import type { Running } from './ProgressView';
import type { CompareEntry, LayerResult, Result, ResultActions } from './ResultsList';
import type { SelfTestRun } from './SelfTestView';

type Work = (deps: WorkflowDependencies, callbacks: WorkflowCallbacks & { cancel: CancelToken }) => Promise<void>;

/**
 * What the panel holds and does: the user's choices, the operation running (one at a time), its error or
 * notice, the results written so far, and the self-test. `connectedHelper` answers the helper only while
 * the panel is connected.
 */
export function usePanelState({ host, runSelfTest }: Pick<PanelServices, 'host' | 'runSelfTest'>, connectedHelper: () => HelperApi | undefined) {
  const [choices, setChoices] = useState<OperationChoices>(DEFAULT_CHOICES);
  const [running, setRunning] = useState<Running>();
  const [error, setError] = useState<PanelError>();
  const [notice, setNotice] = useState<string>();
  const [results, setResults] = useState<Result[]>([]);
  const [selfTest, setSelfTest] = useState<SelfTestRun>();
  const [faces, setFaces] = useState<FoundFaces>();
  const selfTestRunning = useRef(false);

  const choose = (patch: Partial<OperationChoices>) => setChoices((current) => withChoice(current, patch));
  const changeLayer = (patch: Partial<LayerSettings>) => setChoices((current) => ({ ...current, layer: { ...current.layer, ...patch } }));

  /** Runs `work` with its progress shown and Cancel offered: a failure becomes the panel's error, a cancel a notice. */
  async function run(label: string, work: Work) {
    const helper = connectedHelper();
    if (!helper) return;
    const cancel = new CancelToken();
    setRunning({ label, stage: 'reading', cancel });
    setError(undefined);
    setNotice(undefined);
    try {
      await work(
        { host, helper },
        {
          cancel,
          onStage: (stage) => setRunning((r) => r && { ...r, stage }),
          onProgress: (progress) => setRunning((r) => r && { ...r, progress, waitingBehind: undefined }),
          onQueued: (position) => setRunning((r) => r && { ...r, waitingBehind: position > 0 ? position : undefined }),
        },
      );
    } catch (caught) {
      if (!cancel.cancelled) setError(describeError(caught));
      else setNotice('Cancelled. The document was not changed.');
    } finally {
      setRunning(undefined);
    }
  }

  function runChosen(source?: SourceKind) {
    if (choices.operation === 'compare') {
      const request = compareRequest(choices, source);
      return run(runLabel(choices), async (deps, callbacks) => {
        const compare = await runCompare(deps, request, callbacks);
        setResults((list) => [{ kind: 'compare', compare, shown: 0 }, ...list]);
      });
    }
    const request = operationRequest(choices, source);
    return run(runLabel(choices), async (deps, callbacks) => {
      const done = await runOperation(deps, request, callbacks);
      const inventedDetail = done.inventedDetail && { overlay: done.inventedDetail, bounds: done.bounds, visible: false };
      setResults((list) => [
        { kind: 'layer', name: done.name, documentTitle: done.documentTitle, layer: done.layer, visible: true, ...(inventedDetail ? { inventedDetail } : {}) },
        ...list,
      ]);
    });
  }

  /** Faces, step 1: the faces of the source, listed with their thumbnails, all ticked. Nothing is written. */
  const findChosenFaces = (source: SourceKind = choices.layer.source) =>
    run('Find faces', async (deps, callbacks) => {
      setFaces(undefined);
      const found = await findFaces(deps, source, callbacks);
      // A thumbnail Photoshop cannot encode leaves its face listed by position: the face can still be restored.
      const pictures = await Promise.all(found.map((face) => host.pictureUrl(face.thumbnail).catch(() => undefined)));
      const entries = found.map(({ box, score }, i): FaceEntry => ({ box, score, ticked: true, ...(pictures[i] ? { picture: pictures[i] } : {}) }));
      setFaces({ source, entries });
    });

  /** Faces, step 2: the ticked faces restored into one masked layer; each then shows its identity check. */
  function restoreTickedFaces() {
    if (!faces) return;
    const chosen = faces.entries.filter((entry) => entry.ticked);
    if (chosen.length === 0) return;
    const { grow, feather, opacity, blendMode } = choices.layer;
    const request = { source: faces.source, faces: chosen.map((entry) => entry.box), strength: choices.faceStrength, grow, feather, opacity, blendMode };
    return run('Restore faces', async (deps, callbacks) => {
      const done = await restoreFaces(deps, request, callbacks);
      setResults((list) => [{ kind: 'layer', name: done.name, documentTitle: done.documentTitle, layer: done.layer, visible: true }, ...list]);
      // The helper answers the chosen faces in the order sent.
      const checks = new Map(chosen.map((entry, i) => [boxKey(entry.box), done.faces[i]]));
      setFaces((current) => {
        if (!current) return current;
        const entries = current.entries.map((entry): FaceEntry => {
          const check = checks.get(boxKey(entry.box));
          const { restored: _previous, ...rest } = entry;
          return check ? { ...rest, restored: { identity: check.identity, mayNotLookLikeSamePerson: check.mayNotLookLikeSamePerson } } : rest;
        });
        return { ...current, entries, restorer: done.restorer };
      });
    });
  }

  const findDustAndScratches = () =>
    run('Find dust & scratches', async (deps, callbacks) => {
      const { share } = await findDefects(deps, { source: choices.layer.source, sensitivity: choices.sensitivity / 100 }, callbacks);
      setNotice(
        `Found defects on ${(share * 100).toFixed(2)} % of the pixels. They are now selected: review the selection (add or remove with the selection tools), then click Repair.`,
      );
    });

  /** Does `change` to the document and then replaces `result` in the list by `updated`; a failure becomes the panel's error. */
  async function update(result: Result, change: () => Promise<void>, updated: () => Result, done?: string) {
    setError(undefined);
    setNotice(undefined);
    try {
      await change();
      setResults((list) => list.map((r) => (r === result ? updated() : r)));
      if (done) setNotice(done);
    } catch (caught) {
      setError(describeError(caught));
    }
  }

  const actions: ResultActions = {
    onToggle: (result) =>
      void update(
        result,
        () => host.setLayerVisible(result.layer, !result.visible),
        () => ({ ...result, visible: !result.visible }),
      ),
    onReveal: (result) => void host.reveal(result.layer).catch((caught: unknown) => setError(describeError(caught))),
    onToggleMap: (result) => {
      const map = result.inventedDetail;
      if (map)
        void update(
          result,
          () => host.setLayerVisible(map.overlay, !map.visible),
          () => ({ ...result, inventedDetail: { ...map, visible: !map.visible } }),
        );
    },
    onMaskOut: (result) => {
      const map = result.inventedDetail;
      if (!map) return;
      void update(
        result,
        () => maskOutInventedDetail(host, { result: result.layer, overlay: map.overlay, bounds: map.bounds }),
        () => result,
        `The mask of "${result.name}" now hides the invented detail: paint white into it to bring detail back.`,
      );
    },
    onShowVariant: (entry, index) =>
      void update(
        entry,
        () => showVariant(host, entry.compare, index),
        () => ({ ...entry, shown: index }),
      ),
    onNextVariant: (entry) => {
      const index = nextVariant(entry.compare, entry.shown);
      void update(
        entry,
        () => showVariant(host, entry.compare, index),
        () => ({ ...entry, shown: index }),
      );
    },
    onKeepVariant: (entry: CompareEntry) => {
      const kept = entry.compare.variants[entry.shown];
      const result: LayerResult = { kind: 'layer', name: kept.name, documentTitle: entry.compare.documentTitle, layer: kept.layer, visible: true };
      void update(
        entry,
        () => keepVariant(host, entry.compare, entry.shown),
        () => result,
      );
    },
  };

  async function startSelfTest() {
    if (selfTestRunning.current) return;
    // The self-test opens and closes documents: not while an operation is reading or writing one.
    if (running) {
      setNotice('Wait for the running operation to finish (or cancel it), then run the self-test.');
      return;
    }
    selfTestRunning.current = true;
    setSelfTest({ phase: 'running', checks: [] });
    try {
      const report = await runSelfTest({ host, helper: connectedHelper() }, (check) => setSelfTest((run) => run && { ...run, checks: [...run.checks, check] }));
      setSelfTest({ phase: 'done', checks: report.checks, report });
    } catch (caught) {
      const stopped = describeError(caught) ?? { message: String(caught), offerMerged: false };
      setSelfTest((run) => ({ phase: 'stopped', checks: run?.checks ?? [], error: stopped }));
    } finally {
      selfTestRunning.current = false;
    }
  }

  return {
    choices,
    choose,
    changeLayer,
    running,
    error,
    notice,
    results,
    selfTest,
    faces,
    tickFace: (index: number, ticked: boolean) =>
      setFaces((current) => current && { ...current, entries: current.entries.map((entry, i) => (i === index ? { ...entry, ticked } : entry)) }),
    run: () => void (choices.operation === 'faces' ? restoreTickedFaces() : runChosen()),
    find: () => void (choices.operation === 'faces' ? findChosenFaces() : findDustAndScratches()),
    /** The layer had no pixels: the same operation on the merged image, which stays the source from then on. */
    retryOnMerged: () => {
      changeLayer({ source: 'merged' });
      // A Faces read fails at Find faces: Restore faces reads the source the faces were found in.
      void (choices.operation === 'faces' ? findChosenFaces('merged') : runChosen('merged'));
    },
    actions,
    startSelfTest: () => void startSelfTest(),
    closeSelfTest: () => setSelfTest(undefined),
  };
}
