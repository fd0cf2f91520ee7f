import type { MendApp } from '../app';
import type { JobQueue } from '../jobs/job-queue';
import type { Pairing } from './pairing';

/** What the routes share: the app that runs tasks, the queue of jobs, and the token pairing hands out. */
export interface RouteContext {
  app: MendApp;
  queue: JobQueue;
  token: string;
  pairing: Pairing;
}
