import type { MendApp } from '../app';
import type { JobQueue } from '../jobs/job-queue';
import type { Pairing } from './pairing';

/** What the routes share: the app that runs tasks, the queue of jobs, the token pairing hands out, and the serve log. */
export interface RouteContext {
  app: MendApp;
  queue: JobQueue;
  token: string;
  pairing: Pairing;
  log: (message: string) => void;
}
