import { JobQueue } from '../../../native-helper/src/jobs/job-queue';
import type { JobEvent } from '../../../native-helper/src/protocol';
import type { TaskRunner } from '../../../native-helper/src/tasks/types';

const echo: TaskRunner = async (input) => ({ image: input.image, models: ['echo'], provider: 'cpu', tiles: 1, width: input.image.width, height: input.image.height });
const layout = { width: 2, height: 3, channels: 1 as const, bitDepth: 8 as const, maxValue: 255 };
const MINUTE = 60_000;

describe('job queue: banded jobs', () => {
  afterEach(() => jest.useRealTimers());

  it('drops a receiving job after 2 minutes without a band, not while bands keep coming', () => {
    jest.useFakeTimers();
    const queue = new JobQueue(echo);
    const job = queue.receive({ task: 'restore' }, layout);
    const events: JobEvent[] = [];
    queue.subscribe(job.id, (event) => events.push(event));
    jest.advanceTimersByTime(1.9 * MINUTE);
    queue.writeBand(job.id, 'image', 0, new Uint8Array(2));
    jest.advanceTimersByTime(1.9 * MINUTE);
    expect(queue.status(job.id)).toMatchObject({ state: 'receiving', progress: { done: 1, total: 3, stage: 'receiving' } });

    jest.advanceTimersByTime(0.2 * MINUTE);
    expect(queue.status(job.id)).toMatchObject({
      state: 'failed',
      error: { code: 'timeout', message: expect.stringMatching(/no pixels arrived for 2 minutes.*run the operation again/) },
    });
    expect(events.map((e) => e.type)).toEqual(['progress', 'progress', 'failed']);
    expect(() => queue.writeBand(job.id, 'image', 1, new Uint8Array(2))).toThrow(/not receiving/);
  });

  it('queues a job once its image and mask are complete, and runs it on their pixels', async () => {
    const queue = new JobQueue(echo, { receiveTimeoutMs: 5 * MINUTE });
    const job = queue.receive({ task: 'inpaint' }, layout, layout);
    queue.writeBand(job.id, 'image', 0, Uint8Array.from([1, 2, 3, 4, 5, 6]));
    queue.writeBand(job.id, 'mask', 0, new Uint8Array(4));
    expect(queue.status(job.id)?.state).toBe('receiving');
    const finished = new Promise<JobEvent>((resolve) => queue.subscribe(job.id, (event) => event.type === 'done' && resolve(event)));
    queue.writeBand(job.id, 'mask', 2, new Uint8Array(2));
    expect(queue.status(job.id)?.state).not.toBe('receiving');
    expect(await finished).toMatchObject({ type: 'done', image: layout });
    expect(Array.from(queue.result(job.id)?.image.data ?? [])).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
